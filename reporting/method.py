"""The versioned parameters of the partnership health review (method ``phr-v1``,
``docs/health-review.md``): dimension weights, the bounds a tenant admin may tune them within,
the survey's item → construct mapping and every threshold, in one place.

A change to any number here that changes a score is a new method version.

Weight bounds: every weight may be tuned to between half and one and a half times its default
(D1 12.5–37.5, D2 7.5–22.5, D3 10–30, D4 5–15, D5 5–15, D6 2.5–7.5, D7 7.5–22.5). No weight
may reach 0: a tenant cannot switch a dimension off (a dimension without data is dropped by the
method itself), and in particular results (D1) and money (D3) always count. The weights need
not sum to 100; the score re-normalises them, and confidence divides by their sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

METHOD_VERSION = "phr-v1"

DIMENSIONS = ("D1", "D2", "D3", "D4", "D5", "D6", "D7")

DEFAULT_WEIGHTS: Mapping[str, Decimal] = MappingProxyType(
    {
        "D1": Decimal(25),
        "D2": Decimal(15),
        "D3": Decimal(20),
        "D4": Decimal(10),
        "D5": Decimal(10),
        "D6": Decimal(5),
        "D7": Decimal(15),
    }
)

WEIGHT_BOUNDS: Mapping[str, tuple[Decimal, Decimal]] = MappingProxyType(
    {dimension: (weight / 2, weight * 3 / 2) for dimension, weight in DEFAULT_WEIGHTS.items()}
)

# Survey items (our own wording, see the survey module) → the seven constructs of §2 D7.
SURVEY_CONSTRUCTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "S1": ("q1", "q2"),  # shared purpose: goals understood alike; targets agreed and realistic
        "S2": ("q3", "q4"),  # trust: commitments kept; information shared honestly
        "S3": ("q5", "q6"),  # communication: information on time; coordination works
        "S4": ("q7", "q8"),  # fairness: our voice counts; benefits and burdens shared fairly
        "S5": ("q9", "q10"),  # resources: enough funds, staff, logistics; partners contribute as agreed
        "S6": ("q11", "q12"),  # leadership and adaptability: conflicts resolved; adapts to change
        "S7": ("q13",),  # overall value: benefit exceeds cost
    }
)
D7_CONSTRUCTS = ("S1", "S2", "S4", "S6", "S7")
S3_BLENDS_INTO = "D4"
S5_BLENDS_INTO = "D3"


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of ``phr-v1``. Day counts are calendar days; months are calendar months."""

    # §4 bands
    healthy_min: Decimal = Decimal(75)
    watch_min: Decimal = Decimal(50)
    healthy_reentry: Decimal = Decimal(78)  # hysteresis: back up to healthy from watch or at risk
    watch_reentry: Decimal = Decimal(53)  # hysteresis: back up to watch from at risk
    min_confidence: Decimal = Decimal("0.5")
    trend_drop: Decimal = Decimal(10)
    trend_declines: int = 3
    # §3 early stage
    early_days: int = 90
    # D1 results
    progress_cap: Decimal = Decimal("1.2")
    expected_floor: Decimal = Decimal("0.2")
    priority_weight: Decimal = Decimal(2)
    stale_after_periods: int = 2  # a value older than this many closed periods is stale
    min_coverage: Decimal = Decimal("0.5")
    gf_a1_above: Decimal = Decimal(100)  # % of expected pace: A1 > 100, A2 90–100, B1 60–89, B2 30–59, C < 30
    gf_a2_min: Decimal = Decimal(90)
    gf_b1_min: Decimal = Decimal(60)
    gf_b2_min: Decimal = Decimal(30)
    # D2 delivery
    milestone_done_on_time: Decimal = Decimal(1)
    milestone_done_late: Decimal = Decimal("0.7")
    milestone_open_recent: Decimal = Decimal("0.4")
    milestone_open_old: Decimal = Decimal(0)
    milestone_recent_days: int = 30
    # D3 shared fund: g(R) is 100 on [full_low, full_high], 0 outside [zero_low, zero_high]
    g_full_low: Decimal = Decimal("0.85")
    g_full_high: Decimal = Decimal("1.10")
    g_zero_low: Decimal = Decimal("0.40")
    g_zero_high: Decimal = Decimal("1.50")
    single_funder_share: Decimal = Decimal("0.8")  # a note, not scored
    # D4 reporting
    report_grace_days: int = 7
    report_late_credit: Decimal = Decimal("0.5")
    reporting_window_months: int = 6
    timeliness_share: Decimal = Decimal("0.7")
    freshness_share: Decimal = Decimal("0.3")
    anomaly_penalty: Decimal = Decimal(5)
    max_anomaly_penalty: Decimal = Decimal(20)
    # D5 engagement
    active_share_weight: Decimal = Decimal("0.7")
    balance_weight: Decimal = Decimal("0.3")
    # D6 governance: expiry score E by days to the end date
    expiry_far_days: int = 180  # > 180 → 100
    expiry_mid_days: int = 90  # 91–180 → 80
    expiry_near_days: int = 30  # 31–90 → 50 (80 with renewal); 0–30 → 20 (70 with renewal)
    expiry_far: Decimal = Decimal(100)
    expiry_mid: Decimal = Decimal(80)
    expiry_near: Decimal = Decimal(50)
    expiry_near_renewing: Decimal = Decimal(80)
    expiry_last: Decimal = Decimal(20)
    expiry_last_renewing: Decimal = Decimal(70)
    expiry_expired: Decimal = Decimal(0)
    joint_review_months: int = 6
    # D7 survey
    survey_blend: Decimal = Decimal("0.25")  # S3 into D4 and S5 into D3
    construct_strength: Decimal = Decimal(75)
    construct_concern: Decimal = Decimal(50)
    divergence_sd: Decimal = Decimal(25)
    # HEALTH_REVIEW.md asks for 3 respondents from ≥ 2 organisations; MitraSehat takes one
    # response per organization (its focal point speaks for it: reporting/surveys.py), so
    # respondents = organizations and 2 answering organizations (and ≥ 40% of members) suffice.
    min_respondents: int = 2
    min_organizations: int = 2
    min_organization_share: Decimal = Decimal("0.4")
    survey_full_months: int = 6
    survey_max_months: int = 12
    survey_aging_factor: Decimal = Decimal("0.5")
    # §4 critical flags
    pledge_flag_share: Decimal = Decimal("0.25")
    pledge_flag_days: int = 90
    shortfall_ratio: Decimal = Decimal("1.2")  # planned next 60 days > balance × 1.2
    silence_periods: int = 2  # no partner update for more than this many periods
    band_c_share: Decimal = Decimal("0.5")
    band_c_after_share: Decimal = Decimal("0.5")  # "after half the period has passed": e ≥ 0.5
    # §4 amber flags
    ending_days: int = 90
    milestone_flag_days: int = 60
    dominance_share: Decimal = Decimal("0.8")
    inactive_days: int = 90
    # §5 reasons
    max_weaknesses: int = 3
    max_strengths: int = 2
    strength_min: Decimal = Decimal(75)


