"""Health review (phr-v1), every sub-metric of §2 against hand-computed values."""

import datetime

import pytest

from reporting.method import DEFAULT_THRESHOLDS as TH
from reporting.scoring import (
    active_share_a,
    anomalies,
    balance_b,
    completeness_c,
    construct_sd,
    delivery_d2,
    disbursement_score_g,
    expected_share_e,
    expiry_score_e,
    fund_d3,
    gf_band,
    governance_d6,
    indicator_score_s,
    item_score,
    milestone_credit,
    months_before,
    pledge_fulfilment_f,
    progress_p,
    report_credit,
    results_d1,
    score,
    survey_age_factor,
    survey_d7,
)

from . import (
    REVIEW,
    D,
    answers,
    day,
    fund,
    governance,
    indicator,
    inputs,
    milestone,
    partner,
    pledge,
    report,
    survey,
)


def q(value, places="0.01"):
    return value.quantize(D(places))


# --- D1 results --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "actual", "p"),
    [
        ("increase", "0", "600", "330", "0.55"),
        ("increase", "72.5", "95", "81.95", "0.42"),
        ("increase", None, "100", "40", "0.4"),  # no baseline → 0
        ("increase", "50", "100", "40", "0"),  # below the baseline → 0
        ("increase", "0", "100", "150", "1.2"),  # capped at 1.2
        ("decrease", "12", "5", "7.8", "0.6"),  # (B − A) ÷ (B − T)
        ("decrease", "12", "5", "13", "0"),
        ("down", "12", "5", "1", "1.2"),  # the model's "down" is a decrease too
        ("increase", "80", "80", "80", "1"),  # target equals the baseline: met …
        ("increase", "80", "80", "79", "0"),  # … or not
        ("decrease", "5", "8", "7", "1"),  # a decrease target above the baseline: met
    ],
)
def test_progress_p(direction, baseline, target, actual, p):
    item = indicator(direction=direction, baseline=None if baseline is None else D(baseline), target=D(target))
    assert progress_p(item, D(actual), TH) == D(p)


@pytest.mark.parametrize(
    ("today", "e"),
    [("2024-12-01", "0"), ("2025-01-01", "0"), ("2025-04-02", "0.25"), ("2025-10-01", "0.75"), ("2026-03-01", "1")],
)
def test_expected_share_e_is_the_share_of_time_gone(today, e):
    item = indicator(starts_on=day("2025-01-01"), target_on=day("2025-12-31"))  # 364 days
    assert expected_share_e(item, day(today)) == D(e)


def test_expected_share_e_follows_a_phased_plan():
    # APBD work back-loaded: 10% by the end of June, 40% by the end of September
    phased = indicator(
        starts_on=day("2025-01-01"),
        target_on=day("2025-12-31"),
        expected_profile=((day("2025-06-30"), D("0.1")), (day("2025-09-30"), D("0.4"))),
    )
    assert expected_share_e(phased, day("2025-06-30")) == D("0.1")
    assert q(expected_share_e(phased, day("2025-08-15"))) == D("0.25")  # halfway between the points (46 of 92 days)
    assert expected_share_e(phased, day("2025-11-15")) == D("0.7")  # 0.4 + 0.6 · 46 ÷ 92
    assert expected_share_e(phased, day("2025-04-01")) == D("0.05")  # 0.1 · 90 ÷ 180 days


@pytest.mark.parametrize(
    ("p", "e", "s"),
    [("0.42", "0.75", "56"), ("0.6", "0.5", "100"), ("0.1", "0.1", "50"), ("0", "0", "0"), ("1.2", "1", "100")],
)
def test_indicator_score_s_uses_a_floor_of_0_2_on_e_and_caps_at_100(p, e, s):
    assert indicator_score_s(D(p), D(e), TH) == D(s)


@pytest.mark.parametrize(
    ("pace", "band"),
    [
        ("1.001", "A1"),
        ("1.0004", "A2"),  # shown as 100.0%
        ("1", "A2"),
        ("0.9", "A2"),
        ("0.899", "B1"),
        ("0.6", "B1"),
        ("0.599", "B2"),
        ("0.56", "B2"),
        ("0.3", "B2"),
        ("0.299", "C"),
        ("0", "C"),
    ],
)
def test_global_fund_bands_of_the_expected_pace(pace, band):
    assert gf_band(D(pace), TH) == band


