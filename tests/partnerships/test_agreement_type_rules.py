"""The four partnership types and the mix of organizations each needs."""

import pytest

from organizations.models import Organization
from partnerships import errors
from partnerships.rules import partnership_type_errors


def org(kind: str, sector: str = "public") -> Organization:
    return Organization(name=kind, kind=kind, sector=sector)


@pytest.mark.parametrize(
    ("partnership_type", "organizations", "problem"),
    [
        ("provider_provider", [org("rumah_sakit"), org("puskesmas")], None),
        ("provider_provider", [org("rumah_sakit"), org("ngo", "community")], errors.PROVIDER_PROVIDER_RULE),
        ("public_private", [org("dinas_kesehatan"), org("swasta", "private")], None),
        ("public_private", [org("dinas_kesehatan"), org("puskesmas")], errors.PUBLIC_PRIVATE_RULE),
        ("provider_community", [org("puskesmas"), org("komunitas", "community")], None),
        ("provider_community", [org("puskesmas"), org("sekolah")], None),
        ("provider_community", [org("puskesmas"), org("swasta", "private")], errors.PROVIDER_COMMUNITY_RULE),
        ("patient_provider", [org("kelompok_pasien", "community"), org("rumah_sakit")], None),
        ("patient_provider", [org("komunitas", "community"), org("rumah_sakit")], errors.PATIENT_PROVIDER_RULE),
        ("provider_provider", [org("rumah_sakit")], errors.TOO_FEW_PARTIES),
    ],
)
def test_partnership_type_rules(partnership_type, organizations, problem):
    expected = [] if problem is None else [str(problem)]
    assert partnership_type_errors(partnership_type, organizations) == expected


@pytest.mark.django_db
def test_the_form_refuses_a_mix_that_breaks_the_type_in_indonesian(world, orgs):
    response = world.manager.client.post(
        f"/t/{world.tenant_a.slug}/kemitraan/baru/",
        {
            "title": "Rujukan",
            "kind": "pks",
            "partnership_type": "provider_provider",
            "parties-TOTAL_FORMS": "2",
            "parties-INITIAL_FORMS": "0",
            "parties-MIN_NUM_FORMS": "2",
            "parties-MAX_NUM_FORMS": "1000",
            "parties-0-organization": orgs["rsud"].pk,
            "parties-0-role": "lead",
            "parties-1-organization": orgs["company"].pk,
            "parties-1-role": "funder",
        },
    )
    assert response.status_code == 400
    assert "Kemitraan antar-penyedia membutuhkan minimal dua fasilitas pelayanan kesehatan" in response.content.decode()


@pytest.mark.django_db
def test_the_api_refuses_a_mix_that_breaks_the_type(world, orgs):
    payload = {
        "title": "Imunisasi",
        "partnership_type": "public_private",
        "parties": [
            {"organization": orgs["rsud"].pk, "role": "lead"},
            {"organization": orgs["puskesmas"].pk, "role": "implementer"},
        ],
    }
    response = world.manager.client.post(
        f"/api/v1/t/{world.tenant_a.slug}/agreements/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert "parties" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_proposal_rechecks_the_rules_after_a_party_was_reclassified(world, orgs, make_agreement):
    from organizations.tenancy import tenant_scope
    from partnerships.models import Agreement

    agreement = make_agreement()
    orgs["puskesmas"].kind = "ngo"
    with tenant_scope(world.tenant_a):
        orgs["puskesmas"].save()
    response = world.manager.client.post(f"/api/v1/t/{world.tenant_a.slug}/agreements/{agreement.pk}/propose/")
    assert response.status_code == 400
    with tenant_scope(world.tenant_a):
        assert Agreement.objects.get(pk=agreement.pk).status == "draft"
