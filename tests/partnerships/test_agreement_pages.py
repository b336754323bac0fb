"""Agreement pages: list with filters, detail, create/edit with party rows, transitions,
amendments; coordinators see only their agreements; viewers read only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organizations.tenancy import tenant_scope
from partnerships import services
from partnerships.models import Agreement, Document
from tests.agreement_fixtures import PDF


def _url(world, suffix=""):
    return f"/t/{world.tenant_a.slug}/kemitraan/{suffix}"


def _form(orgs, **overrides):
    data = {
        "number": "445/PKS/001/2026",
        "title": "Rujukan berjenjang",
        "kind": "pks",
        "partnership_type": "provider_provider",
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "regions": "",
        "parties-TOTAL_FORMS": "3",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "2",
        "parties-MAX_NUM_FORMS": "1000",
        "parties-0-organization": orgs["rsud"].pk,
        "parties-0-role": "lead",
        "parties-0-signatory_name": "dr. Bambang Hermawan",
        "parties-1-organization": orgs["puskesmas"].pk,
        "parties-1-role": "implementer",
        "parties-2-organization": orgs["kader"].pk,
        "parties-2-role": "community_representative",
        "parties-2-DELETE": "on",  # a row the user removed again
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_list_query_count_is_pinned(world, make_agreement, rows, django_assert_num_queries):
    for i in range(rows):
        make_agreement("draft", title=f"Rujukan {i}")
    # user, memberships (current + switcher), count, page, parties with organizations,
    # organization filter choices, bell — the session comes from the cache
    with django_assert_num_queries(7):
        response = world.viewer.client.get(_url(world))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 25)


@pytest.mark.django_db
def test_list_filters(world, make_agreement, orgs):
    make_agreement("active", title="Rujukan", ends_on=datetime.date(2026, 12, 31))
    make_agreement("draft", parties=("company", "puskesmas"), partnership_type="public_private", title="Imunisasi TJSL")
    client = world.viewer.client

    def titles(**params):
        return {a.title for a in client.get(_url(world), params).context["page"].object_list}

    assert titles(type="public_private") == {"Imunisasi TJSL"}
    assert titles(status="active") == {"Rujukan"}
    assert titles(organization=orgs["company"].pk) == {"Imunisasi TJSL"}
    assert titles(q="rujuk") == {"Rujukan"}


@pytest.mark.django_db
def test_detail_query_count_is_pinned(world, make_agreement, django_assert_num_queries):
    agreement = make_agreement("active")
    with tenant_scope(world.tenant_a):
        for party in agreement.parties.all():
            services.obligation_create(party=party, actor=None, description="Laporan bulanan")
    # session, user, membership, agreement, parties+organizations, obligations, regions, documents,
    # their uploaders, amendments, timeline with actors, successors, programs, tenant switcher, bell,
    # and the health tab: reviews, whether reviewable, the latest survey round
    with django_assert_num_queries(16):
        response = world.viewer.client.get(_url(world, f"{agreement.pk}/"))
    assert response.status_code == 200
    assert "Rujukan berjenjang" in response.content.decode()


@pytest.mark.django_db
def test_manager_creates_an_agreement_with_party_rows(world, orgs):
    response = world.manager.client.post(_url(world, "baru/"), _form(orgs))
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_scope(world.tenant_a):
        agreement = Agreement.objects.get(number="445/PKS/001/2026")
        assert agreement.status == "draft"
        assert sorted(agreement.parties.values_list("organization__name", flat=True)) == [
            "Puskesmas Ciruas",
            "RSUD dr. Dradjat Prawiranegara",
        ]


@pytest.mark.django_db
def test_party_row_fragment_for_the_add_button(world):
    response = world.manager.client.get(_url(world, "baris-pihak/"), {"index": 4})
    assert response.status_code == 200
    assert 'name="parties-4-organization"' in response.content.decode()


@pytest.mark.django_db
def test_edit_replaces_parties_and_keeps_the_rest(world, make_agreement, orgs):
    agreement = make_agreement("draft")
    data = _form(
        orgs,
        **{"parties-2-DELETE": "", "parties-2-role": "community_representative"},
        partnership_type="provider_community",
    )
    response = world.manager.client.post(_url(world, f"{agreement.pk}/ubah/"), data)
    assert response.status_code == 302
    with tenant_scope(world.tenant_a):
        assert agreement.parties.count() == 3


@pytest.mark.django_db
def test_transition_page_confirms_then_moves(world, make_agreement):
    agreement = make_agreement("active")
    page = world.manager.client.get(_url(world, f"{agreement.pk}/langkah/suspend/"))
    assert page.status_code == 200
    refused = world.manager.client.post(_url(world, f"{agreement.pk}/langkah/suspend/"), {"reason": ""})
    assert refused.status_code == 400
    done = world.manager.client.post(_url(world, f"{agreement.pk}/langkah/suspend/"), {"reason": "Menunggu audit"})
    assert done.status_code == 302
    with tenant_scope(world.tenant_a):
        assert Agreement.objects.get(pk=agreement.pk).status == "suspended"


@pytest.mark.django_db
def test_activation_from_the_page_after_uploading_the_signed_pks(world, make_agreement):
    agreement = make_agreement("proposed")
    client = world.manager.client
    client.post(_url(world, f"{agreement.pk}/langkah/activate/"), {"reason": ""})
    with tenant_scope(world.tenant_a):
        assert Agreement.objects.get(pk=agreement.pk).status == "proposed"
    client.post(
        _url(world, f"{agreement.pk}/dokumen/"),
        {"kind": "signed", "title": "PKS bertanda tangan", "file": SimpleUploadedFile("pks.pdf", PDF)},
    )
    assert client.post(_url(world, f"{agreement.pk}/langkah/activate/"), {"reason": ""}).status_code == 302
    with tenant_scope(world.tenant_a):
        assert Agreement.objects.get(pk=agreement.pk).status == "active"
        assert Document.objects.filter(agreement=agreement, kind="signed").count() == 1


@pytest.mark.django_db
def test_amendment_page_records_new_terms(world, make_agreement):
    agreement = make_agreement("active")
    response = world.manager.client.post(
        _url(world, f"{agreement.pk}/adendum/baru/"),
        {"signed_on": "2026-06-10", "effective_on": "2026-07-01", "summary": "Perpanjangan", "ends_on": "2027-06-30"},
    )
    assert response.status_code == 302
    with tenant_scope(world.tenant_a):
        assert Agreement.objects.get(pk=agreement.pk).ends_on == datetime.date(2027, 6, 30)


@pytest.mark.django_db
def test_coordinator_pages_show_only_their_agreements(world, make_agreement):
    own = make_agreement(
        "active", parties=("puskesmas", "ngo"), partnership_type="provider_community", title="Skrining TBC"
    )
    other = make_agreement("active", title="Rujukan")
    client = world.coordinator.client
    assert [a.title for a in client.get(_url(world)).context["page"].object_list] == ["Skrining TBC"]
    assert client.get(_url(world, f"{own.pk}/")).status_code == 200
    assert client.get(_url(world, f"{other.pk}/")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_read_only_roles_cannot_change_agreements(world, make_agreement, orgs, role):
    agreement = make_agreement("draft", parties=("puskesmas", "ngo"), partnership_type="provider_community")
    client = world.persona(role).client
    assert client.get(_url(world, "baru/")).status_code == 403
    assert client.post(_url(world, "baru/"), _form(orgs)).status_code == 403
    assert client.post(_url(world, f"{agreement.pk}/ubah/"), _form(orgs)).status_code == 403
    assert client.post(_url(world, f"{agreement.pk}/langkah/propose/"), {"reason": ""}).status_code == 403
    assert client.post(_url(world, f"{agreement.pk}/adendum/baru/"), {}).status_code == 403
    with tenant_scope(world.tenant_a):
        assert Agreement.objects.get(pk=agreement.pk).status == "draft"
        assert Agreement.objects.count() == 1


@pytest.mark.django_db
def test_tenant_home_counts_agreements_as_each_role_sees_them(world, make_agreement):
    make_agreement("active", ends_on=datetime.date.today() + datetime.timedelta(days=40))
    make_agreement("proposed", parties=("puskesmas", "ngo"), partnership_type="provider_community", title="Skrining")
    manager_view = world.manager.client.get(f"/t/{world.tenant_a.slug}/").context["d"].agreements
    assert manager_view == {"active": 1, "suspended": 0, "proposed": 1, "draft": 0, "ending_90": 1}
    # A coordinator's home lists only the agreements their organization is a party to.
    coordinator_view = world.coordinator.client.get(f"/t/{world.tenant_a.slug}/").context["agreements"]
    with tenant_scope(world.tenant_a):
        assert [a.title for a in coordinator_view] == ["Skrining"]


@pytest.mark.django_db
def test_many_partners_turn_the_party_select_into_a_name_search(world, orgs, make_agreement, monkeypatch,
                                                                 django_assert_num_queries):  # fmt: skip
    from partnerships.forms import AgreementFilterForm

    rujukan = make_agreement("active", parties=("rsud", "puskesmas"), title="Rujukan berjenjang")
    make_agreement("active", parties=("company", "puskesmas"), partnership_type="public_private", title="CSR imunisasi")
    monkeypatch.setattr(AgreementFilterForm, "ORGANIZATION_SELECT_MAX", 2)  # the tenant "has many partners"
    with django_assert_num_queries(7):  # the same queries: the choices' query just stops early
        page = world.viewer.client.get(_url(world)).content.decode()
    assert '<select name="organization"' not in page and 'type="hidden" name="organization"' in page

    by_name = world.viewer.client.get(_url(world), {"q": orgs["rsud"].name[:12]})
    assert [a.pk for a in by_name.context["page"].object_list] == [rujukan.pk]
    # a link from an organization's page still filters by it, and says so
    linked = world.viewer.client.get(_url(world), {"organization": orgs["rsud"].pk}).content.decode()
    assert "Rujukan berjenjang" in linked and "CSR imunisasi" not in linked
    assert f"Pihak: {orgs['rsud'].name}" in linked or f"Party: {orgs['rsud'].name}" in linked
