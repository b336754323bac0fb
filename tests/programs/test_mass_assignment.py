"""Mass assignment (issue 9, OWASP API3): writing the tenant, a status, who approved, a
balance, timestamps, an id or another organization through the API changes nothing — the
fields are read-only or ignored, and only the services set them."""

import datetime

import pytest

from organizations.models import Organization
from organizations.tenancy import scopes_disabled, tenant_scope
from partnerships.models import Agreement
from programs.models import Disbursement, Fund, Indicator, ProgressUpdate
from tests.factories import refresh

LONG_AGO = "2000-01-01T00:00:00Z"


def _api(world, suffix):
    return f"/api/v1/t/{world.tenant_a.slug}/{suffix}"


def _smuggled(world, **more):
    """What an attacker adds to an otherwise valid body."""
    return {
        "tenant": world.tenant_b.pk, "tenant_id": world.tenant_b.pk, "id": 999_999, "created_at": LONG_AGO,
        "updated_at": LONG_AGO, **more,
    }  # fmt: skip


def _recent(moment) -> bool:
    return moment.year > 2000


@pytest.mark.django_db
def test_organization_create_and_update_ignore_tenant_id_and_timestamps(world):
    client = world.manager.client
    created = client.post(_api(world, "organizations/"), {"name": "Yayasan Peduli TB", "kind": "ngo", **_smuggled(world)},
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    with scopes_disabled():
        org = Organization.objects.get(name="Yayasan Peduli TB")
    assert org.tenant_id == world.tenant_a.pk and org.pk != 999_999 and _recent(org.created_at)
    changed = client.patch(_api(world, f"organizations/{org.pk}/"), {"name": "Yayasan Peduli TBC", **_smuggled(world)},
                           content_type="application/json")  # fmt: skip
    assert changed.status_code == 200, changed.content
    with scopes_disabled():
        refresh(org)
    assert (org.name, org.tenant_id, org.pk) == ("Yayasan Peduli TBC", world.tenant_a.pk, created.json()["id"])
    assert _recent(org.created_at) and org.archived_at is None


@pytest.mark.django_db
def test_an_agreement_is_created_in_draft_and_its_status_moves_only_through_its_actions(world, orgs):
    body = {
        "number": "445/PKS/099/2026", "title": "Rujukan TB", "kind": "pks", "partnership_type": "provider_provider",
        "starts_on": "2026-01-01", "ends_on": "2027-12-31",
        "parties": [{"organization": orgs["rsud"].pk, "role": "lead"}, {"organization": orgs["puskesmas"].pk, "role": "implementer"}],
        **_smuggled(world, status="active", signed_on="2026-01-01"),
    }  # fmt: skip
    created = world.manager.client.post(_api(world, "agreements/"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    agreement_id = created.json()["id"]
    changed = world.manager.client.patch(_api(world, f"agreements/{agreement_id}/"),
                                         {"title": "Rujukan TBC", "status": "terminated", **_smuggled(world)},
                                         content_type="application/json")  # fmt: skip
    assert changed.status_code == 200, changed.content
    with scopes_disabled():
        agreement = Agreement.objects.get(pk=agreement_id)
    assert (agreement.status, agreement.title, agreement.tenant_id) == ("draft", "Rujukan TBC", world.tenant_a.pk)
    assert _recent(agreement.created_at)


@pytest.mark.django_db
def test_a_fund_starts_empty_and_a_disbursement_request_cannot_approve_or_pay_itself(world, fw, pw, orgs):
    fund, _pledge = fw
    created = world.manager.client.post(
        _api(world, "funds/"),
        {"agreement": pw.program.agreement_id, "name": "Dana CSR", **_smuggled(world, balance="999999999")},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    with scopes_disabled():
        assert Fund.objects.get(pk=created.json()["id"]).balance == 0
    requested = world.coordinator.client.post(
        _api(world, f"funds/{fund.pk}/disbursements/"),
        {"program": pw.program.pk, "amount": "500000", "purpose": "Transport kader", "planned_on": "2026-07-01",
         **_smuggled(world, status="paid", approved_by=world.manager.user.pk, admin_approved_by=world.admin.user.pk,
                     requested_by=world.manager.user.pk, paid_on="2026-07-01", fund=999_999)},
        content_type="application/json",
    )  # fmt: skip
    assert requested.status_code == 201, requested.content
    with scopes_disabled():
        d = Disbursement.objects.get(pk=requested.json()["id"])
    assert (d.status, d.approved_by_id, d.admin_approved_by_id, d.paid_on) == ("requested", None, None, None)
    assert d.requested_by_id == world.coordinator.user.pk and d.fund_id == fund.pk


@pytest.mark.django_db
def test_a_coordinator_cannot_report_as_approved_or_for_another_organization(world, pw, orgs, monkeypatch):
    import programs.services as s

    monkeypatch.setattr(s.timezone, "localdate", lambda: datetime.date(2026, 6, 5))
    with tenant_scope(world.tenant_a):
        period = pw.period(pw.cases, 2026, 5)
    response = world.coordinator.client.post(
        _api(world, "progress-updates/"),
        {"indicator": pw.cases.pk, "period": period.pk, "value": "12",
         **_smuggled(world, status="approved", organization=orgs["puskesmas"].pk, reviewed_by=world.manager.user.pk,
                     submitted_at=LONG_AGO)},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code in (201, 400, 403), response.content  # saved as a draft, or refused
    with scopes_disabled():
        updates = list(ProgressUpdate.objects.filter(indicator=pw.cases, period=period))
    for update in updates:  # if anything was saved, it is the coordinator's own draft
        assert (update.status, update.organization_id) == ("draft", world.partner_a.pk)
        assert update.reviewed_by_id is None and update.submitted_at is None
    assert not ProgressUpdate.unscoped.filter(organization=orgs["puskesmas"], period=period).exists()


@pytest.mark.django_db
def test_an_indicators_achievement_and_target_are_not_writable_directly(world, pw):
    target = pw.cases.target
    url = _api(world, f"indicators/{pw.cases.pk}/")
    response = world.manager.client.patch(
        url, {"name": "Terduga TBC ditemukan kader", "achieved": "99999", **_smuggled(world)},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    # the target changes only through revise-target, with a reason: a clear 400, nothing saved
    refused = world.manager.client.patch(url, {"name": "Lain", "target": "1"}, content_type="application/json")
    assert refused.status_code == 400 and "revise_target" in refused.json()["error"]["fields"]["target"][0]
    with scopes_disabled():
        indicator = Indicator.objects.get(pk=pw.cases.pk)
    assert (indicator.name, indicator.achieved, indicator.target) == ("Terduga TBC ditemukan kader", None, target)
    assert indicator.tenant_id == world.tenant_a.pk
