"""Every write to programs, indicators, periods, progress updates and milestones."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organizations.errors import ApplicationError
from organizations.models import Organization, Region, Tenant, User
from partnerships.models import Agreement

from . import errors
from .models import (
    Indicator,
    Milestone,
    PeriodReopening,
    Program,
    ProgramImplementer,
    ProgressUpdate,
    ReportingPeriod,
    TargetRevision,
)
from .periods import calendar_periods
from .spm import SPM_BY_NUMBER

PROGRAM_FIELDS = ("name", "theme", "description", "starts_on", "ends_on", "status")
INDICATOR_FIELDS = (
    "code", "name", "definition", "unit", "kind", "baseline", "target", "direction", "cumulative",
    "frequency", "priority", "data_source", "verification", "spm_service",
)  # fmt: skip
U = ProgressUpdate.Status


# --- programs ----------------------------------------------------------------------------


def _check_implementers(agreement: Agreement, implementers: Iterable[Organization]) -> list[Organization]:
    implementers = list(implementers)
    party_ids = set(agreement.parties.values_list("organization_id", flat=True))
    for organization in implementers:
        if organization.pk not in party_ids:
            raise ValidationError({"implementers": [errors.IMPLEMENTER_NOT_PARTY % {"name": organization.name}]})
    return implementers


def _set_links(program: Program, implementers: list[Organization] | None, regions: Iterable[Region] | None) -> None:
    defaults = {"tenant_id": program.tenant_id}
    if implementers is not None:
        program.implementers.set(implementers, through_defaults=defaults)
    if regions is not None:
        program.regions.set(regions, through_defaults=defaults)


@transaction.atomic
def program_create(
    *,
    tenant: Tenant,
    agreement: Agreement,
    actor: User | None,
    implementers: Iterable[Organization],
    regions: Iterable[Region] = (),
    **data: Any,
) -> Program:
    if agreement.status in {Agreement.Status.EXPIRED, Agreement.Status.TERMINATED}:
        raise ApplicationError(errors.AGREEMENT_NOT_CURRENT, code="agreement_not_current")
    implementers = _check_implementers(agreement, implementers)
    program = Program(tenant=tenant, agreement=agreement, **{k: v for k, v in data.items() if k in PROGRAM_FIELDS})
    program._history_user = actor
    program.full_clean()
    program.save()
    _set_links(program, implementers, regions)
    return program


@transaction.atomic
def program_update(
    *,
    program: Program,
    actor: User | None,
    implementers: Iterable[Organization] | None = None,
    regions: Iterable[Region] | None = None,
    **data: Any,
) -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    for name in PROGRAM_FIELDS:
        if name in data:
            setattr(program, name, data[name])
    checked = _check_implementers(program.agreement, implementers) if implementers is not None else None
    program._history_user = actor
    program.full_clean()
    program.save()
    _set_links(program, checked, regions)
    periods_generate(program=program)
    return program


# --- indicators --------------------------------------------------------------------------


@transaction.atomic
def indicator_create(*, program: Program, actor: User | None, **data: Any) -> Indicator:
    indicator = Indicator(
        tenant_id=program.tenant_id, program=program, **{k: v for k, v in data.items() if k in INDICATOR_FIELDS}
    )
    indicator._history_user = actor
    indicator.full_clean()
    indicator.save()
    periods_generate(program=program)
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, actor: User | None, **data: Any) -> Indicator:
    """Change the reference sheet; the target changes only through ``indicator_revise_target``."""
    for name in INDICATOR_FIELDS:
        if name in data and name != "target":
            setattr(indicator, name, data[name])
    indicator._history_user = actor
    indicator.full_clean()
    indicator.save()
    periods_generate(program=indicator.program)
    indicators_refresh_achieved(indicator_ids=[indicator.pk])  # the kind decides how values add up
    return indicator


@transaction.atomic
def indicator_revise_target(
    *, indicator: Indicator, actor: User | None, new_target: Decimal, reason: str
) -> TargetRevision:
    if not (reason or "").strip():
        raise ValidationError({"reason": [errors.TARGET_REASON_REQUIRED]})
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    revision = TargetRevision(
        tenant_id=indicator.tenant_id,
        indicator=indicator,
        old_target=indicator.target,
        new_target=new_target,
        reason=reason.strip(),
        revised_by=actor,
    )
    indicator.target = new_target
    indicator._history_user = actor
    indicator._change_reason = reason.strip()[:100]
    indicator.full_clean()
    indicator.save()
    revision.save()
    return revision


@transaction.atomic
def indicators_add_spm(
    *, program: Program, actor: User | None, services: Iterable[int], frequency: str = "monthly"
) -> list[Indicator]:
    """Add SPM services as percentage indicators with a 100% target, in one step. Services
    the program already has are skipped, so adding twice changes nothing."""
    existing = set(program.indicators.exclude(spm_service=None).values_list("spm_service", flat=True))
    created = []
    for number in services:
        if number in existing or number not in SPM_BY_NUMBER:
            continue
        template = SPM_BY_NUMBER[number]
        created.append(
            indicator_create(
                program=program,
                actor=actor,
                code=template.code,
                name=str(template.name),
                definition=str(template.definition),
                unit="%",
                kind=Indicator.Kind.RATIO,
                target=Decimal("100"),
                frequency=frequency,
                priority=Indicator.Priority.HIGH,
                data_source="SIMPUS / laporan SPM",
                verification="Register layanan puskesmas",
                spm_service=number,
            )
        )
    return created


# --- periods -----------------------------------------------------------------------------


def periods_generate(*, program: Program) -> int:
    """Create the missing periods for the frequencies the program's indicators use
    (idempotent); returns how many were created."""
    tenant = program.tenant
    frequencies = set(program.indicators.values_list("frequency", flat=True))
    existing = set(program.periods.values_list("frequency", "year", "number"))
    new = []
    for frequency in frequencies:
        for year, number, first, last in calendar_periods(frequency, program.starts_on, program.ends_on):
            if (frequency, year, number) in existing:
                continue
            due = last + datetime.timedelta(days=tenant.reporting_due_days)
            new.append(
                ReportingPeriod(
                    tenant_id=program.tenant_id,
                    program=program,
                    frequency=frequency,
                    year=year,
                    number=number,
                    starts_on=first,
                    ends_on=last,
                    due_on=due,
                    locks_on=due + datetime.timedelta(days=tenant.reporting_lock_days),
                )
            )
    ReportingPeriod.objects.bulk_create(new)
    periods_refresh_expected(periods=program.periods.all())  # indicators or implementers may have changed
    return len(new)


def period_is_open_for(*, period: ReportingPeriod, organization: Organization, today: datetime.date) -> bool:
    if today <= period.locks_on:
        return True
    return period.reopenings.filter(organization=organization, until__gte=today).exists()


@transaction.atomic
def period_reopen(
    *, period: ReportingPeriod, organization: Organization, actor: User | None, reason: str, until: datetime.date
) -> PeriodReopening:
    if not (reason or "").strip():
        raise ValidationError({"reason": [errors.REOPEN_REASON_REQUIRED]})
    return PeriodReopening.objects.create(
        tenant_id=period.tenant_id,
        period=period,
        organization=organization,
        until=until,
        reason=reason.strip(),
        reopened_by=actor,
    )


# --- progress updates --------------------------------------------------------------------


def _validate_values(indicator: Indicator, value, numerator, denominator) -> None:
    problems: dict[str, list] = {}
    if indicator.kind == Indicator.Kind.RATIO:
        if numerator is None or denominator is None:
            problems["numerator"] = [errors.RATIO_NEEDS_BOTH]
        else:
            if numerator < 0 or denominator < 0:
                problems["numerator"] = [errors.NEGATIVE_VALUE]
            elif denominator == 0:
                problems["denominator"] = [errors.DENOMINATOR_ZERO]
            elif numerator > denominator:
                problems["numerator"] = [errors.NUMERATOR_ABOVE_DENOMINATOR]
    else:
        if value is None:
            problems["value"] = [errors.VALUE_REQUIRED]
        elif value < 0:
            problems["value"] = [errors.NEGATIVE_VALUE]
        elif indicator.kind == Indicator.Kind.PERCENT and value > 100:
            problems["value"] = [errors.PERCENT_RANGE]
    if problems:
        raise ValidationError(problems)


def _previous_cumulative(indicator: Indicator, period: ReportingPeriod, organization: Organization) -> Decimal | None:
    previous = (
        ProgressUpdate.objects.filter(
            indicator=indicator, organization=organization, status=U.APPROVED, period__starts_on__lt=period.starts_on
        )
        .order_by("-period__starts_on")
        .first()
    )
    return previous.effective_value if previous else None


@transaction.atomic
def progress_update_save(
    *,
    indicator: Indicator,
    period: ReportingPeriod,
    organization: Organization,
    actor: User | None,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    narrative: str = "",
    explanation: str = "",
    today: datetime.date | None = None,
) -> ProgressUpdate:
    """Create or change the organization's draft (or returned) update for the period."""
    today = today or timezone.localdate()
    if period.program_id != indicator.program_id or period.frequency != indicator.frequency:
        raise ValidationError({"period": [errors.PERIOD_LOCKED]})
    if not ProgramImplementer.objects.filter(program_id=indicator.program_id, organization=organization).exists():
        raise ApplicationError(errors.NOT_IMPLEMENTER, code="not_implementer")
    if not period_is_open_for(period=period, organization=organization, today=today):
        raise ApplicationError(errors.PERIOD_LOCKED, code="period_locked")
    update = ProgressUpdate.objects.select_for_update().filter(
        indicator=indicator, period=period, organization=organization
    ).first() or ProgressUpdate(
        tenant_id=indicator.tenant_id, indicator=indicator, period=period, organization=organization
    )
    if update.status not in {U.DRAFT, U.RETURNED}:
        raise ApplicationError(errors.WRONG_STATUS % {"status": update.get_status_display()}, code="not_editable")
    _validate_values(indicator, value, numerator, denominator)
    update.value = value if indicator.kind != Indicator.Kind.RATIO else None
    update.numerator, update.denominator = (
        (numerator, denominator) if indicator.kind == Indicator.Kind.RATIO else (None, None)
    )
    update.narrative = narrative.strip()
    update.explanation = explanation.strip()
    if indicator.cumulative:
        previous = _previous_cumulative(indicator, period, organization)
        if (
            previous is not None
            and update.effective_value is not None
            and update.effective_value < previous
            and not update.explanation
        ):
            raise ValidationError({"explanation": [errors.CUMULATIVE_DECREASE % {"previous": _number(previous)}]})
    update._history_user = actor
    update.save()
    return update


