"""Row-level security, the database's tenancy layer (organizations/rls.py).

These tests go around the ORM's scoping on purpose — raw SQL, the base manager — to show that
PostgreSQL itself admits only the active tenant's rows, that the app role cannot bypass it, and
that nothing of a scope stays on a connection afterwards.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction

from organizations import rls
from organizations.checks import database_role_cannot_bypass_rls
from organizations.models import Membership, Organization
from organizations.tenancy import scopes_disabled, tenant_scope, user_identity

from .factories import MembershipFactory, OrganizationFactory, TenantFactory

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="row-level security is PostgreSQL's"
)


def _rows(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _tenants_seen(table: str = "organizations_organization") -> set[int]:
    return {tenant_id for (tenant_id,) in _rows(f"SELECT DISTINCT tenant_id FROM {table}")}  # noqa: S608


@pytest.fixture
def owner_connection():
    """A second connection to the test database as the tables' owner (what migrations use)."""
    import environ
    from django.db.backends.postgresql.base import DatabaseWrapper

    owner = environ.Env.db_url_config(settings.DATABASE_OWNER_URL)
    wrapper = DatabaseWrapper(
        {**connection.settings_dict, "USER": owner["USER"], "PASSWORD": owner["PASSWORD"]}, alias="owner_probe"
    )
    try:
        yield wrapper
    finally:
        wrapper.close()


# --- the catalog --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_table_with_a_tenant_column_has_row_security_enabled_forced_and_its_policy():
    rows = _rows(
        """
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
               (SELECT array_agg(p.policyname::text ORDER BY p.policyname) FROM pg_policies p
                WHERE p.schemaname = current_schema() AND p.tablename = c.relname),
               (SELECT p.qual FROM pg_policies p WHERE p.schemaname = current_schema()
                AND p.tablename = c.relname AND p.policyname = 'tenant_isolation')
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p')
        """
    )
    tables = {name for name, *_ in rows}
    # the tenant tables of every app, their change history included
    assert len(tables) >= 40
    assert {"partnerships_agreement", "programs_ledgerentry", "organizations_membership",
            "partnerships_historicalagreement", "reporting_healthreview"} <= tables  # fmt: skip
    unprotected = [(name, on, forced, policies) for name, on, forced, policies, _qual in rows
                   if not (on and forced and policies == ["owner_all", "tenant_isolation"])]  # fmt: skip
    assert unprotected == []
    assert all("app.tenant_id" in qual for *_, qual in rows)


@pytest.mark.django_db
def test_the_app_connects_as_a_role_that_cannot_bypass_row_security():
    (user, is_super, bypass), = _rows("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")  # fmt: skip
    assert user == settings.DATABASE_APP_ROLE and not is_super and not bypass
    owned = _rows(
        "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
    )
    assert owned == [(0,)]
    assert rls.role_problems() == []
    assert database_role_cannot_bypass_rls(None, databases=["default"]) == []


@pytest.mark.django_db
def test_a_process_connected_as_the_owner_refuses_to_start(owner_connection):
    problems = rls.role_problems(owner_connection)
    assert any("owns" in problem for problem in problems), problems
    with pytest.raises(ImproperlyConfigured, match="Row-level security cannot protect tenants"):
        rls.refuse_unsafe_role(owner_connection)


@pytest.mark.django_db(transaction=True)
def test_a_table_without_forced_row_security_is_refused(owner_connection):
    with owner_connection.cursor() as cursor:
        cursor.execute("ALTER TABLE programs_ledgerentry NO FORCE ROW LEVEL SECURITY")
    try:
        assert rls.role_problems() == [
            "row-level security is not enabled, forced and given its policy on: programs_ledgerentry"
        ]
    finally:
        with owner_connection.cursor() as cursor:
            cursor.execute("ALTER TABLE programs_ledgerentry FORCE ROW LEVEL SECURITY")
    assert rls.role_problems() == []


# --- reads and writes that forget their tenant ------------------------------------------------


@pytest.mark.django_db
def test_raw_sql_and_the_base_manager_see_only_the_scope_tenant(world):
    a, b = world.tenant_a.pk, world.tenant_b.pk
    with scopes_disabled():
        assert _tenants_seen() == {a, b}  # both tenants have organizations
    with tenant_scope(world.tenant_a):
        assert _tenants_seen() == {a}
        assert _tenants_seen("organizations_historicalorganization") == {a}
        assert Organization.unscoped.filter(tenant_id=b).count() == 0
    with tenant_scope(world.tenant_b):
        assert _tenants_seen() == {b}


