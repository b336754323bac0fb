"""The Django admin is for platform staff and spans tenants on purpose."""

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.mark.django_db
def test_staff_see_every_tenants_organizations_in_the_admin(world):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    response = client.get("/admin/organizations/organization/")
    assert response.status_code == 200
    content = response.content.decode()
    assert world.partner_a.name in content and world.partner_b.name in content
    assert client.get(f"/admin/organizations/organization/{world.partner_a.pk}/change/").status_code == 200


@pytest.mark.django_db
def test_tenant_admins_are_not_platform_staff(world):
    response = world.admin.client.get("/admin/organizations/organization/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