def _number(value: Decimal) -> str:
    """1234.50 → "1.234,5" in Indonesian (whole numbers without decimals)."""
    from django.utils import formats

    places = 0 if value == value.to_integral_value() else 2
    return formats.number_format(value, decimal_pos=places, force_grouping=True)


def _locked_update(update: ProgressUpdate, allowed: set[str]) -> ProgressUpdate:
    locked = ProgressUpdate.objects.select_for_update().select_related("indicator", "period").get(pk=update.pk)
    if locked.status not in allowed:
        raise ApplicationError(errors.WRONG_STATUS % {"status": locked.get_status_display()}, code="wrong_status")
    return locked


@transaction.atomic
def progress_update_submit(
    *, update: ProgressUpdate, actor: User | None, today: datetime.date | None = None
) -> ProgressUpdate:
    today = today or timezone.localdate()
    update = _locked_update(update, {U.DRAFT, U.RETURNED})
    if not period_is_open_for(period=update.period, organization=update.organization, today=today):
        raise ApplicationError(errors.PERIOD_LOCKED, code="period_locked")
    _validate_values(update.indicator, update.value, update.numerator, update.denominator)
    update.resubmitted = update.status == U.RETURNED
    update.status = U.SUBMITTED
    update.submitted_at = timezone.now()
    update.submitted_by = actor
    update._history_user = actor
    update._change_reason = "resubmitted" if update.resubmitted else "submitted"
    update.save()
    periods_refresh_counts(periods=ReportingPeriod.objects.filter(pk=update.period_id))
    return update


