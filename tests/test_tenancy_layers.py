"""Which tenancy layers are on in this run (``--tenancy-layers``, tests/conftest.py).

make test runs the isolation suite three times: with both layers, with the ORM's scoping alone
(row-level security disabled in the test database) and with row-level security alone (the scoped
manager switched off). This file runs in each of them and shows the switch really took: the
layer that is off lets a tenant-less query through, the one that is on does not."""

import pytest
from django.conf import settings
from django.db import connection

from organizations.models import Organization
from organizations.tenancy import tenant_scope


@pytest.mark.django_db
def test_the_layers_switched_on_are_the_ones_that_filter(world, request):
    layers = request.config.getoption("--tenancy-layers")
    on_postgresql = connection.vendor == "postgresql"
    with tenant_scope(world.tenant_a):
        orm_sql = str(Organization.objects.all().query)
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tenant_id FROM organizations_organization")
            raw_tenants = {tenant_id for (tenant_id,) in cursor.fetchall()}
        seen_by_orm = {o.tenant_id for o in Organization.objects.all()}

    orm_filters = '"tenant_id" =' in orm_sql
    database_filters = raw_tenants == {world.tenant_a.pk}
    assert orm_filters == (layers in ("both", "orm"))
    assert database_filters == (on_postgresql and layers in ("both", "rls"))
    assert settings.TENANT_ORM_SCOPING == (layers in ("both", "orm"))
    if not database_filters:
        assert raw_tenants == {world.tenant_a.pk, world.tenant_b.pk}
    # whichever layer is on, the tenant's own queries see only the tenant
    if layers == "none":
        assert seen_by_orm == {world.tenant_a.pk, world.tenant_b.pk}  # nothing stops the leak
    elif layers != "rls" or on_postgresql:
        assert seen_by_orm == {world.tenant_a.pk}
