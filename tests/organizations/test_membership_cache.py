"""The API caches the caller's membership (issue 8: one query less per API call); any change of
the membership, its tenant or its organization takes effect on the very next request."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from organizations import services
from organizations.middleware import membership_cache_key
from organizations.models import ApiToken, Role
from organizations.tenancy import tenant_scope
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
    # count, page, contacts — the token (with its user) and the membership come from the cache
    with django_assert_num_queries(3):
        assert api.get(_url(world) + "?page_size=1").status_code == 200


@pytest.mark.django_db
def test_a_role_change_applies_on_the_next_request(world, api):
    body = {"name": "Yayasan Sehat Baru", "kind": "ngo"}
    assert api.get(_url(world)).status_code == 200  # cached as manager
    with tenant_scope(world.tenant_a):
        services.membership_update(membership=world.manager.membership, role=Role.VIEWER, organization=None, actor=None)
    response = api.post(_url(world), body, content_type="application/json")
    assert response.status_code == 403, response.content


@pytest.mark.django_db
def test_a_removed_member_is_refused_on_the_next_request(world, api):
    assert api.get(_url(world)).status_code == 200
    with tenant_scope(world.tenant_a):
        services.membership_remove(membership=world.manager.membership, actor=None)
    assert api.get(_url(world)).status_code == 404


@pytest.mark.django_db
def test_tenant_settings_are_fresh_on_the_next_request(world, api):
    before = api.get(_url(world, "review-weights/")).json()["weights"]
    with tenant_scope(world.tenant_a):
        review_services.weights_update(tenant=world.tenant_a, actor=world.admin.user, weights={"D1": Decimal("30")})
    after = api.get(_url(world, "review-weights/")).json()["weights"]
    assert Decimal(after["D1"]) == Decimal("30") != Decimal(before["D1"])


@pytest.mark.django_db
def test_a_cached_token_still_hashes_checks_expiry_and_follows_revocation(
    world, monkeypatch, django_assert_num_queries
):
    import datetime

    from django.utils import timezone

    from organizations import auth

    instance, token = ApiToken.objects.create(user=world.viewer.user, name="cache", expiry=datetime.timedelta(days=1))
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(_url(world)).status_code == 200
    # the token, its user and the membership from the cache: count, page, contacts
    with django_assert_num_queries(3):
        assert client.get(_url(world) + "?page_size=1").status_code == 200
    # a wrong secret with the same key prefix is refused, cached or not
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert Client(HTTP_AUTHORIZATION=f"Token {forged}").get(_url(world)).status_code == 401
    # expiry is checked on every request, also from the cache
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(auth.timezone, "now", lambda: later)
    assert client.get(_url(world)).status_code == 401
    assert not ApiToken.objects.filter(pk=instance.pk).exists()


@pytest.mark.django_db
def test_revoking_a_token_or_deactivating_its_user_applies_on_the_next_request(world):
    instance, token = ApiToken.objects.create(user=world.viewer.user, name="cache")
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(_url(world)).status_code == 200
    assert world.viewer.client.post(f"/akun/token/{instance.token_key}/cabut/").status_code in (200, 302)
    assert client.get(_url(world)).status_code == 401

    _instance, token = ApiToken.objects.create(user=world.viewer.user, name="cache 2")
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(_url(world)).status_code == 200
    world.viewer.user.is_active = False
    world.viewer.user.save()
    assert client.get(_url(world)).status_code == 401
