"""Reads of programs and progress, shaped for pages and endpoints. Only approved updates
count toward achievement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Prefetch, Q, QuerySet

from organizations.models import Membership, Role

from .models import Indicator, Milestone, Program, ProgramImplementer, ProgressUpdate, ReportingPeriod


def programs_visible_to(membership: Membership) -> QuerySet[Program]:
    """Coordinators see the programs their organization implements or whose agreement it is party to."""
    qs = Program.objects.all()
    if membership.role == Role.COORDINATOR:
        org = membership.organization_id
        qs = qs.filter(
            Q(pk__in=ProgramImplementer.objects.filter(organization_id=org).values("program_id"))
            | Q(agreement__parties__organization_id=org)
        ).distinct()
    return qs


def program_list(
    *, membership: Membership, agreement: int | None = None, theme: str = "", status: str = ""
) -> QuerySet[Program]:
    qs = programs_visible_to(membership).select_related("agreement").prefetch_related("implementers")
    if agreement:
        qs = qs.filter(agreement_id=agreement)
    if theme:
        qs = qs.filter(theme=theme)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("name", "id")


def updates_visible_to(membership: Membership) -> QuerySet[ProgressUpdate]:
    qs = ProgressUpdate.objects.all()
    if membership.role == Role.COORDINATOR:
        qs = qs.filter(organization_id=membership.organization_id)
    return qs


def update_list(
    *,
    membership: Membership,
    program: int | None = None,
    period: int | None = None,
    status: str = "",
    organization: int | None = None,
) -> QuerySet[ProgressUpdate]:
    qs = (
        updates_visible_to(membership)
        .select_related("indicator", "period", "organization", "submitted_by", "reviewed_by")
        .prefetch_related("evidence")
    )
    if program:
        qs = qs.filter(indicator__program_id=program)
    if period:
        qs = qs.filter(period_id=period)
    if status:
        qs = qs.filter(status=status)
    if organization:
        qs = qs.filter(organization_id=organization)
    return qs.order_by("-period__starts_on", "indicator__code", "organization__name", "id")


@dataclass(frozen=True)
class Achievement:
    indicator: Indicator
    achieved: Decimal | None  # from approved updates only
    percent_of_target: Decimal | None


def _percent(achieved: Decimal | None, indicator: Indicator) -> Decimal | None:
    if achieved is None:
        return None
    if indicator.direction == Indicator.Direction.DOWN:
        # Lower is better: progress from the baseline down to the target.
        if indicator.baseline is None or indicator.baseline == indicator.target:
            return None
        share = (indicator.baseline - achieved) / (indicator.baseline - indicator.target) * 100
    else:
        if not indicator.target:
            return None
        share = achieved / indicator.target * 100
    return max(Decimal(0), share).quantize(Decimal("0.1"))


def achievements(*, program: Program) -> list[Achievement]:
    """Achievement per indicator from approved updates, as kept on ``Indicator.achieved`` by the
    services on every approval (``programs.services.indicators_refresh_achieved``, which applies
    ``_achieved``): no query when the indicators are prefetched, one otherwise.

    - counts: the sum of every approved period (cumulative ones: each organization's latest);
    - percentages: the mean of the latest approved period's values across organizations;
    - ratios: Σ numerators / Σ denominators of the latest approved period, as a percentage.
    """
    return [
        Achievement(
            indicator=indicator, achieved=indicator.achieved, percent_of_target=_percent(indicator.achieved, indicator)
        )
        for indicator in sorted(program.indicators.all(), key=lambda i: i.code)
    ]


class ApprovedValue(NamedTuple):
    """An approved update as far as ``_achieved`` reads it (a model instance also fits)."""

    organization_id: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    period: Any  # anything with ``starts_on`` (and ``pk``)


def _achieved(indicator: Indicator, updates: list[ProgressUpdate] | list[ApprovedValue]) -> Decimal | None:
    if not updates:
        return None
    if indicator.kind == Indicator.Kind.COUNT:
        if indicator.cumulative:
            latest: dict[int, ProgressUpdate] = {}
            for update in updates:  # ordered by period: the last one wins
                latest[update.organization_id] = update
            return sum((u.value for u in latest.values()), Decimal(0))
        return sum((u.value for u in updates), Decimal(0))
    last_start = updates[-1].period.starts_on
    latest_period = [u for u in updates if u.period.starts_on == last_start]
    if indicator.kind == Indicator.Kind.RATIO:
        numerator = sum((u.numerator for u in latest_period), Decimal(0))
        denominator = sum((u.denominator for u in latest_period), Decimal(0))
        return (numerator / denominator * 100).quantize(Decimal("0.01")) if denominator else None
    return (sum((u.value for u in latest_period), Decimal(0)) / len(latest_period)).quantize(Decimal("0.01"))


def program_detail(*, membership: Membership, pk: int) -> Program:
    return (
        programs_visible_to(membership)
        .select_related("agreement")
        .prefetch_related(
            "implementers",
            "regions",
            Prefetch("milestones", queryset=Milestone.objects.prefetch_related("evidence")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("code")),
        )
        .get(pk=pk)
    )


# --- the coordinator's reports and reporting rates -----------------------------------------


@dataclass
class PeriodTask:
    """One period of one program that an organization has to report."""

    program: Program
    period: ReportingPeriod
    organization_id: int
    expected: int
    by_status: dict[str, int]

    @property
    def missing(self) -> int:
        return self.expected - sum(self.by_status.values())

    @property
    def state(self) -> str:
        """returned > overdue > draft > due > done, the most urgent first."""
        from django.utils import timezone

        today = timezone.localdate()
        if self.by_status.get(ProgressUpdate.Status.RETURNED):
            return "returned"
        unsent = self.missing + self.by_status.get(ProgressUpdate.Status.DRAFT, 0)
        if unsent and today > self.period.due_on:
            return "overdue"
        if self.by_status.get(ProgressUpdate.Status.DRAFT):
            return "draft"
        if unsent:
            return "due"
        return "done"


def report_tasks(*, organization_id: int, today, include_done: bool = False) -> list[PeriodTask]:
    """The periods an organization must report (started, not locked — or with updates to fix),
    with how many of their indicators are in each status. Four queries."""

    program_ids = list(
        ProgramImplementer.objects.filter(organization_id=organization_id).values_list("program_id", flat=True)
    )
    programs = {p.pk: p for p in Program.objects.filter(pk__in=program_ids)}
    indicator_counts: dict[tuple[int, str], int] = defaultdict(int)
    for program_id, frequency in Indicator.objects.filter(program_id__in=program_ids).values_list(
        "program_id", "frequency"
    ):
        indicator_counts[(program_id, frequency)] += 1
    statuses: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for period_id, status in ProgressUpdate.objects.filter(
        organization_id=organization_id, indicator__program_id__in=program_ids
    ).values_list("period_id", "status"):
        statuses[period_id][status] += 1
    periods = ReportingPeriod.objects.filter(program_id__in=program_ids, starts_on__lte=today).filter(
        Q(locks_on__gte=today) | Q(pk__in=[pid for pid, s in statuses.items() if s.get(ProgressUpdate.Status.RETURNED)])
    )
    tasks = []
    for period in periods.order_by("due_on", "program_id"):
        expected = indicator_counts.get((period.program_id, period.frequency), 0)
        if not expected:
            continue
        task = PeriodTask(
            programs[period.program_id], period, organization_id, expected, dict(statuses.get(period.pk, {}))
        )
        if include_done or task.state != "done":
            tasks.append(task)
    return tasks


@dataclass(frozen=True)
class Rate:
    expected: int
    received: int
    on_time: int

    @property
    def completeness(self) -> Decimal | None:
        return (Decimal(self.received) / self.expected * 100).quantize(Decimal("0.1")) if self.expected else None

    @property
    def timeliness(self) -> Decimal | None:
        return (Decimal(self.on_time) / self.expected * 100).quantize(Decimal("0.1")) if self.expected else None


def reporting_rates(*, programs: QuerySet[Program] | list[int], today, grace_days: int, since=None) -> dict[str, dict]:
    """DHIS2-style reporting rates over the periods already due (due date before ``today``):
    expected = implementers × indicators of the period's frequency; received = updates ever
    submitted; on time = submitted by the due date plus the grace days. Returned per program,
    per organization and in total; a fixed number of queries."""
    import datetime

    program_ids = programs if isinstance(programs, list) else list(programs.values_list("pk", flat=True))
    implementers: dict[int, list[int]] = defaultdict(list)
    for program_id, organization_id in ProgramImplementer.objects.filter(program_id__in=program_ids).values_list(
        "program_id", "organization_id"
    ):
        implementers[program_id].append(organization_id)
    indicators: dict[tuple[int, str], int] = defaultdict(int)
    for program_id, frequency in Indicator.objects.filter(program_id__in=program_ids).values_list(
        "program_id", "frequency"
    ):
        indicators[(program_id, frequency)] += 1
    due = ReportingPeriod.objects.filter(program_id__in=program_ids, due_on__lt=today)
    if since is not None:
        due = due.filter(due_on__gte=since)  # only the periods due within a dashboard's period
    periods = {p.pk: p for p in due.only("id", "program_id", "frequency", "due_on")}
    counts = {
        "program": defaultdict(lambda: [0, 0, 0]),
        "organization": defaultdict(lambda: [0, 0, 0]),
        "total": [0, 0, 0],
    }
    for period in periods.values():
        n = indicators.get((period.program_id, period.frequency), 0)
        for organization_id in implementers.get(period.program_id, []):
            for bucket in (
                counts["program"][period.program_id],
                counts["organization"][organization_id],
                counts["total"],
            ):
                bucket[0] += n
    grace = datetime.timedelta(days=grace_days)
    received = ProgressUpdate.objects.filter(period_id__in=list(periods), submitted_at__isnull=False).values_list(
        "period_id", "organization_id", "submitted_at"
    )
    from django.utils import timezone

    for period_id, organization_id, submitted_at in received:
        period = periods[period_id]
        on_time = timezone.localtime(submitted_at).date() <= period.due_on + grace
        for bucket in (counts["program"][period.program_id], counts["organization"][organization_id], counts["total"]):
            bucket[1] += 1
            bucket[2] += int(on_time)
    return {
        "program": {k: Rate(*v) for k, v in counts["program"].items()},
        "organization": {k: Rate(*v) for k, v in counts["organization"].items()},
        "total": Rate(*counts["total"]),
    }


def review_queue(*, program: int | None = None, organization: int | None = None) -> QuerySet[ProgressUpdate]:
    """Submitted updates waiting for a decision, oldest first."""
    qs = (
        ProgressUpdate.objects.filter(status=ProgressUpdate.Status.SUBMITTED)
        .select_related("indicator__program", "period", "organization", "submitted_by")
        .prefetch_related("evidence")
    )
    if program:
        qs = qs.filter(indicator__program_id=program)
    if organization:
        qs = qs.filter(organization_id=organization)
    return qs.order_by("submitted_at", "id")


def indicator_series(*, program: Program) -> dict[int, list[tuple[str, Decimal]]]:
    """Approved values per indicator and period, aggregated over organizations the way
    ``achievements`` does (counts add up, percentages average, ratios pool), for sparklines."""
    grouped: dict[int, dict[str, list[ProgressUpdate]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        ProgressUpdate.objects.filter(indicator__program=program, status=ProgressUpdate.Status.APPROVED)
        .select_related("period", "indicator")
        .order_by("period__starts_on")
    )
    indicators = {}
    for update in rows:
        grouped[update.indicator_id][update.period.starts_on.isoformat()].append(update)
        indicators[update.indicator_id] = update.indicator
    series = {}
    for indicator_id, periods in grouped.items():
        kind = indicators[indicator_id].kind
        points = []
        for key, updates in sorted(periods.items()):
            if kind == Indicator.Kind.RATIO:
                denominator = sum((u.denominator for u in updates), Decimal(0))
                value = (
                    sum((u.numerator for u in updates), Decimal(0)) / denominator * 100 if denominator else Decimal(0)
                )
            elif kind == Indicator.Kind.PERCENT:
                value = sum((u.value for u in updates), Decimal(0)) / len(updates)
            else:
                value = sum((u.value for u in updates), Decimal(0))
            points.append((key, value.quantize(Decimal("0.01"))))
        series[indicator_id] = points
    return series
