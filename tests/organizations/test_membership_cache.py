"""The API caches the caller's membership (issue 8: one query less per API call); any change of
the membership, its tenant or its organization takes effect on the very next request."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from organizations import services
from organizations.middleware import membership_cache_key
from organizations.models import ApiToken, Role
from reporting import services as review_services


@pytest.fixture
def api(world):
    cache.clear()
    _instance, token = ApiToken.objects.create(user=world.manager.user, name="cache")
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def _url(world, suffix="organizations/"):
    return f"/api/v1/t/{world.tenant_a.slug}/{suffix}"


@pytest.mark.django_db
def test_the_membership_is_read_once_then_from_the_cache(world, api, django_assert_num_queries):
    assert api.get(_url(world) + "?page_size=1").status_code == 200
    assert cache.get(membership_cache_key(world.manager.user.pk, world.tenant_a.slug)) is not None
    # token (with its user), count, page, contacts — the membership comes from the cache
    with django_assert_num_queries(4):
        assert api.get(_url(world) + "?page_size=1").status_code == 200


@pytest.mark.django_db
def test_a_role_change_applies_on_the_next_request(world, api):
    body = {"name": "Yayasan Sehat Baru", "kind": "ngo"}
    assert api.get(_url(world)).status_code == 200  # cached as manager
    services.membership_update(membership=world.manager.membership, role=Role.VIEWER, organization=None, actor=None)
    response = api.post(_url(world), body, content_type="application/json")
    assert response.status_code == 403, response.content


@pytest.mark.django_db
def test_a_removed_member_is_refused_on_the_next_request(world, api):
    assert api.get(_url(world)).status_code == 200
    services.membership_remove(membership=world.manager.membership, actor=None)
    assert api.get(_url(world)).status_code == 404


@pytest.mark.django_db
def test_tenant_settings_are_fresh_on_the_next_request(world, api):
    before = api.get(_url(world, "review-weights/")).json()["weights"]
    review_services.weights_update(tenant=world.tenant_a, actor=world.admin.user, weights={"D1": Decimal("30")})
    after = api.get(_url(world, "review-weights/")).json()["weights"]
    assert Decimal(after["D1"]) == Decimal("30") != Decimal(before["D1"])
