"""The agreements API: lists, filters, coordinator visibility, create/update, query counts."""

import datetime

import pytest
from django.test import Client

from organizations.models import ApiToken
from organizations.tenancy import tenant_scope
from partnerships import services as agreement_services
from partnerships.models import Agreement
from tests.factories import RegionFactory


def _url(world, suffix=""):
    return f"/api/v1/t/{world.tenant_a.slug}/agreements/{suffix}"


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 20])
def test_list_query_count_is_constant(world, make_agreement, rows, django_assert_num_queries):
    for i in range(rows):
        make_agreement("draft", title=f"Rujukan {i}")
    _instance, token = ApiToken.objects.create(user=world.manager.user, name="bi")
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    # token, membership, count, page, parties+organizations, regions
    with django_assert_num_queries(6):
        response = client.get(_url(world))
    assert response.json()["count"] == rows


@pytest.mark.django_db
def test_create_with_parties_and_regions(world, orgs):
    RegionFactory()
    payload = {
        "number": "445/PKS/017/2026",
        "title": "Rujukan berjenjang RSUD–Puskesmas Ciruas",
        "kind": "pks",
        "partnership_type": "provider_provider",
        "regions": ["36.04"],
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "parties": [
            {
                "organization": orgs["rsud"].pk,
                "role": "lead",
                "signatory_name": "dr. Bambang",
                "signatory_position": "Direktur",
            },
            {"organization": orgs["puskesmas"].pk, "role": "implementer"},
        ],
    }
    response = world.manager.client.post(_url(world), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["regions"] == ["36.04"]
    assert [p["organization_name"] for p in body["parties"]] == ["RSUD dr. Dradjat Prawiranegara", "Puskesmas Ciruas"]


@pytest.mark.django_db
def test_parties_of_another_tenant_are_refused(world, orgs):
    payload = {
        "title": "Coba",
        "partnership_type": "provider_provider",
        "parties": [
            {"organization": orgs["rsud"].pk, "role": "lead"},
            {"organization": world.partner_b.pk, "role": "implementer"},
        ],
    }
    response = world.manager.client.post(_url(world), payload, content_type="application/json")
    assert response.status_code == 400
    assert "parties" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_duplicate_number_and_inverted_dates_are_refused(world, make_agreement, orgs):
    make_agreement("draft", number="445/1/2026")
    parties = [
        {"organization": orgs["rsud"].pk, "role": "lead"},
        {"organization": orgs["puskesmas"].pk, "role": "implementer"},
    ]
    response = world.manager.client.post(
        _url(world),
        {
            "number": "445/1/2026",
            "title": "X",
            "partnership_type": "provider_provider",
            "parties": parties,
            "starts_on": "2026-05-01",
            "ends_on": "2026-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) >= {"number"}


@pytest.mark.django_db
def test_filters_match_the_pages(world, make_agreement, orgs):
    make_agreement("active", title="Rujukan", ends_on=datetime.date(2026, 12, 31))
    make_agreement("draft", parties=("company", "puskesmas"), partnership_type="public_private", title="Imunisasi TJSL")
    client = world.viewer.client

    def titles(**params):
        return {a["title"] for a in client.get(_url(world), params).json()["results"]}

    assert titles(partnership_type="public_private") == {"Imunisasi TJSL"}
    assert titles(status="active") == {"Rujukan"}
    assert titles(organization=orgs["company"].pk) == {"Imunisasi TJSL"}
    assert titles(search="imunisasi") == {"Imunisasi TJSL"}


@pytest.mark.django_db
def test_coordinators_see_only_their_organizations_agreements(world, make_agreement):
    own = make_agreement(
        "active", parties=("puskesmas", "ngo"), partnership_type="provider_community", title="Skrining TBC"
    )
    other = make_agreement("active", title="Rujukan")
    client = world.coordinator.client
    assert {a["title"] for a in client.get(_url(world)).json()["results"]} == {"Skrining TBC"}
    assert client.get(_url(world, f"{own.pk}/")).status_code == 200
    assert client.get(_url(world, f"{other.pk}/")).status_code == 404
    assert client.get(_url(world, f"{other.pk}/timeline/")).status_code == 404
    assert client.get(_url(world, f"{other.pk}/obligations/")).status_code == 404
    # Viewers read everything.
    assert {a["title"] for a in world.viewer.client.get(_url(world)).json()["results"]} == {"Skrining TBC", "Rujukan"}


@pytest.mark.django_db
def test_coordinators_read_each_amendment_obligation_and_document_of_their_agreements(world, make_agreement):
    own = make_agreement("active", parties=("puskesmas", "ngo"), partnership_type="provider_community")
    other = make_agreement("active", title="Rujukan")
    children = {}
    for agreement in (own, other):
        with tenant_scope(world.tenant_a):
            party = agreement.parties.first()
            children[agreement.pk] = {
                "amendments": agreement_services.amendment_create(
                    agreement=agreement, actor=world.manager.user, signed_on=datetime.date(2026, 6, 1),
                    effective_on=datetime.date(2026, 6, 1), summary="Koreksi",
                ).pk,
                "obligations": agreement_services.obligation_create(party=party, actor=None, description="Lapor").pk,
                "documents": agreement.documents.get().pk,
            }  # fmt: skip
    client = world.coordinator.client
    for kind, pk in children[own.pk].items():
        response = client.get(_url(world, f"{own.pk}/{kind}/{pk}/"))
        assert response.status_code == 200, (kind, response.content)
        assert response.json()["id"] == pk
    assert client.get(_url(world, f"{own.pk}/documents/{children[own.pk]['documents']}/download/")).status_code == 200
    for kind, pk in children[other.pk].items():  # not a party: as if it did not exist
        assert client.get(_url(world, f"{other.pk}/{kind}/{pk}/")).status_code == 404


@pytest.mark.django_db
def test_amendment_changes_the_current_terms_and_keeps_the_old_ones(world, make_agreement):
    agreement = make_agreement("active")
    payload = {
        "signed_on": "2026-06-10",
        "effective_on": "2026-07-01",
        "summary": "Perpanjangan masa berlaku dan penambahan dana TJSL",
        "new_terms": {"ends_on": "2027-06-30", "financing_summary": "CSR Rp300.000.000"},
    }
    response = world.manager.client.post(
        _url(world, f"{agreement.pk}/amendments/"), payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 1
    assert response.json()["changes"]["ends_on"] == {"old": "2026-12-31", "new": "2027-06-30"}
    current = world.viewer.client.get(_url(world, f"{agreement.pk}/")).json()
    assert current["ends_on"] == "2027-06-30" and current["financing_summary"] == "CSR Rp300.000.000"
    second = world.manager.client.post(
        _url(world, f"{agreement.pk}/amendments/"),
        {**payload, "new_terms": {}, "summary": "Koreksi nama penandatangan"},
        content_type="application/json",
    )
    assert second.json()["number"] == 2
    bad = world.manager.client.post(
        _url(world, f"{agreement.pk}/amendments/"),
        {**payload, "new_terms": {"status": "active"}},
        content_type="application/json",
    )
    assert bad.status_code == 400


@pytest.mark.django_db
def test_drafts_cannot_be_amended(world, make_agreement):
    agreement = make_agreement("draft")
    payload = {"signed_on": "2026-06-10", "effective_on": "2026-07-01", "summary": "x"}
    response = world.manager.client.post(
        _url(world, f"{agreement.pk}/amendments/"), payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_current"


@pytest.mark.django_db
def test_obligations_belong_to_the_agreements_parties(world, make_agreement):
    agreement = make_agreement("active")
    other = make_agreement("active", title="Lain")
    with tenant_scope(world.tenant_a):
        party = agreement.parties.first()
        foreign_party = other.parties.first()
    url = _url(world, f"{agreement.pk}/obligations/")
    ok = world.manager.client.post(
        url,
        {"party": party.pk, "description": "Laporan bulanan", "due_on": "2026-07-10"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    wrong = world.manager.client.post(
        url, {"party": foreign_party.pk, "description": "x"}, content_type="application/json"
    )
    assert wrong.status_code == 400
    done = world.manager.client.patch(
        f"{url}{ok.json()['id']}/", {"done_on": "2026-07-09"}, content_type="application/json"
    )
    assert done.json()["is_done"] is True
    assert (
        world.viewer.client.post(
            url, {"party": party.pk, "description": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    with tenant_scope(world.tenant_a):
        assert Agreement.objects.get(pk=agreement.pk).parties.first().obligations.count() == 1
