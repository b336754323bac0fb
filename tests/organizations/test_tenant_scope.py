"""The fail-closed tenant scope: the second of the tenancy layers."""

import pytest
from django.core.management import call_command

from organizations.models import Organization
from organizations.tenancy import ScopeError, scopes_disabled, tenant_scope
from tests.factories import OrganizationFactory


@pytest.mark.django_db
def test_query_outside_a_scope_raises(world):
    with pytest.raises(ScopeError):
        list(Organization.objects.all())


@pytest.mark.django_db
def test_scope_returns_only_the_active_tenants_rows(world):
    with tenant_scope(world.tenant_a):
        names = set(Organization.objects.values_list("name", flat=True))
    assert names == {"Yayasan Peduli TBC Banten"}
    with tenant_scope(world.tenant_b):
        assert not Organization.objects.filter(pk=world.partner_a.pk).exists()


@pytest.mark.django_db
def test_saving_another_tenants_row_inside_a_scope_is_refused(world):
    with tenant_scope(world.tenant_b), pytest.raises(ScopeError):
        world.partner_a.save()


@pytest.mark.django_db
def test_scopes_disabled_spans_tenants(world):
    OrganizationFactory(tenant=world.tenant_b, name="RSUD Adjidarmo")
    with scopes_disabled():
        assert Organization.objects.count() == 3


@pytest.mark.django_db
def test_scope_is_closed_again_after_a_request(world):
    world.manager.client.get(f"/api/v1/t/{world.tenant_a.slug}/organizations/")
    with pytest.raises(ScopeError):
        Organization.objects.count()


def test_system_check_passes_for_all_tenant_owned_models():
    call_command("check")
