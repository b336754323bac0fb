"""Health review (phr-v1): every critical and amber flag of §4 at its edge, and the reasons of §5
(order, weaknesses, strengths, notes, params and challenge tags)."""

import dataclasses

import pytest

from reporting.scoring import score

from . import (
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

CHALLENGES = {
    "differing_goals",
    "lack_of_trust",
    "unequal_resources",
    "communication",
    "changing_environment",
    "coordination",
    "misinformation",
    "limited_resources",
}


def flags(result, code=None):
    return [f for f in result.flags if code is None or f.code == code]


# --- critical flags ------------------------------------------------------------------------------


def test_expired_agreement_with_active_programmes_is_critical():
    result = score(inputs(governance=governance(ends_on=day("2025-07-14"))))
    [flag] = flags(result)
    assert (flag.code, flag.severity, flag.dimension) == ("agreement_expired_active", "critical", "D6")
    assert flag.params == {"programs": 1, "ends_on": "2025-07-14", "days": 1}
    assert flag.challenge_tags == ("changing_environment",)
    assert result.band == "at_risk"


def test_expired_agreement_with_nothing_active_is_not_flagged_but_scores_e_zero():
    closed = governance(ends_on=day("2025-07-14"), active_programs=0)
    result = score(inputs(governance=closed))
    assert flags(result, "agreement_expired_active") == []
    assert result.dimensions["D6"] == D("50.0")
    with_money = score(inputs(governance=closed, fund=fund(balance=D(1), planned_next_60=D(0))))
    assert flags(with_money, "agreement_expired_active") != []


def test_expired_status_without_an_end_date_is_flagged_without_a_date():
    [flag] = flags(score(inputs(governance=governance(status="expired", ends_on=None))))
    assert (flag.message_key, flag.params) == ("agreement_expired_active_undated", {"programs": 1})


def _big_pledge(**changes):
    big = pledge(
        organization="PT Besar",
        amount=D(100),
        due=D(100),
        received=D(0),
        first_due_on=day("2025-04-15"),
        oldest_unpaid_due_on=day("2025-04-15"),
    )
    others = pledge(organization="Dinkes", amount=D(300), due=D(300), received=D(300))
    return fund(pledges=(dataclasses.replace(big, **changes), others), planned_next_60=D(0))


def test_a_large_pledge_more_than_90_days_overdue_with_nothing_received_is_critical():
    result = score(inputs(fund=_big_pledge()))  # 25% of all pledges, 91 days overdue
    [flag] = flags(result, "pledge_overdue_unpaid")
    assert flag.severity == "critical"
    assert flag.params == {
        "organization": "PT Besar",
        "amount_rp": "100",
        "share_pct": "25.0",
        "due_on": "2025-04-15",
        "days": 91,
    }
    assert result.band == "at_risk"


@pytest.mark.parametrize(
    "changes",
    [
        {"oldest_unpaid_due_on": day("2025-04-16"), "first_due_on": day("2025-04-16")},  # 90 days
        {"amount": D(99), "due": D(99)},  # 24.8% of all pledges
        {"received": D(1)},  # something received
        {"first_due_on": None, "oldest_unpaid_due_on": None},  # no schedule: no due date to count from
    ],
)
def test_no_pledge_flag_below_its_edges(changes):
    assert flags(score(inputs(fund=_big_pledge(**changes))), "pledge_overdue_unpaid") == []


def test_disbursements_planned_above_the_balance_by_more_than_20_percent_are_critical():
    result = score(inputs(fund=fund(balance=D(100_000_000), planned_next_60=D(120_000_001))))
    [flag] = flags(result)
    assert (flag.code, flag.severity, flag.message_key) == ("fund_shortfall", "critical", "fund_shortfall")
    assert flag.params == {"planned_rp": "120000001", "balance_rp": "100000000", "excess_pct": "20.0"}
    assert flags(score(inputs(fund=fund(balance=D(100_000_000), planned_next_60=D(120_000_000))))) == []
    empty = flags(score(inputs(fund=fund(balance=D(0), planned_next_60=D(5)))))
    assert [f.message_key for f in empty] == ["fund_shortfall_empty"]


def test_no_update_from_any_partner_for_more_than_two_periods_is_critical():
    silent = indicator(periods_since_value=3)
    never = indicator(id=2, code="B", values=(), periods_since_value=None, expected_periods=3)
    [flag] = flags(score(inputs(indicators=(silent, never))), "no_partner_updates")
    assert (flag.severity, flag.params) == ("critical", {"periods": 3})
    recent = indicator(id=3, code="C", periods_since_value=2)
    assert flags(score(inputs(indicators=(silent, never, recent))), "no_partner_updates") == []


def _priority(code, actual, **changes):
    return indicator(id=ord(code), code=code, priority=True, values=((day("2025-06-30"), D(actual)),), **changes)


def test_half_of_priority_indicators_in_band_c_after_half_the_period_is_critical():
    # e = 195/364 = 0.536; 15 of 100 → pace 28% (C); 60 → A1
    result = score(inputs(indicators=(_priority("A", 15), _priority("B", 60), indicator(code="Z"))))
    [flag] = flags(result, "priority_indicators_band_c")
    assert (flag.severity, flag.params) == ("critical", {"count": 1, "total": 2, "names": "Indikator satu"})


def test_band_c_before_half_the_period_or_below_half_of_priorities_is_not_flagged():
    early = {"target_on": day("2026-06-30")}  # e = 195/545 = 0.358
    assert flags(score(inputs(indicators=(_priority("A", 5, **early),))), "priority_indicators_band_c") == []
    one_of_three = (_priority("A", 15), _priority("B", 60), _priority("C", 60))
    assert flags(score(inputs(indicators=one_of_three)), "priority_indicators_band_c") == []


# --- amber flags ----------------------------------------------------------------------------------


def test_agreement_ending_within_90_days_without_renewal_is_amber():
    [flag] = flags(score(inputs(governance=governance(ends_on=day("2025-10-13")))))  # 90 days
    assert (flag.code, flag.severity) == ("agreement_ending", "amber")
    assert flag.params == {"days": 90, "ends_on": "2025-10-13"}
    assert flags(score(inputs(governance=governance(ends_on=day("2025-10-14"))))) == []
    renewing = governance(ends_on=day("2025-10-13"), renewal_in_progress=True)
    assert flags(score(inputs(governance=renewing))) == []


def test_a_milestone_more_than_60_days_overdue_is_amber():
    [flag] = flags(score(inputs(milestones=(milestone("Pelatihan kader", "2025-05-15", None),))))  # 61 days
    assert (flag.code, flag.severity) == ("milestone_overdue", "amber")
    assert flag.params == {"milestone": "Pelatihan kader", "due_on": "2025-05-15", "days": 61}
    assert flags(score(inputs(milestones=(milestone("Pelatihan kader", "2025-05-16", None),)))) == []


def test_coverage_below_half_is_amber():
    stale = [indicator(id=n, code=f"S{n}", periods_since_value=3) for n in (2, 3)]
    result = score(inputs(indicators=(indicator(), *stale), fund=fund()))  # the fund keeps confidence ≥ 0.5
    coverage = flags(result, "coverage_low")
    assert [(f.severity, f.params) for f in coverage] == [("amber", {"fresh": 1, "total": 3, "coverage_pct": "33.3"})]
    assert result.band == "watch"
    assert flags(score(inputs(indicators=(indicator(), stale[0]))), "coverage_low") == []  # exactly 50%


def test_no_indicator_due_is_the_coverage_flag_too():
    [flag] = flags(score(inputs(indicators=())), "coverage_low")
    assert flag.message_key == "coverage_none"


def test_a_survey_construct_below_50_is_amber():
    # trust (S2): 2 = 25 for everyone
    low_trust = survey({"A": (answers(4, q3=2, q4=2),), "B": (answers(4, q3=2, q4=2), answers(4, q3=2, q4=2))})
    [flag] = flags(score(inputs(survey=low_trust)))
    assert (flag.code, flag.severity, flag.dimension) == ("survey_construct_low", "amber", "D7")
    assert flag.params == {
        "construct": "S2",
        "mean_of5": "2.0",
        "high_org": "A",
        "high_of5": "2.0",
        "low_org": "B",
        "low_of5": "2.0",
    }
    assert flag.challenge_tags == ("lack_of_trust", "misinformation")
    at_50 = survey({"A": (answers(4, q3=3, q4=3),), "B": (answers(4, q3=3, q4=3), answers(4, q3=3, q4=3))})
    assert flags(score(inputs(survey=at_50))) == []


def test_divergence_between_organisations_is_amber():
    # S2: A 100, B 75, C 25 → SD 31.2
    split = survey({"A": (answers(4, q3=5, q4=5),), "B": (answers(4),), "C": (answers(4, q3=2, q4=2),)})
    [flag] = flags(score(inputs(survey=split)))
    assert (flag.code, flag.severity) == ("survey_divergence", "amber")
    assert flag.params == {
        "construct": "S2",
        "mean_of5": "3.7",
        "high_org": "A",
        "high_of5": "5.0",
        "low_org": "C",
        "low_of5": "2.0",
        "sd_score": "31.2",
    }
    assert flag.challenge_tags[0] == "lack_of_trust"
    # A 100, B 50: SD exactly 25 is not divergence
    even = survey({"A": (answers(5),), "B": (answers(3), answers(3))})
    assert flags(score(inputs(survey=even)), "survey_divergence") == []


def test_one_partner_with_more_than_80_percent_of_activity_is_amber():
    [flag] = flags(score(inputs(partners=(partner("Dinkes", 1, 81), partner("PT Mitra", 2, 19)))))
    assert (flag.code, flag.params) == ("activity_dominance", {"organization": "Dinkes", "share_pct": "81.0"})
    assert flags(score(inputs(partners=(partner("Dinkes", 1, 80), partner("PT Mitra", 2, 20))))) == []
    assert flags(score(inputs(partners=(partner("Dinkes", 1, 80),)))) == []  # a lone partner


def test_a_partner_inactive_for_more_than_90_days_is_amber():
    active = (partner(), partner("PT Mitra", 2))
    result = score(inputs(partners=(*active, partner("Desa", 3, 0, "2025-04-15"))))  # 91 days
    [flag] = flags(result)
    assert flag.code == "partner_inactive"
    assert flag.params == {"organization": "Desa", "days": 91, "last_on": "2025-04-15"}
    assert flags(score(inputs(partners=(*active, partner("Desa", 3, 0, "2025-04-16"))))) == []


def test_a_partner_that_never_acted_is_inactive_once_the_agreement_is_older_than_90_days():
    partners = (partner(), partner("PT Mitra", 2), partner("Desa", 3, 0, None))
    [flag] = flags(score(inputs(partners=partners)))
    assert (flag.code, flag.message_key) == ("partner_inactive", "partner_never_active")
    assert flags(score(inputs(partners=partners, starts_on=day("2025-04-16")))) == []  # 90 days


# --- reasons ----------------------------------------------------------------------------------------


def _messy():
    return inputs(
        indicators=(indicator(values=((day("2025-06-30"), D(20)),)),),  # D1 37.3
        milestones=(milestone(), milestone("Terlambat", "2025-06-20", None)),  # D2 70
        fund=fund(
            pledges=(pledge(received=D(40_000_000)), pledge(organization="Dinkes", received=D(100_000_000))),
            planned_next_60=D(0),
        ),  # D3 = 50·0.7 + 50 = 85
        governance=governance(ends_on=day("2025-08-14"), renewal_in_progress=True),  # 30 days: E 70, D6 85
        partners=(partner(), partner("PT Mitra", 2), partner("Desa", 3, 0, "2025-06-01")),  # D5 65.6
    )


def test_reasons_are_flags_then_the_three_largest_weaknesses_then_strengths():
    result = score(_messy())
    # w·(100 − D): D1 25·62.7 = 1567.5; D2 15·30 = 450; D5 10·34.4 = 344; D4 100, D3 85, D6 85
    assert result.dimensions == {
        "D1": D("37.3"),
        "D2": D("70.0"),
        "D3": D("85.0"),
        "D4": D("100.0"),
        "D5": D("65.6"),  # a = 2/3, b = ln 2 ÷ ln 3
        "D6": D("85.0"),
        "D7": None,
    }
    assert [(r.severity, r.dimension, r.code) for r in result.reasons] == [
        ("weakness", "D1", "indicator_behind"),
        ("weakness", "D2", "milestones_open"),
        ("weakness", "D5", "partners_inactive"),
        ("strength", "D4", "dimension_strong"),
        ("strength", "D3", "dimension_strong"),  # 85 and 85: the larger weight first
    ]
    assert result.reasons[2].params == {
        "dimension": "D5",
        "dimension_score": "65.6",
        "inactive_count": 1,
        "total": 3,
        "names": "Desa",
    }


def test_flags_come_first_critical_before_amber():
    result = score(
        dataclasses.replace(
            _messy(),
            milestones=(milestone("Lama", "2025-04-01", None),),
            governance=governance(ends_on=day("2025-07-01")),
        )
    )
    severities = [r.severity for r in result.reasons]
    assert severities[:2] == ["critical", "amber"]
    assert [r.code for r in result.reasons[:2]] == ["agreement_expired_active", "milestone_overdue"]
    assert severities.index("weakness") == 2


def test_the_indicator_weakness_quotes_its_numbers_and_global_fund_band():
    reason = score(_messy()).reasons[0]
    assert reason.params == {
        "dimension": "D1",
        "dimension_score": "37.3",
        "indicator": "Indikator satu",
        "program": "Program uji",
        "progress_pct": "20.0",
        "expected_pct": "53.6",
        "pace_pct": "37.3",
        "gf_band": "B2",
    }
    assert reason.suggested_action == "review_indicator"


def test_the_fund_weakness_names_the_largest_shortfall_or_the_disbursement_ratio():
    behind = fund(
        pledges=(
            pledge(organization="A", due=D(100), received=D(60), oldest_unpaid_due_on=day("2025-05-01")),
            pledge(organization="B", due=D(100), received=D(10), oldest_unpaid_due_on=day("2025-06-01")),
        ),
        planned_next_60=D(0),
    )
    [reason] = [r for r in score(inputs(fund=behind)).reasons if r.severity == "weakness"]
    assert (reason.code, reason.params["organization"], reason.params["received_pct"]) == ("pledge_behind", "B", "10.0")
    assert reason.params["due_on"] == "2025-06-01"
    slow = fund(planned_to_date=D(100), paid_to_date=D(50), planned_next_60=D(0))
    [reason] = [r for r in score(inputs(fund=slow)).reasons if r.severity == "weakness"]
    assert (reason.code, reason.params["ratio_pct"]) == ("disbursement_slow", "50.0")
    fast = fund(planned_to_date=D(100), paid_to_date=D(140), planned_next_60=D(0))
    assert [r.code for r in score(inputs(fund=fast)).reasons if r.severity == "weakness"] == ["disbursement_fast"]


def test_the_reporting_weakness_names_what_costs_most():
    late = (report("2025-05-10", None), report("2025-06-10", None))
    [reason] = [r for r in score(inputs(reports=late)).reasons if r.dimension == "D4"]
    assert reason.code == "reports_late"
    assert reason.params == {
        "dimension": "D4",
        "dimension_score": "30.0",
        "expected_count": 2,
        "missing_count": 2,
        "late_count": 0,
        "grace_days": 7,
    }
    stale = tuple(indicator(id=n, code=f"S{n}", name=f"Indikator {n}", periods_since_value=4) for n in (2, 3, 4, 5))
    without_reports = inputs(indicators=(indicator(), *stale), reports=(), fund=fund(), survey=survey())
    [reason] = [r for r in score(without_reports).reasons if r.dimension == "D4"]  # D4 = freshness 20
    assert (reason.code, reason.params["stale_count"], reason.params["total"]) == ("indicators_stale", 4, 5)


def test_the_governance_weakness_lists_the_missing_items():
    bare = governance(signed_document=False, obligations_recorded=False, last_joint_review_on=None)
    [reason] = [r for r in score(inputs(governance=bare)).reasons if r.dimension == "D6"]
    assert (reason.code, reason.params["items"]) == (
        "governance_incomplete",
        "signed_document,obligations,joint_review",
    )
    assert reason.params["dimension_score"] == "70.0"  # E 100, C 40


def test_the_survey_weakness_names_the_weakest_construct_in_d7():
    mixed = survey({"A": (answers(3, q11=2, q12=2),), "B": (answers(3), answers(3, q11=2, q12=1))})
    result = score(inputs(survey=mixed))
    [reason] = [r for r in result.reasons if r.severity == "weakness"]
    assert (reason.code, reason.params["construct"]) == ("survey_weak", "S6")
    assert reason.challenge_tags == ("changing_environment",)


def test_strengths_are_at_most_two_dimensions_of_75_or_more():
    result = score(inputs(fund=fund(), survey=survey()))
    strengths = [r for r in result.reasons if r.severity == "strength"]
    assert [r.dimension for r in strengths] == ["D1", "D2"]
    ending = score(dataclasses.replace(_messy(), governance=governance(ends_on=day("2025-07-20"))))
    assert ending.dimensions["D6"] == D("60.0")  # E 20, C 100
    assert [r.dimension for r in ending.reasons if r.severity == "strength"] == ["D4", "D3"]


def test_a_single_funder_is_a_note_not_a_score():
    result = score(inputs(fund=fund()))
    assert result.dimensions["D3"] == D("100.0")
    [note] = [r for r in result.reasons if r.severity == "note"]
    assert (note.code, note.params) == ("single_funder", {"organization": "PT Mitra", "share_pct": "100.0"})
    two = fund(pledges=(pledge(), pledge(organization="Dinkes", amount=D(30_000_000))))
    assert [r for r in score(inputs(fund=two)).reasons if r.severity == "note"] == []  # 76.9%


def test_every_reason_has_known_challenge_tags_and_json_safe_params():
    results = [
        score(_messy()),
        score(inputs(fund=_big_pledge(), governance=governance(ends_on=day("2025-07-01")))),
        score(inputs(survey=survey({"A": (answers(5),), "B": (answers(1), answers(1))}))),
    ]
    for result in results:
        for reason in result.reasons:
            assert set(reason.challenge_tags) <= CHALLENGES
            assert all(isinstance(v, str | int) and not isinstance(v, bool) for v in reason.params.values())


def _weakness(result, dimension):
    [reason] = [r for r in result.reasons if r.severity == "weakness" and r.dimension == dimension]
    return reason


def test_milestones_all_done_but_late_are_the_delivery_weakness():
    late = tuple(milestone(f"M{n}", "2025-05-01", "2025-05-20") for n in range(3))
    reason = _weakness(score(inputs(milestones=late)), "D2")
    assert (reason.code, reason.params["late_count"], reason.params["due_count"]) == ("milestones_late", 3, 3)


def test_a_pledge_without_a_schedule_is_named_without_a_date():
    undated = fund(pledges=(pledge(received=D(0), first_due_on=None),), planned_next_60=D(0))
    reason = _weakness(score(inputs(fund=undated)), "D3")
    assert (reason.code, reason.message_key) == ("pledge_behind", "pledge_behind_undated")
    assert "due_on" not in reason.params


def test_anomalies_can_be_the_reporting_weakness():
    # four falls of a running total: penalty 20, more than the 0.7·25 lost to one missing report of four
    values = []
    for month in range(2, 6):
        values += [(day(f"2025-0{month}-01"), D(10)), (day(f"2025-0{month}-15"), D(9))]
    broken = indicator(cumulative=True, values=tuple(values))
    reports = (report(), report(), report(), report(submitted=None))
    result = score(inputs(indicators=(broken,), reports=reports, fund=fund()))
    assert result.dimensions["D4"] == D("62.5")  # 0.7·75 + 0.3·100 − 20
    reason = _weakness(result, "D4")
    assert (reason.code, reason.params["count"], reason.params["names"]) == ("data_anomalies", 4, "Indikator satu")


def test_an_uneven_spread_of_activity_is_the_engagement_weakness():
    # everyone active (a = 1) but A does 97 of 100 actions: b = 0.12, D5 = 73.6
    partners = (partner("A", 1, 97), partner("B", 2, 1), partner("C", 3, 1), partner("D", 4, 1))
    result = score(inputs(partners=partners, fund=fund()))
    reason = _weakness(result, "D5")
    assert (reason.code, reason.params["organization"], reason.params["share_pct"]) == (
        "activity_unbalanced",
        "A",
        "97.0",
    )


def test_an_agreement_ending_soon_is_a_weakness_as_well_as_a_flag():
    result = score(inputs(governance=governance(ends_on=day("2025-08-04")), fund=fund()))  # 20 days: E 20
    assert [f.code for f in result.flags] == ["agreement_ending"]
    reason = _weakness(result, "D6")
    assert (reason.code, reason.params) == (
        "agreement_ends_soon",
        {"dimension": "D6", "dimension_score": "60.0", "days": 20, "ends_on": "2025-08-04"},
    )


def test_an_expired_agreement_with_nothing_active_is_a_weakness_only():
    closed = governance(ends_on=day("2025-06-30"), active_programs=0)
    result = score(inputs(governance=closed))
    assert result.flags == ()
    reason = _weakness(result, "D6")
    assert (reason.code, reason.params["ends_on"]) == ("agreement_expired", "2025-06-30")


def test_a_construct_rated_by_one_organisation_names_no_comparison():
    skipped = {f"q{n}": 4 for n in range(1, 14) if n not in (3, 4)}
    low_trust = survey({"A": (answers(4, q3=1, q4=2),), "B": (skipped, skipped)})
    [flag] = flags(score(inputs(survey=low_trust)))
    assert (flag.message_key, flag.params) == ("survey_construct_low_single", {"construct": "S2", "mean_of5": "1.5"})
