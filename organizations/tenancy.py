"""The fail-closed tenant scope.

Every tenant-owned model's default manager filters by the *active* tenant. With no active
scope a query raises :class:`ScopeError` instead of silently returning every tenant's rows.
A scope is opened by the tenant middleware (pages), the API base view (after token
authentication), Celery tasks (``with tenant_scope(tenant_id)``) and management commands.
Code that legitimately spans tenants (admin site, migrations, scale seeding) says so with
``scopes_disabled()``.

The same scope drives the database layer (``rls.py``): every statement carries the active
tenant as ``app.tenant_id`` (``app.all_tenants`` inside ``scopes_disabled()``), and
``user_identity()`` lets the database show a person their own memberships before a tenant is
chosen. ``settings.TENANT_ORM_SCOPING = False`` switches the ORM layer off (the manager's
filter and its fail-closed error) so tests can prove the database layer holds alone.
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
_user: ContextVar[int | None] = ContextVar("mitrasehat_user_identity", default=None)


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


def database_settings() -> tuple[int | None, int | None, bool]:
    """(tenant id, user id, all tenants) for the database's row-level security."""
    scope = _current.get()
    if scope is None:
        return None, _user.get(), False
    return scope.tenant_id, _user.get(), scope.disabled


def has_database_settings() -> bool:
    return _current.get() is not None or _user.get() is not None


def identify(user_id: int) -> Token:
    """Let the database show this signed-in user's own memberships, in every tenant, for the
    rest of the request: which tenant a request may enter is decided before any tenant scope
    (the membership check, the tenant chooser). Reset with :func:`forget`."""
    return _user.set(int(user_id))


def forget(token: Token) -> None:
    _user.reset(token)


@contextlib.contextmanager
def user_identity(user_id: int) -> Iterator[None]:
    token = identify(user_id)
    try:
        yield
    finally:
        forget(token)


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