def test_d1_is_the_priority_weighted_mean_of_fresh_indicators():
    on_pace = indicator(id=1, code="A", priority=True)  # s = 100
    behind = indicator(id=2, code="B", values=((day("2025-06-30"), D(20)),))  # p 0.2, e 195/364 → s 37.33
    result = results_d1((on_pace, behind), REVIEW, TH)
    assert q(result.score) == D("79.11")  # (2·100 + 37.33) ÷ 3
    assert result.coverage == 1


def test_stale_and_never_reported_indicators_are_left_out_and_lower_coverage():
    fresh_two_old = indicator(id=1, code="A", periods_since_value=2)
    stale = indicator(id=2, code="B", periods_since_value=3, values=((day("2025-03-31"), D(0)),))
    never = indicator(id=3, code="C", periods_since_value=None, values=())
    not_due = indicator(id=4, code="D", expected_periods=0, values=())
    result = results_d1((fresh_two_old, stale, never, not_due), REVIEW, TH)
    assert result.score == 100
    assert [i.code for i in result.due] == ["A", "B", "C"]
    assert [i.code for i in result.not_fresh] == ["B", "C"]
    assert q(result.coverage) == D("0.33")


def test_d1_without_any_indicator_due_has_no_data_and_zero_coverage():
    result = results_d1((indicator(expected_periods=0),), REVIEW, TH)
    assert (result.score, result.coverage) == (None, 0)


# --- D2 delivery ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "done", "credit"),
    [
        ("2025-06-01", "2025-06-01", "1"),  # on time
        ("2025-06-01", "2025-06-02", "0.7"),  # late
        ("2025-06-15", None, "0.4"),  # open, 30 days overdue
        ("2025-06-14", None, "0"),  # open, 31 days overdue
        ("2025-07-15", None, "0.4"),  # due today, still open
        ("2025-06-01", "2025-07-20", "0"),  # "done" after the review date: open on the review date
        ("2025-07-16", None, None),  # not due yet
        ("2025-07-16", "2025-07-01", None),  # done early but not due yet: not counted
    ],
)
def test_milestone_credit(due, done, credit):
    assert milestone_credit(milestone(due=due, done=done), REVIEW, TH) == (None if credit is None else D(credit))


def test_d2_is_100_times_the_mean_credit_of_milestones_due():
    result = delivery_d2(
        (
            milestone("A", "2025-02-15", "2025-02-10"),
            milestone("B", "2025-04-01", "2025-04-20"),
            milestone("C", "2025-05-01", None),
            milestone("D", "2025-07-01", None),
            milestone("E", "2025-09-01", None),
        ),
        REVIEW,
        TH,
    )
    assert result.score == D("52.5")  # (1 + 0.7 + 0 + 0.4) ÷ 4
    assert (result.due_count, result.late_count) == (4, 1)
    assert [(m.title, days) for m, days in result.open] == [("C", 75), ("D", 14)]


def test_d2_without_milestones_due_has_no_data():
    assert delivery_d2((milestone(due="2025-09-01", done=None),), REVIEW, TH).score is None
    assert score(inputs(milestones=())).dimensions["D2"] is None


# --- D3 shared fund ------------------------------------------------------------------------------


def test_pledge_fulfilment_f_caps_each_pledge_at_its_amount_due():
    early_payer = pledge(due=D(100), received=D(150))
    behind = pledge(organization="Desa", due=D(100), received=D(20))
    assert pledge_fulfilment_f((early_payer, behind)) == D("0.6")  # (100 + 20) ÷ 200, not 170 ÷ 200
    assert pledge_fulfilment_f((pledge(due=D(0), received=D(10)),)) is None  # nothing due yet


@pytest.mark.parametrize(
    ("r", "g"),
    [
        ("0", "0"),
        ("0.40", "0"),
        ("0.625", "50"),
        ("0.75", "77.78"),
        ("0.85", "100"),
        ("1", "100"),
        ("1.10", "100"),
        ("1.30", "50"),
        ("1.50", "0"),
        ("2", "0"),
    ],
)
def test_disbursement_score_g(r, g):
    assert q(disbursement_score_g(D(r), TH)) == D(g)


