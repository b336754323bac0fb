"""Builders of health-review inputs for the pure scoring tests (no database).

Every builder returns a healthy default that a test changes with keyword arguments, so a test
states only what it is about. The review date is 15 July 2025 throughout.
"""

import datetime
from decimal import Decimal

from reporting.health_types import (
    AgreementInputs,
    FundInput,
    GovernanceInput,
    IndicatorInput,
    MilestoneInput,
    PartnerActivity,
    PledgeInput,
    PreviousReview,
    ReportExpectation,
    SurveyInput,
)

D = Decimal
REVIEW = datetime.date(2025, 7, 15)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def indicator(**changes) -> IndicatorInput:
    """On pace by default: 60 of 100 with 195 of 364 days gone (e = 0.536, s = 100)."""
    fields = {
        "id": 1,
        "code": "IND-1",
        "name": "Indikator satu",
        "program_name": "Program uji",
        "kind": "count",
        "direction": "increase",
        "cumulative": False,
        "priority": False,
        "baseline": D(0),
        "target": D(100),
        "starts_on": day("2025-01-01"),
        "target_on": day("2025-12-31"),
        "values": ((day("2025-06-30"), D(60)),),
        "periods_since_value": 0,
        "expected_periods": 6,
    }
    return IndicatorInput(**(fields | changes))


def milestone(title="Tonggak", due="2025-05-01", done: str | None = "2025-04-30") -> MilestoneInput:
    return MilestoneInput(title=title, due_on=day(due), done_on=day(done) if done else None)


def pledge(**changes) -> PledgeInput:
    fields = {
        "organization_id": 10,
        "organization": "PT Mitra",
        "channel": "csr",
        "amount": D(100_000_000),
        "due": D(100_000_000),
        "received": D(100_000_000),
        "first_due_on": day("2025-03-01"),
        "oldest_unpaid_due_on": None,
    }
    return PledgeInput(**(fields | changes))


def fund(**changes) -> FundInput:
    fields = {
        "pledges": (pledge(),),
        "balance": D(50_000_000),
        "planned_to_date": D(50_000_000),
        "paid_to_date": D(50_000_000),
        "planned_next_60": D(10_000_000),
    }
    return FundInput(**(fields | changes))


def report(due="2025-06-10", submitted: str | None = "2025-06-09", organization_id=1) -> ReportExpectation:
    return ReportExpectation(
        organization_id=organization_id, due_on=day(due), submitted_on=day(submitted) if submitted else None
    )


def partner(organization="Dinkes", organization_id=1, actions=5, last="2025-07-10") -> PartnerActivity:
    return PartnerActivity(
        organization_id=organization_id,
        organization=organization,
        actions_60d=actions,
        last_action_on=day(last) if last else None,
    )


def governance(**changes) -> GovernanceInput:
    fields = {
        "ends_on": day("2026-12-31"),
        "status": "active",
        "renewal_in_progress": False,
        "signed_document": True,
        "partners_without_focal_point": (),
        "programs_without_target": (),
        "obligations_recorded": True,
        "last_joint_review_on": day("2025-05-20"),
        "active_programs": 1,
    }
    return GovernanceInput(**(fields | changes))


def answers(value: int, **items) -> dict[str, int]:
    """One respondent answering ``value`` to q1…q13, except the items given."""
    return {f"q{n}": value for n in range(1, 14)} | items


def survey(responses=None, closed="2025-06-30", members=3) -> SurveyInput:
    responses = responses or {
        "Dinkes": (answers(4), answers(4)),
        "PT Mitra": (answers(4),),
    }
    return SurveyInput(closed_on=day(closed), member_organizations=members, responses=responses)


def previous(*scores_and_bands) -> tuple[PreviousReview, ...]:
    """previous((80, "healthy"), (70, "watch")) → oldest first."""
    return tuple(
        PreviousReview(period=f"2025-{n + 1:02d}", score=None if s is None else D(str(s)), band=band)
        for n, (s, band) in enumerate(scores_and_bands)
    )


def inputs(**changes) -> AgreementInputs:
    """A healthy agreement: every scored dimension at 100, no fund and no survey (confidence 0.65)."""
    fields = {
        "agreement_id": 1,
        "title": "Kemitraan uji",
        "review_date": REVIEW,
        "starts_on": day("2025-01-01"),
        "any_period_closed": True,
        "indicators": (indicator(),),
        "milestones": (milestone(),),
        "fund": None,
        "reports": (report(),),
        "partners": (partner(), partner("PT Mitra", 2)),
        "governance": governance(),
        "survey": None,
        "previous": (),
    }
    return AgreementInputs(**(fields | changes))
