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
from typing import NamedTuple

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Least, Left, RowNumber
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
    ReportingPeriod,
)
from programs.selectors import Rate

from .health_inputs import reviewable_agreements
from .models import BAND_RANK, Band, HealthReview

ZERO = Decimal(0)
ON_TRACK_PACE = Decimal("0.9")
MAX_PROGRESS = Decimal("1.2")
_DECIMAL = DecimalField(max_digits=30, decimal_places=10)
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

    def within(qs, field: str = "agreement_id"):
        # Unfiltered, the tenant scope alone bounds the rows: no always-true subquery to misplan.
        return qs.filter(**{f"{field}__in": agreement_ids}) if filters.partnership_type or filters.region else qs

    current = Q(status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED])

    # agreements by type × status, and those ending within 90 days (one query)
    by_type: dict[str, dict[str, int]] = defaultdict(dict)
    counts = dict.fromkeys(("active", "suspended", "proposed", "draft", "ending_90"), 0)
    ending = current & Q(ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=90))
    for partnership_type, status, n, n_ending in (
        agreements.order_by()
        .values_list("partnership_type", "status")
        .annotate(n=Count("id"), ending=Count("id", filter=ending))
    ):
        by_type[partnership_type][status] = n
        if status in counts:
            counts[status] += n
        counts["ending_90"] += n_ending

    # programs on / off track (one query) and reporting rates (one)
    programs = within(Program.objects.filter(status=Program.Status.ACTIVE))
    active_programs = list(
        # a correlated subquery per program walks the indicator index; a join would scan them all
        programs.annotate(
            progress=Subquery(
                Indicator.objects.filter(program=OuterRef("pk"), achieved__isnull=False)
                .order_by()
                .values("program")
                .annotate(mean=Avg(_clamped_progress()))
                .values("mean"),
                output_field=_DECIMAL,
            )
        )
        .order_by("pk")
        .values_list("pk", "name", "starts_on", "ends_on", "progress", named=True)
    )
    tracks = program_tracks(programs=active_programs, today=today)
    rates = _reporting(programs=programs, since=start, until=min(today, end + datetime.timedelta(days=1)))
    total = rates["total"]

    # money (two queries): a fund's balance is the sum of its ledger, so the ledger gives it too
    funds = within(Fund.objects.all())
    pledged = within(Pledge.objects.all(), "fund__agreement_id").aggregate(total=Sum("amount"))["total"] or ZERO
    ledger = within(LedgerEntry.objects.all(), "fund__agreement_id").aggregate(
        balance=Sum("amount"),
        received=Sum("amount", filter=Q(disbursement__isnull=True)),
        disbursed=Sum("amount", filter=Q(disbursement__isnull=False)),
        received_period=Sum("amount", filter=Q(disbursement__isnull=True, occurred_on__range=(start, end))),
        disbursed_period=Sum("amount", filter=Q(disbursement__isnull=False, occurred_on__range=(start, end))),
    )
    balance = ledger["balance"] or ZERO

    # health bands and changes: each agreement's latest review and the one before (one query)
    reviews, previous = _latest_two_reviews(within(HealthReview.objects.all()))
    bands = {band: 0 for band in Band.values}
    for review in reviews:
        bands[review.effective_band] += 1
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
            program_qs=programs,
            reviews=reviews,
            previous=previous,
            today=today,
            urls=urls,
        ),  # fmt: skip
        by_kecamatan=_by_kecamatan(agreements, reviews),
    )


class LatestReview(NamedTuple):
    pk: int
    agreement_id: int
    title: str
    effective_band: str
    score: Decimal | None
    review_date: datetime.date


def _latest_two_reviews(reviews) -> tuple[list[LatestReview], dict[int, str]]:
    """Each reviewable agreement's latest review, and the band of the one before it (one query,
    a window function ranking each agreement's reviews; plain tuples, not model instances)."""
    ranked = (
        reviews.filter(agreement__in=reviewable_agreements())
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("agreement_id")], order_by=[F("review_date").desc(), F("id").desc()]
            )
        )
        .filter(rank__lte=2)
        .values_list("rank", "pk", "agreement_id", "agreement__title", "band", "override_band", "score", "review_date")
    )
    latest, previous = [], {}
    for rank, pk, agreement_id, title, band, override_band, score, review_date in ranked:
        if rank == 1:
            latest.append(LatestReview(pk, agreement_id, title, override_band or band, score, review_date))
        else:
            previous[agreement_id] = override_band or band
    return latest, previous


def _clamped_progress(prefix: str = ""):
    """An indicator's progress towards its target from its denormalised ``achieved`` value, as
    the review's D1 reads it: (achieved − baseline) ÷ (target − baseline), reversed for
    indicators that should go down, all-or-nothing when the target equals the baseline, clamped
    to 0…1.2 — an SQL expression over ``Indicator`` (``prefix`` to reach it through a relation)."""
    achieved, target = F(f"{prefix}achieved"), F(f"{prefix}target")
    baseline = Coalesce(F(f"{prefix}baseline"), Value(ZERO), output_field=_DECIMAL)
    down = Q(**{f"{prefix}direction": Indicator.Direction.DOWN})
    flat = Q(**{f"{prefix}target": baseline})
    progress = Case(
        When(down & ~flat, then=(baseline - achieved) / (baseline - target)),
        When(
            down, then=Case(When(Q(**{f"{prefix}achieved__lte": target}), then=Value(Decimal(1))), default=Value(ZERO))
        ),
        When(~flat, then=(achieved - baseline) / (target - baseline)),
        default=Case(When(Q(**{f"{prefix}achieved__gte": target}), then=Value(Decimal(1))), default=Value(ZERO)),
        output_field=_DECIMAL,
    )
    return Least(Greatest(progress, Value(ZERO)), Value(MAX_PROGRESS), output_field=_DECIMAL)


