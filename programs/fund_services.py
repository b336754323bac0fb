"""Every write to shared funds. Money moves only through ``_post``, which changes the fund's
balance with a guarded UPDATE (``balance + amount >= 0``) and appends the ledger entry in the
same transaction: concurrent payments queue on the fund's row (PostgreSQL) or on the write lock
(SQLite, IMMEDIATE transactions), and none can overdraw the fund."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.errors import ApplicationError
from organizations.models import Organization, Role, Tenant, User
from partnerships.models import Agreement

from .models import Channel, Disbursement, Fund, FundEvidence, LedgerEntry, Pledge, PledgeInstallment, Program

Upload = tuple[str, bytes]  # (file name, content)

INSUFFICIENT_BALANCE = _("The fund's balance is not enough for this payment.")
OVER_PLEDGE = _("This receipt would exceed the pledge; record the excess as an extra contribution.")
NOT_A_PARTY = _("%(name)s is not a party to the fund's agreement.")
SCHEDULE_MISMATCH = _("The instalments must add up to the pledged amount.")
IN_KIND_NEEDS_DESCRIPTION = _("Describe the in-kind contribution and its valuation.")
SAME_PERSON = _("Another manager must approve: the requester cannot approve their own request.")
NEEDS_ADMIN = _("Above the tenant's threshold an administrator must approve as well.")
WRONG_STATE = _("This step is not possible while the disbursement is “%(status)s”.")
REASON_REQUIRED = _("Give a reason.")
ALREADY_REVERSED = _("This entry has already been reversed.")
PROGRAM_NOT_IN_FUND = _("The program does not belong to the fund's agreement.")
D = Disbursement.Status


def _whole(amount: Decimal) -> Decimal:
    amount = Decimal(amount)
    if amount != amount.to_integral_value() or amount <= 0:
        raise ValidationError({"amount": [_("Enter a whole, positive number of rupiah.")]})
    return amount


def _post(
    *, fund: Fund, kind: str, amount: Decimal, actor: User | None, occurred_on: datetime.date | None = None,
    idempotency_key: str | None = None, **links,
) -> LedgerEntry:  # fmt: skip
    """Append one entry and move the balance by ``amount`` (signed), refusing to go below zero."""
    if idempotency_key:
        existing = LedgerEntry.objects.filter(fund=fund, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing  # a replay of the same request
    guard = {} if amount > 0 else {"balance__gte": -amount}
    if not Fund.objects.filter(pk=fund.pk, **guard).update(balance=F("balance") + amount):
        raise ApplicationError(INSUFFICIENT_BALANCE, code="insufficient_balance")
    # Two concurrent requests with the same idempotency key: the unique constraint fails the
    # second one's whole transaction (its balance change included).
    return LedgerEntry.objects.create(
        tenant_id=fund.tenant_id, fund=fund, kind=kind, amount=amount, actor=actor,
        occurred_on=occurred_on or timezone.localdate(), idempotency_key=idempotency_key or "", **links,
    )  # fmt: skip


@transaction.atomic
def fund_create(
    *, tenant: Tenant, agreement: Agreement, actor: User | None, name: str, programs: Iterable[Program] = ()
) -> Fund:
    fund = Fund(tenant=tenant, agreement=agreement, name=name.strip())
    fund._history_user = actor  # the audit log names who did it, also outside a request
    fund.save()
    for program in programs:
        if program.agreement_id != agreement.pk:
            raise ValidationError({"programs": [PROGRAM_NOT_IN_FUND]})
    fund.programs.set(programs, through_defaults={"tenant_id": tenant.pk})
    return fund


@transaction.atomic
def pledge_create(
    *, fund: Fund, organization: Organization, actor: User | None, channel: str, amount: Decimal,
    installments: Iterable[tuple[datetime.date, Decimal]] = (), in_kind_description: str = "", note: str = "",
) -> Pledge:  # fmt: skip
    amount = _whole(amount)
    if not fund.agreement.parties.filter(organization=organization).exists():
        raise ValidationError({"organization": [NOT_A_PARTY % {"name": organization.name}]})
    if channel == Channel.NATURA and not in_kind_description.strip():
        raise ValidationError({"in_kind_description": [IN_KIND_NEEDS_DESCRIPTION]})
    installments = [(due, _whole(part)) for due, part in installments]
    if installments and sum(part for _due, part in installments) != amount:
        raise ValidationError({"installments": [SCHEDULE_MISMATCH]})
    pledge = Pledge(
        tenant_id=fund.tenant_id, fund=fund, organization=organization, channel=channel, amount=amount,
        in_kind_description=in_kind_description.strip(), note=note,
    )  # fmt: skip
    pledge._history_user = actor
    pledge.save()
    PledgeInstallment.objects.bulk_create(
        [
            PledgeInstallment(tenant_id=fund.tenant_id, pledge=pledge, due_on=due, amount=part)
            for due, part in installments
        ]
    )
    return pledge


def pledge_received(pledge: Pledge) -> Decimal:
    total = LedgerEntry.objects.filter(pledge=pledge).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


@transaction.atomic
def receipt_record(
    *, pledge: Pledge, actor: User | None, amount: Decimal, occurred_on: datetime.date | None = None,
    reference: str = "", extra_contribution: bool = False, idempotency_key: str | None = None,
    evidence: Iterable[Upload] = (),
) -> LedgerEntry:  # fmt: skip
    """Money received against a pledge; more than pledged only as an explicit extra contribution."""
    amount = _whole(amount)
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)  # receipts of one pledge queue here
    if not extra_contribution and pledge_received(pledge) + amount > pledge.amount:
        raise ApplicationError(OVER_PLEDGE, code="over_pledge")
    entry = _post(
        fund=pledge.fund, kind=LedgerEntry.Kind.RECEIPT, amount=amount, actor=actor, occurred_on=occurred_on,
        idempotency_key=idempotency_key, pledge=pledge, reference=reference, extra_contribution=extra_contribution,
    )  # fmt: skip
    for name, content in evidence:
        fund_evidence_upload(fund=pledge.fund, actor=actor, name=name, content=content, entry=entry)
    return entry


@transaction.atomic
def disbursement_request(
    *, fund: Fund, program: Program, actor: User | None, amount: Decimal, purpose: str, planned_on: datetime.date,
    evidence: Iterable[Upload] = (),
) -> Disbursement:  # fmt: skip
    restricted = fund.program_links.values_list("program_id", flat=True)
    if program.agreement_id != fund.agreement_id or (restricted.exists() and program.pk not in restricted):
        raise ValidationError({"program": [PROGRAM_NOT_IN_FUND]})
    if not purpose.strip():
        raise ValidationError({"purpose": [_("Describe what the money is for.")]})
    disbursement = Disbursement(
        tenant_id=fund.tenant_id, fund=fund, program=program, amount=_whole(amount), purpose=purpose.strip(),
        planned_on=planned_on, requested_by=actor,
    )  # fmt: skip
    disbursement._history_user = actor
    disbursement.save()
    for name, content in evidence:
        fund_evidence_upload(fund=fund, actor=actor, name=name, content=content, disbursement=disbursement)
    return disbursement


def fund_evidence_upload(
    *, fund: Fund, actor: User | None, name: str, content: bytes, entry: LedgerEntry | None = None,
    disbursement: Disbursement | None = None,
) -> FundEvidence:  # fmt: skip
    """Attach a file to a receipt or a disbursement: the same content checks and size limit as
    agreement documents, stored under the tenant with a random name."""
    from partnerships.documents import check_upload, store_upload

    content_type, storage_name = check_upload(name=name, content=content)
    evidence = FundEvidence(
        tenant_id=fund.tenant_id, fund=fund, entry=entry, disbursement=disbursement, storage_name=storage_name,
        original_name=name[:255], content_type=content_type, size=len(content), uploaded_by=actor,
    )  # fmt: skip
    store_upload(evidence, content)
    return evidence


def _locked(disbursement: Disbursement, allowed: set[str]) -> Disbursement:
    locked = Disbursement.objects.select_for_update().select_related("fund__tenant").get(pk=disbursement.pk)
    if locked.status not in allowed:
        raise ApplicationError(WRONG_STATE % {"status": locked.get_status_display()}, code="wrong_state")
    return locked


@transaction.atomic
def disbursement_approve(*, disbursement: Disbursement, actor: User, role: str) -> Disbursement:
    """Two-person rule: never the requester. Above the tenant's threshold two approvals by two
    different people are needed, one of them an administrator (in either order): an
    administrator fills ``admin_approved_by``, anyone else ``approved_by``."""
    d = _locked(disbursement, {D.REQUESTED})
    if actor.pk in (d.requested_by_id, d.approved_by_id, d.admin_approved_by_id):
        raise ApplicationError(SAME_PERSON, code="same_person")
    above = d.amount > d.fund.tenant.disbursement_admin_threshold
    if not above:
        d.approved_by = actor
    elif role == Role.ADMIN and d.admin_approved_by_id is None:
        d.admin_approved_by = actor
    elif d.approved_by_id is None:
        d.approved_by = actor
    else:
        raise ApplicationError(NEEDS_ADMIN, code="needs_admin")
    if d.approved_by_id and (not above or d.admin_approved_by_id):
        d.status = D.APPROVED
        d.decided_at = timezone.now()
    d._history_user = actor
    d.save()
    return d


@transaction.atomic
def disbursement_reject(*, disbursement: Disbursement, actor: User, reason: str) -> Disbursement:
    if not (reason or "").strip():
        raise ValidationError({"reason": [REASON_REQUIRED]})
    d = _locked(disbursement, {D.REQUESTED, D.APPROVED})
    d.status = D.REJECTED
    d.rejection_reason = reason.strip()
    d.rejected_by = actor
    d.decided_at = timezone.now()
    d._history_user = actor
    d.save()
    return d


@transaction.atomic
def disbursement_pay(
    *, disbursement: Disbursement, actor: User | None, paid_on: datetime.date | None = None, reference: str = "",
    idempotency_key: str | None = None,
) -> LedgerEntry:  # fmt: skip
    d = _locked(disbursement, {D.APPROVED, D.PAID})
    if d.status == D.PAID:
        entry = d.payments.filter(kind=LedgerEntry.Kind.PAYMENT).order_by("-id").first()
        if entry is not None and idempotency_key and entry.idempotency_key == idempotency_key:
            return entry  # a replay
        raise ApplicationError(WRONG_STATE % {"status": d.get_status_display()}, code="wrong_state")
    entry = _post(
        fund=d.fund, kind=LedgerEntry.Kind.PAYMENT, amount=-d.amount, actor=actor, occurred_on=paid_on,
        idempotency_key=idempotency_key, disbursement=d, reference=reference,
    )  # fmt: skip
    d.status = D.PAID
    d.paid_on = entry.occurred_on
    d.payment_reference = reference
    d._history_user = actor
    d.save()
    return entry


@transaction.atomic
def ledger_reverse(
    *, entry: LedgerEntry, actor: User | None, reason: str, occurred_on: datetime.date | None = None
) -> LedgerEntry:
    """Correct an entry by appending its opposite; the original stays."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [REASON_REQUIRED]})
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind == LedgerEntry.Kind.REVERSAL or LedgerEntry.objects.filter(reverses=entry).exists():
        raise ApplicationError(ALREADY_REVERSED, code="already_reversed")
    reversal = _post(
        fund=entry.fund, kind=LedgerEntry.Kind.REVERSAL, amount=-entry.amount, actor=actor, reverses=entry,
        occurred_on=occurred_on, note=reason.strip(), pledge=entry.pledge, disbursement=entry.disbursement,
    )  # fmt: skip
    if entry.kind == LedgerEntry.Kind.PAYMENT:
        # The money did not go out after all (a failed transfer): the request is approved again
        # and can be paid once more.
        reopened = Disbursement.objects.select_for_update().get(pk=entry.disbursement_id)
        reopened.status, reopened.paid_on, reopened.payment_reference = D.APPROVED, None, ""
        reopened._history_user = actor
        reopened._change_reason = "payment reversed"
        reopened.save()
    return reversal


