"""Access helpers: fetch an object of the active tenant and check the permission in one call.

Another tenant's object is outside the scope, so it is a 404; a member whose role lacks
the permission gets a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from . import permissions
from .models import Contact, ImportJob, Invitation, Membership, Organization


def require(request: HttpRequest, permission: str, obj: object | None = None) -> None:
    if not permissions.can(request.membership, permission, obj):
        raise PermissionDenied


def get_organization_for_user(request: HttpRequest, pk: int, permission: str = "organization.view") -> Organization:
    organization = get_object_or_404(Organization.objects.select_related("region"), pk=pk)
    require(request, permission, organization)
    return organization


def get_contact_for_user(request: HttpRequest, organization: Organization, pk: int) -> Contact:
    return get_object_or_404(Contact.objects.filter(organization=organization), pk=pk)


def get_import_for_user(request: HttpRequest, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.all(), pk=pk)
    require(request, "organization.import", job)
    return job


def get_membership_for_user(request: HttpRequest, pk: int) -> Membership:
    require(request, "membership.manage")
    return get_object_or_404(Membership.objects.select_related("user", "organization"), tenant=request.tenant, pk=pk)


def get_invitation_for_user(request: HttpRequest, pk: int) -> Invitation:
    require(request, "membership.manage")
    return get_object_or_404(Invitation.objects.all(), pk=pk)
