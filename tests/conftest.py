import pytest

from organizations.tenancy import tenant_scope

from .personas import build_world


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
