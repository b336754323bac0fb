"""Health review properties over generated partnerships (hypothesis): the score stays within
0–100, equal inputs give equal results, every reason renders, and better inputs never lower a
dimension."""

import dataclasses
import datetime
from decimal import Decimal

from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from reporting.reasons import ACTIONS, MESSAGES, render, render_action, render_checklist_item
from reporting.scoring import score

REVIEW = datetime.date(2025, 7, 15)
PROPERTY_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

dates = st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2026, 6, 30))
past = st.dates(min_value=datetime.date(2024, 1, 1), max_value=REVIEW)
amounts = st.integers(min_value=0, max_value=500_000_000).map(Decimal)
numbers = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
names = st.sampled_from(["Dinkes", "PT Mitra", "Yayasan Sehat", "Puskesmas Anyar", "Desa Anyar"])


@st.composite
def indicators(draw, id=1):
    starts = draw(st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2025, 7, 1)))
    values = sorted(draw(st.lists(st.tuples(past, numbers), max_size=5, unique_by=lambda v: v[0])))
    shares = st.decimals(0, 1, places=2)
    profile = sorted(draw(st.lists(st.tuples(dates, shares), max_size=3, unique_by=lambda v: v[0])))
    return IndicatorInput(
        id=id,
        code=f"I{id}",
        name=f"Indikator {id}",
        program_name="Program",
        kind=draw(st.sampled_from(["count", "percent", "ratio"])),
        direction=draw(st.sampled_from(["increase", "decrease"])),
        cumulative=draw(st.booleans()),
        priority=draw(st.booleans()),
        baseline=draw(st.none() | numbers),
        target=draw(numbers),
        starts_on=starts,
        target_on=starts + datetime.timedelta(days=draw(st.integers(1, 730))),
        values=tuple(values),
        periods_since_value=draw(st.none() | st.integers(0, 6)) if values else None,
        expected_periods=draw(st.integers(0, 12)),
        expected_profile=tuple(profile),
    )


milestones = st.builds(MilestoneInput, title=names, due_on=dates, done_on=st.none() | past)


@st.composite
def pledges(draw):
    amount = draw(amounts)
    due = draw(st.integers(0, int(amount)).map(Decimal))
    return PledgeInput(
        organization_id=draw(st.integers(1, 5)),
        organization=draw(names),
        channel="csr",
        amount=amount,
        due=due,
        received=draw(st.integers(0, int(amount)).map(Decimal)),
        first_due_on=draw(st.none() | past),
        oldest_unpaid_due_on=draw(st.none() | past),
    )


funds = st.builds(
    FundInput,
    pledges=st.lists(pledges(), max_size=4).map(tuple),
    balance=amounts,
    planned_to_date=amounts,
    paid_to_date=amounts,
    planned_next_60=amounts,
)
reports = st.builds(ReportExpectation, organization_id=st.integers(1, 5), due_on=past, submitted_on=st.none() | dates)
partners = st.builds(
    PartnerActivity,
    organization_id=st.integers(1, 5),
    organization=names,
    actions_60d=st.integers(0, 50),
    last_action_on=st.none() | past,
)
governances = st.builds(
    GovernanceInput,
    ends_on=st.none() | dates,
    status=st.sampled_from(["active", "expired", "suspended"]),
    renewal_in_progress=st.booleans(),
    signed_document=st.booleans(),
    partners_without_focal_point=st.lists(names, max_size=2).map(tuple),
    programs_without_target=st.lists(names, max_size=2).map(tuple),
    obligations_recorded=st.booleans(),
    last_joint_review_on=st.none() | past,
    active_programs=st.integers(0, 3),
)
answer_sets = st.dictionaries(st.sampled_from([f"q{n}" for n in range(1, 14)]), st.integers(0, 6), max_size=13)
surveys = st.builds(
    SurveyInput,
    closed_on=past,
    member_organizations=st.integers(1, 6),
    responses=st.dictionaries(names, st.lists(answer_sets, min_size=1, max_size=3).map(tuple), max_size=4),
)
previous_reviews = st.lists(
    st.builds(
        PreviousReview,
        period=st.just("2025-06"),
        score=st.none() | st.decimals(0, 100, places=1),
        band=st.sampled_from(["healthy", "watch", "at_risk", "insufficient", "early"]),
    ),
    max_size=4,
).map(tuple)


@st.composite
def agreements(draw):
    count = draw(st.integers(0, 4))
    return AgreementInputs(
        agreement_id=1,
        title="Kemitraan",
        review_date=REVIEW,
        starts_on=draw(st.none() | st.dates(min_value=datetime.date(2023, 1, 1), max_value=REVIEW)),
        any_period_closed=draw(st.booleans()),
        indicators=tuple(draw(indicators(id=n)) for n in range(1, count + 1)),
        milestones=tuple(draw(st.lists(milestones, max_size=5))),
        fund=draw(st.none() | funds),
        reports=tuple(draw(st.lists(reports, max_size=8))),
        partners=tuple(draw(st.lists(partners, max_size=5, unique_by=lambda p: p.organization))),
        governance=draw(governances),
        survey=draw(st.none() | surveys),
        previous=draw(previous_reviews),
    )


