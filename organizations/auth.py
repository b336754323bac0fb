"""API token authentication: knox's, without its per-request sweep of the user's other tokens.

knox checks every other token of the user on each request (one more query per API call) to
delete the expired ones; here a request checks only its own token, and the daily
``api_tokens_purge`` task deletes every expired token at once."""

from __future__ import annotations

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


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