def test_d3_is_half_pledges_kept_and_half_disbursement_on_plan():
    result = fund_d3(
        fund(
            pledges=(pledge(due=D(300), received=D(180)),),
            planned_to_date=D(160),
            paid_to_date=D(120),
        ),
        TH,
    )
    assert (result.f, result.r) == (D("0.6"), D("0.75"))
    assert q(result.score) == D("68.89")  # 50·0.6 + 0.5·77.78


def test_d3_with_no_pledge_due_yet_is_g_of_r():
    result = fund_d3(fund(pledges=(pledge(due=D(0), received=D(0)),), planned_to_date=D(100), paid_to_date=D(75)), TH)
    assert result.f is None
    assert q(result.score) == D("77.78")


def test_d3_with_nothing_planned_to_date_is_pledges_kept_alone():
    result = fund_d3(fund(pledges=(pledge(due=D(100), received=D(40)),), planned_to_date=D(0), paid_to_date=D(0)), TH)
    assert result.score == 40


def test_d3_blends_in_the_resources_construct_at_25_percent():
    s5_low = survey({"A": (answers(4, q9=1, q10=1),), "B": (answers(4, q9=1, q10=1), answers(4, q9=1, q10=1))})
    assert score(inputs(fund=fund(), survey=s5_low)).dimensions["D3"] == D("75.0")  # 0.75·100 + 0.25·0


def test_d3_is_not_applicable_without_a_fund_even_with_a_survey():
    assert score(inputs(fund=None, survey=survey())).dimensions["D3"] is None


# --- D4 reporting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "submitted", "credit"),
    [
        ("2025-06-10", "2025-06-01", "1"),
        ("2025-06-10", "2025-06-17", "1"),  # the 7th day of grace
        ("2025-06-10", "2025-06-18", "0.5"),  # late
        ("2025-06-10", None, "0"),  # missing
        ("2025-07-07", None, "0"),  # grace ended yesterday
        ("2025-07-08", None, None),  # grace ends today: not counted yet
        ("2025-07-30", "2025-07-14", "1"),  # sent before it was due
    ],
)
def test_report_credit(due, submitted, credit):
    assert report_credit(report(due, submitted), REVIEW, TH) == (None if credit is None else D(credit))


def test_d4_is_timeliness_and_freshness_less_the_anomaly_penalty():
    stale = indicator(id=2, code="B", periods_since_value=4)
    falling = indicator(
        id=3,
        code="C",
        cumulative=True,
        values=((day("2025-05-31"), D(50)), (day("2025-06-30"), D(45))),
    )
    reports = (report(), report(), report(submitted="2025-06-30"), report(submitted=None))
    result = score(inputs(indicators=(indicator(), stale, falling), reports=reports))
    # timeliness (1 + 1 + 0.5 + 0) ÷ 4 = 62.5; freshness 2 ÷ 3 = 66.67; one anomaly
    assert result.dimensions["D4"] == D("58.8")  # 0.7·62.5 + 0.3·66.67 − 5 = 58.75


@pytest.mark.parametrize(
    ("kind", "cumulative", "values", "found"),
    [
        ("count", True, (("2025-05-31", 50), ("2025-06-30", 45)), ["falling"]),
        ("count", False, (("2025-05-31", 50), ("2025-06-30", 45)), []),  # a period value may fall
        ("percent", False, (("2025-06-30", 101),), ["above_100"]),
        ("ratio", False, (("2025-06-30", 120),), ["above_100"]),
        ("count", False, (("2025-06-30", 250),), []),
        ("percent", True, (("2025-05-31", 104), ("2025-06-30", 103)), ["above_100", "falling", "above_100"]),
        ("count", True, (("2024-12-31", 50), ("2025-01-15", 45)), []),  # 6 months ago or more: ignored
        ("count", True, (("2025-01-15", 50), ("2025-01-16", 45)), ["falling"]),
    ],
)
def test_anomalies_in_the_last_six_months(kind, cumulative, values, found):
    item = indicator(kind=kind, cumulative=cumulative, values=tuple((day(d), D(v)) for d, v in values))
    assert sorted(a.kind for a in anomalies((item,), REVIEW, TH)) == sorted(found)


