import logging

import pytest
from django.conf import settings

from organizations.tenancy import tenant_scope

from .personas import build_world

# Loggers that only ever carry an exception nobody handled: a 500 (django.request / server),
# a template that crashed, a Celery task that raised.
GUARDED_LOGGERS = ("django.request", "django.server", "django.template", "celery.app.trace", "celery.worker.request")


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        seen = any(r is record for r in self.records)  # the root and a guarded logger both see it
        if not seen and (record.name.startswith(GUARDED_LOGGERS) or record.levelno >= logging.CRITICAL):
            self.records.append(record)


@pytest.fixture(autouse=True)
def _error_guard(request):
    """Any unhandled exception logged during a test fails it (issue 9), even when the test's own
    assertions passed — a 500 swallowed by a test client or a task that raised in a worker
    thread. A test that provokes one on purpose says so with ``@pytest.mark.allow_error_log``."""
    collector = _ErrorCollector()
    request.node.error_log = collector  # a test marked allow_error_log may look at what was caught
    root = logging.getLogger()
    root.addHandler(collector)
    loggers = [logging.getLogger(name) for name in GUARDED_LOGGERS]
    for logger in loggers:  # some of them do not propagate to the root
        logger.addHandler(collector)
    try:
        yield
    finally:
        root.removeHandler(collector)
        for logger in loggers:
            logger.removeHandler(collector)
    if collector.records and not request.node.get_closest_marker("allow_error_log"):
        seen = "\n".join(f"{r.name}: {r.getMessage()}" for r in collector.records[:5])
        pytest.fail(f"unhandled exception logged during the test:\n{seen}", pytrace=False)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the test settings give it its own Redis database):
    cached memberships and sessions of an earlier test or run must not leak in."""
    from django.core.cache import cache

    cache.clear()


# --- the database roles and the tenancy layers -------------------------------------------------
# On PostgreSQL the test database is created and migrated as the tables' owner
# (DATABASE_OWNER_URL), then every test runs as the app role (DATABASE_URL), as production
# does: row-level security holds for it. `--tenancy-layers` switches one layer off to prove the
# other holds alone: `orm` disables row-level security in the test database, `rls` the ORM's
# scoped manager (make test runs the isolation suite both ways).
APP_CREDENTIALS = {key: settings.DATABASES["default"].get(key) for key in ("USER", "PASSWORD")}


def pytest_addoption(parser):
    parser.addoption(
        "--tenancy-layers",
        choices=["both", "orm", "rls", "none"],
        default="both",
        help="tenancy layers on: both (default), orm (row-level security off), rls (ORM scoping off); "
        "none shows that the isolation suite fails without them",
    )


def _on_postgresql() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _connect_as(credentials: dict) -> None:
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict.update(credentials)


def _owner_credentials() -> dict:
    import environ

    if not settings.DATABASE_OWNER_URL:
        raise pytest.UsageError(
            "DATABASE_OWNER_URL is not set: on PostgreSQL the tests create the database as the tables' owner "
            "and run as the app role of DATABASE_URL (make test sets both)."
        )
    owner = environ.Env.db_url_config(settings.DATABASE_OWNER_URL)
    return {"USER": owner["USER"], "PASSWORD": owner["PASSWORD"]}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    if _on_postgresql():
        _connect_as(_owner_credentials())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    layers = request.config.getoption("--tenancy-layers")
    if not _on_postgresql():
        yield
        return
    from django.db import connection

    from organizations import rls

    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            qn = connection.ops.quote_name
            # pytest-django empties the database after each transactional test with TRUNCATE,
            # which the app role is never granted outside tests (TRUNCATE ignores row security).
            cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {qn(APP_CREDENTIALS['USER'])}")
            if layers in ("orm", "none"):
                for table in rls.tenant_tables(cursor):
                    cursor.execute(f"ALTER TABLE {qn(table.name)} NO FORCE ROW LEVEL SECURITY")
                    cursor.execute(f"ALTER TABLE {qn(table.name)} DISABLE ROW LEVEL SECURITY")
        _connect_as(APP_CREDENTIALS)
    if layers in ("rls", "none"):
        settings.TENANT_ORM_SCOPING = False
    try:
        yield
    finally:
        settings.TENANT_ORM_SCOPING = True
        with django_db_blocker.unblock():
            _connect_as(_owner_credentials())  # the owner drops the test database


@pytest.fixture
def as_database_owner():
    """``with as_database_owner(): …`` runs a block connected as the tables' owner — what an
    operator uses to empty or restore a database (TRUNCATE … RESTART IDENTITY needs it)."""
    import contextlib

    @contextlib.contextmanager
    def owner():
        if not _on_postgresql():
            yield
            return
        _connect_as(_owner_credentials())
        try:
            yield
        finally:
            _connect_as(APP_CREDENTIALS)

    return owner


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def scope_a(world):
    """Run the test body inside tenant A's scope (for direct model assertions)."""
    with tenant_scope(world.tenant_a):
        yield world.tenant_a


from .agreement_fixtures import make_agreement, orgs  # noqa: E402,F401  (fixtures for every test module)
