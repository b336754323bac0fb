"""The fail-closed tenant scope.

Every tenant-owned model's default manager filters by the *active* tenant. With no active
scope a query raises :class:`ScopeError` instead of silently returning every tenant's rows.
A scope is opened by the tenant middleware (pages), the API base view (after token
authentication), Celery tasks (``with tenant_scope(tenant_id)``) and management commands.
Code that legitimately spans tenants (admin site, migrations, scale seeding) says so with
``scopes_disabled()``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass


class ScopeError(RuntimeError):
    """A tenant-owned model was queried outside an active tenant scope."""


@dataclass(frozen=True)
class _Scope:
    tenant_id: int | None
    disabled: bool = False


_current: ContextVar[_Scope | None] = ContextVar("mitrasehat_tenant_scope", default=None)


def activate(tenant_id: int) -> Token:
    """Open a scope for ``tenant_id``; pass the returned token to :func:`deactivate`."""
    if not tenant_id:
        raise ValueError("activate() needs a tenant id")
    return _current.set(_Scope(tenant_id=int(tenant_id)))


def deactivate(token: Token) -> None:
    _current.reset(token)


def current_tenant_id() -> int | None:
    """The active tenant id; raises ScopeError when no scope is active.

    Returns ``None`` only inside ``scopes_disabled()``.
    """
    scope = _current.get()
    if scope is None:
        raise ScopeError(
            "A tenant-owned model was queried outside a tenant scope. Use tenant_scope(tenant) or scopes_disabled()."
        )
    return None if scope.disabled else scope.tenant_id


def active_tenant_id() -> int | None:
    """The active tenant id or None, never raising (for logging and cache keys)."""
    scope = _current.get()
    return None if scope is None or scope.disabled else scope.tenant_id


@contextlib.contextmanager
def tenant_scope(tenant) -> Iterator[None]:
    """``with tenant_scope(tenant_or_id): ...`` runs the block scoped to one tenant."""
    token = activate(getattr(tenant, "pk", tenant))
    try:
        yield
    finally:
        deactivate(token)


@contextlib.contextmanager
def scopes_disabled() -> Iterator[None]:
    """Run a block that legitimately spans tenants (admin, migrations, bulk seeding)."""
    token = _current.set(_Scope(tenant_id=None, disabled=True))
    try:
        yield
    finally:
        _current.reset(token)


def disable() -> Token:
    """Token-returning form of ``scopes_disabled()`` for middleware; reset with ``deactivate``."""
    return _current.set(_Scope(tenant_id=None, disabled=True))
