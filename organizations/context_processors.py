from __future__ import annotations

from django.http import HttpRequest

from . import permissions


class _Perms:
    """``{% if perms_t.organization_add %}`` in templates asks the permission module."""

    def __init__(self, membership) -> None:
        self._membership = membership

    def __getattr__(self, name: str) -> bool:
        return permissions.can(self._membership, name.replace("_", ".", 1))


class _LazyUnreadCount:
    """The bell's unread count, queried only if a template shows it."""

    def __init__(self, user) -> None:
        self._user = user
        self._value: int | None = None

    def _count(self) -> int:
        if self._value is None:
            from .notifications import unread_count

            self._value = unread_count(user=self._user)
        return self._value

    def __int__(self) -> int:
        return self._count()

    def __str__(self) -> str:
        return str(self._count())

    def __bool__(self) -> bool:
        return self._count() > 0


def tenancy(request: HttpRequest) -> dict:
    membership = getattr(request, "membership", None)
    context = {"tenant": getattr(request, "tenant", None), "membership": membership}
    if membership is not None:
        context["perms_t"] = _Perms(membership)
        context["unread_notifications"] = _LazyUnreadCount(request.user)
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        from .selectors import memberships_of_user

        # the tenant pages' middleware already read them; elsewhere lazy: only the switcher evaluates it
        mine = getattr(request, "my_memberships", None)
        context["my_memberships"] = mine if mine is not None else memberships_of_user(user=request.user)
    return context