def test_the_anomaly_penalty_stops_at_20():
    zigzag = tuple((datetime.date(2025, 2, 1) + datetime.timedelta(days=10 * n), D(10 - n % 2)) for n in range(16))
    item = indicator(cumulative=True, values=zigzag)
    assert len(anomalies((item,), REVIEW, TH)) == 8
    assert score(inputs(indicators=(item,))).dimensions["D4"] == D("80.0")


def test_d4_blends_in_the_communication_construct_and_without_reports_uses_freshness_alone():
    assert score(inputs(reports=())).dimensions["D4"] == D("100.0")
    s3_low = survey({"A": (answers(5, q5=1, q6=1),), "B": (answers(5, q5=1, q6=1), answers(5, q5=1, q6=1))})
    assert score(inputs(survey=s3_low)).dimensions["D4"] == D("75.0")


# --- D5 engagement -------------------------------------------------------------------------------


def test_d5_active_share_and_normalised_entropy():
    partners = (
        partner("Dinkes", 1, 18),
        partner("Krakatau", 2, 6),
        partner("Puskesmas", 3, 24),
        partner("Desa", 4, 0, "2025-05-01"),
    )
    assert active_share_a(partners) == D("0.75")
    assert q(balance_b(partners), "0.0001") == D("0.7028")
    assert score(inputs(partners=partners)).dimensions["D5"] == D("73.6")  # 100·(0.525 + 0.3·0.7028)


def test_d5_balance_is_1_when_even_and_0_when_nobody_acts():
    assert balance_b((partner("A", 1, 7), partner("B", 2, 7), partner("C", 3, 7))) == 1
    assert balance_b((partner("A", 1, 0), partner("B", 2, 0))) == 0
    assert balance_b((partner("A", 1, 9), partner("B", 2, 0))) == 0


def test_d5_with_one_partner_is_100_times_whether_it_is_active():
    assert score(inputs(partners=(partner(),))).dimensions["D5"] == D("100.0")
    assert score(inputs(partners=(partner(actions=0),))).dimensions["D5"] == D("0.0")


def test_d5_without_partners_has_no_data():
    assert score(inputs(partners=())).dimensions["D5"] is None


# --- D6 governance -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "renewing", "e"),
    [
        (181, False, 100),
        (180, False, 80),
        (91, False, 80),
        (90, False, 50),
        (90, True, 80),
        (31, False, 50),
        (30, False, 20),
        (30, True, 70),
        (0, False, 20),
        (-1, True, 0),
    ],
)
def test_expiry_score_e(days, renewing, e):
    assert expiry_score_e(days, False, renewing, TH) == e


def test_completeness_c_counts_five_items():
    assert completeness_c(governance(), REVIEW, TH) == (100, ())
    partial = governance(
        signed_document=False,
        programs_without_target=("Skrining TBC",),
        last_joint_review_on=day("2025-01-14"),  # more than 6 months before the review
    )
    assert completeness_c(partial, REVIEW, TH) == (40, ("signed_document", "program_targets", "joint_review"))
    assert completeness_c(governance(last_joint_review_on=day("2025-01-15")), REVIEW, TH)[0] == 100


def test_d6_is_half_expiry_and_half_completeness():
    result = governance_d6(governance(ends_on=day("2025-09-01"), obligations_recorded=False), REVIEW, TH)
    assert (result.e, result.c, result.score) == (50, 80, 65)  # 48 days left


def test_d6_counts_an_expired_status_as_expired_and_has_no_e_without_an_end_date():
    assert governance_d6(governance(status="expired"), REVIEW, TH).e == 0
    open_ended = governance_d6(governance(ends_on=None, signed_document=False), REVIEW, TH)
    assert (open_ended.e, open_ended.score) == (None, 80)


# --- D7 survey ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "value"), [(1, "0"), (2, "25"), (3, "50"), (4, "75"), (5, "100")])
def test_item_score_maps_1_to_5_onto_0_to_100(answer, value):
    assert item_score(answer) == D(value)


