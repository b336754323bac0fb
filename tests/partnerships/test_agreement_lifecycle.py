"""Every transition allowed and refused — by state and by role — through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organizations.tenancy import tenant_scope
from partnerships.models import Agreement, AgreementEvent
from tests.agreement_fixtures import PDF

ACTIONS = ["propose", "activate", "suspend", "resume", "terminate", "renew"]
# which starting states each action accepts
ALLOWED_FROM = {
    "propose": {"draft"},
    "activate": {"proposed"},
    "suspend": {"active"},
    "resume": {"suspended"},
    "terminate": {"active", "suspended"},
    "renew": {"active", "suspended", "expired"},
}
RESULT = {
    "propose": "proposed",
    "activate": "active",
    "suspend": "suspended",
    "resume": "active",
    "terminate": "terminated",
    "renew": None,
}
STATES = ["draft", "proposed", "active", "suspended", "expired", "terminated"]


def _url(world, agreement, action):
    return f"/api/v1/t/{world.tenant_a.slug}/agreements/{agreement.pk}/{action}/"


def _upload_signed(world, agreement):
    from partnerships.documents import document_upload

    with tenant_scope(world.tenant_a):
        document_upload(agreement=agreement, actor=None, kind="signed", title="PKS", name="pks.pdf", content=PDF)


def _status(world, agreement):
    with tenant_scope(world.tenant_a):
        return Agreement.objects.get(pk=agreement.pk).status


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_transition_by_state(world, make_agreement, state, action):
    agreement = make_agreement(state, ends_on=__import__("datetime").date(2099, 12, 31))
    if action == "activate":
        _upload_signed(world, agreement)
    response = world.manager.client.post(
        _url(world, agreement, action), {"reason": "Alasan uji"}, content_type="application/json"
    )
    if state in ALLOWED_FROM[action]:
        assert response.status_code in (200, 201), response.content
        if RESULT[action]:
            assert response.json()["status"] == RESULT[action]
            assert _status(world, agreement) == RESULT[action]
        else:
            assert response.json()["status"] == "draft" and response.json()["predecessor"] == agreement.pk
    else:
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "transition_not_allowed"
        assert _status(world, agreement) == state


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "viewer"])
@pytest.mark.parametrize("action", ACTIONS)
def test_read_only_roles_cannot_move_an_agreement(world, make_agreement, orgs, role, action):
    # The coordinator's organization is a party, so it sees the agreement but may not move it.
    agreement = make_agreement("active", parties=("puskesmas", "ngo"), partnership_type="provider_community")
    response = world.persona(role).client.post(
        _url(world, agreement, action), {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert _status(world, agreement) == "active"


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["suspend", "terminate"])
def test_suspension_and_termination_need_a_reason(world, make_agreement, action):
    agreement = make_agreement("active")
    response = world.manager.client.post(
        _url(world, agreement, action), {"reason": "  "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    assert _status(world, agreement) == "active"


@pytest.mark.django_db
def test_activation_needs_the_signed_document_and_dates(world, make_agreement):
    agreement = make_agreement("proposed", signed_on=None)
    response = world.manager.client.post(_url(world, agreement, "activate"))
    assert response.json()["error"]["code"] == "dates_required"
    with tenant_scope(world.tenant_a):
        Agreement.objects.filter(pk=agreement.pk).update(signed_on="2026-01-05")
    response = world.manager.client.post(_url(world, agreement, "activate"))
    assert response.json()["error"]["code"] == "signed_document_required"
    upload = SimpleUploadedFile("pks-ditandatangani.pdf", PDF, content_type="application/pdf")
    documents = f"/api/v1/t/{world.tenant_a.slug}/agreements/{agreement.pk}/documents/"
    assert world.manager.client.post(documents, {"kind": "signed", "title": "PKS", "file": upload}).status_code == 201
    response = world.manager.client.post(_url(world, agreement, "activate"))
    assert response.status_code == 200
    assert response.json()["status"] == "active"


@pytest.mark.django_db
def test_activation_of_an_agreement_already_past_its_end_is_refused(world, make_agreement):
    import datetime

    agreement = make_agreement(
        "proposed",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 1, 1),
        signed_on=datetime.date(2020, 1, 1),
    )
    _upload_signed(world, agreement)
    response = world.manager.client.post(_url(world, agreement, "activate"))
    assert response.json()["error"]["code"] == "already_ended"


@pytest.mark.django_db
def test_every_transition_is_on_the_timeline_with_who_and_why(world, make_agreement):
    agreement = make_agreement("active")
    world.manager.client.post(
        _url(world, agreement, "suspend"), {"reason": "Menunggu audit Inspektorat"}, content_type="application/json"
    )
    timeline = world.viewer.client.get(f"/api/v1/t/{world.tenant_a.slug}/agreements/{agreement.pk}/timeline/").json()
    latest = timeline[0]
    assert latest["action"] == "suspended"
    assert latest["reason"] == "Menunggu audit Inspektorat"
    assert latest["actor"] == world.manager.user.display_name
    assert (latest["from_status"], latest["to_status"]) == ("active", "suspended")
    with tenant_scope(world.tenant_a):
        actions = list(AgreementEvent.objects.filter(agreement=agreement).values_list("action", flat=True))
    assert {"created", "proposed", "document_added", "activated", "suspended"} <= set(actions)


@pytest.mark.django_db
def test_renewal_carries_parties_and_obligations_into_a_linked_draft(world, make_agreement):
    from partnerships import services

    agreement = make_agreement("active")
    with tenant_scope(world.tenant_a):
        party = agreement.parties.first()
        services.obligation_create(party=party, actor=None, description="Menerima rujukan 24 jam")
        services.obligation_update(
            obligation=party.obligations.get(), actor=None, done_on=__import__("datetime").date(2026, 3, 1)
        )
    response = world.manager.client.post(_url(world, agreement, "renew"))
    assert response.status_code == 201
    successor_id = response.json()["id"]
    with tenant_scope(world.tenant_a):
        successor = Agreement.objects.get(pk=successor_id)
        assert successor.status == "draft" and successor.predecessor_id == agreement.pk
        assert successor.starts_on == __import__("datetime").date(2027, 1, 1)
        assert sorted(successor.parties.values_list("organization__name", flat=True)) == sorted(
            agreement.parties.values_list("organization__name", flat=True)
        )
        obligation = successor.parties.get(organization=party.organization).obligations.get()
        assert obligation.description == "Menerima rujukan 24 jam" and obligation.done_on is None


@pytest.mark.django_db
def test_signed_agreements_change_only_through_amendments(world, make_agreement):
    agreement = make_agreement("active")
    url = f"/api/v1/t/{world.tenant_a.slug}/agreements/{agreement.pk}/"
    response = world.manager.client.patch(url, {"title": "Diubah diam-diam"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_editable"


@pytest.mark.django_db
def test_status_cannot_be_written_directly(world, make_agreement):
    agreement = make_agreement("draft")
    url = f"/api/v1/t/{world.tenant_a.slug}/agreements/{agreement.pk}/"
    response = world.manager.client.patch(
        url, {"status": "active", "predecessor": 1, "tenant": world.tenant_b.pk}, content_type="application/json"
    )
    assert response.status_code == 200
    with tenant_scope(world.tenant_a):
        fresh = Agreement.objects.get(pk=agreement.pk)
    assert fresh.status == "draft" and fresh.predecessor_id is None and fresh.tenant_id == world.tenant_a.pk
