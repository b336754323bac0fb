"""Access helpers for agreements: scoped fetch (404) + permission (403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from organizations.access import require

from . import selectors
from .models import Agreement, Document


def get_agreement_for_user(request: HttpRequest, pk: int, permission: str = "agreement.view") -> Agreement:
    """The agreement with what its page needs; a coordinator of a non-party gets a 404."""
    try:
        agreement = selectors.agreement_detail(membership=request.membership, pk=pk)
    except Agreement.DoesNotExist as exc:
        raise Http404 from exc
    if permission != "agreement.view":
        require(request, permission, agreement)
    return agreement


def get_document_for_user(request: HttpRequest, agreement_pk: int, pk: int) -> Document:
    agreement = get_object_or_404(
        selectors.agreements_visible_to(request.membership).prefetch_related("parties"), pk=agreement_pk
    )
    if not _can_view(request, agreement):
        raise Http404
    return get_object_or_404(Document.objects.select_related("agreement"), agreement=agreement, pk=pk)


def _can_view(request: HttpRequest, agreement: Agreement) -> bool:
    from organizations.permissions import can

    return can(request.membership, "agreement.view", agreement)


def require_object(request: HttpRequest, permission: str, agreement: Agreement) -> None:
    from organizations.permissions import can

    if not can(request.membership, permission, agreement):
        raise PermissionDenied