@transaction.atomic
def progress_update_approve(*, update: ProgressUpdate, actor: User) -> ProgressUpdate:
    update = _locked_update(update, {U.SUBMITTED})
    if update.submitted_by_id == actor.pk:
        raise ApplicationError(errors.OWN_UPDATE, code="own_update")
    update.status = U.APPROVED
    update.reviewed_at = timezone.now()
    update.reviewed_by = actor
    update.review_note = ""
    update._history_user = actor
    update._change_reason = "approved"
    update.save()
    indicators_refresh_achieved(indicator_ids=[update.indicator_id])
    return update


@transaction.atomic
def progress_update_return(*, update: ProgressUpdate, actor: User, note: str) -> ProgressUpdate:
    if not (note or "").strip():
        raise ValidationError({"note": [errors.RETURN_NEEDS_NOTE]})
    update = _locked_update(update, {U.SUBMITTED})
    update.status = U.RETURNED
    update.reviewed_at = timezone.now()
    update.reviewed_by = actor
    update.review_note = note.strip()
    update._history_user = actor
    update._change_reason = "returned"
    update.save()
    return update


# --- achievement, denormalised on the indicator ---------------------------------------------

ACHIEVED_BATCH = 2_000


def indicators_refresh_achieved(*, indicator_ids: Iterable[int] | None = None, models=None) -> int:
    """Recompute ``Indicator.achieved`` from the approved updates (all indicators, or the given
    ones) with the program page's rules; two reads and one write per 2,000 indicators. The
    indicator rows are locked first, so two approvals at once cannot each miss the other's
    value. Returns how many changed. ``models`` lets a data migration pass its historical
    (Indicator, ProgressUpdate)."""
    from .selectors import ApprovedValue, _achieved

    indicator_model, update_model = models or (Indicator, ProgressUpdate)
    qs = (
        indicator_model.objects.all() if indicator_ids is None else indicator_model.objects.filter(pk__in=indicator_ids)
    )
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), ACHIEVED_BATCH):
        with transaction.atomic():
            chunk = list(
                indicator_model.objects.select_for_update()
                .filter(pk__in=ids[start : start + ACHIEVED_BATCH])
                .order_by("pk")
                .only("pk", "kind", "cumulative", "achieved")
            )
            values: dict[int, list] = {}
            days: dict[datetime.date, PeriodStart] = {}
            for indicator_id, organization_id, value, numerator, denominator, starts_on in (
                update_model.objects.filter(indicator_id__in=[i.pk for i in chunk], status=U.APPROVED)
                .order_by("period__starts_on", "id")
                .values_list(
                    "indicator_id", "organization_id", "value", "numerator", "denominator", "period__starts_on"
                )
            ):
                period = days.setdefault(starts_on, PeriodStart(starts_on))
                values.setdefault(indicator_id, []).append(
                    ApprovedValue(organization_id, value, numerator, denominator, period)
                )
            stale = []
            for indicator in chunk:
                achieved = _achieved(indicator, values.get(indicator.pk, []))
                if achieved is not None:
                    achieved = achieved.quantize(Decimal("0.01"))
                if achieved != indicator.achieved:
                    indicator.achieved = achieved
                    stale.append(indicator)
            indicator_model.objects.bulk_update(stale, ["achieved"], batch_size=1_000)
            changed += len(stale)
    return changed