@pytest.mark.parametrize("answer", [0, 6, None, "4", 4.0, True])
def test_item_score_ignores_anything_but_1_to_5(answer):
    assert item_score(answer) is None


def test_d7_averages_within_each_organisation_first_then_across():
    # three respondents of A answer 5, one of B answers 1: A and B count equally
    result = survey_d7(survey({"A": (answers(5),) * 3, "B": (answers(1),)}), REVIEW, TH)
    assert result.constructs["S1"] == 50
    assert result.score == 50


def test_d7_is_the_mean_of_s1_s2_s4_s6_s7():
    # S3 and S5 at 0 do not enter D7 (they blend into D4 and D3)
    low_s3_s5 = answers(5, q5=1, q6=1, q9=1, q10=1)
    result = survey_d7(survey({"A": (low_s3_s5,), "B": (low_s3_s5, low_s3_s5)}), REVIEW, TH)
    assert (result.constructs["S3"], result.constructs["S5"], result.score) == (0, 0, 100)


def test_d7_item_mapping():
    one_each = {f"q{n}": 1 for n in range(1, 14)} | {"q3": 5, "q4": 5, "q13": 3}
    result = survey_d7(survey({"A": (one_each,), "B": (one_each, one_each)}), REVIEW, TH)
    assert result.constructs == {"S1": 0, "S2": 100, "S3": 0, "S4": 0, "S5": 0, "S6": 0, "S7": 50}


def test_a_respondent_who_skips_an_item_is_averaged_over_the_items_answered():
    skipped = answers(3)
    del skipped["q2"]
    skipped["q1"] = 5
    result = survey_d7(survey({"A": (skipped,), "B": (answers(5), answers(5))}), REVIEW, TH)
    assert result.constructs["S1"] == 100


@pytest.mark.parametrize(
    ("responses", "members", "status"),
    [
        ({"A": (answers(4), answers(4)), "B": (answers(4),)}, 5, "scored"),  # 3 from 2 of 5 = 40%
        ({"A": (answers(4), answers(4)), "B": (answers(4),)}, 6, "insufficient"),  # 2 of 6 < 40%
        ({"A": (answers(4),), "B": (answers(4),)}, 2, "scored"),  # one voice each from 2 of 2 (surveys.py)
        ({"A": (answers(4),), "B": (answers(4),)}, 6, "insufficient"),  # 2 of 6 < 40%
        ({"A": (answers(4), answers(4), answers(4))}, 1, "insufficient"),  # 1 organisation
        ({"A": (answers(4), answers(4)), "B": ({"q1": 9},)}, 2, "insufficient"),  # an answer out of range
    ],
)
def test_minimum_response(responses, members, status):
    assert survey_d7(survey(responses, members=members), REVIEW, TH).status == status


def test_an_insufficient_survey_is_not_scored_and_not_blended_and_gives_a_note():
    thin = survey({"A": (answers(1),)})
    result = score(inputs(fund=fund(), survey=thin))
    assert result.dimensions["D7"] is None
    assert result.dimensions["D3"] == D("100.0")
    note = result.reasons[-1]
    assert (note.code, note.params) == ("survey_insufficient", {"respondents": 1, "organizations": 1, "members": 3})


@pytest.mark.parametrize(
    ("closed", "factor"),
    [("2025-07-15", "1"), ("2025-01-15", "1"), ("2025-01-14", "0.5"), ("2024-07-15", "0.5"), ("2024-07-14", "0")],
)
def test_survey_age_factor(closed, factor):
    assert survey_age_factor(survey(closed=closed), REVIEW, TH) == D(factor)


def test_construct_sd_is_the_population_standard_deviation():
    assert construct_sd([D("81.25"), D(75), D("12.5")]).quantize(D("0.01")) == D("31.04")
    assert construct_sd([D(50), D(100)]) == 25  # exactly 25 is not divergence (> 25)


def test_months_before_clamps_to_the_end_of_shorter_months():
    assert months_before(day("2025-08-31"), 6) == day("2025-02-28")
    assert months_before(day("2025-01-15"), 12) == day("2024-01-15")
