"""API token authentication: knox's, with two changes for speed (issue 8).

- knox checks every other token of the user on each request (one more query per API call) to
  delete the expired ones; here a request checks only its own token, and the daily
  ``api_tokens_purge`` task deletes every expired token at once.
- A token that authenticated is cached (Redis on the full stack) with its user: only the
  digest is cached, never the token, and every request still hashes the presented token and
  compares it, checks the expiry and that the user is active. The entry is dropped when the
  token is deleted (revoked, expired, purged) or its user is saved (organizations.signals).
"""

from __future__ import annotations

from hmac import compare_digest

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from knox.signals import token_expired
from rest_framework import exceptions

from . import soft_cache

TOKEN_CACHE_SECONDS = 300


def token_cache_key(token_key: str) -> str:
    return f"apitoken:v1:{token_key}"


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        text = token.decode("utf-8")
        key = token_cache_key(text[: CONSTANTS.TOKEN_KEY_LENGTH])
        cached = soft_cache.get(key)
        if cached is not None and compare_digest(hash_token(text), cached.digest):
            if self._cleanup_token(cached):  # expired since it was cached: deleted, refused
                raise exceptions.AuthenticationFailed("Invalid token.")
            return self.validate_user(cached)
        user, auth_token = super().authenticate_credentials(token)
        soft_cache.put(key, auth_token, TOKEN_CACHE_SECONDS)
        return user, auth_token

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


def forget_tokens(token_keys) -> None:
    soft_cache.forget(token_cache_key(k) for k in token_keys)


def api_tokens_purge() -> int:
    """Delete every expired API token (daily)."""
    from .models import ApiToken

    deleted, _by_model = ApiToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted


try:  # the OpenAPI schema describes it as knox's scheme
    from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme

    class TokenScheme(KnoxTokenScheme):
        target_class = "organizations.auth.TokenAuthentication"
except ImportError:  # pragma: no cover - drf-spectacular is a dependency
    pass
