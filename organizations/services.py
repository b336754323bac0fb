"""Every write to tenants, memberships and partner organizations.

Functions take keyword-only arguments and the acting user as ``actor``; pages, the API,
Celery tasks and management commands all call these.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from . import errors
from .errors import ApplicationError
from .models import Contact, Invitation, Membership, Organization, Role, Tenant, User

ORGANIZATION_FIELDS = ("name", "kind", "sector", "region", "address", "phone", "email", "website", "notes")
CONTACT_FIELDS = ("name", "position", "phone", "email", "is_focal_point")


def _save_with_history(instance, actor: User | None) -> None:
    instance._history_user = actor
    instance.full_clean()
    instance.save()


@transaction.atomic
def organization_create(*, tenant: Tenant, actor: User | None, **data: Any) -> Organization:
    """Create a partner organization; ``contacts`` (a list of dicts) may come along."""
    contacts = data.pop("contacts", None) or []
    fields = {k: v for k, v in data.items() if k in ORGANIZATION_FIELDS}
    if not fields.get("sector") and fields.get("kind"):
        fields["sector"] = Organization.DEFAULT_SECTOR.get(fields["kind"], "")
    organization = Organization(tenant=tenant, **fields)
    _save_with_history(organization, actor)
    for contact in contacts:
        contact_create(organization=organization, actor=actor, **contact)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, actor: User | None, **data: Any) -> Organization:
    if organization.is_archived:
        raise ApplicationError(errors.ORGANIZATION_ARCHIVED, code="archived")
    for name in ORGANIZATION_FIELDS:
        if name in data:
            setattr(organization, name, data[name])
    _save_with_history(organization, actor)
    return organization


@transaction.atomic
def organization_archive(*, organization: Organization, actor: User | None) -> Organization:
    """Archive: the organization disappears from pickers but keeps its history and links."""
    if not organization.is_archived:
        organization.archived_at = timezone.now()
        organization._history_user = actor
        organization._change_reason = "archived"
        organization.save(update_fields=["archived_at", "updated_at"])
    return organization


@transaction.atomic
def organization_restore(*, organization: Organization, actor: User | None) -> Organization:
    if organization.is_archived:
        organization.archived_at = None
        organization._history_user = actor
        organization._change_reason = "restored"
        organization.save(update_fields=["archived_at", "updated_at"])
    return organization


def organization_delete(*, organization: Organization, actor: User | None) -> None:
    """Delete an organization nothing refers to; a referenced one must be archived instead."""
    try:
        with transaction.atomic():
            organization._history_user = actor
            organization.delete()
    except ProtectedError as exc:
        raise ApplicationError(errors.ORGANIZATION_REFERENCED, code="referenced") from exc


@transaction.atomic
def contact_create(*, organization: Organization, actor: User | None, **data: Any) -> Contact:
    fields = {k: v for k, v in data.items() if k in CONTACT_FIELDS}
    if fields.get("is_focal_point"):
        _clear_focal_point(organization, actor)
    contact = Contact(tenant_id=organization.tenant_id, organization=organization, **fields)
    _save_with_history(contact, actor)
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor: User | None, **data: Any) -> Contact:
    if data.get("is_focal_point") and not contact.is_focal_point:
        _clear_focal_point(contact.organization, actor)
    for name in CONTACT_FIELDS:
        if name in data:
            setattr(contact, name, data[name])
    _save_with_history(contact, actor)
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, actor: User | None) -> None:
    contact._history_user = actor
    contact.delete()


def _clear_focal_point(organization: Organization, actor: User | None) -> None:
    for previous in Contact.objects.filter(organization=organization, is_focal_point=True):
        previous.is_focal_point = False
        previous._history_user = actor
        previous.save(update_fields=["is_focal_point", "updated_at"])


# --- Memberships and invitations ----------------------------------------------------------


def _check_role_organization(role: str, organization: Organization | None) -> None:
    if role == Role.COORDINATOR and organization is None:
        raise ApplicationError(errors.COORDINATOR_NEEDS_ORGANIZATION, code="organization_required")


def _ensure_other_admin(membership: Membership) -> None:
    others = Membership.objects.filter(tenant_id=membership.tenant_id, role=Role.ADMIN).exclude(pk=membership.pk)
    if membership.role == Role.ADMIN and not others.exists():
        raise ApplicationError(errors.LAST_ADMIN, code="last_admin")


@transaction.atomic
def membership_create(
    *, tenant: Tenant, user: User, role: str, organization: Organization | None = None, actor: User | None
) -> Membership:
    _check_role_organization(role, organization)
    membership = Membership(tenant=tenant, user=user, role=role, organization=organization)
    membership._history_user = actor
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise ApplicationError(errors.ALREADY_MEMBER % {"email": user.email}, code="already_member") from exc
    return membership


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, organization: Organization | None, actor: User | None
) -> Membership:
    _check_role_organization(role, organization)
    if role != Role.ADMIN:
        _ensure_other_admin(Membership.objects.select_for_update().get(pk=membership.pk))
    membership.role = role
    membership.organization = organization if role == Role.COORDINATOR else None
    membership._history_user = actor
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User | None) -> None:
    _ensure_other_admin(Membership.objects.select_for_update().get(pk=membership.pk))
    membership._history_user = actor
    membership.delete()


@transaction.atomic
def invitation_create(
    *, tenant: Tenant, email: str, role: str, organization: Organization | None = None, actor: User | None
) -> Invitation:
    """Invite ``email`` with ``role`` and send the link by email (after the transaction commits)."""
    from .emails import send_invitation_email

    email = email.strip().lower()
    _check_role_organization(role, organization)
    if Membership.objects.filter(tenant=tenant, user__email__iexact=email).exists():
        raise ApplicationError(errors.ALREADY_MEMBER % {"email": email}, code="already_member")
    # A new invitation replaces any open one for the same address.
    Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        tenant=tenant, email=email, role=role, organization=organization, invited_by=actor
    )
    transaction.on_commit(lambda: send_invitation_email(invitation))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User | None) -> Invitation:
    if invitation.is_open:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """The invitee (signed in with the invited address) becomes a member."""
    invitation = Invitation.unscoped.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ApplicationError(errors.INVITATION_INVALID, code="invitation_invalid")
    if user.email.lower() != invitation.email.lower():
        raise ApplicationError(errors.INVITATION_WRONG_USER % {"email": invitation.email}, code="wrong_user")
    membership = membership_create(
        tenant=invitation.tenant,
        user=user,
        role=invitation.role,
        organization=invitation.organization,
        actor=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return membership


@transaction.atomic
def user_create_for_invitation(*, invitation: Invitation, full_name: str, password: str) -> User:
    """A new person accepting an invitation: create the account with the invited address."""
    return User.objects.create_user(email=invitation.email, password=password, full_name=full_name)


@transaction.atomic
def tenant_create(*, name: str, slug: str, region=None, actor: User | None = None) -> Tenant:
    tenant = Tenant(name=name, slug=slug, region=region)
    tenant.full_clean()
    tenant.save()
    if actor is not None:
        membership_create(tenant=tenant, user=actor, role=Role.ADMIN, actor=actor)
    return tenant


def tenant_mfa_policy(*, tenant: Tenant, actor: User | None, required: bool) -> Tenant:
    """Require (or stop requiring) two-step verification of administrators and managers."""
    tenant.require_mfa = required
    tenant.save(update_fields=["require_mfa", "updated_at"])
    return tenant
