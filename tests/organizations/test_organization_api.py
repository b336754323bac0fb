"""The organizations API: list, filters, create/update, archive, contacts, roles, query counts."""

import pytest

from organizations.models import ApiToken, Organization
from organizations.tenancy import tenant_scope
from tests.factories import ContactFactory, OrganizationFactory, RegionFactory, refresh


def _url(world, suffix=""):
    return f"/api/v1/t/{world.tenant_a.slug}/organizations/{suffix}"


@pytest.mark.django_db
def test_list_paginates_and_shows_contacts(world):
    ContactFactory(tenant=world.tenant_a, organization=world.partner_a, name="Rudi Hartono", is_focal_point=True)
    response = world.viewer.client.get(_url(world))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["name"] == "Yayasan Peduli TBC Banten"
    assert body["results"][0]["contacts"][0]["name"] == "Rudi Hartono"


@pytest.mark.django_db
def test_page_size_is_capped(world):
    response = world.viewer.client.get(_url(world), {"page_size": 5000})
    assert response.status_code == 200
    assert "next" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_does_not_grow_with_rows(world, rows, django_assert_num_queries):
    region = RegionFactory()
    for i in range(rows - 1):
        organization = OrganizationFactory(tenant=world.tenant_a, name=f"Puskesmas {i}", region=region)
        ContactFactory(tenant=world.tenant_a, organization=organization)
    _instance, token = ApiToken.objects.create(user=world.manager.user, name="bi")
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    # token (with its user; no sweep of other tokens), membership, count, page, contacts prefetch
    with django_assert_num_queries(5):
        response = client.get(_url(world), {"page_size": 50})
    assert len(response.json()["results"]) == rows


@pytest.mark.django_db
def test_filters_by_kind_sector_region_and_search(world):
    serang = RegionFactory()
    kecamatan = RegionFactory(
        code="36.04.09",
        name="Ciruas",
        level=3,
        kind="kecamatan",
        path="Ciruas, Kabupaten Serang, Banten",
        parent=serang,
    )
    OrganizationFactory(tenant=world.tenant_a, name="Puskesmas Ciruas", region=kecamatan)
    OrganizationFactory(tenant=world.tenant_a, name="PT Krakatau Sejahtera", kind="swasta", sector="private")
    client = world.viewer.client

    def names(**params):
        return {r["name"] for r in client.get(_url(world), params).json()["results"]}

    assert names(kind="puskesmas") == {"Puskesmas Ciruas"}
    assert names(sector="private") == {"PT Krakatau Sejahtera"}
    assert names(region="36.04") == {"Puskesmas Ciruas"}  # includes the kecamatan inside the kabupaten
    assert names(search="krakatau") == {"PT Krakatau Sejahtera"}


@pytest.mark.django_db
def test_manager_creates_an_organization_with_a_focal_point(world):
    RegionFactory()
    payload = {
        "name": "Puskesmas Kramatwatu",
        "kind": "puskesmas",
        "region": "36.04",
        "contacts": [{"name": "dr. Ahmad Fauzi", "phone": "0812-1", "is_focal_point": True}],
    }
    response = world.manager.client.post(_url(world), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sector"] == "public"  # the kind's usual sector
    assert body["region"]["code"] == "36.04"
    assert body["contacts"][0]["is_focal_point"] is True
    with tenant_scope(world.tenant_a):
        organization = Organization.objects.get(name="Puskesmas Kramatwatu")
        assert organization.history.first().history_user == world.manager.user


@pytest.mark.django_db
def test_tenant_and_archive_fields_cannot_be_written(world):
    payload = {
        "name": "Klinik Baru",
        "kind": "klinik",
        "tenant": world.tenant_b.pk,
        "archived_at": "2020-01-01T00:00:00Z",
        "id": 999,
    }
    response = world.manager.client.post(_url(world), payload, content_type="application/json")
    assert response.status_code == 201
    with tenant_scope(world.tenant_a):
        organization = Organization.objects.get(name="Klinik Baru")
    assert organization.tenant_id == world.tenant_a.pk
    assert organization.archived_at is None
    assert organization.pk != 999


@pytest.mark.django_db
def test_bad_input_gets_one_error_shape(world):
    OrganizationFactory(tenant=world.tenant_a, name="Puskesmas Ciruas")
    response = world.manager.client.post(
        _url(world),
        {"name": "puskesmas ciruas", "kind": "bengkel", "region": "99.99", "email": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"name", "kind", "region", "email"}


@pytest.mark.django_db
def test_duplicate_name_message_is_indonesian(world):
    response = world.manager.client.post(
        _url(world),
        {"name": "yayasan peduli tbc banten", "kind": "ngo"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["name"] == ["Organisasi dengan nama ini sudah ada."]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_read_only_roles_cannot_write(world, role):
    client = world.persona(role).client
    assert client.post(_url(world), {"name": "X", "kind": "ngo"}, content_type="application/json").status_code == 403
    detail = _url(world, f"{world.partner_a.pk}/")
    assert client.patch(detail, {"name": "Diubah"}, content_type="application/json").status_code == 403
    assert client.post(detail + "archive/").status_code == 403
    assert client.delete(detail).status_code == 403
    with tenant_scope(world.tenant_a):
        assert Organization.objects.get(pk=world.partner_a.pk).name == "Yayasan Peduli TBC Banten"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "manager"])
def test_staff_roles_update_and_archive(world, role):
    client = world.persona(role).client
    detail = _url(world, f"{world.partner_a.pk}/")
    assert client.patch(detail, {"phone": "0254-123"}, content_type="application/json").status_code == 200
    response = client.post(detail + "archive/")
    assert response.status_code == 200
    assert response.json()["is_archived"] is True
    assert client.patch(detail, {"phone": "0254-999"}, content_type="application/json").status_code == 400
    assert client.post(detail + "restore/").json()["is_archived"] is False


@pytest.mark.django_db
def test_referenced_organization_cannot_be_deleted(world):
    # The coordinator's membership refers to partner_a.
    response = world.manager.client.delete(_url(world, f"{world.partner_a.pk}/"))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "referenced"
    unreferenced = OrganizationFactory(tenant=world.tenant_a, name="Salah Input")
    assert world.manager.client.delete(_url(world, f"{unreferenced.pk}/")).status_code == 204


@pytest.mark.django_db
def test_contacts_endpoint_moves_the_focal_point(world):
    first = ContactFactory(tenant=world.tenant_a, organization=world.partner_a, is_focal_point=True)
    url = _url(world, f"{world.partner_a.pk}/contacts/")
    response = world.manager.client.post(
        url, {"name": "Ibu Ela", "phone": "0812", "is_focal_point": True}, content_type="application/json"
    )
    assert response.status_code == 201
    refresh(first)
    assert first.is_focal_point is False
    assert [c["name"] for c in world.viewer.client.get(url).json() if c["is_focal_point"]] == ["Ibu Ela"]


@pytest.mark.django_db
def test_my_tenants_lists_roles(world):
    response = world.coordinator.client.get("/api/v1/me/tenants/")
    assert response.json() == [
        {
            "slug": "serang",
            "name": "Dinas Kesehatan Kabupaten Serang",
            "time_zone": "Asia/Jakarta",
            "role": "coordinator",
        }
    ]
