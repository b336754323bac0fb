"""PostgreSQL row-level security: the third tenancy layer.

The first two layers are in the application (the URL's tenant checked against the caller's
membership, and the fail-closed scoped manager of ``tenancy.py``). This one is in the
database, so that a query that forgets its tenant — a raw SQL statement, a base-manager
lookup, a future bug — still cannot read or write another tenant's rows:

- every table with a ``tenant_id`` column has row-level security ENABLEd and FORCEd, with a
  policy ``tenant_isolation`` that admits a row only when its ``tenant_id`` equals the
  transaction-local setting ``app.tenant_id`` (a person's own memberships and their
  organizations are also visible by ``app.user_id``, so people can find their workspaces
  before a tenant is chosen: ``OWN_ROWS``), or
  when ``app.all_tenants`` is ``on`` (the explicit ``scopes_disabled()`` of the admin site,
  seeding, backups and the cross-tenant fan-out jobs);
- the table owner has a policy of its own that admits every row: migrations (schema and
  data) run as the owner;
- the application connects as another role (``DATABASE_APP_ROLE``) that owns nothing, is not
  a superuser and lacks BYPASSRLS; :func:`role_problems` refuses to start a web or worker
  process otherwise.

**How the settings reach the database.** Each statement the application sends carries its own
settings: an execute wrapper prefixes it with ``SELECT set_config('app.tenant_id', …, true),
…;`` in the same query message. PostgreSQL runs a multi-statement message as one implicit
transaction (or inside the open one), so the values are transaction-local — nothing stays on
a pooled connection — and Django's autocommit, savepoints and on-commit hooks behave exactly
as before, with no extra round trip. The values come from the tenant scope (``tenancy.py``):
the scope is the single source for both the ORM layer and this one.

The policies are (re)installed after every ``migrate`` (``post_migrate``), from the catalog:
a new tenant table is covered by the next migration run, and ``tests/test_rls.py`` checks the
catalog for a table with a ``tenant_id`` column that is not.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.signals import connection_created

from . import tenancy

logger = logging.getLogger(__name__)

POLICY = "tenant_isolation"
OWNER_POLICY = "owner_all"
# NULLIF: an unset or cleared setting is '' (never a cast error) and matches no row.
TENANT_MATCH = (
    "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::bigint"
    " OR current_setting('app.all_tenants', true) = 'on'"
)
_USER = "NULLIF(current_setting('app.user_id', true), '')::bigint"
# What a signed-in person may see before a tenant is chosen (the membership check of every
# request, the tenant chooser): their own memberships, and the partner organization each one
# binds a coordinator to. Rows are only ever written inside their tenant (WITH CHECK).
OWN_ROWS = {
    "organizations_membership": f" OR user_id = {_USER}",
    "organizations_organization": (
        f" OR id IN (SELECT m.organization_id FROM organizations_membership m WHERE m.user_id = {_USER})"  # noqa: S608
    ),
}


def enabled(connection=None) -> bool:
    connection = connection or connections["default"]
    return connection.vendor == "postgresql" and settings.TENANT_RLS


# --- the settings of each statement ---------------------------------------------------------


def settings_sql() -> str:
    """The ``set_config`` statement for the active scope (values are integers or fixed words,
    so the text is built here and never contains a placeholder)."""
    tenant_id, user_id, all_tenants = tenancy.database_settings()
    return (
        f"SELECT set_config('app.tenant_id', '{tenant_id or ''}', true), "
        f"set_config('app.user_id', '{user_id or ''}', true), "
        f"set_config('app.all_tenants', '{'on' if all_tenants else 'off'}', true)"
    )


TRANSACTION_CONTROL = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK")


def _scoped_execute(execute, sql, params, many, context):
    """Execute wrapper: send the scope's settings with the statement, in the same transaction."""
    connection = context["connection"]
    raw_cursor = context["cursor"].cursor
    if sql.startswith(TRANSACTION_CONTROL):
        # Nothing to filter, and after an error only a rollback may run in the transaction.
        return execute(sql, params, many, context)
    if not connection.in_atomic_block and not tenancy.has_database_settings():
        # Autocommit with no scope: the statement is its own transaction and no earlier
        # setting can linger in it. (Also what lets CREATE INDEX CONCURRENTLY run.)
        return execute(sql, params, many, context)
    prefix = settings_sql()
    if getattr(raw_cursor, "name", None) or many:
        # A server-side cursor (DECLARE … FOR …) or executemany: the settings go first, in the
        # transaction the statement runs in.
        if connection.in_atomic_block:
            with connection.connection.cursor() as plain:
                plain.execute(prefix)
            return execute(sql, params, many, context)
        with transaction.atomic(using=connection.alias):
            with connection.connection.cursor() as plain:
                plain.execute(prefix)
            return execute(sql, params, many, context)
    return execute(f"{prefix}; {sql}", params, many, context)


