"""Partnership health review, method ``phr-v1``: ``score(inputs) -> ReviewResult``.

Pure and deterministic: no database, no clock (the review date is ``inputs.review_date``),
``Decimal`` arithmetic in a fixed context, and every list sorted, so equal inputs give equal
results. The method is HEALTH_REVIEW.md (§ numbers below); its numbers live in
``reporting.method``. Functions are named after the method's symbols (``progress_p``,
``expected_share_e``, ``disbursement_score_g`` …) and each computes one sub-metric.

Decisions, where the method leaves room (each is pinned by a test in ``tests/reporting/``):

1.  Rounding: dimension scores are rounded to 0.1 (half up) first and the score S is the
    weighted mean of the rounded dimension scores, so a reader can redo S from the numbers
    shown. S is rounded to 0.1, confidence to 0.01, and bands use the rounded S.
2.  D1: an indicator counts once at least one of its reporting periods has closed
    (``expected_periods`` > 0). A is its latest approved value (the running total for a
    cumulative indicator), held against e at the review date. Baseline None is 0. If the
    target is not beyond the baseline in the indicator's direction, p is 1 when the target is
    met and 0 otherwise. Direction "decrease" (or the model's "down") uses (B−A)/(B−T).
3.  D1: an indicator is *fresh* when its latest value is at most 2 closed periods old
    (``periods_since_value`` ≤ 2). One never reported is not fresh either: only fresh
    indicators are scored, and coverage = fresh ÷ indicators due. Without any indicator due,
    D1 has no data, coverage is 0 and the coverage flag applies.
4.  D1: a phased plan (``IndicatorInput.expected_profile``: cumulative shares by date) replaces
    the straight line; e is interpolated linearly between (s, 0), the profile points and (f, 1).
5.  Global Fund band of an indicator, on its pace p ÷ max(e, 0.2) in % rounded to 0.1 (the
    number shown): A1 > 100, A2 90–100, B1 60–<90, B2 30–<60, C < 30.
6.  D2: milestones due on or before the review date count; an open one is "overdue" by
    t − due date days (so one due today scores 0.4). Milestones not yet due do not count, even
    when done early. No milestone due → D2 has no data.
7.  D3: not applicable without a fund, and for a fund with no pledges and nothing planned to
    date. F caps each pledge's receipts at its amount due, so one partner's advance does not
    hide another's shortfall. Nothing planned to date → R is undefined and D3 = 100·F; neither
    F nor R → no data yet. Dependence on one funder (≥ 80% of pledges) is a note.
8.  D4: a report counts when submitted (on time within 7 days' grace: 1; later: 0.5) or when
    missing past its due date + grace (0); one not yet due + grace does not count. Anomalies
    are counted per value dated in the 6 calendar months up to the review date: each fall of
    a cumulative series and each value above 100 of a percent or ratio indicator. If
    timeliness or freshness has no data, the other carries D4 alone; the penalty still
    applies; D4 is clipped to 0–100.
9.  D5: active = any action in the 60 days before the review. b is the entropy of the partners'
    action shares divided by ln n; with one partner b = 1 if it is active (0 if not), so
    D5 = 100·a; nobody active → b = 0. No partners → D5 has no data.
10. D6: expired = end date passed or status "expired". An agreement without an end date has no
    E: D6 = C. The joint review counts if held in the 6 calendar months before the review.
11. D7: per respondent the mean of the answered items of a construct, then the mean over an
    organisation's respondents, then over organisations. Answers outside 1–5 are ignored.
    Divergence uses the population standard deviation across organisations (at least two).
    Min response counts respondents with a valid answer and organisations with such a
    respondent. All seven constructs can raise flags; D7 is the mean of S1, S2, S4, S6, S7.
12. Survey age: a survey more than 6 calendar months old counts at half weight: D7's weight
    and the 25% blends of S3 (into D4) and S5 (into D3) are halved. Older than 12 months, or
    insufficient: no D7 and no blends. A blend only applies to a dimension that has a score.
13. Confidence = (Σ weights of scored dimensions, D1's × coverage, D7's × survey age factor)
    ÷ the sum of the seven weights in force (100 with the defaults, as in §3), so tuning does
    not change what confidence means. A dimension that is not applicable lowers it too: the
    score then rests on less of the full picture.
14. Band precedence: a critical flag gives "at_risk" even when confidence is low (the flags
    rest on hard facts); otherwise confidence < 0.5 (or no dimension scored) gives
    "insufficient"; then S < 50 → at_risk; S < 75 or an amber flag → watch; else healthy.
15. Hysteresis applies only between healthy, watch and at_risk, only upward, and only against
    the previous review's band: from watch, healthy needs S ≥ 78; from at_risk, watch needs
    S ≥ 53 and healthy S ≥ 78 (75–77.9 stays at watch).
16. Trend: one flag, a fall ≥ 10 against the previous score (preferred), else three declines
    in a row over the last three previous scores and this one. A previous review without a
    score breaks the chain.
17. Critical flags: "half the period has passed" is per indicator (e ≥ 0.5); the band-C rule
    counts fresh priority indicators only. "No partner update for more than 2 periods": every
    indicator due is more than 2 closed periods past its last value (or never reported with
    more than 2 periods closed). A pledge ≥ 25% of all pledges is flagged when nothing is
    received and its oldest unpaid instalment is more than 90 days past due (a pledge without
    any due date is never flagged: there is no date to count from). The fund
    shortfall is planned next-60-day disbursements > 1.2 × balance. The expiry flag needs
    active programmes, or a fund with a balance or planned disbursements.
18. Amber flags: "a partner inactive for more than 90 days" counts a partner that never acted
    from the agreement's start. The 80% activity share needs at least two partners.
19. Reasons: all flags (critical, then amber; by dimension, code), then up to 3 weaknesses —
    dimensions below 75 ranked by w·(100 − D), one reason each naming what pulls it down
    most — then up to 2 strengths (dimensions ≥ 75, highest first), then notes (single
    funder, survey not scored or ageing, too little data).
20. Tenant weights: each between half and one and a half times its default, never 0
    (``reporting.method.WEIGHT_BOUNDS``); they need not sum to 100.
21. Early stage: younger than 90 days, no start date, or indicators with no reporting period
    closed yet. An agreement of 90 days or more without any indicator is not "early": it is
    scored on what exists (typically "not enough data", the honest answer for an MoU with
    nothing to measure).
"""

from __future__ import annotations

import calendar
import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext

