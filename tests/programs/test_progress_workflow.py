"""draft → submitted → approved | returned → resubmitted, per role, through the API."""

import datetime
from decimal import Decimal

import pytest

from organizations.tenancy import tenant_scope
from programs.models import ProgressUpdate
from tests.factories import OrganizationFactory


def _url(world, suffix=""):
    return f"/api/v1/t/{world.tenant_a.slug}/progress-updates/{suffix}"


def _period(world, pw, indicator, year=2026, number=5):
    with tenant_scope(world.tenant_a):
        return pw.period(indicator, year, number)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    # The reporting calendar is in 2026; pretend it is early June 2026 (May is open).
    import programs.services as s

    monkeypatch.setattr(s.timezone, "localdate", lambda: datetime.date(2026, 6, 5))


@pytest.mark.django_db
def test_coordinator_reports_manager_returns_coordinator_resubmits_manager_approves(world, pw):
    period = _period(world, pw, pw.cases)
    coordinator, manager = world.coordinator.client, world.manager.client
    created = coordinator.post(
        _url(world),
        {"indicator": pw.cases.pk, "period": period.pk, "value": "42", "narrative": "Kunjungan rumah di 4 desa"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["organization"] == world.partner_a.pk
    update_id = body["id"]

    assert coordinator.post(_url(world, f"{update_id}/submit/")).json()["status"] == "submitted"
    assert coordinator.post(_url(world, f"{update_id}/approve/")).status_code == 403  # coordinators never approve

    returned = manager.post(
        _url(world, f"{update_id}/return/"), {"note": "Lampirkan register kader"}, content_type="application/json"
    )
    assert returned.json()["status"] == "returned" and returned.json()["review_note"] == "Lampirkan register kader"

    fixed = coordinator.patch(_url(world, f"{update_id}/"), {"value": "45"}, content_type="application/json")
    assert fixed.status_code == 200 and fixed.json()["value"] == "45.00"
    resubmitted = coordinator.post(_url(world, f"{update_id}/submit/")).json()
    assert resubmitted["status"] == "submitted" and resubmitted["resubmitted"] is True

    approved = manager.post(_url(world, f"{update_id}/approve/")).json()
    assert approved["status"] == "approved"
    # Approved values are final.
    assert (
        coordinator.patch(_url(world, f"{update_id}/"), {"value": "50"}, content_type="application/json").status_code
        == 400
    )


@pytest.mark.django_db
def test_return_needs_a_note(world, pw):
    with tenant_scope(world.tenant_a):
        from programs import services

        update = services.progress_update_save(
            indicator=pw.cases,
            period=pw.period(pw.cases, 2026, 5),
            organization=world.partner_a,
            actor=None,
            value=Decimal(3),
        )
        services.progress_update_submit(update=update, actor=world.coordinator.user)
    response = world.manager.client.post(
        _url(world, f"{update.pk}/return/"), {"note": " "}, content_type="application/json"
    )
    assert response.status_code == 400
    with tenant_scope(world.tenant_a):
        assert ProgressUpdate.objects.get(pk=update.pk).status == "submitted"


@pytest.mark.django_db
def test_nobody_approves_their_own_submission(world, pw):
    with tenant_scope(world.tenant_a):
        from programs import services

        update = services.progress_update_save(
            indicator=pw.cases,
            period=pw.period(pw.cases, 2026, 5),
            organization=world.partner_a,
            actor=None,
            value=Decimal(3),
        )
        services.progress_update_submit(update=update, actor=world.manager.user)
    response = world.manager.client.post(_url(world, f"{update.pk}/approve/"))
    assert response.status_code == 400 and response.json()["error"]["code"] == "own_update"
    assert world.admin.client.post(_url(world, f"{update.pk}/approve/")).status_code == 200


@pytest.mark.django_db
def test_coordinator_cannot_write_another_organizations_update(world, pw, orgs):
    period = _period(world, pw, pw.cases)
    response = world.coordinator.client.post(
        _url(world),
        {"indicator": pw.cases.pk, "period": period.pk, "organization": orgs["puskesmas"].pk, "value": "1"},
        content_type="application/json",
    )
    assert response.status_code == 403
    with tenant_scope(world.tenant_a):
        assert not ProgressUpdate.objects.exists()


@pytest.mark.django_db
def test_coordinators_see_only_their_organizations_updates(world, pw, orgs):
    from programs import services

    with tenant_scope(world.tenant_a):
        period = pw.period(pw.cases, 2026, 5)
        services.progress_update_save(
            indicator=pw.cases, period=period, organization=orgs["puskesmas"], actor=None, value=Decimal(7)
        )
        own = services.progress_update_save(
            indicator=pw.cases, period=period, organization=world.partner_a, actor=None, value=Decimal(3)
        )
    ids = [u["id"] for u in world.coordinator.client.get(_url(world)).json()["results"]]
    assert ids == [own.pk]
    assert len(world.viewer.client.get(_url(world)).json()["results"]) == 2


@pytest.mark.django_db
def test_organizations_outside_the_program_cannot_report(world, pw):
    stranger = OrganizationFactory(tenant=world.tenant_a, name="Klinik Lain")
    period = _period(world, pw, pw.cases)
    response = world.manager.client.post(
        _url(world),
        {"indicator": pw.cases.pk, "period": period.pk, "organization": stranger.pk, "value": "1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_implementer"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer"])
def test_viewers_cannot_report_or_review(world, pw, role):
    period = _period(world, pw, pw.cases)
    client = world.persona(role).client
    assert (
        client.post(
            _url(world),
            {"indicator": pw.cases.pk, "period": period.pk, "organization": world.partner_a.pk, "value": "1"},
            content_type="application/json",
        ).status_code
        == 403
    )