def _install_wrapper(sender, connection, **kwargs) -> None:
    if enabled(connection) and _scoped_execute not in connection.execute_wrappers:
        connection.execute_wrappers.append(_scoped_execute)


connection_created.connect(_install_wrapper, dispatch_uid="mitrasehat_rls_wrapper")


# --- policies -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TenantTable:
    name: str
    owner: str
    owned: bool  # the connected role owns it, or is a member of its owner
    protected: bool  # RLS enabled and forced, with the tenant policy


def tenant_tables(cursor) -> list[TenantTable]:
    """Every ordinary table in the current schema with a ``tenant_id`` column, from the catalog
    (one query: what ``install_policies`` covers and what ``role_problems`` checks)."""
    cursor.execute(
        """
        SELECT c.relname, pg_get_userbyid(c.relowner), pg_has_role(current_user, c.relowner, 'USAGE'),
               c.relrowsecurity AND c.relforcerowsecurity
               AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = %s)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p')
        ORDER BY c.relname
        """,
        [POLICY],
    )
    return [TenantTable(*row) for row in cursor.fetchall()]


def install_policies(using: str = "default", **kwargs) -> int:
    """Enable, force and (re)create the policies on every tenant table, and grant the app role
    what it needs. Runs after each ``migrate``, as the owner; as anyone else (a test database
    flush, which also sends ``post_migrate``) it does nothing. Returns the tables covered."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        tables = [table for table in tenant_tables(cursor) if table.owned]
        if not tables:
            return 0
        qn = connection.ops.quote_name
        statements = []
        for table in tables:
            name, using_expr = qn(table.name), TENANT_MATCH + OWN_ROWS.get(table.name, "")
            statements += [
                f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY",
                f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY",
                f"DROP POLICY IF EXISTS {POLICY} ON {name}",
                f"CREATE POLICY {POLICY} ON {name} USING ({using_expr}) WITH CHECK ({TENANT_MATCH})",
                f"DROP POLICY IF EXISTS {OWNER_POLICY} ON {name}",
                f"CREATE POLICY {OWNER_POLICY} ON {name} TO {qn(table.owner)} USING (true) WITH CHECK (true)",
            ]
        role = settings.DATABASE_APP_ROLE
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if role and cursor.fetchone():
            statements += [
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {qn('public')} TO {qn(role)}",
                f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {qn('public')} TO {qn(role)}",
            ]
        with transaction.atomic(using=using):
            for statement in statements:
                cursor.execute(statement)
    return len(tables)


# --- the app role may not bypass any of it --------------------------------------------------


def role_problems(connection=None) -> list[str]:
    """What lets the connected role bypass row-level security (empty when nothing does): a
    superuser, BYPASSRLS, owning (or inheriting the owner of) a tenant table, or a tenant table
    without RLS enabled and forced or without its policy."""
    connection = connection or connections["default"]
    if connection.vendor != "postgresql":
        return []
    problems = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        user, is_super, bypass = cursor.fetchone()
        if is_super:
            problems.append(f"the database role {user} is a superuser")
        if bypass:
            problems.append(f"the database role {user} has BYPASSRLS")
        tables = tenant_tables(cursor)
    if not tables:
        problems.append("no table with a tenant_id column: run the migrations first")
    owned = [table.name for table in tables if table.owned]
    if owned:
        problems.append(
            f"the database role {user} owns (or is a member of the owner of) {len(owned)} tenant tables, e.g. {owned[0]}"
        )
    unprotected = [table.name for table in tables if not table.protected]
    if unprotected:
        problems.append(f"row-level security is not enabled, forced and given its policy on: {', '.join(unprotected)}")
    return problems


def refuse_unsafe_role(connection=None) -> None:
    """Called when a web or worker process starts: with RLS on, a role that can bypass it stops
    the process with the reason (docs/operations.md: the two database roles)."""
    from django.core.exceptions import ImproperlyConfigured

    connection = connection or connections["default"]
    if not enabled(connection):
        return
    problems = role_problems(connection)
    connection.close()  # opened before any request or task: not theirs to keep
    if problems:
        raise ImproperlyConfigured(
            "Row-level security cannot protect tenants with this database role: "
            + "; ".join(problems)
            + ". Connect the app as DATABASE_APP_ROLE and run migrations as the owner (DATABASE_OWNER_URL)."
        )
