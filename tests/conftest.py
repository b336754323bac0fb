import logging

import pytest

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


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def scope_a(world):
    """Run the test body inside tenant A's scope (for direct model assertions)."""
    with tenant_scope(world.tenant_a):
        yield world.tenant_a


from .agreement_fixtures import make_agreement, orgs  # noqa: E402,F401  (fixtures for every test module)