def periods_refresh_expected(*, periods, models=None) -> int:
    """Recompute ``reports_expected`` (the program's implementers × its indicators of the
    period's frequency) of the given periods: three reads and one write per 5,000 periods.
    ``models`` lets a data migration pass its historical (ReportingPeriod, Indicator,
    ProgramImplementer)."""
    from django.db.models import Count

    period_model, indicator_model, implementer_model = models or (ReportingPeriod, Indicator, ProgramImplementer)
    ids = list(periods.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), 5_000):
        chunk = list(
            period_model.objects.filter(pk__in=ids[start : start + 5_000]).only(
                "pk", "program_id", "frequency", "reports_expected"
            )
        )
        programs = {p.program_id for p in chunk}
        implementers = dict(
            implementer_model.objects.filter(program_id__in=programs)
            .order_by()
            .values_list("program_id")
            .annotate(n=Count("pk"))
            .values_list("program_id", "n")
        )
        indicators = {
            (program_id, frequency): n
            for program_id, frequency, n in indicator_model.objects.filter(program_id__in=programs)
            .order_by()
            .values_list("program_id", "frequency")
            .annotate(n=Count("pk"))
            .values_list("program_id", "frequency", "n")
        }
        stale = []
        for period in chunk:
            expected = implementers.get(period.program_id, 0) * indicators.get((period.program_id, period.frequency), 0)
            if period.reports_expected != expected:
                period.reports_expected = expected
                stale.append(period)
        period_model.objects.bulk_update(stale, ["reports_expected"], batch_size=1_000)
        changed += len(stale)
    return changed