DEFAULT_THRESHOLDS = Thresholds()


def validate_weights(weights: Mapping[str, object] | None) -> dict[str, Decimal]:
    """The full set of weights in force: the defaults overridden by a tenant's ``weights``.

    Values may be ``Decimal``, ``int`` or numeric strings. Raises ``ValueError`` naming the
    dimension for an unknown dimension, a value that is not a number, or one outside
    ``WEIGHT_BOUNDS``.
    """
    result = dict(DEFAULT_WEIGHTS)
    for dimension, raw in (weights or {}).items():
        if dimension not in DEFAULT_WEIGHTS:
            raise ValueError(f"Unknown dimension {dimension!r}: weights exist for {', '.join(DIMENSIONS)}.")
        value = _as_decimal(dimension, raw)
        low, high = WEIGHT_BOUNDS[dimension]
        if not low <= value <= high:
            raise ValueError(f"The weight of {dimension} must be between {low} and {high} (got {value}).")
        result[dimension] = value
    return result


def _as_decimal(dimension: str, raw: object) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, Decimal | int | float | str):
        raise ValueError(f"The weight of {dimension} must be a number (got {raw!r}).")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError(f"The weight of {dimension} must be a number (got {raw!r}).") from None
    if not value.is_finite():
        raise ValueError(f"The weight of {dimension} must be a finite number (got {raw!r}).")
    return value
