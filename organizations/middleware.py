"""Resolves the tenant of ``/t/<tenant_slug>/…`` pages, checks membership, opens the scope."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from . import soft_cache, tenancy
from .models import Membership

# The API resolves the caller's membership on every request; it is cached (Redis on the full
# stack) and dropped whenever the membership, its tenant or its organization is saved or deleted
# (organizations.signals). Only memberships are cached, never their absence.
MEMBERSHIP_CACHE_SECONDS = 300


def membership_cache_key(user_id: int, tenant_slug: str) -> str:
    return f"membership:v1:{user_id}:{tenant_slug}"


def membership_for(user, tenant_slug: str) -> Membership | None:
    """The user's membership in the tenant with ``tenant_slug`` (from the cache, or one
    indexed query), or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    key = membership_cache_key(user.pk, tenant_slug)
    membership = soft_cache.get(key)
    if membership is None:
        # No join to the user (the request has it) and no ordering: one indexed lookup.
        rows = (
            Membership.objects.select_related("tenant", "organization")
            .filter(tenant__slug=tenant_slug, user_id=user.pk)
            .order_by()[:1]
        )
        membership = next(iter(rows), None)
        if membership is None:
            return None
        soft_cache.put(key, membership, MEMBERSHIP_CACHE_SECONDS)
    membership.user = user
    return membership


def mfa_missing(membership: Membership) -> bool:
    """The tenant requires two-step verification of its administrators and managers, and this
    one has not turned it on (one query, only in such tenants, only for those roles)."""
    from allauth.mfa.utils import is_mfa_enabled

    from .models import Role

    return (
        membership.tenant.require_mfa
        and membership.role in (Role.ADMIN, Role.MANAGER)
        and not is_mfa_enabled(membership.user)
    )


def memberships_of(user) -> list[Membership]:
    """All memberships of an active user, by tenant name (one query)."""
    return list(
        Membership.objects.select_related("tenant", "organization", "user")
        .filter(user=user, user__is_active=True)
        .order_by("tenant__name")
    )


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.tenant = None
        request.membership = None
        request._tenant_scope_token = None
        # The database shows a signed-in person their own memberships (rls.py); API token
        # callers are identified by the API after authentication.
        identity = tenancy.identify(request.user.pk) if request.user.is_authenticated else None
        try:
            return self.get_response(request)
        finally:
            if request._tenant_scope_token is not None:
                tenancy.deactivate(request._tenant_scope_token)
            if identity is not None:
                tenancy.forget(identity)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.resolver_match and request.resolver_match.app_name == "admin":
            # The admin site spans tenants by design; it is for platform staff only.
            request._tenant_scope_token = tenancy.disable()
            return None
        slug = view_kwargs.get("tenant_slug")
        if slug is None or getattr(view_func, "cls", None) is not None and _is_api_view(view_func):
            # API views resolve the tenant themselves, after token authentication.
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # One query for the user's memberships: the current one, and the tenant switcher's list.
        mine = memberships_of(request.user)
        request.my_memberships = mine
        membership = next((m for m in mine if m.tenant.slug == slug), None)
        if membership is None:
            raise Http404("No such tenant")
        request.tenant = membership.tenant
        request.membership = membership
        request._tenant_scope_token = tenancy.activate(membership.tenant_id)
        if mfa_missing(membership):
            from django.contrib import messages
            from django.shortcuts import redirect
            from django.utils.translation import gettext as _

            messages.warning(
                request,
                _("%(tenant)s requires two-step verification for administrators and managers. Turn it on to continue.")
                % {"tenant": membership.tenant.name},
            )
            return redirect("mfa_activate_totp")
        return None


def _is_api_view(view_func) -> bool:
    from rest_framework.views import APIView

    return issubclass(view_func.cls, APIView)
