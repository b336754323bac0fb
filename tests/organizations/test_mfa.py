"""Two-step verification (issue 9): anyone may turn on an authenticator app with recovery
codes; a tenant may require it of its administrators and managers — pages then send them to
set it up, the API refuses them, and sign-in asks for a code."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import refresh

PASSWORD = "rahasia-uji-123"


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (30 s, 6 digits, SHA-1), written here rather than borrowed from allauth."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _signed_in(email: str) -> Client:
    client = Client()
    response = client.post("/akun/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def _activate(client: Client) -> list[str]:
    """Turn on TOTP from the app's own pages; returns the recovery codes shown."""
    first = client.get(reverse("mfa_activate_totp"))
    if first.status_code == 302:  # a sensitive change: confirm the password first
        assert first["Location"].startswith(reverse("account_reauthenticate"))
        assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    done = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert done.status_code == 302, done.content
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user_id = client.session["_auth_user_id"]
    codes = Authenticator.objects.get(user_id=user_id, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(codes).get_unused_codes()


@pytest.mark.django_db
def test_a_tenant_requiring_it_sends_staff_to_set_it_up_and_they_then_sign_in_with_a_code(world):
    home = f"/t/{world.tenant_a.slug}/"
    admin = _signed_in("admin@serang.test")
    assert admin.post(f"{home}anggota/verifikasi-dua-langkah/", {"require_mfa": "on"}).status_code == 302
    refresh(world.tenant_a)
    assert world.tenant_a.require_mfa

    manager = _signed_in("manajer@serang.test")
    blocked = manager.get(home)
    assert blocked.status_code == 302 and blocked["Location"] == reverse("mfa_activate_totp")
    api = manager.get(f"/api/v1/t/{world.tenant_a.slug}/organizations/")
    assert api.status_code == 403 and "verifikasi dua langkah" in api.json()["error"]["message"]
    assert world.viewer.client.get(home).status_code == 200  # viewers are not concerned

    recovery = _activate(manager)
    assert len(recovery) >= 8
    assert manager.get(home).status_code == 200

    # next time: password, then a code
    again = Client()
    step = again.post("/akun/login/", {"login": "manajer@serang.test", "password": PASSWORD})
    assert step.status_code == 302 and step["Location"] == reverse("mfa_authenticate")
    assert again.get(home).status_code == 302  # not signed in yet
    assert (
        again.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    )  # a wrong code: the form again
    assert again.post(reverse("mfa_authenticate"), {"code": recovery[0]}).status_code == 302
    assert again.get(home).status_code == 200

    # a used recovery code does not work twice
    third = Client()
    third.post("/akun/login/", {"login": "manajer@serang.test", "password": PASSWORD})
    assert third.post(reverse("mfa_authenticate"), {"code": recovery[0]}).status_code == 200
    assert third.get(home).status_code == 302


@pytest.mark.django_db
def test_only_administrators_set_the_policy_and_anyone_may_turn_it_on(world):
    url = f"/t/{world.tenant_a.slug}/anggota/verifikasi-dua-langkah/"
    assert world.manager.client.post(url, {"require_mfa": "on"}).status_code == 403
    refresh(world.tenant_a)
    assert not world.tenant_a.require_mfa
    profile = world.viewer.client.get("/akun/profil/").content.decode()
    assert reverse("mfa_index") in profile
    viewer = _signed_in("pemantau@serang.test")
    _activate(viewer)
    assert (
        "Aktif" in viewer.get("/akun/profil/").content.decode() or "On:" in viewer.get("/akun/profil/").content.decode()
    )
