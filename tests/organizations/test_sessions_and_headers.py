"""Sessions expire (12 hours by default, also when read from the cache) and every page carries
the security headers (issue 9)."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone


@pytest.mark.django_db
def test_a_session_lasts_twelve_hours_and_an_expired_one_is_refused(world):
    client = Client()
    assert (
        client.post("/akun/login/", {"login": "manajer@serang.test", "password": "rahasia-uji-123"}).status_code == 302
    )
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"  # scripts cannot read it
    home = f"/t/{world.tenant_a.slug}/"
    assert client.get(home).status_code == 200
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    cache.clear()  # the cached copy would expire by itself at the same moment
    response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith("/akun/login/")


@pytest.mark.django_db
def test_pages_carry_the_security_headers(world):
    response = world.manager.client.get(f"/t/{world.tenant_a.slug}/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert (
        "HttpOnly" in str(world.manager.client.cookies.get(settings.SESSION_COOKIE_NAME, ""))
        or settings.SESSION_COOKIE_HTTPONLY
    )
