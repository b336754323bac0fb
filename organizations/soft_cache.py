"""The cache as an optimisation only: every call that fails (Redis down) is logged and treated
as a miss, so callers fall back to the database instead of failing the request. Used for the
API's memberships and tokens and their invalidation (the session store has its own, as a
Django backend)."""

from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def get(key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - Redis down must not fail a request
        logger.warning("cache unavailable (get %s)", key, exc_info=True)
        return None


def put(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable (set %s)", key, exc_info=True)


def forget(keys) -> None:
    keys = list(keys)
    if not keys:
        return
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001 - the entries expire on their own
        logger.warning("could not drop %d cache entries", len(keys), exc_info=True)