def periods_refresh_counts(*, periods, models=None) -> int:
    """Recount ``reports_received`` / ``reports_on_time`` of the given periods (on time =
    submitted, in local time, by the due date plus the tenant's grace days), locking the period
    rows so two submissions at once cannot each miss the other's; two reads and one write per
    5,000 periods. ``models`` lets a data migration pass its historical (Tenant,
    ReportingPeriod, ProgressUpdate)."""
    tenant_model, period_model, update_model = models or (Tenant, ReportingPeriod, ProgressUpdate)
    ids = list(periods.order_by("pk").values_list("pk", flat=True))
    grace = {
        pk: datetime.timedelta(days=days) for pk, days in tenant_model.objects.values_list("pk", "reporting_grace_days")
    }
    changed = 0
    for start in range(0, len(ids), 5_000):
        with transaction.atomic():
            chunk = {
                p.pk: p
                for p in period_model.objects.select_for_update()
                .filter(pk__in=ids[start : start + 5_000])
                .only("pk", "tenant_id", "due_on", "reports_received", "reports_on_time")
            }
            counts = {pk: [0, 0] for pk in chunk}
            for period_id, submitted_at in update_model.objects.filter(
                period_id__in=list(chunk), submitted_at__isnull=False
            ).values_list("period_id", "submitted_at"):
                period = chunk[period_id]
                counts[period_id][0] += 1
                counts[period_id][1] += (
                    timezone.localtime(submitted_at).date() <= period.due_on + grace[period.tenant_id]
                )
            stale = []
            for pk, (received, on_time) in counts.items():
                period = chunk[pk]
                if (period.reports_received, period.reports_on_time) != (received, on_time):
                    period.reports_received, period.reports_on_time = received, on_time
                    stale.append(period)
            period_model.objects.bulk_update(stale, ["reports_received", "reports_on_time"], batch_size=1_000)
            changed += len(stale)
    return changed


class PeriodStart(NamedTuple):
    starts_on: datetime.date


# --- milestones --------------------------------------------------------------------------


@transaction.atomic
def milestone_create(
    *, program: Program, actor: User | None, title: str, due_on: datetime.date, note: str = ""
) -> Milestone:
    milestone = Milestone(tenant_id=program.tenant_id, program=program, title=title.strip(), due_on=due_on, note=note)
    milestone._history_user = actor
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, actor: User | None, **data: Any) -> Milestone:
    for name in ("title", "due_on", "done_on", "note"):
        if name in data:
            setattr(milestone, name, data[name])
    milestone._history_user = actor
    milestone.full_clean()
    milestone.save()
    return milestone