def scored_agreements():
    """Agreements past the early stage, so that a score is computed."""
    started = datetime.date(2024, 1, 1)
    return agreements().map(lambda a: dataclasses.replace(a, starts_on=started, any_period_closed=True))


@PROPERTY_SETTINGS
@given(agreements())
def test_score_dimensions_and_confidence_stay_in_range(agreement):
    result = score(agreement)
    assert result.band in {"healthy", "watch", "at_risk", "insufficient", "early"}
    assert result.score is None or 0 <= result.score <= 100
    assert all(v is None or 0 <= v <= 100 for v in result.dimensions.values())
    assert 0 <= result.confidence <= 1
    used = [w for w in result.weights.values() if w > 0]
    assert not used or abs(sum(used) - 100) <= Decimal("0.5")


@PROPERTY_SETTINGS
@given(agreements())
def test_equal_inputs_give_equal_results(agreement):
    copy = dataclasses.replace(agreement, indicators=tuple(agreement.indicators), partners=agreement.partners[::-1])
    assert score(agreement) == score(agreement) == score(copy)


@PROPERTY_SETTINGS
@given(agreements())
def test_every_reason_has_a_sentence_and_an_action(agreement):
    result = score(agreement)
    with translation.override("id"):
        for reason in result.reasons:
            assert reason.message_key in MESSAGES
            assert reason.suggested_action in ACTIONS
            assert render(reason) and render_action(reason)
        for key in result.checklist:
            assert key in MESSAGES and render_checklist_item(key)
    assert result.reasons[: len(result.flags)] == result.flags
    assert all(r.severity in {"critical", "amber"} for r in result.flags)


@PROPERTY_SETTINGS
@given(scored_agreements(), st.data())
def test_raising_an_actual_value_toward_the_target_never_lowers_d1(agreement, data):
    reported = [i for i in agreement.indicators if i.values]
    if not reported:
        return
    item = data.draw(st.sampled_from(reported))
    step = data.draw(st.decimals(min_value=0, max_value=500, places=2))
    on, value = item.values[-1]
    better = value + step if item.direction == "increase" else max(Decimal(0), value - step)
    improved = dataclasses.replace(item, values=(*item.values[:-1], (on, better)))
    others = tuple(improved if i is item else i for i in agreement.indicators)
    before, after = score(agreement), score(dataclasses.replace(agreement, indicators=others))
    assert (before.dimensions["D1"] is None) == (after.dimensions["D1"] is None)
    if before.dimensions["D1"] is not None:
        assert after.dimensions["D1"] >= before.dimensions["D1"]


@PROPERTY_SETTINGS
@given(scored_agreements(), st.data())
def test_marking_a_milestone_done_never_lowers_d2(agreement, data):
    if not agreement.milestones:
        return
    index = data.draw(st.integers(0, len(agreement.milestones) - 1))
    open_, done = list(agreement.milestones), list(agreement.milestones)
    open_[index] = dataclasses.replace(open_[index], done_on=None)
    done[index] = dataclasses.replace(done[index], done_on=data.draw(past))
    before = score(dataclasses.replace(agreement, milestones=tuple(open_)))
    after = score(dataclasses.replace(agreement, milestones=tuple(done)))
    if before.dimensions["D2"] is not None:
        assert after.dimensions["D2"] >= before.dimensions["D2"]


@PROPERTY_SETTINGS
@given(scored_agreements(), st.data())
def test_receiving_more_on_a_pledge_never_lowers_d3(agreement, data):
    if agreement.fund is None or not agreement.fund.pledges:
        return
    index = data.draw(st.integers(0, len(agreement.fund.pledges) - 1))
    more = data.draw(st.integers(1, 100_000_000).map(Decimal))
    pledges = list(agreement.fund.pledges)
    pledges[index] = dataclasses.replace(pledges[index], received=pledges[index].received + more)
    richer = dataclasses.replace(agreement, fund=dataclasses.replace(agreement.fund, pledges=tuple(pledges)))
    before, after = score(agreement), score(richer)
    if before.dimensions["D3"] is not None:
        assert after.dimensions["D3"] >= before.dimensions["D3"]


@PROPERTY_SETTINGS
@given(scored_agreements(), st.data())
def test_sending_a_missing_report_never_lowers_d4(agreement, data):
    missing = [n for n, r in enumerate(agreement.reports) if r.submitted_on is None]
    if not missing:
        return
    index = data.draw(st.sampled_from(missing))
    reports = list(agreement.reports)
    reports[index] = dataclasses.replace(reports[index], submitted_on=data.draw(past))
    before, after = score(agreement), score(dataclasses.replace(agreement, reports=tuple(reports)))
    if before.dimensions["D4"] is not None:
        assert after.dimensions["D4"] >= before.dimensions["D4"]
