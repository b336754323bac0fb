"""The Django admin is for platform staff and spans tenants on purpose."""

import pytest
from django.test import Client

from organizations.tenancy import scopes_disabled, tenant_scope
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


@pytest.mark.django_db
def test_staff_see_the_background_jobs_of_every_tenant(world):
    from organizations.models import OutboxJob

    for tenant in (world.tenant_a, world.tenant_b):
        with tenant_scope(tenant):
            OutboxJob(tenant=tenant, task="reporting.tasks.health_digest_for_tenant", args=[tenant.pk]).save()
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    response = client.get("/admin/organizations/outboxjob/?gave_up_at__isempty=1")
    assert response.status_code == 200
    content = response.content.decode()
    assert world.tenant_a.name in content and world.tenant_b.name in content
    with scopes_disabled():
        job = OutboxJob.unscoped.first()
    assert client.get(f"/admin/organizations/outboxjob/{job.pk}/change/").status_code == 200
