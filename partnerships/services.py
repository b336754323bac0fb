"""Every write to agreements: create/update with parties, the lifecycle transitions,
amendments, obligations and renewal. Each transition is its own service with its rule and
a timeline entry (who, when, why)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organizations.errors import ApplicationError
from organizations.models import Organization, Region, Tenant, User

from . import errors
from .models import Agreement, AgreementEvent, Amendment, Document, Obligation, Party
from .rules import partnership_type_errors

AGREEMENT_FIELDS = (
    "number", "title", "kind", "partnership_type", "objective", "scope", "financing_summary",
    "reporting_duty", "dispute_settlement", "termination_clause", "signed_on", "starts_on", "ends_on",
)  # fmt: skip
EDITABLE_STATUSES = {Agreement.Status.DRAFT, Agreement.Status.PROPOSED}
S = Agreement.Status


@dataclass(frozen=True)
class PartyData:
    organization: Organization
    role: str
    signatory_name: str = ""
    signatory_position: str = ""


def _event(agreement: Agreement, action: str, actor: User | None, *, reason: str = "", from_status: str = "") -> None:
    AgreementEvent.objects.create(
        tenant_id=agreement.tenant_id,
        agreement=agreement,
        action=action,
        actor=actor,
        reason=reason,
        from_status=from_status,
        to_status=agreement.status,
    )


def _save(agreement: Agreement, actor: User | None) -> None:
    agreement._history_user = actor
    agreement.full_clean(exclude=["regions"])
    agreement.save()


def _check_parties(partnership_type: str, parties: list[PartyData]) -> None:
    organizations = [p.organization for p in parties]
    if len({o.pk for o in organizations}) != len(organizations):
        raise ValidationError({"parties": [errors.DUPLICATE_PARTY]})
    archived = [o for o in organizations if o.is_archived]
    if archived:
        raise ValidationError({"parties": [errors.ARCHIVED_PARTY % {"name": archived[0].name}]})
    problems = partnership_type_errors(partnership_type, organizations)
    if problems:
        raise ValidationError({"parties": problems})


def _replace_parties(agreement: Agreement, parties: list[PartyData], actor: User | None) -> None:
    """Make the agreement's parties exactly ``parties``, keeping existing rows (and their
    obligations) for organizations that stay."""
    existing = {p.organization_id: p for p in agreement.parties.all()}
    keep = set()
    for data in parties:
        party = existing.get(data.organization.pk) or Party(
            tenant_id=agreement.tenant_id, agreement=agreement, organization=data.organization
        )
        party.role = data.role
        party.signatory_name = data.signatory_name
        party.signatory_position = data.signatory_position
        party._history_user = actor
        party.save()
        keep.add(data.organization.pk)
    for organization_id, party in existing.items():
        if organization_id not in keep:
            party._history_user = actor
            party.delete()


@transaction.atomic
def agreement_create(
    *, tenant: Tenant, actor: User | None, parties: list[PartyData], regions: Iterable[Region] = (), **data: Any
) -> Agreement:
    """A new agreement in draft, with its parties (checked against the partnership type)."""
    agreement = Agreement(tenant=tenant, **{k: v for k, v in data.items() if k in AGREEMENT_FIELDS})
    _check_parties(agreement.partnership_type, parties)
    _save(agreement, actor)
    agreement.regions.set(regions, through_defaults={"tenant_id": agreement.tenant_id})
    _replace_parties(agreement, parties, actor)
    _event(agreement, AgreementEvent.Action.CREATED, actor)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    actor: User | None,
    parties: list[PartyData] | None = None,
    regions: Iterable[Region] | None = None,
    **data: Any,
) -> Agreement:
    """Change a draft or proposed agreement; signed ones change only through amendments."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in EDITABLE_STATUSES:
        raise ApplicationError(errors.ONLY_DRAFTS_EDITABLE, code="not_editable")
    for name in AGREEMENT_FIELDS:
        if name in data:
            setattr(agreement, name, data[name])
    if parties is not None:
        _check_parties(agreement.partnership_type, parties)
    _save(agreement, actor)
    if regions is not None:
        agreement.regions.set(regions, through_defaults={"tenant_id": agreement.tenant_id})
    if parties is not None:
        _replace_parties(agreement, parties, actor)
    _event(agreement, AgreementEvent.Action.UPDATED, actor)
    return agreement


# --- lifecycle -----------------------------------------------------------------------------