# --- the daily reporting job ---------------------------------------------------------------

REMIND_DAYS_BEFORE = 3


def reporting_run_daily(*, tenant: Tenant, today: datetime.date | None = None) -> dict[str, int]:
    """Create missing periods and remind coordinators: once a few days before a report is due
    and once when it is overdue (each notice once per period and organization, however often
    this runs). Overdue is not stored: it is a period past its due date without a submission."""
    from organizations.models import Membership, Notification, Role
    from organizations.notifications import notify

    today = today or timezone.localdate()
    created = sum(
        periods_generate(program=p)
        for p in Program.objects.filter(status__in=[Program.Status.PLANNED, Program.Status.ACTIVE])
    )
    coordinators: dict[int, list] = {}
    for membership in Membership.objects.filter(tenant=tenant, role=Role.COORDINATOR).select_related("user"):
        coordinators.setdefault(membership.organization_id, []).append(membership.user)
    periods = ReportingPeriod.objects.filter(
        due_on__gte=today - datetime.timedelta(days=tenant.reporting_lock_days),
        due_on__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
        starts_on__lte=today,
    ).select_related("program")
    indicator_counts: dict[tuple[int, str], int] = {}
    for program_id, frequency in Indicator.objects.values_list("program_id", "frequency"):
        indicator_counts[(program_id, frequency)] = indicator_counts.get((program_id, frequency), 0) + 1
    sent_counts: dict[tuple[int, int], int] = {}
    for period_id, organization_id in ProgressUpdate.objects.filter(
        period__in=periods, status__in=[U.SUBMITTED, U.APPROVED]
    ).values_list("period_id", "organization_id"):
        sent_counts[(period_id, organization_id)] = sent_counts.get((period_id, organization_id), 0) + 1
    implementers: dict[int, list[int]] = {}
    for program_id, organization_id in ProgramImplementer.objects.values_list("program_id", "organization_id"):
        implementers.setdefault(program_id, []).append(organization_id)
    reminders = 0
    for period in periods:
        expected = indicator_counts.get((period.program_id, period.frequency), 0)
        overdue = today > period.due_on
        if overdue and today > period.locks_on:
            continue
        kind = Notification.Kind.REPORT_OVERDUE if overdue else Notification.Kind.REPORT_DUE
        for organization_id in implementers.get(period.program_id, []):
            if (
                not expected
                or sent_counts.get((period.pk, organization_id), 0) >= expected
                or organization_id not in coordinators
            ):
                continue
            reminders += notify(
                tenant=tenant,
                users=coordinators[organization_id],
                kind=kind,
                key=f"{kind}:{period.pk}:{organization_id}",
                params={"program": period.program.name, "period": str(period.label), "date": period.due_on.isoformat()},
                link=f"/t/{tenant.slug}/program/{period.program_id}/lapor/{period.pk}/",
                email_template=None,
            )
    return {"periods_created": created, "reminders": reminders}


# --- evidence (bukti dukung) ---------------------------------------------------------------


@transaction.atomic
def evidence_upload(
    *,
    program: Program,
    actor: User | None,
    name: str,
    content: bytes,
    update: ProgressUpdate | None = None,
    milestone=None,
):
    """Attach a file to a progress update or a milestone: the same content checks and size
    limit as agreement documents, stored under the tenant with a random name."""
    from partnerships.documents import check_upload, store_upload

    from .models import Evidence

    content_type, storage_name = check_upload(name=name, content=content)
    evidence = Evidence(
        tenant_id=program.tenant_id,
        program=program,
        update=update,
        milestone=milestone,
        storage_name=storage_name,
        original_name=name[:255],
        content_type=content_type,
        size=len(content),
        uploaded_by=actor,
    )
    store_upload(evidence, content)
    return evidence