def fund_reconcile(*, fund: Fund) -> tuple[Decimal, Decimal]:
    """(stored balance, sum of the ledger): they must be equal."""
    total = fund.ledger.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return Fund.objects.values_list("balance", flat=True).get(pk=fund.pk), total


# --- daily jobs --------------------------------------------------------------------------

PLEDGE_REMIND_DAYS = 7


def funds_run_daily(*, tenant: Tenant, today: datetime.date | None = None) -> dict[str, int]:
    """Reconcile every fund (balance == ledger sum; drift alerts the administrators, once a day)
    and remind about pledge instalments falling due within a week or overdue (each once)."""
    from organizations.models import Membership, Notification
    from organizations.notifications import notify
    from organizations.templatetags.formatting import format_rupiah

    from .fund_selectors import funds_with_drift
    from .models import PledgeInstallment

    today = today or timezone.localdate()
    memberships = list(Membership.objects.filter(tenant=tenant).select_related("user"))
    admins = [m.user for m in memberships if m.role == Role.ADMIN]
    staff = [m.user for m in memberships if m.role in (Role.ADMIN, Role.MANAGER)]
    drift = 0
    for fund, ledger_sum in funds_with_drift():
        drift += notify(
            tenant=tenant, users=admins, kind=Notification.Kind.FUND_DRIFT, key=f"fund-drift:{fund.pk}:{today.isoformat()}",
            params={"fund": fund.name, "balance": format_rupiah(fund.balance), "ledger": format_rupiah(ledger_sum)},
            link=f"/t/{tenant.slug}/", email_template=None,
        )  # fmt: skip
    received: dict[int, Decimal] = dict(
        LedgerEntry.objects.filter(pledge__isnull=False, disbursement__isnull=True)
        .values_list("pledge_id")
        .annotate(total=Sum("amount"))
        .values_list("pledge_id", "total")
    )
    reminders = 0
    installments = PledgeInstallment.objects.filter(
        due_on__lte=today + datetime.timedelta(days=PLEDGE_REMIND_DAYS)
    ).select_related("pledge__organization", "pledge__fund")
    due_so_far: dict[int, Decimal] = {}
    for installment in installments.order_by("pledge_id", "due_on"):
        pledge = installment.pledge
        due_so_far[pledge.pk] = due_so_far.get(pledge.pk, Decimal(0)) + installment.amount
        if (received.get(pledge.pk) or Decimal(0)) >= due_so_far[pledge.pk]:
            continue  # this instalment is covered
        kind = Notification.Kind.PLEDGE_OVERDUE if installment.due_on < today else Notification.Kind.PLEDGE_DUE
        coordinators = [
            m.user for m in memberships if m.role == Role.COORDINATOR and m.organization_id == pledge.organization_id
        ]
        reminders += notify(
            tenant=tenant, users=list({u.pk: u for u in staff + coordinators}.values()), kind=kind,
            key=f"{kind}:{installment.pk}",
            params={"organization": pledge.organization.name, "fund": pledge.fund.name,
                    "amount": format_rupiah(installment.amount), "date": installment.due_on.isoformat()},
            link=f"/t/{tenant.slug}/", email_template=None,
        )  # fmt: skip
    return {"drift": drift, "reminders": reminders}
