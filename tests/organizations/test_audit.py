"""The audit log: administrators see who changed what and when — agreements, funds, progress
updates, memberships — filterable; other roles may not look."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations import services as org_services
from organizations.models import Role
from organizations.tenancy import tenant_scope
from partnerships import services as agreement_services


def _url(world, **params):
    from urllib.parse import urlencode

    return f"/t/{world.tenant_a.slug}/jejak-audit/" + (f"?{urlencode(params)}" if params else "")


@pytest.mark.django_db
def test_admin_sees_who_changed_an_agreement_and_what(world, make_agreement):
    agreement = make_agreement("draft", title="Rujukan balik pasien TB")
    with tenant_scope(world.tenant_a):
        agreement_services.agreement_update(
            agreement=agreement, actor=world.admin.user, title="Rujukan balik pasien TBC"
        )
    page = world.admin.client.get(_url(world, source="agreement"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rujukan balik pasien TB</del>" in html and "<strong>Rujukan balik pasien TBC</strong>" in html
    assert world.admin.user.display_name in html and world.manager.user.display_name in html  # created by the manager
    latest = page.context["entries"][0]
    assert latest.record.history_user == world.admin.user and latest.url_name == "agreement_detail"

    # only the admin's changes
    mine = world.admin.client.get(_url(world, source="agreement", user=world.admin.user.pk))
    assert {e.record.history_user_id for e in mine.context["entries"]} == {world.admin.user.pk}
    # a window before today shows nothing
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    empty = world.admin.client.get(_url(world, source="agreement", until=yesterday.isoformat()))
    assert (
        empty.context["entries"] == []
        and "No changes match" in empty.content.decode()
        or "Tidak ada" in empty.content.decode()
    )


@pytest.mark.django_db
def test_membership_changes_are_in_the_log(world):
    with tenant_scope(world.tenant_a):
        org_services.membership_update(membership=world.viewer.membership, role=Role.MANAGER, organization=None,
                                       actor=world.admin.user)  # fmt: skip
    entries = world.admin.client.get(_url(world, source="membership")).context["entries"]
    with tenant_scope(world.tenant_a):
        change = entries[0]
        assert change.record.user_id == world.viewer.user.pk and change.record.history_user == world.admin.user
        assert [(str(c["old"]), str(c["new"])) for c in change.changes] == [
            (str(Role.VIEWER.label), str(Role.MANAGER.label))
        ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "coordinator", "viewer"])
def test_only_administrators_may_look(world, role):
    assert getattr(world, role).client.get(_url(world)).status_code == 403


@pytest.mark.django_db
def test_a_bad_date_range_is_explained_and_the_query_count_is_fixed(world, make_agreement):
    bad = world.admin.client.get(_url(world, since="2026-06-01", until="2026-05-01"))
    assert bad.status_code == 200 and bad.context["form"].errors["until"]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert world.admin.client.get(_url(world, source="agreement")).status_code == 200
        return len(ctx.captured_queries)

    make_agreement("draft", title="Satu")
    few = count()
    for i in range(5):
        agreement = make_agreement("draft", title=f"Kerja sama {i}")
        with tenant_scope(world.tenant_a):
            agreement_services.agreement_update(agreement=agreement, actor=world.admin.user, title=f"Kerja sama {i}b")
    assert count() == few


@pytest.mark.django_db
def test_every_kind_of_record_has_its_page_and_a_disbursement_decision_shows(world, make_agreement):
    from decimal import Decimal

    from organizations.audit import SOURCES
    from programs import fund_services as funds
    from programs import services as program_services

    agreement = make_agreement("active", parties=("puskesmas", "ngo"), partnership_type="provider_community")
    with tenant_scope(world.tenant_a):
        program = program_services.program_create(
            tenant=world.tenant_a, agreement=agreement, actor=None, implementers=[world.partner_a], name="Skrining",
            theme="tbc", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31), status="active",
        )  # fmt: skip
        fund = funds.fund_create(tenant=world.tenant_a, agreement=agreement, actor=world.admin.user, name="Dana TBC")
        pledge = funds.pledge_create(fund=fund, organization=world.partner_a, actor=None, channel="apbd",
                                     amount=Decimal(5_000_000))  # fmt: skip
        funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(5_000_000))
        request = funds.disbursement_request(
            fund=fund, program=program, actor=world.coordinator.user, amount=Decimal(100_000), purpose="Transport kader",
            planned_on=datetime.date(2026, 7, 1),
        )  # fmt: skip
        funds.disbursement_approve(disbursement=request, actor=world.manager.user, role="manager")
    for source in SOURCES:
        assert world.admin.client.get(_url(world, source=source)).status_code == 200, source
    entries = world.admin.client.get(_url(world, source="disbursement")).context["entries"]
    approved = entries[0]
    assert approved.title == "Transport kader" and approved.record.history_user == world.manager.user
    assert world.manager.user.display_name in [c["new"] for c in approved.changes]  # "approved by": a name
    assert any(str(c["new"]) == "Disetujui" or c["new"] == "approved" for c in approved.changes), approved.changes
