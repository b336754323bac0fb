"""Sign-in, the tenant chooser, password reset, login rate limits and API tokens."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from organizations.models import ApiToken
from tests.factories import MembershipFactory


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_sign_in_page_is_indonesian_by_default():
    response = Client().get("/akun/login/")
    assert response.status_code == 200
    assert "Masuk" in response.content.decode()


@pytest.mark.django_db
def test_single_tenant_user_lands_on_the_tenant_home(world):
    client = Client()
    response = client.post("/akun/login/", {"login": "admin@serang.test", "password": "rahasia-uji-123"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/t/{world.tenant_a.slug}/"


@pytest.mark.django_db
def test_user_in_two_tenants_chooses_and_can_use_both(world):
    MembershipFactory(user=world.manager.user, tenant=world.tenant_b, role="viewer")
    client = world.manager.client
    chooser = client.get("/pilih-dinas/")
    content = chooser.content.decode()
    assert world.tenant_a.name in content and world.tenant_b.name in content
    # Two tabs: the tenant is in the URL, not in the session, so both work side by side.
    assert client.get(f"/t/{world.tenant_a.slug}/organisasi/").status_code == 200
    assert client.get(f"/t/{world.tenant_b.slug}/organisasi/").status_code == 200
    assert client.post(f"/t/{world.tenant_b.slug}/organisasi/baru/", {"name": "X", "kind": "ngo"}).status_code == 403


@pytest.mark.django_db
def test_password_reset_sends_an_email(world):
    response = Client().post("/akun/password/reset/", {"email": "manajer@serang.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "manajer@serang.test" in mail.outbox[0].to


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(world):
    client = Client()
    for attempt in range(5):
        response = client.post("/akun/login/", {"login": "admin@serang.test", "password": f"salah-{attempt}"})
        assert "Terlalu banyak percobaan" not in response.content.decode()
    # After five failures even the right password is refused for a while.
    response = client.post("/akun/login/", {"login": "admin@serang.test", "password": "rahasia-uji-123"})
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not affected by this one's failures.
    ok = client.post("/akun/login/", {"login": "manajer@serang.test", "password": "rahasia-uji-123"})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_signup_is_closed(world):
    response = Client().post(
        "/akun/signup/", {"email": "baru@example.id", "password1": "Xx-12345678", "password2": "Xx-12345678"}
    )
    from organizations.models import User

    assert not User.objects.filter(email="baru@example.id").exists()
    assert response.status_code == 200


@pytest.mark.django_db
def test_api_token_is_shown_once_works_and_can_be_revoked(world):
    client = world.manager.client
    response = client.post("/akun/profil/", {"name": "Power BI", "expires_in_days": 30})
    token = response.context["new_token"]
    assert token.startswith("ms_")
    assert token in response.content.decode()
    assert token not in client.get("/akun/profil/").content.decode()  # shown once
    stored = ApiToken.objects.get(user=world.manager.user)
    assert stored.digest != token  # only a hash is stored
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(f"/api/v1/t/{world.tenant_a.slug}/organizations/").status_code == 200
    client.post(f"/akun/token/{stored.token_key}/cabut/")
    assert api.get(f"/api/v1/t/{world.tenant_a.slug}/organizations/").status_code == 401


@pytest.mark.django_db
def test_expired_token_is_refused(world):
    instance, token = ApiToken.objects.create(user=world.viewer.user, name="lama", expiry=timedelta(days=1))
    ApiToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    response = Client(HTTP_AUTHORIZATION=f"Token {token}").get(f"/api/v1/t/{world.tenant_a.slug}/organizations/")
    assert response.status_code == 401
    assert not ApiToken.objects.filter(pk=instance.pk).exists()  # and it is gone


@pytest.mark.django_db
def test_a_request_checks_only_its_own_token_and_the_daily_purge_removes_expired_ones(world, django_assert_num_queries):
    from organizations.tasks import api_tokens_purge_task

    old, _old_token = ApiToken.objects.create(user=world.viewer.user, name="lama", expiry=timedelta(days=1))
    ApiToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    _current, token = ApiToken.objects.create(user=world.viewer.user, name="baru", expiry=timedelta(days=30))
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    # token (with its user), membership, count, page, contacts: no sweep of the other tokens
    with django_assert_num_queries(5):
        assert client.get(f"/api/v1/t/{world.tenant_a.slug}/organizations/?page_size=1").status_code == 200
    assert ApiToken.objects.filter(pk=old.pk).exists()
    assert api_tokens_purge_task.delay().get() == 1
    assert list(ApiToken.objects.filter(user=world.viewer.user).values_list("name", flat=True)) == ["baru"]
    assert client.get(f"/api/v1/t/{world.tenant_a.slug}/organizations/").status_code == 200


@pytest.mark.django_db
def test_users_cannot_revoke_other_peoples_tokens(world):
    instance, _token = ApiToken.objects.create(user=world.viewer.user, name="milik pemantau")
    assert world.manager.client.post(f"/akun/token/{instance.token_key}/cabut/").status_code == 404
    assert ApiToken.objects.filter(pk=instance.pk).exists()
