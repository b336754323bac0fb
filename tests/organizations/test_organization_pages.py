"""Organization pages: list with search/filters/pagination, create, edit, archive, delete, history."""

import pytest

from organizations.models import Contact, Organization
from organizations.tenancy import tenant_scope
from tests.factories import ContactFactory, OrganizationFactory, RegionFactory, refresh


def _url(world, suffix=""):
    return f"/t/{world.tenant_a.slug}/organisasi/{suffix}"


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_is_pinned(world, rows, django_assert_num_queries):
    region = RegionFactory()
    for i in range(rows - 1):
        organization = OrganizationFactory(tenant=world.tenant_a, name=f"Posyandu {i:02}", region=region)
        ContactFactory(tenant=world.tenant_a, organization=organization, is_focal_point=True)
    # session, user, membership, count, page of organizations, focal points, tenant switcher, bell
    with django_assert_num_queries(6):
        response = world.viewer.client.get(_url(world), {"page_size": 50})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 25)


@pytest.mark.django_db
def test_list_searches_filters_and_paginates(world):
    serang = RegionFactory()
    OrganizationFactory(tenant=world.tenant_a, name="Puskesmas Ciruas", region=serang)
    OrganizationFactory(tenant=world.tenant_a, name="PT Krakatau Sejahtera", kind="swasta", sector="private")
    for i in range(30):
        OrganizationFactory(tenant=world.tenant_a, name=f"Posyandu Melati {i:02}", kind="komunitas", sector="community")
    client = world.viewer.client

    def names(**params):
        return [o.name for o in client.get(_url(world), params).context["page"].object_list]

    assert names(q="krakatau") == ["PT Krakatau Sejahtera"]
    assert names(kind="puskesmas") == ["Puskesmas Ciruas"]
    assert names(sector="private") == ["PT Krakatau Sejahtera"]
    assert names(region="36.04") == ["Puskesmas Ciruas"]
    page_two = client.get(_url(world), {"kind": "komunitas", "page": 2}).context["page"]
    assert page_two.paginator.count == 30 and len(page_two.object_list) == 5


@pytest.mark.django_db
def test_htmx_filter_returns_only_the_table(world):
    response = world.viewer.client.get(_url(world), {"q": "yayasan"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "Yayasan Peduli TBC Banten" in content
    assert "<html" not in content


@pytest.mark.django_db
def test_empty_search_shows_an_empty_state(world):
    response = world.viewer.client.get(_url(world), {"q": "tidak-ada"}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 0


@pytest.mark.django_db
def test_manager_creates_an_organization_with_its_focal_point(world):
    RegionFactory()
    response = world.manager.client.post(
        _url(world, "baru/"),
        {
            "name": "  Puskesmas   Kramatwatu ",
            "kind": "puskesmas",
            "region": "36.04",
            "contact-name": "dr. Ahmad Fauzi",
            "contact-phone": "0812-1",
        },
    )
    assert response.status_code == 302
    with tenant_scope(world.tenant_a):
        organization = Organization.objects.get(name="Puskesmas Kramatwatu")
        assert organization.sector == "public"
        assert organization.region.code == "36.04"
        assert Contact.objects.get(organization=organization).is_focal_point


@pytest.mark.django_db
def test_create_form_shows_indonesian_errors_and_saves_nothing(world):
    response = world.manager.client.post(
        _url(world, "baru/"),
        {"name": "Yayasan Peduli TBC Banten", "kind": "", "email": "salah"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Organisasi dengan nama ini sudah ada." in content
    assert "Bidang ini harus diisi." in content
    with tenant_scope(world.tenant_a):
        assert Organization.objects.count() == 1


@pytest.mark.django_db
def test_region_of_an_unknown_code_is_refused(world):
    response = world.manager.client.post(
        _url(world, "baru/"), {"name": "Klinik X", "kind": "klinik", "region": "99.99"}
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors


@pytest.mark.django_db
def test_edit_archive_restore_and_history(world):
    client = world.manager.client
    pk = world.partner_a.pk
    assert (
        client.post(
            _url(world, f"{pk}/ubah/"),
            {"name": "Yayasan Peduli TBC Banten", "kind": "ngo", "sector": "community", "phone": "0254-777"},
        ).status_code
        == 302
    )
    assert client.get(_url(world, f"{pk}/arsip/")).status_code == 200  # confirmation page
    client.post(_url(world, f"{pk}/arsip/"), {"action": "archive"})
    with tenant_scope(world.tenant_a):
        assert Organization.objects.get(pk=pk).is_archived
    assert world.partner_a.name not in [o.name for o in client.get(_url(world)).context["page"].object_list]
    assert world.partner_a.name in [
        o.name for o in client.get(_url(world), {"archived": "on"}).context["page"].object_list
    ]
    client.post(_url(world, f"{pk}/arsip/"), {"action": "restore"})
    history = client.get(_url(world, f"{pk}/riwayat/"))
    assert history.status_code == 200
    changes = history.context["changes"]
    assert any(c["record"].history_user == world.manager.user for c in changes)
    assert any(ch["field"] == "phone" and ch["new"] == "0254-777" for c in changes for ch in c["changes"])


@pytest.mark.django_db
def test_referenced_organization_is_archived_not_deleted(world):
    response = world.manager.client.post(_url(world, f"{world.partner_a.pk}/hapus/"))
    assert response.status_code == 200
    assert response.context["error"]
    with tenant_scope(world.tenant_a):
        assert Organization.objects.filter(pk=world.partner_a.pk).exists()


@pytest.mark.django_db
def test_contact_focal_point_moves(world):
    first = ContactFactory(tenant=world.tenant_a, organization=world.partner_a, is_focal_point=True)
    client = world.manager.client
    response = client.post(
        _url(world, f"{world.partner_a.pk}/kontak/baru/"), {"name": "Ibu Ela", "phone": "0812", "is_focal_point": "on"}
    )
    assert response.status_code == 302
    refresh(first)
    assert not first.is_focal_point
    with tenant_scope(world.tenant_a):
        assert Contact.objects.get(is_focal_point=True).name == "Ibu Ela"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_read_only_roles_see_but_cannot_change(world, role):
    client = world.persona(role).client
    assert client.get(_url(world)).status_code == 200
    assert client.get(_url(world, f"{world.partner_a.pk}/")).status_code == 200
    assert client.get(_url(world, "baru/")).status_code == 403
    assert client.post(_url(world, "baru/"), {"name": "X", "kind": "ngo"}).status_code == 403
    assert client.post(_url(world, f"{world.partner_a.pk}/ubah/"), {"name": "Diubah", "kind": "ngo"}).status_code == 403
    assert client.post(_url(world, f"{world.partner_a.pk}/arsip/")).status_code == 403
    assert client.post(_url(world, f"{world.partner_a.pk}/hapus/")).status_code == 403
    with tenant_scope(world.tenant_a):
        assert Organization.objects.get(pk=world.partner_a.pk).name == "Yayasan Peduli TBC Banten"
        assert Organization.objects.count() == 1


@pytest.mark.django_db
def test_tenant_home_is_the_dashboard_for_viewers(world):
    response = world.viewer.client.get(f"/t/{world.tenant_a.slug}/")
    assert "reporting/dashboard.html" in [t.name for t in response.templates]
    assert response.context["d"].agreements == {"active": 0, "suspended": 0, "proposed": 0, "draft": 0, "ending_90": 0}