def _locked(agreement: Agreement, allowed: set[str]) -> Agreement:
    """The agreement, row-locked, if its status allows the step (two clicks cannot both pass)."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status not in allowed:
        raise ApplicationError(
            errors.TRANSITION_NOT_ALLOWED % {"status": locked.get_status_display()}, code="transition_not_allowed"
        )
    return locked


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [errors.REASON_REQUIRED]})
    return reason


def _transition(agreement: Agreement, to: str, action: str, actor: User | None, reason: str = "") -> Agreement:
    from_status = agreement.status
    agreement.status = to
    agreement._history_user = actor
    agreement._change_reason = action
    agreement.save(update_fields=["status", "updated_at"])
    _event(agreement, action, actor, reason=reason, from_status=from_status)
    return agreement


def _check_party_rules(agreement: Agreement) -> None:
    organizations = [p.organization for p in agreement.parties.select_related("organization")]
    problems = partnership_type_errors(agreement.partnership_type, organizations)
    if problems:
        raise ValidationError({"parties": problems})


@transaction.atomic
def agreement_propose(*, agreement: Agreement, actor: User | None, reason: str = "") -> Agreement:
    """draft → proposed: the parties satisfy the partnership type."""
    agreement = _locked(agreement, {S.DRAFT})
    _check_party_rules(agreement)
    return _transition(agreement, S.PROPOSED, AgreementEvent.Action.PROPOSED, actor, reason)


@transaction.atomic
def agreement_activate(
    *, agreement: Agreement, actor: User | None, today: datetime.date | None = None, reason: str = ""
) -> Agreement:
    """proposed → active: signed document uploaded, signing/start/end dates valid, not ended."""
    today = today or timezone.localdate()
    agreement = _locked(agreement, {S.PROPOSED})
    _check_party_rules(agreement)
    if (
        not (agreement.signed_on and agreement.starts_on and agreement.ends_on)
        or agreement.ends_on < agreement.starts_on
    ):
        raise ApplicationError(errors.ACTIVATION_NEEDS_DATES, code="dates_required")
    if agreement.ends_on < today:
        raise ApplicationError(errors.ACTIVATION_ENDED, code="already_ended")
    if not agreement.documents.filter(kind=Document.Kind.SIGNED).exists():
        raise ApplicationError(errors.ACTIVATION_NEEDS_SIGNED_DOCUMENT, code="signed_document_required")
    return _transition(agreement, S.ACTIVE, AgreementEvent.Action.ACTIVATED, actor, reason)


@transaction.atomic
def agreement_suspend(*, agreement: Agreement, actor: User | None, reason: str) -> Agreement:
    reason = _require_reason(reason)
    agreement = _locked(agreement, {S.ACTIVE})
    return _transition(agreement, S.SUSPENDED, AgreementEvent.Action.SUSPENDED, actor, reason)


@transaction.atomic
def agreement_resume(*, agreement: Agreement, actor: User | None, reason: str = "") -> Agreement:
    agreement = _locked(agreement, {S.SUSPENDED})
    return _transition(agreement, S.ACTIVE, AgreementEvent.Action.RESUMED, actor, reason)


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, actor: User | None, reason: str) -> Agreement:
    reason = _require_reason(reason)
    agreement = _locked(agreement, {S.ACTIVE, S.SUSPENDED})
    return _transition(agreement, S.TERMINATED, AgreementEvent.Action.TERMINATED, actor, reason)


@transaction.atomic
def agreement_expire(*, agreement: Agreement, actor: User | None = None) -> Agreement:
    """active/suspended → expired, by the daily job once the end date has passed."""
    agreement = _locked(agreement, {S.ACTIVE, S.SUSPENDED})
    return _transition(agreement, S.EXPIRED, AgreementEvent.Action.EXPIRED, actor)


@transaction.atomic
def agreement_renew(*, agreement: Agreement, actor: User | None, reason: str = "") -> Agreement:
    """A linked successor in draft carrying the terms, parties and obligations (not done)."""
    agreement = _locked(agreement, {S.ACTIVE, S.SUSPENDED, S.EXPIRED})
    successor = Agreement(
        tenant_id=agreement.tenant_id,
        predecessor=agreement,
        number="",
        **{
            f: getattr(agreement, f)
            for f in AGREEMENT_FIELDS
            if f not in {"number", "signed_on", "starts_on", "ends_on"}
        },
    )
    if agreement.ends_on:
        successor.starts_on = agreement.ends_on + datetime.timedelta(days=1)
    _save(successor, actor)
    successor.regions.set(agreement.regions.all(), through_defaults={"tenant_id": agreement.tenant_id})
    for party in agreement.parties.prefetch_related("obligations"):
        new_party = Party.objects.create(
            tenant_id=agreement.tenant_id,
            agreement=successor,
            organization_id=party.organization_id,
            role=party.role,
            signatory_name=party.signatory_name,
            signatory_position=party.signatory_position,
        )
        Obligation.objects.bulk_create(
            [
                Obligation(tenant_id=agreement.tenant_id, party=new_party, description=o.description)
                for o in party.obligations.all()
            ]
        )
    _event(successor, AgreementEvent.Action.CREATED, actor, reason=reason or str(agreement))
    _event(agreement, AgreementEvent.Action.RENEWED, actor, reason=reason, from_status=agreement.status)
    return successor


# --- amendments and obligations ------------------------------------------------------------


@transaction.atomic
def amendment_create(
    *,
    agreement: Agreement,
    actor: User | None,
    signed_on: datetime.date,
    effective_on: datetime.date,
    summary: str,
    new_terms: dict[str, Any] | None = None,
    document: Document | None = None,
) -> Amendment:
    """Record an adendum; the changed terms become the agreement's current terms and the old
    values are kept in the amendment."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_current:
        raise ApplicationError(errors.AMENDMENT_NOT_CURRENT, code="not_current")
    new_terms = {k: v for k, v in (new_terms or {}).items() if k in Agreement.AMENDABLE_FIELDS and v not in (None, "")}
    if not new_terms and not summary.strip():
        raise ValidationError({"summary": [errors.NOTHING_AMENDED]})
    changes = {}
    for field, value in new_terms.items():
        old = getattr(agreement, field)
        if old != value:
            changes[field] = {"old": _json(old), "new": _json(value)}
            setattr(agreement, field, value)
    if changes:
        agreement._change_reason = "amended"
        _save(agreement, actor)
    number = (agreement.amendments.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    amendment = Amendment.objects.create(
        tenant_id=agreement.tenant_id,
        agreement=agreement,
        number=number,
        signed_on=signed_on,
        effective_on=effective_on,
        summary=summary.strip(),
        changes=changes,
        document=document,
        created_by=actor,
    )
    _event(agreement, AgreementEvent.Action.AMENDED, actor, reason=f"Adendum {number}: {summary.strip()}"[:500])
    return amendment


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def obligation_create(
    *, party: Party, actor: User | None, description: str, due_on: datetime.date | None = None
) -> Obligation:
    obligation = Obligation(tenant_id=party.tenant_id, party=party, description=description.strip(), due_on=due_on)
    obligation._history_user = actor
    obligation.full_clean()
    obligation.save()
    return obligation


@transaction.atomic
def obligation_update(*, obligation: Obligation, actor: User | None, **data: Any) -> Obligation:
    for name in ("description", "due_on", "done_on", "evidence"):
        if name in data:
            setattr(obligation, name, data[name])
    obligation._history_user = actor
    obligation.full_clean()
    obligation.save()
    return obligation


@transaction.atomic
def obligation_delete(*, obligation: Obligation, actor: User | None) -> None:
    obligation._history_user = actor
    obligation.delete()


# --- the daily job -------------------------------------------------------------------------

NOTICE_DAYS = (90, 30)


def agreements_run_daily(*, tenant: Tenant, today: datetime.date | None = None) -> dict[str, int]:
    """Expire agreements past their end date and send the 90- and 30-day end notices.

    Idempotent: an expired agreement is no longer current, and each notice carries a key
    (agreement, threshold, end date) so it reaches each person once, however often this runs.
    """
    from organizations.models import Membership, Notification, Role
    from organizations.notifications import notify

    today = today or timezone.localdate()
    expired = 0
    for agreement in Agreement.objects.filter(status__in=[S.ACTIVE, S.SUSPENDED], ends_on__lt=today):
        agreement_expire(agreement=agreement)
        expired += 1
    staff = list(Membership.objects.filter(tenant=tenant, role__in=[Role.ADMIN, Role.MANAGER]).select_related("user"))
    coordinators = list(Membership.objects.filter(tenant=tenant, role=Role.COORDINATOR).select_related("user"))
    notices = 0
    ending = Agreement.objects.ending_within(max(NOTICE_DAYS), today=today).prefetch_related("parties")
    for agreement in ending:
        days_left = (agreement.ends_on - today).days
        threshold = min(d for d in NOTICE_DAYS if days_left <= d)
        party_orgs = {p.organization_id for p in agreement.parties.all()}
        users = [m.user for m in staff] + [m.user for m in coordinators if m.organization_id in party_orgs]
        notices += notify(
            tenant=tenant,
            users=list({u.pk: u for u in users}.values()),
            kind=Notification.Kind.AGREEMENT_ENDING,
            key=f"agreement-end-{threshold}:{agreement.pk}:{agreement.ends_on.isoformat()}",
            params={"title": str(agreement), "date": agreement.ends_on.isoformat(), "days": days_left},
            link=f"/t/{tenant.slug}/kemitraan/{agreement.pk}/",
            email_template="agreement_ending",
        )
    return {"expired": expired, "notices": notices}