def program_tracks(*, programs, today: datetime.date) -> dict:
    """On / off track per program from its indicators' mean clamped progress (computed by the
    database) divided by the share of the program's time elapsed (at least 20%)."""
    state = {}
    for program in programs:
        if program.progress is None:
            state[program.pk] = "no_data"
            continue
        total_days = (program.ends_on - program.starts_on).days or 1
        elapsed = min(max(Decimal((today - program.starts_on).days) / total_days, ZERO), Decimal(1))
        pace = Decimal(program.progress) / max(elapsed, Decimal("0.2"))
        state[program.pk] = "on_track" if pace >= ON_TRACK_PACE else "off_track"
    counts = {"on_track": 0, "off_track": 0, "no_data": 0}
    for value in state.values():
        counts[value] += 1
    return {"state": state, "counts": counts}


def _reporting(*, programs, since: datetime.date, until: datetime.date) -> dict:
    """Reporting rates per program and in total over the periods due in [since, until), by the
    rule of ``programs.selectors.reporting_rates`` (expected = implementers × indicators of the
    period's frequency; received = updates submitted; on time = by the due date plus the grace
    days) from the counts kept on each period — one grouped query."""
    per_program = {
        program_id: Rate(expected, received, on_time)
        for program_id, expected, received, on_time in (
            ReportingPeriod.objects.filter(program__in=programs, due_on__gte=since, due_on__lt=until)
            .order_by()
            .values_list("program_id")
            .annotate(Sum("reports_expected"), Sum("reports_received"), Sum("reports_on_time"))
        )
    }
    total = Rate(*(sum(getattr(r, k) for r in per_program.values()) for k in ("expected", "received", "on_time")))
    return {"program": per_program, "total": total}


def _attention(
    *, agreements, funds, rates, programs, program_qs, reviews, previous, today, urls
) -> list[AttentionItem]:
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
        ProgressUpdate.objects.filter(indicator__program__in=program_qs, status=ProgressUpdate.Status.RETURNED)
        .values_list("indicator__program_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:ATTENTION_EACH]
    )
    for program_id, count in returned:
        items.append(AttentionItem("report_returned", by_id[program_id].name, {"count": count},
                                   urls("program_detail", pk=program_id)))  # fmt: skip
    # pledges overdue: instalments due and not covered by what was received (one query)
    received_by_pledge = (
        LedgerEntry.objects.filter(pledge=OuterRef("pledge_id"), disbursement__isnull=True)
        .order_by()
        .values("pledge")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    received: dict[int, Decimal] = {}
    schedules: dict[int, list] = {}
    pledges = {}
    for installment in (
        PledgeInstallment.objects.filter(pledge__fund__in=funds, due_on__lte=today)
        .annotate(received=Subquery(received_by_pledge))
        .select_related("pledge__organization", "pledge__fund")
        .order_by("pledge_id", "due_on")
    ):
        pledges[installment.pledge_id] = installment.pledge
        received[installment.pledge_id] = installment.received
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
            items.append(AttentionItem("turned_at_risk", review.title,
                                       {"score": review.score, "date": review.review_date},
                                       urls("health_review_detail", pk=review.pk)))  # fmt: skip
    return items


def _by_kecamatan(agreements, reviews: list[LatestReview]) -> list[dict]:
    """Agreements in force per kecamatan covered (a kabupaten-wide agreement counts once under
    "the whole district"), with how many are at risk (one query)."""
    at_risk = {r.agreement_id for r in reviews if r.effective_band == Band.AT_RISK}
    rows: dict[str, dict] = {}
    current = agreements.filter(status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED])
    # a kecamatan's code is the first eight characters of its villages' ("36.04.01.2001")
    kecamatan_name = Region.objects.filter(code=Left(OuterRef("region__code"), 8)).values("name")[:1]
    kecamatan_of: dict[str, set[int]] = defaultdict(set)
    names: dict[str, str] = {}
    for agreement_id, code, name in (
        AgreementRegion.objects.filter(agreement__in=current)
        .annotate(kecamatan=Subquery(kecamatan_name))
        .values_list("agreement_id", "region__code", "kecamatan")
    ):
        parts = code.split(".")
        key = ".".join(parts[:3]) if len(parts) >= 3 else ""
        kecamatan_of[key].add(agreement_id)
        names[key] = name or ""
    for code, ids in kecamatan_of.items():
        rows[code] = {
            "code": code,
            "name": names.get(code, "") if code else "",
            "agreements": len(ids),
            "at_risk": len(ids & at_risk),
        }
    return sorted(rows.values(), key=lambda r: (-r["agreements"], r["name"]))
