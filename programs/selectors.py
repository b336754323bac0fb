"""Reads of programs and progress, shaped for pages and endpoints. Only approved updates
count toward achievement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from organizations.models import Membership, Role

from .models import Indicator, Program, ProgramImplementer, ProgressUpdate


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
    qs = updates_visible_to(membership).select_related(
        "indicator", "period", "organization", "submitted_by", "reviewed_by"
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
    """Achievement per indicator from approved updates (two queries):

    - counts: the sum of every approved period (cumulative ones: each organization's latest);
    - percentages: the mean of the latest approved period's values across organizations;
    - ratios: Σ numerators / Σ denominators of the latest approved period, as a percentage.
    """
    indicators = list(program.indicators.order_by("code"))
    approved = (
        ProgressUpdate.objects.filter(indicator__program=program, status=ProgressUpdate.Status.APPROVED)
        .select_related("period")
        .order_by("period__starts_on", "id")
    )
    by_indicator: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in approved:
        by_indicator[update.indicator_id].append(update)
    results = []
    for indicator in indicators:
        updates = by_indicator.get(indicator.pk, [])
        achieved = _achieved(indicator, updates)
        results.append(
            Achievement(indicator=indicator, achieved=achieved, percent_of_target=_percent(achieved, indicator))
        )
    return results


def _achieved(indicator: Indicator, updates: list[ProgressUpdate]) -> Decimal | None:
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
            "implementers", "regions", "milestones", Prefetch("indicators", queryset=Indicator.objects.order_by("code"))
        )
        .get(pk=pk)
    )