from .health_types import (
    AgreementInputs,
    FundInput,
    GovernanceInput,
    IndicatorInput,
    MilestoneInput,
    PartnerActivity,
    PledgeInput,
    PreviousReview,
    Reason,
    ReportExpectation,
    ReviewResult,
    SurveyInput,
)
from .method import (
    D7_CONSTRUCTS,
    DEFAULT_THRESHOLDS,
    DIMENSIONS,
    METHOD_VERSION,
    SURVEY_CONSTRUCTS,
    Thresholds,
    validate_weights,
)

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
TENTH, HUNDREDTH, WHOLE = Decimal("0.1"), Decimal("0.01"), Decimal(1)
DECREASE = {"decrease", "down"}
RATE_KINDS = {"percent", "ratio"}
BAND_RANK = {"at_risk": 0, "watch": 1, "healthy": 2}
SEVERITY_RANK = {"critical": 0, "amber": 1, "weakness": 2, "strength": 3, "note": 4}
GOVERNANCE_ITEMS = ("signed_document", "focal_points", "program_targets", "obligations", "joint_review")
CONSTRUCT_TAGS = {
    "S1": ("differing_goals",),
    "S2": ("lack_of_trust", "misinformation"),
    "S3": ("communication", "coordination"),
    "S4": ("unequal_resources",),
    "S5": ("unequal_resources", "limited_resources"),
    "S6": ("changing_environment",),
    "S7": (),
}


# --- small helpers -------------------------------------------------------------------------