@pytest.mark.django_db
def test_without_a_scope_no_tenant_row_is_visible(world):
    assert _rows("SELECT count(*) FROM organizations_organization") == [(0,)]
    assert _rows("SELECT count(*) FROM organizations_membership") == [(0,)]


@pytest.mark.django_db
def test_writes_to_another_tenant_change_nothing(world):
    b = world.tenant_b.pk
    with scopes_disabled():
        before = _rows("SELECT id, name FROM organizations_organization WHERE tenant_id = %s ORDER BY id", [b])
    with tenant_scope(world.tenant_a), connection.cursor() as cursor:
        cursor.execute("UPDATE organizations_organization SET name = 'diambil alih' WHERE tenant_id = %s", [b])
        assert cursor.rowcount == 0
        cursor.execute("DELETE FROM organizations_organization WHERE tenant_id = %s", [b])
        assert cursor.rowcount == 0
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            cursor.execute(
                "INSERT INTO organizations_organization (created_at, updated_at, tenant_id, name, kind, sector,"
                " address, phone, email, website, notes)"
                " VALUES (now(), now(), %s, 'Titipan', 'ngo', 'community', '', '', '', '', '')",
                [b],
            )
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            cursor.execute(
                "UPDATE organizations_organization SET tenant_id = %s WHERE tenant_id = %s",
                [b, world.tenant_a.pk],
            )
    with scopes_disabled():
        assert _rows("SELECT id, name FROM organizations_organization WHERE tenant_id = %s ORDER BY id", [b]) == before


@pytest.mark.django_db
def test_people_see_their_own_memberships_in_every_tenant_and_no_one_else_s(world):
    third = TenantFactory(name="Dinas Kesehatan Kota Cilegon", slug="cilegon")
    MembershipFactory(tenant=third, user=world.manager.user)
    with user_identity(world.manager.user.pk):
        mine = set(Membership.objects.values_list("tenant__slug", "user_id"))
    assert mine == {(world.tenant_a.slug, world.manager.user.pk), ("cilegon", world.manager.user.pk)}
    # a coordinator's membership comes with the organization it binds them to, and no other
    with user_identity(world.coordinator.user.pk):
        (own,) = Membership.objects.select_related("organization")
        assert own.organization == world.partner_a
        assert list(Organization.unscoped.values_list("name", flat=True)) == [world.partner_a.name]
    with tenant_scope(world.tenant_a):
        everyone_in_a = set(Membership.objects.values_list("tenant_id", flat=True))
    assert everyone_in_a == {world.tenant_a.pk}
    # one's own identity does not let one write a membership into another tenant
    with user_identity(world.manager.user.pk), tenant_scope(world.tenant_a):
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Membership.objects.filter(user=world.manager.user, tenant=third).update(role="admin")
            raise AssertionError("unreachable: the update must be refused")  # pragma: no cover


# --- nothing stays on a connection ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_settings_are_transaction_local_and_gone_after_the_scope(world):
    a = world.tenant_a.pk
    with tenant_scope(world.tenant_a):
        assert _rows("SELECT current_setting('app.tenant_id', true)") == [(str(a),)]
    # autocommit, no scope: the statement carries nothing and the session holds nothing
    assert _rows("SELECT coalesce(current_setting('app.tenant_id', true), '')") == [("",)]
    assert _rows("SELECT count(*) FROM organizations_organization") == [(0,)]
    # a pooled connection handed to another tenant's request sees only that tenant
    with tenant_scope(world.tenant_b):
        assert _tenants_seen() == {world.tenant_b.pk}


@pytest.mark.django_db(transaction=True)
def test_server_side_cursors_and_executemany_carry_the_tenant(world):
    with scopes_disabled():
        OrganizationFactory.create_batch(3, tenant=world.tenant_b)
    with tenant_scope(world.tenant_b):
        names = [org.name for org in Organization.unscoped.order_by("pk").iterator(chunk_size=2)]
        assert len(names) == 4 and "Puskesmas Rangkasbitung" in names
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE organizations_organization SET notes = 'diperiksa' WHERE tenant_id = %s", [[world.tenant_b.pk]]
            )
            assert Organization.objects.filter(notes="diperiksa").count() == 4
            cursor.executemany(
                "UPDATE organizations_organization SET notes = 'diambil alih' WHERE tenant_id = %s",
                [[world.tenant_a.pk]],
            )
    with tenant_scope(world.tenant_a):
        assert not Organization.objects.filter(notes="diambil alih").exists()


@pytest.mark.django_db
def test_the_tenant_travels_with_each_statement_not_as_an_extra_query(world, django_assert_num_queries):
    with tenant_scope(world.tenant_a), django_assert_num_queries(1):
        assert [o.name for o in Organization.unscoped.all()] == ["Yayasan Peduli TBC Banten"]
