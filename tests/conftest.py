import pytest

from organizations.tenancy import tenant_scope

from .personas import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def scope_a(world):
    """Run the test body inside tenant A's scope (for direct model assertions)."""
    with tenant_scope(world.tenant_a):
        yield world.tenant_a


from .agreement_fixtures import make_agreement, orgs  # noqa: E402,F401  (fixtures for every test module)