def q1(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def q2(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def clip(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def mean(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    return sum(values, ZERO) / len(values) if values else None


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def pct(fraction: Decimal) -> str:
    """A 0–1 share as a one-decimal percent string for reason params: 0.4167 → "41.7"."""
    return str(q1(fraction * HUNDRED))


def rp(amount: Decimal) -> str:
    return str(amount.quantize(WHOLE, rounding=ROUND_HALF_UP))


def of5(score: Decimal) -> str:
    """A 0–100 survey score back on the 1–5 answer scale, one decimal: 45 → "2.8"."""
    return str(q1(1 + 4 * score / HUNDRED))


def _days(later: datetime.date, earlier: datetime.date) -> int:
    return (later - earlier).days


# --- D1 results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorScore:
    indicator: IndicatorInput
    actual: Decimal
    p: Decimal
    e: Decimal
    pace: Decimal  # p ÷ max(e, 0.2), uncapped: the Global Fund's "% of the expected result"
    s: Decimal
    band: str


@dataclass(frozen=True)
class ResultsD1:
    score: Decimal | None
    coverage: Decimal
    due: tuple[IndicatorInput, ...]
    scored: tuple[IndicatorScore, ...]
    not_fresh: tuple[IndicatorInput, ...]


def progress_p(indicator: IndicatorInput, actual: Decimal, th: Thresholds) -> Decimal:
    baseline = indicator.baseline if indicator.baseline is not None else ZERO
    if indicator.direction in DECREASE:
        gained, needed = baseline - actual, baseline - indicator.target
    else:
        gained, needed = actual - baseline, indicator.target - baseline
    if needed <= 0:  # target not beyond the baseline: met or not
        return ONE if gained >= needed else ZERO
    return clip(gained / needed, ZERO, th.progress_cap)


def expected_share_e(indicator: IndicatorInput, t: datetime.date) -> Decimal:
    s, f = indicator.starts_on, indicator.target_on
    if t >= f:
        return ONE
    if t <= s:
        return ZERO
    inner = sorted((day, clip(share, ZERO, ONE)) for day, share in indicator.expected_profile if s < day < f)
    points = [(s, ZERO), *inner, (f, ONE)]
    for (day0, share0), (day1, share1) in zip(points, points[1:], strict=False):
        if day0 <= t <= day1:
            return clip(share0 + (share1 - share0) * _days(t, day0) / _days(day1, day0), ZERO, ONE)
    return ONE  # unreachable: t lies within (s, f)


def indicator_score_s(p: Decimal, e: Decimal, th: Thresholds) -> Decimal:
    return HUNDRED * min(ONE, p / max(e, th.expected_floor))


def gf_band(pace: Decimal, th: Thresholds) -> str:
    shown = q1(pace * HUNDRED)
    if shown > th.gf_a1_above:
        return "A1"
    if shown >= th.gf_a2_min:
        return "A2"
    if shown >= th.gf_b1_min:
        return "B1"
    if shown >= th.gf_b2_min:
        return "B2"
    return "C"


def is_fresh(indicator: IndicatorInput, th: Thresholds) -> bool:
    since = indicator.periods_since_value
    return bool(indicator.values) and since is not None and since <= th.stale_after_periods


def silent_periods(indicator: IndicatorInput) -> int:
    """Closed periods since the indicator's last value (all of them if it never had one)."""
    since = indicator.periods_since_value
    return since if since is not None and indicator.values else indicator.expected_periods


def score_indicator(indicator: IndicatorInput, t: datetime.date, th: Thresholds) -> IndicatorScore:
    actual = indicator.values[-1][1]
    p, e = progress_p(indicator, actual, th), expected_share_e(indicator, t)
    pace = p / max(e, th.expected_floor)
    return IndicatorScore(indicator, actual, p, e, pace, indicator_score_s(p, e, th), gf_band(pace, th))


def results_d1(indicators: Iterable[IndicatorInput], t: datetime.date, th: Thresholds) -> ResultsD1:
    due = tuple(sorted((i for i in indicators if i.expected_periods > 0), key=lambda i: (i.code, i.id)))
    scored = tuple(score_indicator(i, t, th) for i in due if is_fresh(i, th))
    not_fresh = tuple(i for i in due if not is_fresh(i, th))
    weights = [th.priority_weight if x.indicator.priority else ONE for x in scored]
    score = sum((w * x.s for w, x in zip(weights, scored, strict=True)), ZERO) / sum(weights) if scored else None
    coverage = Decimal(len(scored)) / len(due) if due else ZERO
    return ResultsD1(score, coverage, due, scored, not_fresh)


# --- D2 delivery ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryD2:
    score: Decimal | None
    due_count: int
    late_count: int
    open: tuple[tuple[MilestoneInput, int], ...]  # (milestone, days overdue), most overdue first


def milestone_credit(milestone: MilestoneInput, t: datetime.date, th: Thresholds) -> Decimal | None:
    """A milestone's credit (1, 0.7, 0.4 or 0), or None when it is not due yet."""
    if milestone.due_on > t:
        return None
    if milestone.done_on is not None and milestone.done_on <= t:
        return th.milestone_done_on_time if milestone.done_on <= milestone.due_on else th.milestone_done_late
    overdue = _days(t, milestone.due_on)
    return th.milestone_open_recent if overdue <= th.milestone_recent_days else th.milestone_open_old


def is_open(milestone: MilestoneInput, t: datetime.date) -> bool:
    return milestone.done_on is None or milestone.done_on > t


def delivery_d2(milestones: Iterable[MilestoneInput], t: datetime.date, th: Thresholds) -> DeliveryD2:
    due = [m for m in milestones if m.due_on <= t]
    credits = [milestone_credit(m, t, th) for m in due]
    score = HUNDRED * mean(credits) if credits else None
    late = sum(1 for m in due if not is_open(m, t) and m.done_on > m.due_on)
    overdue = sorted(((m, _days(t, m.due_on)) for m in due if is_open(m, t)), key=lambda x: (-x[1], x[0].title))
    return DeliveryD2(score, len(due), late, tuple(overdue))


# --- D3 shared fund ------------------------------------------------------------------------


@dataclass(frozen=True)
class FundD3:
    applicable: bool
    score: Decimal | None  # before the S5 blend
    f: Decimal | None
    r: Decimal | None
    g: Decimal | None


def pledge_fulfilment_f(pledges: Iterable[PledgeInput]) -> Decimal | None:
    """Received ÷ pledged-and-due (each pledge's receipts capped at its amount due); None if nothing is due."""
    due_pledges = [p for p in pledges if p.due > 0]
    due = sum((p.due for p in due_pledges), ZERO)
    if due <= 0:
        return None
    received = sum((clip(p.received, ZERO, p.due) for p in due_pledges), ZERO)
    return min(ONE, received / due)


def disbursement_ratio_r(fund: FundInput) -> Decimal | None:
    if fund.planned_to_date <= 0:
        return None
    return fund.paid_to_date / fund.planned_to_date


def disbursement_score_g(r: Decimal, th: Thresholds) -> Decimal:
    if th.g_full_low <= r <= th.g_full_high:
        return HUNDRED
    if r < th.g_full_low:
        return HUNDRED * clip((r - th.g_zero_low) / (th.g_full_low - th.g_zero_low), ZERO, ONE)
    return HUNDRED * clip((th.g_zero_high - r) / (th.g_zero_high - th.g_full_high), ZERO, ONE)


def fund_d3(fund: FundInput | None, th: Thresholds) -> FundD3:
    if fund is None or (not fund.pledges and fund.planned_to_date <= 0):
        return FundD3(False, None, None, None, None)
    f, r = pledge_fulfilment_f(fund.pledges), disbursement_ratio_r(fund)
    g = disbursement_score_g(r, th) if r is not None else None
    if f is None:
        score = g  # no pledge due yet: D3 = g(R)
    elif g is None:
        score = HUNDRED * f
    else:
        score = 50 * f + g / 2
    return FundD3(True, score, f, r, g)


# --- D4 reporting --------------------------------------------------------------------------


@dataclass(frozen=True)
class Anomaly:
    indicator: IndicatorInput
    on: datetime.date
    kind: str  # "falling" | "above_100"


@dataclass(frozen=True)
class ReportingD4:
    score: Decimal | None  # before the S3 blend
    timeliness: Decimal | None
    freshness: Decimal | None
    penalty: Decimal
    counted: int
    late: int
    missing: int
    anomalies: tuple[Anomaly, ...]


def report_credit(report: ReportExpectation, t: datetime.date, th: Thresholds) -> Decimal | None:
    """1 on time (within the grace days), 0.5 late, 0 missing past due + grace; None: not counted yet."""
    deadline = report.due_on + datetime.timedelta(days=th.report_grace_days)
    if report.submitted_on is not None:
        return ONE if report.submitted_on <= deadline else th.report_late_credit
    return ZERO if deadline < t else None


def timeliness(credits: Iterable[Decimal]) -> Decimal | None:
    average = mean(credits)
    return None if average is None else HUNDRED * average


def freshness(d1: ResultsD1) -> Decimal | None:
    return HUNDRED * d1.coverage if d1.due else None


def anomalies(indicators: Iterable[IndicatorInput], t: datetime.date, th: Thresholds) -> tuple[Anomaly, ...]:
    since = months_before(t, th.reporting_window_months)
    found = []
    for indicator in sorted(indicators, key=lambda i: (i.code, i.id)):
        previous = None
        for on, value in indicator.values:
            if since < on <= t:
                if indicator.cumulative and previous is not None and value < previous:
                    found.append(Anomaly(indicator, on, "falling"))
                if indicator.kind in RATE_KINDS and value > HUNDRED:
                    found.append(Anomaly(indicator, on, "above_100"))
            previous = value
    return tuple(found)


def anomaly_penalty(count: int, th: Thresholds) -> Decimal:
    return min(th.max_anomaly_penalty, th.anomaly_penalty * count)


def reporting_d4(inputs: AgreementInputs, d1: ResultsD1, th: Thresholds) -> ReportingD4:
    t = inputs.review_date
    credits = [c for c in (report_credit(r, t, th) for r in inputs.reports) if c is not None]
    timely, fresh = timeliness(credits), freshness(d1)
    found = anomalies(inputs.indicators, t, th)
    penalty = anomaly_penalty(len(found), th)
    parts = [(w, x) for w, x in ((th.timeliness_share, timely), (th.freshness_share, fresh)) if x is not None]
    score = None
    if parts:
        base = sum((w * x for w, x in parts), ZERO) / sum(w for w, _ in parts)
        score = clip(base - penalty, ZERO, HUNDRED)
    late = sum(1 for c in credits if c == th.report_late_credit)
    missing = sum(1 for c in credits if c == ZERO)
    return ReportingD4(score, timely, fresh, penalty, len(credits), late, missing, found)


# --- D5 engagement -------------------------------------------------------------------------


@dataclass(frozen=True)
class EngagementD5:
    score: Decimal | None
    a: Decimal | None
    b: Decimal | None
    shares: tuple[tuple[PartnerActivity, Decimal], ...]  # largest share first


def active_share_a(partners: tuple[PartnerActivity, ...]) -> Decimal:
    return Decimal(sum(1 for p in partners if p.actions_60d > 0)) / len(partners)


def balance_b(partners: tuple[PartnerActivity, ...]) -> Decimal:
    """Normalised entropy of the activity shares: 1 when evenly spread, 0 when one partner does all."""
    total = sum(max(p.actions_60d, 0) for p in partners)
    if total == 0:
        return ZERO
    if len(partners) == 1:
        return ONE
    shares = [Decimal(p.actions_60d) / total for p in partners if p.actions_60d > 0]
    entropy = -sum((share * share.ln() for share in shares), ZERO)
    return clip(entropy / Decimal(len(partners)).ln(), ZERO, ONE)


def engagement_d5(partners: Iterable[PartnerActivity], th: Thresholds) -> EngagementD5:
    partners = tuple(sorted(partners, key=lambda p: (p.organization, p.organization_id)))
    if not partners:
        return EngagementD5(None, None, None, ())
    a, b = active_share_a(partners), balance_b(partners)
    total = sum(max(p.actions_60d, 0) for p in partners)
    shares = tuple(
        sorted(
            ((p, Decimal(max(p.actions_60d, 0)) / total if total else ZERO) for p in partners),
            key=lambda x: (-x[1], x[0].organization),
        )
    )
    score = HUNDRED * (th.active_share_weight * a + th.balance_weight * b)
    return EngagementD5(score, a, b, shares)


# --- D6 governance -------------------------------------------------------------------------


@dataclass(frozen=True)
class GovernanceD6:
    score: Decimal
    e: Decimal | None
    c: Decimal
    days_left: int | None
    expired: bool
    missing: tuple[str, ...]  # GOVERNANCE_ITEMS that do not hold


def is_expired(governance: GovernanceInput, t: datetime.date) -> bool:
    return governance.status == "expired" or (governance.ends_on is not None and governance.ends_on < t)


def expiry_score_e(days_left: int, expired: bool, renewing: bool, th: Thresholds) -> Decimal:
    if expired or days_left < 0:
        return th.expiry_expired
    if days_left <= th.expiry_near_days:
        return th.expiry_last_renewing if renewing else th.expiry_last
    if days_left <= th.expiry_mid_days:
        return th.expiry_near_renewing if renewing else th.expiry_near
    if days_left <= th.expiry_far_days:
        return th.expiry_mid
    return th.expiry_far


def completeness_c(governance: GovernanceInput, t: datetime.date, th: Thresholds) -> tuple[Decimal, tuple[str, ...]]:
    review = governance.last_joint_review_on
    holds = {
        "signed_document": governance.signed_document,
        "focal_points": not governance.partners_without_focal_point,
        "program_targets": not governance.programs_without_target,
        "obligations": governance.obligations_recorded,
        "joint_review": review is not None and months_before(t, th.joint_review_months) <= review <= t,
    }
    missing = tuple(item for item in GOVERNANCE_ITEMS if not holds[item])
    return HUNDRED * Decimal(len(GOVERNANCE_ITEMS) - len(missing)) / len(GOVERNANCE_ITEMS), missing


def governance_d6(governance: GovernanceInput, t: datetime.date, th: Thresholds) -> GovernanceD6:
    expired = is_expired(governance, t)
    days_left = _days(governance.ends_on, t) if governance.ends_on is not None else None
    e = None
    if days_left is not None or expired:
        e = expiry_score_e(days_left if days_left is not None else -1, expired, governance.renewal_in_progress, th)
    c, missing = completeness_c(governance, t, th)
    score = c if e is None else (e + c) / 2
    return GovernanceD6(score, e, c, days_left, expired, missing)


# --- D7 survey -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyD7:
    status: str  # "none" | "expired" | "insufficient" | "scored"
    factor: Decimal  # survey age weight: 1, 0.5 or 0
    respondents: int
    organizations: int
    constructs: Mapping[str, Decimal]  # across organisations, 0–100
    by_org: Mapping[str, Mapping[str, Decimal]]  # organisation → construct → 0–100
    score: Decimal | None


def item_score(answer: object) -> Decimal | None:
    """A 1–5 answer on 0–100: (x − 1) ÷ 4 × 100; None for anything else."""
    if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= 5:
        return None
    return Decimal(answer - 1) / 4 * HUNDRED


def respondent_constructs(answers: Mapping[str, object]) -> dict[str, Decimal]:
    result = {}
    for construct, items in SURVEY_CONSTRUCTS.items():
        average = mean(x for x in (item_score(answers.get(item)) for item in items) if x is not None)
        if average is not None:
            result[construct] = average
    return result


def organization_constructs(respondents: Iterable[Mapping[str, object]]) -> dict[str, Decimal]:
    """Average within the organisation: each respondent's construct mean, then their mean."""
    per_respondent = [respondent_constructs(answers) for answers in respondents]
    result = {}
    for construct in SURVEY_CONSTRUCTS:
        average = mean(r[construct] for r in per_respondent if construct in r)
        if average is not None:
            result[construct] = average
    return result


def survey_age_factor(survey: SurveyInput, t: datetime.date, th: Thresholds) -> Decimal:
    if survey.closed_on >= months_before(t, th.survey_full_months):
        return ONE
    if survey.closed_on >= months_before(t, th.survey_max_months):
        return th.survey_aging_factor
    return ZERO


def construct_sd(values: Iterable[Decimal]) -> Decimal:
    """Population standard deviation across organisations."""
    values = list(values)
    average = mean(values) or ZERO
    return (sum(((x - average) ** 2 for x in values), ZERO) / len(values)).sqrt() if values else ZERO


def survey_d7(survey: SurveyInput | None, t: datetime.date, th: Thresholds) -> SurveyD7:
    if survey is None:
        return SurveyD7("none", ZERO, 0, 0, {}, {}, None)
    valid = {
        org: tuple(r for r in respondents if respondent_constructs(r))
        for org, respondents in sorted(survey.responses.items())
    }
    valid = {org: respondents for org, respondents in valid.items() if respondents}
    respondents, organizations = sum(len(r) for r in valid.values()), len(valid)
    factor = survey_age_factor(survey, t, th)
    if factor == ZERO:
        return SurveyD7("expired", ZERO, respondents, organizations, {}, {}, None)
    enough = (
        respondents >= th.min_respondents
        and organizations >= th.min_organizations
        and organizations >= th.min_organization_share * survey.member_organizations
    )
    if not enough:
        return SurveyD7("insufficient", ZERO, respondents, organizations, {}, {}, None)
    by_org = {org: organization_constructs(rs) for org, rs in valid.items()}
    constructs = {}
    for construct in SURVEY_CONSTRUCTS:
        average = mean(scores[construct] for scores in by_org.values() if construct in scores)
        if average is not None:
            constructs[construct] = average
    score = mean(constructs[c] for c in D7_CONSTRUCTS if c in constructs)
    return SurveyD7("scored", factor, respondents, organizations, constructs, by_org, score)


def construct_band(value: Decimal, th: Thresholds) -> str:
    """Wilder's cut-offs on 0–100: ≥ 75 (4.0) a strength, < 50 (3.0) a concern."""
    if value >= th.construct_strength:
        return "strength"
    return "concern" if value < th.construct_concern else "neutral"


def blend(score: Decimal | None, construct: Decimal | None, share: Decimal) -> Decimal | None:
    """S3 into D4 and S5 into D3: (1 − share)·D + share·S, only when both exist."""
    if score is None or construct is None or share == ZERO:
        return score
    return (1 - share) * score + share * construct


# --- reasons: what each says about the challenges of §6, and what to do ----------------------

# code → (dimension, challenge tags (§6), suggested action). Survey reasons take their
# construct's tags (CONSTRUCT_TAGS); weakness and strength reasons name their dimension.
REASONS = {
    # critical flags
    "agreement_expired_active": ("D6", ("changing_environment",), "close_or_renew"),
    "pledge_overdue_unpaid": ("D3", ("lack_of_trust", "limited_resources"), "follow_up_pledge"),
    "fund_shortfall": ("D3", ("limited_resources",), "secure_funds"),
    "no_partner_updates": ("D4", ("communication", "lack_of_trust"), "remind_reporting"),
    "priority_indicators_band_c": ("D1", ("differing_goals", "limited_resources"), "review_indicator"),
    # amber flags
    "agreement_ending": ("D6", ("changing_environment",), "start_renewal"),
    "milestone_overdue": ("D2", ("coordination", "limited_resources"), "update_milestones"),
    "coverage_low": ("D1", ("misinformation", "communication"), "remind_reporting"),
    "survey_construct_low": ("D7", (), "discuss_survey"),
    "survey_divergence": ("D7", ("lack_of_trust",), "discuss_survey"),
    "activity_dominance": ("D5", ("unequal_resources",), "balance_roles"),
    "partner_inactive": ("D5", ("lack_of_trust", "communication"), "engage_partner"),
    "trend_drop": ("", ("changing_environment",), "review_trend"),
    "trend_declines": ("", ("changing_environment",), "review_trend"),
    # weaknesses
    "indicator_behind": ("D1", ("differing_goals",), "review_indicator"),
    "milestones_open": ("D2", ("coordination", "limited_resources"), "update_milestones"),
    "milestones_late": ("D2", ("coordination", "limited_resources"), "update_milestones"),
    "pledge_behind": ("D3", ("lack_of_trust", "limited_resources"), "follow_up_pledge"),
    "disbursement_slow": ("D3", ("limited_resources",), "replan_disbursements"),
    "disbursement_fast": ("D3", ("limited_resources",), "replan_disbursements"),
    "reports_late": ("D4", ("communication",), "remind_reporting"),
    "indicators_stale": ("D4", ("misinformation", "communication"), "remind_reporting"),
    "data_anomalies": ("D4", ("misinformation",), "check_data"),
    "partners_inactive": ("D5", ("lack_of_trust", "communication"), "engage_partner"),
    "activity_unbalanced": ("D5", ("unequal_resources",), "balance_roles"),
    "agreement_expired": ("D6", ("changing_environment",), "close_or_renew"),
    "agreement_ends_soon": ("D6", ("changing_environment",), "start_renewal"),
    "governance_incomplete": ("D6", ("differing_goals", "coordination"), "complete_governance"),
    "survey_weak": ("D7", (), "discuss_survey"),
    "dimension_weak": ("", (), "review_dimension"),
    # strengths and notes
    "dimension_strong": ("", (), "keep_it_up"),
    "single_funder": ("D3", ("unequal_resources",), "diversify_funding"),
    "survey_insufficient": ("D7", (), "run_survey"),
    "survey_expired": ("D7", (), "run_survey"),
    "survey_aging": ("D7", (), "run_survey"),
    "data_insufficient": ("", (), "complete_data"),
}


def _reason(code: str, severity: str, params: dict, *, key: str = "", dimension: str = "", tags=None) -> Reason:
    default_dimension, default_tags, action = REASONS[code]
    return Reason(
        code=code,
        dimension=dimension or default_dimension,
        severity=severity,
        challenge_tags=tuple(default_tags if tags is None else tags),
        message_key=key or code,
        params=params,
        suggested_action=action,
    )


# --- flags (§4) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Details:
    """Everything computed for one review, for the flags and reasons."""

    inputs: AgreementInputs
    th: Thresholds
    d1: ResultsD1
    d2: DeliveryD2
    d3: FundD3
    d4: ReportingD4
    d5: EngagementD5
    d6: GovernanceD6
    d7: SurveyD7


def _flag_expired_active(x: Details) -> list[Reason]:
    governance, fund = x.inputs.governance, x.inputs.fund
    fund_active = fund is not None and (fund.balance > 0 or fund.planned_next_60 > 0)
    if not x.d6.expired or not (governance.active_programs > 0 or fund_active):
        return []
    params = {"programs": governance.active_programs}
    if governance.ends_on is None:
        return [_reason("agreement_expired_active", "critical", params, key="agreement_expired_active_undated")]
    params |= {"ends_on": governance.ends_on.isoformat(), "days": max(0, -(x.d6.days_left or 0))}
    return [_reason("agreement_expired_active", "critical", params)]


def _flag_pledges_overdue(x: Details) -> list[Reason]:
    fund, t, th = x.inputs.fund, x.inputs.review_date, x.th
    if fund is None:
        return []
    total = sum((p.amount for p in fund.pledges), ZERO)
    flags = []
    for pledge in fund.pledges:
        overdue_on = pledge.oldest_unpaid_due_on or pledge.first_due_on
        if (
            total > 0
            and pledge.amount >= th.pledge_flag_share * total
            and pledge.received <= 0
            and pledge.due > 0
            and overdue_on is not None
            and _days(t, overdue_on) > th.pledge_flag_days
        ):
            params = {
                "organization": pledge.organization,
                "amount_rp": rp(pledge.amount),
                "share_pct": pct(pledge.amount / total),
                "due_on": overdue_on.isoformat(),
                "days": _days(t, overdue_on),
            }
            flags.append(_reason("pledge_overdue_unpaid", "critical", params))
    return flags


def _flag_fund_shortfall(x: Details) -> list[Reason]:
    fund = x.inputs.fund
    if fund is None or fund.planned_next_60 <= 0 or fund.planned_next_60 <= fund.balance * x.th.shortfall_ratio:
        return []
    params = {"planned_rp": rp(fund.planned_next_60), "balance_rp": rp(fund.balance)}
    if fund.balance <= 0:
        return [_reason("fund_shortfall", "critical", params, key="fund_shortfall_empty")]
    params["excess_pct"] = pct((fund.planned_next_60 - fund.balance) / fund.balance)
    return [_reason("fund_shortfall", "critical", params)]


def _flag_silence(x: Details) -> list[Reason]:
    if not x.d1.due:
        return []
    quiet = min(silent_periods(i) for i in x.d1.due)
    if quiet <= x.th.silence_periods:
        return []
    return [_reason("no_partner_updates", "critical", {"periods": quiet})]


def _flag_priority_band_c(x: Details) -> list[Reason]:
    halfway = [s for s in x.d1.scored if s.indicator.priority and s.e >= x.th.band_c_after_share]
    in_c = [s for s in halfway if s.band == "C"]
    if not halfway or len(in_c) < x.th.band_c_share * len(halfway):
        return []
    params = {"count": len(in_c), "total": len(halfway), "names": "; ".join(s.indicator.name for s in in_c)}
    return [_reason("priority_indicators_band_c", "critical", params)]


def _flag_ending(x: Details) -> list[Reason]:
    governance, days = x.inputs.governance, x.d6.days_left
    if x.d6.expired or days is None or days > x.th.ending_days or governance.renewal_in_progress:
        return []
    return [_reason("agreement_ending", "amber", {"days": days, "ends_on": governance.ends_on.isoformat()})]


def _flag_milestones(x: Details) -> list[Reason]:
    return [
        _reason("milestone_overdue", "amber", {"milestone": m.title, "due_on": m.due_on.isoformat(), "days": days})
        for m, days in x.d2.open
        if days > x.th.milestone_flag_days
    ]


def _flag_coverage(x: Details) -> list[Reason]:
    if x.d1.coverage >= x.th.min_coverage:
        return []
    if not x.d1.due:
        return [_reason("coverage_low", "amber", {}, key="coverage_none")]
    params = {"fresh": len(x.d1.scored), "total": len(x.d1.due), "coverage_pct": pct(x.d1.coverage)}
    return [_reason("coverage_low", "amber", params)]


def construct_params(d7: SurveyD7, construct: str) -> tuple[dict, str]:
    """Params naming the construct's mean and its highest- and lowest-rating organisations (1–5),
    and the message variant ("_single" when only one organisation rated it)."""
    ratings = sorted(
        ((scores[construct], org) for org, scores in d7.by_org.items() if construct in scores),
        key=lambda rating: (-rating[0], rating[1]),
    )
    params = {"construct": construct, "mean_of5": of5(d7.constructs[construct])}
    if len(ratings) < 2:
        return params, "_single"
    (high, high_org), (low, low_org) = ratings[0], ratings[-1]
    params |= {"high_org": high_org, "high_of5": of5(high), "low_org": low_org, "low_of5": of5(low)}
    return params, ""


def _flag_survey(x: Details) -> list[Reason]:
    flags = []
    for construct, value in x.d7.constructs.items():
        params, variant = construct_params(x.d7, construct)
        tags = CONSTRUCT_TAGS[construct]
        if construct_band(value, x.th) == "concern":
            key = "survey_construct_low" + variant
            flags.append(_reason("survey_construct_low", "amber", params, key=key, tags=tags))
        spread = construct_sd(s[construct] for s in x.d7.by_org.values() if construct in s)
        if not variant and spread > x.th.divergence_sd:
            tags = ("lack_of_trust", *(t for t in tags if t != "lack_of_trust"))
            params = params | {"sd_score": str(q1(spread))}
            flags.append(_reason("survey_divergence", "amber", params, tags=tags))
    return flags


def _flag_activity(x: Details) -> list[Reason]:
    t, th, starts_on = x.inputs.review_date, x.th, x.inputs.starts_on
    flags = []
    if len(x.d5.shares) >= 2 and x.d5.shares[0][1] > th.dominance_share:
        partner, share = x.d5.shares[0]
        params = {"organization": partner.organization, "share_pct": pct(share)}
        flags.append(_reason("activity_dominance", "amber", params))
    for partner in sorted((p for p, _ in x.d5.shares), key=lambda p: (p.organization, p.organization_id)):
        last = partner.last_action_on
        if last is not None and _days(t, last) > th.inactive_days:
            params = {"organization": partner.organization, "days": _days(t, last), "last_on": last.isoformat()}
            flags.append(_reason("partner_inactive", "amber", params))
        elif last is None and (starts_on is None or _days(t, starts_on) > th.inactive_days):
            params = {"organization": partner.organization}
            flags.append(_reason("partner_inactive", "amber", params, key="partner_never_active"))
    return flags


def trend_flag(current: Decimal | None, previous: tuple[PreviousReview, ...], th: Thresholds) -> list[Reason]:
    if current is None or not previous:
        return []
    last = previous[-1].score
    if last is not None and last - current >= th.trend_drop:
        params = {"previous_score": str(q1(last)), "current_score": str(current), "drop_score": str(q1(last - current))}
        return [_reason("trend_drop", "amber", params)]
    recent = previous[-th.trend_declines :] if th.trend_declines else ()
    if len(recent) < th.trend_declines or any(r.score is None for r in recent):
        return []
    chain = [r.score for r in recent] + [current]
    if all(a > b for a, b in zip(chain, chain[1:], strict=False)):
        params = {"first_score": str(q1(chain[0])), "current_score": str(current), "declines": th.trend_declines}
        return [_reason("trend_declines", "amber", params)]
    return []


def flags_for(x: Details) -> list[Reason]:
    """Every critical and amber flag except the trend (which needs the score)."""
    return [
        *_flag_expired_active(x),
        *_flag_pledges_overdue(x),
        *_flag_fund_shortfall(x),
        *_flag_silence(x),
        *_flag_priority_band_c(x),
        *_flag_ending(x),
        *_flag_milestones(x),
        *_flag_coverage(x),
        *_flag_survey(x),
        *_flag_activity(x),
    ]


# --- weaknesses, strengths and notes (§5) --------------------------------------------------
# Each weakness builder names what pulls its dimension down most.


def _weak_d1(x: Details) -> Reason | None:
    behind = [s for s in x.d1.scored if s.s < HUNDRED]
    if not behind:
        return None

    def shortfall(s: IndicatorScore) -> tuple:
        weight = x.th.priority_weight if s.indicator.priority else ONE
        return (-weight * (HUNDRED - s.s), s.indicator.code)

    worst = min(behind, key=shortfall)
    params = {
        "indicator": worst.indicator.name,
        "program": worst.indicator.program_name,
        "progress_pct": pct(worst.p),
        "expected_pct": pct(worst.e),
        "pace_pct": pct(worst.pace),
        "gf_band": worst.band,
    }
    return _reason("indicator_behind", "weakness", params)


def _weak_d2(x: Details) -> Reason | None:
    if x.d2.open:
        milestone, days = x.d2.open[0]
        params = {
            "open_count": len(x.d2.open),
            "due_count": x.d2.due_count,
            "milestone": milestone.title,
            "due_on": milestone.due_on.isoformat(),
            "days": days,
        }
        return _reason("milestones_open", "weakness", params)
    if x.d2.late_count:
        return _reason("milestones_late", "weakness", {"late_count": x.d2.late_count, "due_count": x.d2.due_count})
    return None


def _weak_d3(x: Details) -> Reason | None:
    d3, fund = x.d3, x.inputs.fund
    share = Decimal("0.5") if d3.f is not None and d3.g is not None else ONE
    f_loss = share * HUNDRED * (1 - d3.f) if d3.f is not None else ZERO
    g_loss = share * (HUNDRED - d3.g) if d3.g is not None else ZERO
    if f_loss > 0 and f_loss >= g_loss:
        pledge = min(
            (p for p in fund.pledges if p.due > 0),
            key=lambda p: (-(p.due - clip(p.received, ZERO, p.due)), p.organization, p.channel),
        )
        received = clip(pledge.received, ZERO, pledge.due)
        params = {
            "organization": pledge.organization,
            "due_rp": rp(pledge.due),
            "received_rp": rp(received),
            "received_pct": pct(received / pledge.due),
        }
        due_on = pledge.oldest_unpaid_due_on or pledge.first_due_on
        if due_on is None:
            return _reason("pledge_behind", "weakness", params, key="pledge_behind_undated")
        return _reason("pledge_behind", "weakness", params | {"due_on": due_on.isoformat()})
    if g_loss > 0:
        params = {"ratio_pct": pct(d3.r), "paid_rp": rp(fund.paid_to_date), "planned_rp": rp(fund.planned_to_date)}
        return _reason("disbursement_slow" if d3.r < x.th.g_full_low else "disbursement_fast", "weakness", params)
    return None


def _weak_d4(x: Details) -> Reason | None:
    d4, th = x.d4, x.th
    both = d4.timeliness is not None and d4.freshness is not None
    losses = {"data_anomalies": d4.penalty, "indicators_stale": ZERO, "reports_late": ZERO}
    if d4.timeliness is not None:
        losses["reports_late"] = (HUNDRED - d4.timeliness) * (th.timeliness_share if both else ONE)
    if d4.freshness is not None:
        losses["indicators_stale"] = (HUNDRED - d4.freshness) * (th.freshness_share if both else ONE)
    code = min(losses, key=lambda c: (-losses[c], c))
    if losses[code] <= 0:
        return None
    if code == "reports_late":
        params = {
            "expected_count": d4.counted,
            "missing_count": d4.missing,
            "late_count": d4.late,
            "grace_days": th.report_grace_days,
        }
    elif code == "indicators_stale":
        names = "; ".join(i.name for i in x.d1.not_fresh)
        params = {"stale_count": len(x.d1.not_fresh), "total": len(x.d1.due), "names": names}
    else:
        params = {"count": len(d4.anomalies), "names": "; ".join(sorted({a.indicator.name for a in d4.anomalies}))}
    return _reason(code, "weakness", params)


def _weak_d5(x: Details) -> Reason | None:
    d5, th = x.d5, x.th
    a_loss, b_loss = th.active_share_weight * (1 - d5.a), th.balance_weight * (1 - d5.b)
    if a_loss > 0 and a_loss >= b_loss:
        inactive = sorted(p.organization for p, _ in d5.shares if p.actions_60d <= 0)
        params = {"inactive_count": len(inactive), "total": len(d5.shares), "names": "; ".join(inactive)}
        return _reason("partners_inactive", "weakness", params)
    if b_loss > 0:
        top, share = d5.shares[0]
        params = {"balance_pct": pct(d5.b), "organization": top.organization, "share_pct": pct(share)}
        return _reason("activity_unbalanced", "weakness", params)
    return None


def _weak_d6(x: Details) -> Reason | None:
    d6, governance = x.d6, x.inputs.governance
    e_loss = (HUNDRED - d6.e) / 2 if d6.e is not None else ZERO
    c_loss = (HUNDRED - d6.c) / (2 if d6.e is not None else 1)
    if e_loss > 0 and e_loss >= c_loss:
        if d6.expired and governance.ends_on is None:
            return _reason("agreement_expired", "weakness", {}, key="agreement_expired_undated")
        if d6.expired:
            return _reason("agreement_expired", "weakness", {"ends_on": governance.ends_on.isoformat()})
        return _reason(
            "agreement_ends_soon", "weakness", {"days": d6.days_left, "ends_on": governance.ends_on.isoformat()}
        )
    if c_loss > 0:
        return _reason("governance_incomplete", "weakness", {"items": ",".join(d6.missing)})
    return None


def _weak_d7(x: Details) -> Reason | None:
    present = [c for c in D7_CONSTRUCTS if c in x.d7.constructs]
    if not present:
        return None
    weakest = min(present, key=lambda c: (x.d7.constructs[c], c))
    params, variant = construct_params(x.d7, weakest)
    return _reason("survey_weak", "weakness", params, key="survey_weak" + variant, tags=CONSTRUCT_TAGS[weakest])


WEAKNESS_BUILDERS = dict(
    zip(DIMENSIONS, (_weak_d1, _weak_d2, _weak_d3, _weak_d4, _weak_d5, _weak_d6, _weak_d7), strict=True)
)


def weaknesses(x: Details, dimensions: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]) -> list[Reason]:
    """The largest weaknesses: dimensions below 75 ranked by w·(100 − D), one reason each."""
    below = [d for d in weights if dimensions[d] < x.th.strength_min]
    ranked = sorted(below, key=lambda d: (-weights[d] * (HUNDRED - dimensions[d]), DIMENSIONS.index(d)))
    reasons = []
    for dimension in ranked[: x.th.max_weaknesses]:
        reason = WEAKNESS_BUILDERS[dimension](x) or _reason("dimension_weak", "weakness", {}, dimension=dimension)
        params = {"dimension": dimension, "dimension_score": str(dimensions[dimension]), **reason.params}
        reasons.append(replace(reason, params=params))
    return reasons


def strengths(x: Details, dimensions: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]) -> list[Reason]:
    strong = [d for d in weights if dimensions[d] >= x.th.strength_min]
    ranked = sorted(strong, key=lambda d: (-dimensions[d], -weights[d], DIMENSIONS.index(d)))
    return [
        _reason("dimension_strong", "strength", {"dimension": d, "dimension_score": str(dimensions[d])}, dimension=d)
        for d in ranked[: x.th.max_strengths]
    ]


def notes(x: Details, band: str, confidence: Decimal, dimensions: Mapping[str, Decimal | None]) -> list[Reason]:
    found = []
    fund, survey = x.inputs.fund, x.inputs.survey
    if x.d3.applicable and fund.pledges:
        by_org: dict[str, Decimal] = {}
        for pledge in fund.pledges:
            by_org[pledge.organization] = by_org.get(pledge.organization, ZERO) + pledge.amount
        total = sum(by_org.values(), ZERO)
        top = min(by_org, key=lambda org: (-by_org[org], org))
        if total > 0 and by_org[top] / total >= x.th.single_funder_share:
            params = {"organization": top, "share_pct": pct(by_org[top] / total)}
            found.append(_reason("single_funder", "note", params))
    if x.d7.status == "insufficient":
        params = {
            "respondents": x.d7.respondents,
            "organizations": x.d7.organizations,
            "members": survey.member_organizations,
        }
        found.append(_reason("survey_insufficient", "note", params))
    elif x.d7.status == "expired":
        found.append(_reason("survey_expired", "note", {"closed_on": survey.closed_on.isoformat()}))
    elif x.d7.status == "scored" and x.d7.factor < ONE:
        found.append(_reason("survey_aging", "note", {"closed_on": survey.closed_on.isoformat()}))
    if band == "insufficient":
        missing = ",".join(d for d in DIMENSIONS if dimensions[d] is None)
        found.append(_reason("data_insufficient", "note", {"confidence_pct": pct(confidence), "dimensions": missing}))
    return found


def _reason_order(reason: Reason) -> tuple:
    dimension = DIMENSIONS.index(reason.dimension) if reason.dimension in DIMENSIONS else len(DIMENSIONS)
    return (SEVERITY_RANK[reason.severity], dimension, reason.code, json.dumps(reason.params, sort_keys=True))


# --- bands, confidence and the early stage (§3, §4) ----------------------------------------


def computed_band(current: Decimal | None, confidence: Decimal, flags: Iterable[Reason], th: Thresholds) -> str:
    severities = {f.severity for f in flags}
    if "critical" in severities:
        return "at_risk"
    if current is None or confidence < th.min_confidence:
        return "insufficient"
    if current < th.watch_min:
        return "at_risk"
    if current < th.healthy_min or "amber" in severities:
        return "watch"
    return "healthy"


def apply_hysteresis(band: str, current: Decimal | None, previous_band: str | None, th: Thresholds) -> str:
    """Moving up out of a worse band needs 78 (to healthy) or 53 (to watch)."""
    if band not in BAND_RANK or previous_band not in BAND_RANK or BAND_RANK[band] <= BAND_RANK[previous_band]:
        return band
    if band == "healthy" and current < th.healthy_reentry:
        band = "watch"
    if band == "watch" and previous_band == "at_risk" and current < th.watch_reentry:
        band = "at_risk"
    return band


def confidence_value(
    scored_weights: Mapping[str, Decimal], coverage: Decimal, weights: Mapping[str, Decimal]
) -> Decimal:
    """Σ weights of the scored dimensions (D1's × coverage) ÷ Σ weights in force."""
    covered = sum((w * coverage if d == "D1" else w for d, w in scored_weights.items()), ZERO)
    return covered / sum(weights.values(), ZERO)


def is_early_stage(inputs: AgreementInputs, th: Thresholds) -> bool:
    """Decision 21: "no reporting period closed yet" only keeps a partnership early when it has
    indicators to report on; an agreement of 90 days or more with nothing measurable (an MoU
    without programs) is scored on what exists, which usually means "not enough data"."""
    started = inputs.starts_on
    if started is None or _days(inputs.review_date, started) < th.early_days:
        return True
    return not inputs.any_period_closed and bool(inputs.indicators)


def setup_checklist(inputs: AgreementInputs) -> tuple[str, ...]:
    """Setup items still missing, as message keys, in a fixed order."""
    governance, fund = inputs.governance, inputs.fund
    checks = (
        ("setup_first_period", not inputs.any_period_closed),
        ("setup_start_date", inputs.starts_on is None),
        ("setup_end_date", governance.ends_on is None),
        ("setup_signed_document", not governance.signed_document),
        ("setup_focal_points", bool(governance.partners_without_focal_point)),
        ("setup_obligations", not governance.obligations_recorded),
        ("setup_indicators", not inputs.indicators),
        ("setup_indicator_targets", bool(governance.programs_without_target)),
        ("setup_milestones", not inputs.milestones),
        ("setup_fund_pledges", fund is not None and not fund.pledges),
    )
    return tuple(key for key, missing in checks if missing)


# --- the review ----------------------------------------------------------------------------


def score(
    inputs: AgreementInputs,
    *,
    weights: Mapping[str, Decimal] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> ReviewResult:
    """Review one agreement. ``weights``: the tenant's tuned weights (validated; defaults for the rest)."""
    in_force = validate_weights(weights)
    with localcontext(Context(prec=28, rounding=ROUND_HALF_EVEN)):
        if is_early_stage(inputs, thresholds):
            return ReviewResult(
                method_version=METHOD_VERSION,
                band="early",
                score=None,
                computed_band="early",
                confidence=q2(ZERO),
                dimensions=dict.fromkeys(DIMENSIONS),
                weights={d: q1(ZERO) for d in DIMENSIONS},
                flags=(),
                reasons=(),
                checklist=setup_checklist(inputs),
            )
        return _review(inputs, in_force, thresholds)


def _review(inputs: AgreementInputs, in_force: Mapping[str, Decimal], th: Thresholds) -> ReviewResult:
    t = inputs.review_date
    d1 = results_d1(inputs.indicators, t, th)
    d3, d7 = fund_d3(inputs.fund, th), survey_d7(inputs.survey, t, th)
    x = Details(
        inputs,
        th,
        d1,
        delivery_d2(inputs.milestones, t, th),
        d3,
        reporting_d4(inputs, d1, th),
        engagement_d5(inputs.partners, th),
        governance_d6(inputs.governance, t, th),
        d7,
    )
    share = th.survey_blend * d7.factor
    raw = {
        "D1": d1.score,
        "D2": x.d2.score,
        "D3": blend(d3.score, d7.constructs.get("S5"), share),
        "D4": blend(x.d4.score, d7.constructs.get("S3"), share),
        "D5": x.d5.score,
        "D6": x.d6.score,
        "D7": d7.score,
    }
    dimensions = {d: None if v is None else q1(clip(v, ZERO, HUNDRED)) for d, v in raw.items()}
    used = {d: in_force[d] * (d7.factor if d == "D7" else ONE) for d in DIMENSIONS if dimensions[d] is not None}
    total = sum(used.values(), ZERO)
    current = q1(sum((w * dimensions[d] for d, w in used.items()), ZERO) / total) if used else None
    confidence = q2(confidence_value(used, d1.coverage, in_force))
    flags = sorted([*flags_for(x), *trend_flag(current, inputs.previous, th)], key=_reason_order)
    band_now = computed_band(current, confidence, flags, th)
    band = apply_hysteresis(band_now, current, inputs.previous[-1].band if inputs.previous else None, th)
    reasons = [
        *flags,
        *weaknesses(x, dimensions, used),
        *strengths(x, dimensions, used),
        *sorted(notes(x, band, confidence, dimensions), key=_reason_order),
    ]
    return ReviewResult(
        method_version=METHOD_VERSION,
        band=band,
        score=current,
        computed_band=band_now,
        confidence=confidence,
        dimensions=dimensions,
        weights={d: q1(used[d] / total * HUNDRED) if d in used else q1(ZERO) for d in DIMENSIONS},
        flags=tuple(flags),
        reasons=tuple(reasons),
    )
