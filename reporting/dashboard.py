"""The tenant dashboard ("Dasbor"): every figure from set-based queries — a fixed number of
queries whatever the tenant's size (pinned in tests/reporting/test_dashboard.py) — for the page
and for the aggregates API alike.

Decisions: the period filter bounds money received and disbursed, and the reporting periods
counted (due within the period and before today); agreements, programs, bands and the attention
list are as of today. A program is *on track* when its indicators' mean pace (achievement ÷ the
share of its time elapsed, as in the health review's D1) is at least 90% (Global Fund A1/A2),
*off track* below, *no data* without an approved value."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Count, Q, Sum
from django.utils import timezone

from organizations.models import Region
from partnerships.models import Agreement, AgreementRegion
from programs.fund_selectors import arrears
from programs.models import (
    Disbursement,
    Fund,
    Indicator,
    LedgerEntry,
    Pledge,
    PledgeInstallment,
    Program,
    ProgressUpdate,
)
from programs.selectors import _achieved, reporting_rates

from .models import BAND_RANK, Band, HealthReview
from .selectors import latest_reviews

ZERO = Decimal(0)
ON_TRACK_PACE = Decimal("0.9")
ATTENTION_EACH = 5
PERIODS = ("this_quarter", "last_quarter", "this_year", "last_12_months")


@dataclass
class Filters:
    period: str = "this_quarter"
    partnership_type: str = ""
    region: str = ""

    def bounds(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        quarter_start = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        if self.period == "last_quarter":
            end = quarter_start - datetime.timedelta(days=1)
            return datetime.date(end.year, (end.month - 1) // 3 * 3 + 1, 1), end
        if self.period == "this_year":
            return datetime.date(today.year, 1, 1), today
        if self.period == "last_12_months":
            return today - datetime.timedelta(days=365), today
        return quarter_start, today


@dataclass
class AttentionItem:
    kind: str  # report_overdue | report_returned | pledge_overdue | disbursement_waiting | agreement_ending | turned_at_risk
    title: str
    detail: dict
    url: str
    sort_key: str = ""


@dataclass
class Dashboard:
    today: datetime.date
    period_start: datetime.date
    period_end: datetime.date
    agreements_by_type: dict[str, dict[str, int]]
    agreements: dict[str, int]  # active, suspended, proposed, draft, ending_90
    programs: dict[str, int]  # active, on_track, off_track, no_data
    reporting: dict[str, object]  # expected, received, on_time, completeness, timeliness
    funds: dict[str, Decimal]  # pledged, received, disbursed, balance, received_period, disbursed_period
    bands: dict[str, int]
    band_changes: dict[str, int]  # worse, better
    attention: list[AttentionItem] = field(default_factory=list)
    by_kecamatan: list[dict] = field(default_factory=list)


def _agreements(filters: Filters):
    qs = Agreement.objects.all()
    if filters.partnership_type:
        qs = qs.filter(partnership_type=filters.partnership_type)
    if filters.region:
        qs = qs.filter(
            pk__in=AgreementRegion.objects.filter(
                Q(region__code=filters.region) | Q(region__code__startswith=f"{filters.region}.")
            ).values("agreement_id")
        )
    return qs


def dashboard(*, tenant, filters: Filters, today: datetime.date | None = None, urls=None) -> Dashboard:
    today = today or timezone.localdate()
    start, end = filters.bounds(today)
    agreements = _agreements(filters)
    agreement_ids = agreements.values("pk")
    current = Q(status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED])

    # agreements (two queries)
    by_type: dict[str, dict[str, int]] = defaultdict(dict)
    for partnership_type, status, n in (
        agreements.order_by().values_list("partnership_type", "status").annotate(n=Count("id"))
    ):
        by_type[partnership_type][status] = n
    counts = agreements.aggregate(
        active=Count("id", filter=Q(status=Agreement.Status.ACTIVE)),
        suspended=Count("id", filter=Q(status=Agreement.Status.SUSPENDED)),
        proposed=Count("id", filter=Q(status=Agreement.Status.PROPOSED)),
        draft=Count("id", filter=Q(status=Agreement.Status.DRAFT)),
        ending_90=Count("id", filter=current & Q(ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=90))),
    )

    # programs on / off track (two queries) and reporting rates (three)
    programs = Program.objects.filter(agreement_id__in=agreement_ids)
    active_programs = list(programs.filter(status=Program.Status.ACTIVE).order_by("pk"))
    tracks = program_tracks(programs=active_programs, today=today)
    rates = reporting_rates(
        programs=programs.filter(pk__in=[p.pk for p in active_programs]), since=start,
        today=min(today, end + datetime.timedelta(days=1)), grace_days=tenant.reporting_grace_days,
    )  # fmt: skip
    total = rates["total"]

    # money (three queries)
    funds = Fund.objects.filter(agreement_id__in=agreement_ids)
    pledged = Pledge.objects.filter(fund__in=funds).aggregate(total=Sum("amount"))["total"] or ZERO
    ledger = LedgerEntry.objects.filter(fund__in=funds).aggregate(
        received=Sum("amount", filter=Q(disbursement__isnull=True)),
        disbursed=Sum("amount", filter=Q(disbursement__isnull=False)),
        received_period=Sum("amount", filter=Q(disbursement__isnull=True, occurred_on__range=(start, end))),
        disbursed_period=Sum("amount", filter=Q(disbursement__isnull=False, occurred_on__range=(start, end))),
    )
    balance = funds.aggregate(total=Sum("balance"))["total"] or ZERO

    # health bands and changes (two queries)
    reviews = list(
        latest_reviews()
        .filter(agreement_id__in=agreement_ids)
        .only("id", "agreement_id", "band", "override_band", "review_date", "score", "agreement__title")
    )
    bands = {band: 0 for band in Band.values}
    for review in reviews:
        bands[review.effective_band] += 1
    previous = _previous_bands(reviews)
    changes = {"worse": 0, "better": 0}
    for review in reviews:
        before = previous.get(review.agreement_id)
        if before is None or before in (Band.EARLY, Band.INSUFFICIENT) or review.effective_band in (
            Band.EARLY, Band.INSUFFICIENT,
        ):  # fmt: skip
            continue
        if BAND_RANK[review.effective_band] > BAND_RANK[before]:
            changes["worse"] += 1
        elif BAND_RANK[review.effective_band] < BAND_RANK[before]:
            changes["better"] += 1

    return Dashboard(
        today=today,
        period_start=start,
        period_end=end,
        agreements_by_type={k: dict(v) for k, v in by_type.items()},
        agreements=counts,
        programs={"active": len(active_programs), **tracks["counts"]},
        reporting={
            "expected": total.expected,
            "received": total.received,
            "on_time": total.on_time,
            "completeness": total.completeness,
            "timeliness": total.timeliness,
        },
        funds={
            "pledged": pledged,
            "received": ledger["received"] or ZERO,
            "disbursed": -(ledger["disbursed"] or ZERO),
            "balance": balance,
            "received_period": ledger["received_period"] or ZERO,
            "disbursed_period": -(ledger["disbursed_period"] or ZERO),
        },
        bands=bands,
        band_changes=changes,
        attention=_attention(
            agreements=agreements,
            funds=funds,
            rates=rates,
            programs=active_programs,
            reviews=reviews,
            previous=previous,
            today=today,
            urls=urls,
        ),  # fmt: skip
        by_kecamatan=_by_kecamatan(agreements, reviews),
    )


def _previous_bands(reviews: list[HealthReview]) -> dict[int, str]:
    """Each agreement's band in its review before the latest (one query)."""
    latest_ids = {r.pk for r in reviews}
    previous: dict[int, str] = {}
    for agreement_id, band, override in (
        HealthReview.objects.filter(agreement_id__in=[r.agreement_id for r in reviews])
        .exclude(pk__in=latest_ids)
        .order_by("agreement_id", "review_date", "pk")
        .values_list("agreement_id", "band", "override_band")
    ):
        previous[agreement_id] = override or band  # the last one wins
    return previous


