"""The daily job: expiry past the end date and the 90/30-day notices, each sent once."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase

from organizations.models import Notification, OutboxJob
from organizations.tenancy import scopes_disabled, tenant_scope
from partnerships.models import Agreement
from partnerships.services import agreements_run_daily
from partnerships.tasks import agreements_daily
from tests.factories import refresh

END = datetime.date(2026, 12, 31)


def _run(world, today):
    with TestCase.captureOnCommitCallbacks(execute=True), tenant_scope(world.tenant_a):
        return agreements_run_daily(tenant=world.tenant_a, today=today)


@pytest.mark.django_db
def test_expires_agreements_past_their_end_once(world, make_agreement):
    agreement = make_agreement("active", ends_on=END)
    suspended = make_agreement("suspended", ends_on=END, title="Ditangguhkan")
    assert _run(world, END)["expired"] == 0  # the last day still counts
    assert _run(world, END + datetime.timedelta(days=1))["expired"] == 2
    assert _run(world, END + datetime.timedelta(days=2))["expired"] == 0
    with tenant_scope(world.tenant_a):
        assert Agreement.objects.get(pk=agreement.pk).status == "expired"
        assert Agreement.objects.get(pk=suspended.pk).status == "expired"
        assert agreement.events.filter(action="expired").count() == 1


@pytest.mark.django_db
def test_end_notices_reach_staff_and_party_coordinators_once_per_threshold(world, make_agreement):
    make_agreement(
        "active", parties=("puskesmas", "ngo"), partnership_type="provider_community", title="Skrining TBC", ends_on=END
    )
    make_agreement("active", title="Rujukan", ends_on=END)  # the coordinator's NGO is not a party here
    day_91 = END - datetime.timedelta(days=91)
    assert _run(world, day_91)["notices"] == 0

    day_90 = END - datetime.timedelta(days=90)
    first = _run(world, day_90)
    # Skrining TBC: admin, manager, coordinator; Rujukan: admin, manager. Viewers are not notified.
    assert first["notices"] == 5
    assert len(mail.outbox) == 5
    again = [_run(world, day_90 + datetime.timedelta(days=d)) for d in range(0, 5)]
    assert all(r["notices"] == 0 for r in again)

    day_30 = END - datetime.timedelta(days=30)
    assert _run(world, day_30)["notices"] == 5
    assert _run(world, day_30 + datetime.timedelta(days=3))["notices"] == 0
    with tenant_scope(world.tenant_a):
        coordinator_notes = list(Notification.objects.filter(user=world.coordinator.user))
        assert len(coordinator_notes) == 2
        assert not Notification.objects.filter(user=world.viewer.user).exists()


@pytest.mark.django_db
def test_a_missed_day_still_sends_the_notice(world, make_agreement):
    make_agreement("active", ends_on=END)
    assert _run(world, END - datetime.timedelta(days=85))["notices"] == 2  # the job did not run on day 90


@pytest.mark.django_db
def test_the_bell_shows_unread_notices_in_indonesian(world, make_agreement):
    make_agreement("active", ends_on=END, title="Rujukan berjenjang")
    _run(world, END - datetime.timedelta(days=30))
    page = world.manager.client.get(f"/t/{world.tenant_a.slug}/notifikasi/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "31 Desember 2026" in content
    with tenant_scope(world.tenant_a):
        notification = Notification.objects.get(user=world.manager.user)
    opened = world.manager.client.post(f"/t/{world.tenant_a.slug}/notifikasi/{notification.pk}/buka/")
    assert opened.status_code == 302
    assert opened["Location"] == notification.link
    with tenant_scope(world.tenant_a):
        refresh(notification)
    assert notification.read_at is not None


@pytest.mark.django_db
def test_other_peoples_notices_are_not_reachable(world, make_agreement):
    make_agreement("active", ends_on=END)
    _run(world, END - datetime.timedelta(days=30))
    with tenant_scope(world.tenant_a):
        notification = Notification.objects.get(user=world.manager.user)
    response = world.admin.client.post(f"/t/{world.tenant_a.slug}/notifikasi/{notification.pk}/buka/")
    assert response.status_code == 404
    with tenant_scope(world.tenant_a):
        refresh(notification)
    assert notification.read_at is None


@pytest.mark.django_db
def test_the_beat_task_fans_out_to_every_tenant(world, make_agreement, django_capture_on_commit_callbacks):
    # Ended in July 2026 (activated in June): the real date is past it.
    agreement = make_agreement("active", ends_on=datetime.date(2026, 7, 1))
    with django_capture_on_commit_callbacks(execute=True):  # one outbox job per tenant, published on commit
        assert agreements_daily.apply().get() == 2  # tenants A and B; tasks run eagerly in tests
    with scopes_disabled():
        jobs = OutboxJob.objects.filter(task="partnerships.tasks.agreements_daily_for_tenant")
        assert sorted(jobs.values_list("tenant_id", "attempts")) == [(world.tenant_a.pk, 1), (world.tenant_b.pk, 1)]
        assert all(job.done_at and not job.last_error for job in jobs)
    with tenant_scope(world.tenant_a):
        assert Agreement.objects.get(pk=agreement.pk).status == "expired"
