"""The contract between input gathering (``reporting.health_inputs``, database) and scoring
(``reporting.scoring``, pure): plain, frozen dataclasses with no ORM objects, so a review can be
recomputed from its inputs and the inputs hashed.

Money is ``Decimal`` (whole rupiah), dates are ``datetime.date``, ids are ints. Everything an
agreement's review needs is here; nothing else is read while scoring.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class IndicatorInput:
    id: int
    code: str
    name: str
    program_name: str
    kind: str  # "count" | "percent" | "ratio"
    direction: str  # "increase" | "decrease"
    cumulative: bool
    priority: bool
    baseline: Decimal | None  # None → 0
    target: Decimal
    starts_on: datetime.date  # the program's start (s)
    target_on: datetime.date  # the program's end, i.e. the target date (f)
    # Approved values in period order (oldest first): (period end date, value). For cumulative
    # indicators the running total per period; otherwise the period's own value.
    values: tuple[tuple[datetime.date, Decimal], ...] = ()
    # Closed reporting periods since the last approved value (0 = the latest closed period has a
    # value); None when the indicator has never had an approved value.
    periods_since_value: int | None = None
    expected_periods: int = 0  # closed reporting periods so far (0 → nothing expected yet)
    # Phased plan (§2 D1, e.g. APBD work back-loaded toward Q4): (date, cumulative share 0–1 of the
    # target expected by that date), ascending. Empty → a straight line from starts_on to target_on.
    expected_profile: tuple[tuple[datetime.date, Decimal], ...] = ()


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_on: datetime.date
    done_on: datetime.date | None


@dataclass(frozen=True)
class PledgeInput:
    organization_id: int
    organization: str
    channel: str
    amount: Decimal
    due: Decimal  # instalments due by the review date (the whole amount if no schedule)
    received: Decimal
    first_due_on: datetime.date | None  # earliest instalment date (None: no schedule)
    oldest_unpaid_due_on: datetime.date | None  # earliest due instalment not yet covered


@dataclass(frozen=True)
class FundInput:
    pledges: tuple[PledgeInput, ...]
    balance: Decimal
    planned_to_date: Decimal  # disbursements (not rejected) planned on or before the review date
    paid_to_date: Decimal  # payments net of reversals up to the review date
    planned_next_60: Decimal  # requested/approved, not paid, planned within 60 days after the review date


@dataclass(frozen=True)
class ReportExpectation:
    """One expected report (indicator × period × implementing organization) due in the last six months."""

    organization_id: int
    due_on: datetime.date
    submitted_on: datetime.date | None  # None: missing


@dataclass(frozen=True)
class PartnerActivity:
    organization_id: int
    organization: str
    actions_60d: int  # updates, approvals, uploads, receipts, requests… in the 60 days before the review
    last_action_on: datetime.date | None


@dataclass(frozen=True)
class GovernanceInput:
    ends_on: datetime.date | None
    status: str  # the agreement's status
    renewal_in_progress: bool
    signed_document: bool
    partners_without_focal_point: tuple[str, ...]
    programs_without_target: tuple[str, ...]  # programs with no indicator having a target and a date
    obligations_recorded: bool
    last_joint_review_on: datetime.date | None
    active_programs: int  # programs not closed (for "expired while programs are active")


@dataclass(frozen=True)
class SurveyInput:
    closed_on: datetime.date  # the round's end (its age counts from here)
    member_organizations: int  # parties of the agreement
    # organization name → list of respondents' answers; each answer maps item code ("q1"…"q13") to 1–5
    responses: dict[str, tuple[dict[str, int], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class PreviousReview:
    period: str
    score: Decimal | None
    band: str


@dataclass(frozen=True)
class AgreementInputs:
    agreement_id: int
    title: str
    review_date: datetime.date
    starts_on: datetime.date | None
    any_period_closed: bool
    indicators: tuple[IndicatorInput, ...]
    milestones: tuple[MilestoneInput, ...]
    fund: FundInput | None  # None: the partnership has no shared fund (D3 not applicable)
    reports: tuple[ReportExpectation, ...]
    partners: tuple[PartnerActivity, ...]
    governance: GovernanceInput
    survey: SurveyInput | None
    previous: tuple[PreviousReview, ...] = ()  # oldest first


@dataclass(frozen=True)
class Reason:
    code: str  # e.g. "indicator_behind", "pledge_overdue"
    dimension: str  # "D1"…"D7" or "" for overall
    severity: str  # "critical" | "amber" | "weakness" | "strength" | "note"
    challenge_tags: tuple[str, ...]  # from HEALTH_REVIEW.md §6, e.g. ("lack_of_trust",)
    message_key: str  # looked up in reporting.reasons.MESSAGES
    params: dict  # JSON-safe: str, int, str(Decimal), ISO dates
    suggested_action: str  # a key in reporting.reasons.ACTIONS


@dataclass(frozen=True)
class ReviewResult:
    method_version: str
    band: str  # "healthy" | "watch" | "at_risk" | "insufficient" | "early"
    score: Decimal | None  # 0–100, one decimal; None when early or nothing scorable
    computed_band: str  # the band before hysteresis (kept for transparency)
    confidence: Decimal  # 0–1, two decimals
    dimensions: dict[str, Decimal | None]  # "D1"…"D7" → score or None (not applicable / no data)
    weights: dict[str, Decimal]  # the weights used (after re-normalisation)
    flags: tuple[Reason, ...]
    reasons: tuple[Reason, ...]  # flags first, then the 3 largest weaknesses, then 1–2 strengths
    checklist: tuple[str, ...] = ()  # early stage: setup items still missing (message keys)