def program_tracks(*, programs: list[Program], today: datetime.date) -> dict:
    """On / off track per program from its indicators' pace (two queries)."""
    ids = [p.pk for p in programs]
    by_program = {p.pk: p for p in programs}
    indicators = list(Indicator.objects.filter(program_id__in=ids))
    updates: dict[int, list] = defaultdict(list)
    for indicator_id, organization_id, value, numerator, denominator, period_start in (
        ProgressUpdate.objects.filter(indicator__program_id__in=ids, status=ProgressUpdate.Status.APPROVED)
        .order_by("period__starts_on", "id")
        .values_list("indicator_id", "organization_id", "value", "numerator", "denominator", "period__starts_on")
    ):
        updates[indicator_id].append(
            SimpleNamespace(
                organization_id=organization_id,
                value=value,
                numerator=numerator,
                denominator=denominator,
                period=SimpleNamespace(starts_on=period_start),
            )  # fmt: skip
        )
    paces: dict[int, list[Decimal]] = defaultdict(list)
    for indicator in indicators:
        achieved = _achieved(indicator, updates.get(indicator.pk, []))
        if achieved is None:
            continue
        program = by_program[indicator.program_id]
        baseline = indicator.baseline or ZERO
        span = indicator.target - baseline
        if indicator.direction == Indicator.Direction.DOWN:
            span = baseline - indicator.target
            progress = (baseline - achieved) / span if span else Decimal(achieved <= indicator.target)
        else:
            progress = (achieved - baseline) / span if span else Decimal(achieved >= indicator.target)
        total_days = (program.ends_on - program.starts_on).days or 1
        elapsed = min(max(Decimal((today - program.starts_on).days) / total_days, ZERO), Decimal(1))
        paces[program.pk].append(min(max(progress, ZERO), Decimal("1.2")) / max(elapsed, Decimal("0.2")))
    state = {}
    for program in programs:
        values = paces.get(program.pk)
        if not values:
            state[program.pk] = "no_data"
        else:
            state[program.pk] = "on_track" if sum(values) / len(values) >= ON_TRACK_PACE else "off_track"
    counts = {"on_track": 0, "off_track": 0, "no_data": 0}
    for value in state.values():
        counts[value] += 1
    return {"state": state, "counts": counts}


