"""Shared pieces of the REST API: tenant resolution, permissions, pagination, error shape."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, pagination, permissions, serializers
from rest_framework.response import Response
from rest_framework.schemas.inspectors import ViewInspector
from rest_framework.views import exception_handler as drf_exception_handler

from . import permissions as perms
from . import tenancy
from .errors import ApplicationError
from .middleware import membership_for, mfa_missing


class Pagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


# For an action that answers a whole list of something else than the viewset's rows (a
# timeline, revisions, answers): neither paged nor narrowed by the viewset's list filters —
# and so documented without them.
WHOLE_LIST = {"pagination_class": None, "filter_backends": []}

MAX_ID = 2**63 - 1  # PostgreSQL bigint


class IdFilter(django_filters.NumberFilter):
    """A row id in a query string: a whole number the database can hold. Anything else is a 400
    with the field's message, never a database overflow (found by fuzzing the API)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, but a request that names none of the view's filters skips
    building and validating the filter form (≈ 2 ms of every unfiltered list request).
    Behaviour is the same: django-filter leaves the queryset alone for absent values."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = tuple(filterset_class.base_filters)
        if not any(key == name or key.startswith(f"{name}_") for key in request.query_params for name in names):
            return queryset
        return super().filter_queryset(request, queryset, view)


class LazyApiSchema(ViewInspector):
    """A view's ``schema``: ``api_schema.ApiSchema`` (documents the errors each operation can
    answer), made on first use like DRF's own DefaultSchema — drf-spectacular imports
    rest_framework.generics, which imports this module for the default pagination and filter."""

    def __get__(self, instance, owner):
        result = super().__get__(instance, owner)
        if not isinstance(result, LazyApiSchema):
            return result  # a schema set on the view instance (drf-spectacular's actions)
        from .api_schema import ApiSchema

        inspector = ApiSchema()
        inspector.view = instance
        return inspector


class TenantPermission(permissions.BasePermission):
    """Asks the permission module with the action's permission name (``view.permission_map``)."""

    def has_permission(self, request, view) -> bool:
        return perms.can(request.membership, view.required_permission())

    def has_object_permission(self, request, view, obj) -> bool:
        return perms.can(request.membership, view.required_permission(), obj)


class TenantAPIMixin:
    """Base for every ``/api/v1/t/<tenant_slug>/…`` view.

    After DRF has authenticated the request (session or token) the membership is checked —
    no membership is a 404, like a page — and the tenant scope is opened for the rest of
    the request. ``permission_map`` maps viewset actions to permission names.
    """

    permission_classes = [permissions.IsAuthenticated, TenantPermission]
    schema = LazyApiSchema()
    permission_map: dict[str, str] = {}
    default_permission: str = ""
    # Permissions checked after the object is found (so that another tenant's id is a 404
    # first): action → permission, asked with the object.
    object_permission_map: dict[str, str] = {}

    def get_object(self):
        obj = super().get_object()
        permission = self.object_permission_map.get(getattr(self, "action", None) or "")
        if permission and not perms.can(self.request.membership, permission, obj):
            self.permission_denied(self.request)
        return obj

    def required_permission(self) -> str:
        action = getattr(self, "action", None) or self.request.method.lower()
        return self.permission_map.get(action, self.default_permission)

    def check_permissions(self, request) -> None:
        if not request.user or not request.user.is_authenticated:
            self.permission_denied(request)  # 401 with the WWW-Authenticate header
        self._identity_token = tenancy.identify(request.user.pk)
        membership = membership_for(request.user, self.kwargs["tenant_slug"])
        if membership is None:
            raise exceptions.NotFound()
        request.tenant = request._request.tenant = membership.tenant
        request.membership = request._request.membership = membership
        self._tenant_scope_token = tenancy.activate(membership.tenant_id)
        if mfa_missing(membership):
            raise exceptions.PermissionDenied(
                _("This health office requires two-step verification for administrators and managers.")
            )
        super().check_permissions(request)

    def dispatch(self, request, *args, **kwargs):
        self._tenant_scope_token = self._identity_token = None
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            if self._tenant_scope_token is not None:
                tenancy.deactivate(self._tenant_scope_token)
            if self._identity_token is not None:
                tenancy.forget(self._identity_token)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related-id field that only accepts rows of the current tenant (others: 400)."""

    def __init__(self, *, model, **kwargs) -> None:
        self.model = model
        kwargs.setdefault("queryset", model.unscoped.none())  # replaced per request below
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.all()


def _error_body(code: str, message, fields=None) -> dict:
    body = {"error": {"code": code, "message": str(message)}}
    if fields:
        body["error"]["fields"] = fields
    return body


def exception_handler(exc, context):
    """Every API error has one shape: ``{"error": {"code", "message", "fields"?}}``."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, ApplicationError):
        return Response(_error_body(exc.code, exc.message, exc.extra or None), status=400)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        first = next(iter(detail.values()), [""])
        message = first[0] if isinstance(first, list) and first else first
        response.data = _error_body("invalid", message, detail)
    else:
        code = getattr(exc, "default_code", "error")
        detail = getattr(exc, "detail", str(exc))
        response.data = _error_body(getattr(detail, "code", code) or code, detail)
    return response