def _attention(*, agreements, funds, rates, programs, reviews, previous, today, urls) -> list[AttentionItem]:
    urls = urls or (lambda name, **kw: "")
    items: list[AttentionItem] = []
    by_id = {p.pk: p for p in programs}
    # reports overdue (missing) and returned, per program
    missing = [
        (rate.expected - rate.received, program_id)
        for program_id, rate in rates["program"].items()
        if rate.expected - rate.received > 0
    ]
    for count, program_id in sorted(missing, reverse=True)[:ATTENTION_EACH]:
        items.append(AttentionItem("report_overdue", by_id[program_id].name, {"count": count},
                                   urls("program_detail", pk=program_id)))  # fmt: skip
    returned = (
        ProgressUpdate.objects.filter(indicator__program_id__in=list(by_id), status=ProgressUpdate.Status.RETURNED)
        .values_list("indicator__program_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:ATTENTION_EACH]
    )
    for program_id, count in returned:
        items.append(AttentionItem("report_returned", by_id[program_id].name, {"count": count},
                                   urls("program_detail", pk=program_id)))  # fmt: skip
    # pledges overdue: instalments due and not covered by what was received (two queries)
    received = dict(
        LedgerEntry.objects.filter(fund__in=funds, pledge__isnull=False, disbursement__isnull=True)
        .values_list("pledge_id")
        .annotate(total=Sum("amount"))
        .values_list("pledge_id", "total")
    )
    schedules: dict[int, list] = {}
    pledges = {}
    for installment in (
        PledgeInstallment.objects.filter(pledge__fund__in=funds, due_on__lte=today)
        .select_related("pledge__organization", "pledge__fund")
        .order_by("pledge_id", "due_on")
    ):
        pledges[installment.pledge_id] = installment.pledge
        schedules.setdefault(installment.pledge_id, []).append((installment.due_on, installment.amount))
    overdue = []
    for pledge_id, schedule in schedules.items():
        _due, owed, oldest = arrears(schedule, received.get(pledge_id) or ZERO, today)
        if owed:
            overdue.append((oldest, pledges[pledge_id], owed))
    for first_due, pledge, short in sorted(overdue, key=lambda row: row[0])[:ATTENTION_EACH]:
        items.append(AttentionItem(
            "pledge_overdue", pledge.organization.name,
            {"amount": short, "fund": pledge.fund.name, "date": first_due}, urls("fund_detail", pk=pledge.fund_id),
        ))  # fmt: skip
    # disbursements waiting for approval (one query)
    for d in (
        Disbursement.objects.filter(fund__in=funds, status=Disbursement.Status.REQUESTED)
        .select_related("program")
        .order_by("planned_on")[:ATTENTION_EACH]
    ):
        items.append(AttentionItem("disbursement_waiting", d.program.name,
                                   {"amount": d.amount, "date": d.planned_on},
                                   urls("disbursement_detail", pk=d.fund_id, disbursement_pk=d.pk)))  # fmt: skip
    # agreements ending within 90 days without a renewal under way (one query)
    for agreement in (
        agreements.filter(
            status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED],
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=90),
        )
        .exclude(successors__status__in=[Agreement.Status.DRAFT, Agreement.Status.PROPOSED, Agreement.Status.ACTIVE])
        .order_by("ends_on")[:ATTENTION_EACH]
    ):
        items.append(AttentionItem("agreement_ending", agreement.title,
                                   {"date": agreement.ends_on, "days": (agreement.ends_on - today).days},
                                   urls("agreement_detail", pk=agreement.pk)))  # fmt: skip
    # partnerships turned at risk
    for review in reviews:
        if review.effective_band == Band.AT_RISK and previous.get(review.agreement_id) not in (None, Band.AT_RISK):
            items.append(AttentionItem("turned_at_risk", review.agreement.title,
                                       {"score": review.score, "date": review.review_date},
                                       urls("health_review_detail", pk=review.pk)))  # fmt: skip
    return items


def _by_kecamatan(agreements, reviews: list[HealthReview]) -> list[dict]:
    """Agreements in force per kecamatan covered (a kabupaten-wide agreement counts once under
    "the whole district"), with how many are at risk (two queries)."""
    at_risk = {r.agreement_id for r in reviews if r.effective_band == Band.AT_RISK}
    rows: dict[str, dict] = {}
    current = agreements.filter(status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED])
    pairs = AgreementRegion.objects.filter(agreement__in=current).values_list("agreement_id", "region__code")
    kecamatan_of: dict[str, set[int]] = defaultdict(set)
    for agreement_id, code in pairs:
        parts = code.split(".")
        key = ".".join(parts[:3]) if len(parts) >= 3 else ""
        kecamatan_of[key].add(agreement_id)
    names = dict(Region.objects.filter(code__in=[k for k in kecamatan_of if k]).values_list("code", "name"))
    for code, ids in kecamatan_of.items():
        rows[code] = {
            "code": code,
            "name": names.get(code, ""),
            "agreements": len(ids),
            "at_risk": len(ids & at_risk),
        }
    return sorted(rows.values(), key=lambda r: (-r["agreements"], r["name"]))
