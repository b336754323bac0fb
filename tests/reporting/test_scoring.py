"""Health review (phr-v1), the whole review: a worked example computed by hand, the score and its
re-normalised weights, confidence, the missing-data rules, the early stage, bands with their
edges, hysteresis and the trend flag. Pure functions: no database."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from reporting.health_types import AgreementInputs, FundInput, IndicatorInput, PledgeInput
from reporting.method import METHOD_VERSION
from reporting.reasons import render
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
    previous,
    report,
    survey,
)

# --- the worked example ----------------------------------------------------------------------

PROGRAM = "Imunisasi Kejar Balita Kecamatan Anyar"
DINKES = "Dinas Kesehatan Kabupaten Serang"
KRAKATAU = "PT Krakatau Sejahtera (Unit TJSL)"
PKM = "Puskesmas Anyar"
DESA = "Pemerintah Desa Anyar"


def _series(*points):
    return tuple((day(on), D(value)) for on, value in points)


def _imk(id, code, name, kind, priority, baseline, target, values, since, expected, **extra) -> IndicatorInput:
    return IndicatorInput(
        id=id, code=code, name=name, program_name=PROGRAM, kind=kind, direction=extra.get("direction", "increase"),
        cumulative=extra.get("cumulative", False), priority=priority, baseline=D(baseline), target=D(target),
        starts_on=day("2025-01-01"), target_on=day("2025-12-31"), values=_series(*values),
        periods_since_value=since, expected_periods=expected,
    )  # fmt: skip


def serang_example() -> AgreementInputs:
    """The TJSL immunisation partnership of Kecamatan Anyar, reviewed on 1 October 2025."""
    indicators = (
        _imk(1, "IMK-01", "Anak balita yang dilengkapi imunisasinya melalui imunisasi kejar", "count", True, "0", "600",
             [("2025-01-31", "40"), ("2025-02-28", "85"), ("2025-03-31", "130"), ("2025-04-30", "170"),
              ("2025-05-31", "215"), ("2025-06-30", "262"), ("2025-07-31", "310"), ("2025-08-31", "301"),
              ("2025-09-30", "330")], 0, 9, cumulative=True),
        _imk(2, "IMK-02", "Cakupan imunisasi dasar lengkap (IDL) pada baduta", "percent", True, "72.5", "95",
             [("2025-06-30", "79.4"), ("2025-07-31", "80.6"), ("2025-08-31", "81.1"), ("2025-09-30", "81.95")], 0, 9),
        _imk(3, "IMK-03", "Desa yang melaksanakan sweeping imunisasi kejar", "ratio", False, "25", "100",
             [("2025-03-31", "50"), ("2025-06-30", "100")], 1, 3),
        _imk(4, "IMK-04", "Angka drop out DPT-HB-Hib 1 – Campak Rubela", "percent", False, "12", "5",
             [("2025-03-31", "10.5"), ("2025-06-30", "9.1"), ("2025-09-30", "7.8")], 0, 3, direction="decrease"),
        _imk(5, "IMK-05", "Kader posyandu terlatih KIE imunisasi", "count", False, "0", "48",
             [("2025-01-31", "6"), ("2025-02-28", "12"), ("2025-03-31", "16"), ("2025-04-30", "18"),
              ("2025-05-31", "20")], 4, 9, cumulative=True),
    )  # fmt: skip
    milestones = (
        milestone("Pendataan sasaran anak belum lengkap imunisasi di 12 desa bersama kader posyandu", "2025-02-15", "2025-02-10"),
        milestone("Serah terima 20 vaccine carrier dan 4 cold box dari PT Krakatau Sejahtera", "2025-04-01", "2025-04-20"),
        milestone("Laporan kemajuan dan realisasi dana TJSL triwulan II kepada PT Krakatau Sejahtera", "2025-07-20", None),
        milestone("Lokakarya mini lintas sektor triwulan III", "2025-09-15", None),
        milestone("Perluasan sasaran ke imunisasi lanjutan baduta", "2025-11-30", None),
    )  # fmt: skip
    pledges = (
        PledgeInput(1, DINKES, "apbd", D(120_000_000), D(90_000_000), D(90_000_000), day("2025-03-31"), None),
        PledgeInput(2, KRAKATAU, "csr", D(150_000_000), D(150_000_000), D(30_000_000), day("2025-03-15"), day("2025-03-15")),
        PledgeInput(4, DESA, "dana_desa", D(60_000_000), D(60_000_000), D(60_000_000), day("2025-04-30"), None),
    )  # fmt: skip
    reports = (
        # IMK-01, April–August: four on time (one within the 7 days' grace), August still within grace
        report("2025-05-25", "2025-05-20", 3), report("2025-06-25", "2025-06-24", 3),
        report("2025-07-25", "2025-07-30", 3), report("2025-08-25", "2025-08-22", 3), report("2025-09-25", None, 3),
        # IMK-02, April–August: three on time, two late
        report("2025-05-25", "2025-05-20", 3), report("2025-06-25", "2025-07-08", 3),
        report("2025-07-25", "2025-07-24", 3), report("2025-08-25", "2025-09-05", 3), report("2025-09-25", "2025-09-24", 3),
        # IMK-04, second quarter: on time; IMK-05, June: missing
        report("2025-07-25", "2025-07-21", 3), report("2025-07-25", None, 1),
    )  # fmt: skip
    krakatau = answers(4, q3=2, q4=1, q5=3, q6=3, q7=3, q11=3)
    return AgreementInputs(
        agreement_id=7,
        title="Imunisasi Kejar Anak Balita di Kecamatan Anyar melalui Dana TJSL PT Krakatau Sejahtera",
        review_date=day("2025-10-01"),
        starts_on=day("2025-01-01"),
        any_period_closed=True,
        indicators=indicators,
        milestones=milestones,
        fund=FundInput(
            pledges=pledges,
            balance=D(60_000_000),
            planned_to_date=D(160_000_000),
            paid_to_date=D(120_000_000),
            planned_next_60=D(45_000_000),
        ),
        reports=reports,
        partners=(
            partner(DINKES, 1, 18, "2025-09-29"),
            partner(KRAKATAU, 2, 6, "2025-09-12"),
            partner(PKM, 3, 24, "2025-09-30"),
            partner(DESA, 4, 0, "2025-06-20"),
        ),
        governance=governance(
            ends_on=day("2025-12-31"),
            partners_without_focal_point=(DESA,),
            last_joint_review_on=day("2025-07-24"),
        ),
        survey=survey(
            {
                DINKES: (answers(4, q3=5), answers(4, q9=3, q10=3)),
                PKM: (answers(4, q5=3, q9=2, q10=3), answers(4, q13=5, q9=3, q10=3)),
                KRAKATAU: (krakatau,),
            },
            closed="2025-08-29",
            members=4,
        ),
        previous=previous((74.0, "watch"), (71.5, "watch"), (70.2, "watch")),
    )


def test_worked_example_serang_immunisation_partnership():
    """Worked example: *Imunisasi Kejar Anak Balita di Kecamatan Anyar melalui Dana TJSL PT
    Krakatau Sejahtera*, reviewed on **1 October 2025** (t). Parties: Dinas Kesehatan Kabupaten
    Serang, PT Krakatau Sejahtera (Unit TJSL), Puskesmas Anyar, Pemerintah Desa Anyar. The
    programme runs 1 January – 31 December 2025, so every indicator has e = 273 ÷ 364 = 0.75.

    D1 Results (s = 100·min(1, p ÷ max(e, 0.2)); priority indicators weigh 2)
    | Indicator | B → T | A | p | s | band |
    |---|---|---|---|---|---|
    | IMK-01 balita dilengkapi (priority, cumulative) | 0 → 600 | 330 | 0.55 | 73.33 | B1 (73.3%) |
    | IMK-02 cakupan IDL baduta (priority) | 72.5 → 95 | 81.95 | 9.45 ÷ 22.5 = 0.42 | 56 | B2 (56%) |
    | IMK-03 desa sweeping (last value one quarter old: fresh) | 25 → 100 | 100 | 1 | 100 | A1 |
    | IMK-04 drop out (decrease) | 12 → 5 | 7.8 | 4.2 ÷ 7 = 0.6 | 80 | B1 |
    | IMK-05 kader terlatih: last value May, 4 periods old → stale, left out | | | | | |
    D1 = (2·73.33 + 2·56 + 100 + 80) ÷ 6 = 438.67 ÷ 6 = **73.1**; coverage = 4 ÷ 5 = 0.8.

    D2 Delivery (4 milestones due; the November one is not due yet)
    done on time 1 + done 19 days late 0.7 + open 73 days (> 30) 0 + open 16 days 0.4 = 2.1;
    D2 = 100 · 2.1 ÷ 4 = **52.5**.

    D3 Shared fund. Pledged and due: APBD 90 jt (received 90 jt), TJSL 150 jt (received 30 jt),
    Dana Desa 60 jt (received 60 jt): F = 180 ÷ 300 = 0.6. Disbursed 120 jt of 160 jt planned to
    date: R = 0.75, g(R) = 100·(0.75 − 0.40) ÷ 0.45 = 77.78. Objective D3 = 50·0.6 + 0.5·77.78 = 68.89.
    Blended with S5 (survey, resources) = 60.42 at 25%: D3 = 0.75·68.89 + 0.25·60.42 = **66.8**.

    D4 Reporting. 12 reports expected in six months: 8 on time (one within the grace days), 2 late,
    1 missing and 1 still within its grace (not counted): timeliness = (8 + 2·0.5 + 0) ÷ 11 = 81.82.
    Freshness = 4 ÷ 5 = 80. One anomaly (IMK-01's running total fell from 310 to 301 in August,
    duplicates removed): penalty 5. Objective D4 = 0.7·81.82 + 0.3·80 − 5 = 76.27. Blended with S3
    (communication) = 64.58: D4 = 0.75·76.27 + 0.25·64.58 = **73.4**.

    D5 Engagement. Actions in 60 days: Puskesmas 24, Dinkes 18, Krakatau 6, Desa 0.
    a = 3 ÷ 4 = 0.75. Shares 0.5, 0.375, 0.125: entropy = 0.9743, ÷ ln 4 (1.3863) → b = 0.7028.
    D5 = 100·(0.7·0.75 + 0.3·0.7028) = **73.6**.

    D6 Governance. Ends 31 December 2025, 91 days away: E = 80. Completeness: signed PKS ✓,
    focal points ✗ (Desa Anyar), targets ✓, obligations ✓, joint review 24 July ✓: C = 80.
    D6 = 0.5·80 + 0.5·80 = **80.0**.

    D7 Survey (closed 29 August: full weight; 5 respondents from 3 of 4 organisations ≥ 40%).
    Within organisation first, then across (0–100):
    | | S1 | S2 | S3 | S4 | S5 | S6 | S7 |
    |---|---|---|---|---|---|---|---|
    | Dinkes (2) | 75 | 81.25 | 75 | 75 | 62.5 | 75 | 75 |
    | Puskesmas (2) | 75 | 75 | 68.75 | 75 | 43.75 | 75 | 87.5 |
    | Krakatau (1) | 75 | 12.5 | 50 | 62.5 | 75 | 62.5 | 75 |
    | mean | 75 | 56.25 | 64.58 | 70.83 | 60.42 | 70.83 | 79.17 |
    D7 = mean(S1, S2, S4, S6, S7) = 352.08 ÷ 5 = **70.4**. Trust (S2) spreads with a standard
    deviation of 31.0 across organisations (> 25): divergence.

    Score: S = (25·73.1 + 15·52.5 + 20·66.8 + 10·73.4 + 10·73.6 + 5·80 + 15·70.4) ÷ 100
    = 6877 ÷ 100 = **68.8**. Confidence = (25·0.8 + 15 + 20 + 10 + 10 + 5 + 15) ÷ 100 = **0.95**.
    Band: 50 ≤ 68.8 < 75 → **Perlu perhatian (watch)**; no critical flag.

    Flags (amber): milestone “Laporan kemajuan … triwulan II” 73 days overdue (> 60); Pemerintah
    Desa Anyar inactive for 103 days (> 90); partners disagree on trust (Dinkes 4.3 vs Krakatau
    1.5 on 1–5); three declines in a row (74.0 → 71.5 → 70.2 → 68.8).
    Weaknesses by w·(100 − D): D2 15·47.5 = 712.5; D1 25·26.9 = 672.5; D3 20·33.2 = 664
    (then D7 444, D4 266, D5 264). Strength: D6 80.0.
    """
    result = score(serang_example())

    assert result.method_version == METHOD_VERSION == "phr-v1"
    assert result.dimensions == {
        "D1": D("73.1"),
        "D2": D("52.5"),
        "D3": D("66.8"),
        "D4": D("73.4"),
        "D5": D("73.6"),
        "D6": D("80.0"),
        "D7": D("70.4"),
    }
    assert result.score == D("68.8")
    assert result.confidence == D("0.95")
    assert (result.band, result.computed_band) == ("watch", "watch")
    flag_codes = ["milestone_overdue", "partner_inactive", "survey_divergence", "trend_declines"]
    assert [f.code for f in result.flags] == flag_codes
    assert all(f.severity == "amber" for f in result.flags)
    assert [(r.severity, r.dimension, r.code) for r in result.reasons[4:]] == [
        ("weakness", "D2", "milestones_open"),
        ("weakness", "D1", "indicator_behind"),
        ("weakness", "D3", "pledge_behind"),
        ("strength", "D6", "dimension_strong"),
    ]
    with translation.override("en"):
        sentences = [render(r) for r in result.reasons]
    assert sentences == [
        "Milestone “Laporan kemajuan dan realisasi dana TJSL triwulan II kepada PT Krakatau Sejahtera” was due on "
        "20 July 2025 and is 73 days overdue.",
        "Pemerintah Desa Anyar has been inactive for 103 days (last activity 20 June 2025).",
        "Partners disagree on Trust between partners (3.3/5 on average): Dinas Kesehatan Kabupaten Serang 4.3 vs "
        "PT Krakatau Sejahtera (Unit TJSL) 1.5.",
        "The score has declined 3 reviews in a row, from 74 to 68.8.",
        "2 of 4 milestones due are still open; the most overdue, “Laporan kemajuan dan realisasi dana TJSL "
        "triwulan II kepada PT Krakatau Sejahtera”, was due on 20 July 2025.",
        "Cakupan imunisasi dasar lengkap (IDL) pada baduta is at 42% of target with 75% of the period gone "
        "(56% of the expected pace, band B2).",
        "PT Krakatau Sejahtera (Unit TJSL)'s pledge of Rp150.000.000 fell due on 15 March 2025; Rp30.000.000 (20%) "
        "has been received.",
        "Agreement and governance is a strength: 80/100.",
    ]
    pledge = result.reasons[6]
    assert pledge.params == {
        "dimension": "D3",
        "dimension_score": "66.8",
        "organization": KRAKATAU,
        "due_rp": "150000000",
        "received_rp": "30000000",
        "received_pct": "20.0",
        "due_on": "2025-03-15",
    }
    assert pledge.challenge_tags == ("lack_of_trust", "limited_resources")


def test_worked_example_is_deterministic_and_independent_of_input_order():
    example = serang_example()
    shuffled = dataclasses.replace(
        example,
        indicators=example.indicators[::-1],
        milestones=example.milestones[::-1],
        reports=example.reports[::-1],
        partners=example.partners[::-1],
    )
    assert score(example) == score(example) == score(shuffled)


# --- score, weights and confidence -----------------------------------------------------------


def test_without_fund_and_survey_the_weights_are_renormalised_as_in_the_method_table():
    result = score(inputs(fund=fund(), milestones=(milestone(),), survey=None))
    assert result.weights == {
        "D1": D("29.4"),
        "D2": D("17.6"),
        "D3": D("23.5"),
        "D4": D("11.8"),
        "D5": D("11.8"),
        "D6": D("5.9"),
        "D7": D("0.0"),
    }


def test_score_is_the_weighted_mean_over_the_dimensions_with_data():
    # D1 = 40 (p = 0.4 after the target date), D2 = 100, D4 = 100, D5 = 100, D6 = 100
    late = indicator(target_on=day("2025-06-30"), values=((day("2025-06-30"), D(40)),))
    result = score(inputs(indicators=(late,)))
    assert result.dimensions["D1"] == D("40.0")
    assert result.score == D("76.9")  # (25·40 + 15·100 + 10·100 + 10·100 + 5·100) ÷ 65 = 76.92


def test_tenant_weights_change_the_score_and_are_validated():
    late = indicator(target_on=day("2025-06-30"), values=((day("2025-06-30"), D(40)),))
    tuned = score(inputs(indicators=(late,)), weights={"D1": D("37.5")})
    assert tuned.score == D("71.0")  # (37.5·40 + 4000) ÷ 77.5 = 70.97
    assert tuned.weights["D1"] == D("48.4")  # 37.5 ÷ 77.5
    with pytest.raises(ValueError, match="D1"):
        score(inputs(), weights={"D1": D(40)})


def test_confidence_counts_d1_by_its_coverage_and_divides_by_all_weights():
    assert score(inputs()).confidence == D("0.65")  # no fund, no survey: (25 + 15 + 10 + 10 + 5) ÷ 100
    assert score(inputs(fund=fund(), survey=survey())).confidence == D("1.00")
    stale = indicator(id=2, code="IND-2", periods_since_value=3)
    # coverage ½: (25·0.5 + 15 + 10 + 10 + 5) ÷ 100
    assert score(inputs(indicators=(indicator(), stale))).confidence == D("0.53")


def test_confidence_divides_by_the_tuned_weights_in_force():
    # D7 tuned up to 22.5 but no survey: 65 ÷ 107.5
    assert score(inputs(), weights={"D7": D("22.5")}).confidence == D("0.60")


def test_an_ageing_survey_counts_half_in_the_score_and_in_confidence():
    low = survey({"A": (answers(2), answers(2)), "B": (answers(2),)}, closed="2024-12-01")  # 7½ months old
    result = score(inputs(survey=low))
    assert result.dimensions["D7"] == D("25.0")
    # D7 weight 7.5: (6500 + 7.5·25) ÷ 72.5 = 92.24; D4 blends S3 at 12.5%: 0.875·100 + 0.125·25
    assert result.dimensions["D4"] == D("90.6")
    assert result.confidence == D("0.73")  # (65 + 7.5) ÷ 100
    assert [r.code for r in result.reasons if r.severity == "note"] == ["survey_aging"]


def test_a_survey_older_than_twelve_months_is_not_scored():
    result = score(inputs(survey=survey(closed="2024-07-14")))
    assert result.dimensions["D7"] is None
    assert result.confidence == D("0.65")
    assert [r.code for r in result.reasons if r.severity == "note"] == ["survey_expired"]


def test_a_survey_exactly_twelve_months_old_still_counts_at_half_weight():
    assert score(inputs(survey=survey(closed="2024-07-15"))).weights["D7"] == D("10.3")  # 7.5 ÷ 72.5


# --- missing data ----------------------------------------------------------------------------


def test_no_fund_means_d3_is_not_applicable():
    assert score(inputs(fund=None)).dimensions["D3"] is None


def test_a_fund_without_pledges_or_planned_disbursements_is_not_applicable():
    empty = fund(pledges=(), planned_to_date=D(0), paid_to_date=D(0), planned_next_60=D(0), balance=D(0))
    result = score(inputs(fund=empty))
    assert result.dimensions["D3"] is None
    assert result.weights["D3"] == D("0.0")


def test_missing_reports_and_stale_indicators_count_against_d4_not_for_it():
    stale = indicator(id=2, code="IND-2", periods_since_value=5)
    result = score(inputs(indicators=(indicator(), stale), reports=(report(), report(submitted=None))))
    # timeliness (1 + 0) ÷ 2 = 50, freshness 50: 0.7·50 + 0.3·50
    assert result.dimensions["D4"] == D("50.0")
    assert result.dimensions["D1"] == D("100.0")  # the stale indicator is left out, not counted as good


def test_low_confidence_gives_the_grey_band_with_the_score_kept():
    # no milestones, no fund, no survey; 1 of 5 indicators fresh: (25·0.2 + 10 + 10 + 5) ÷ 100 = 0.30
    stale = [indicator(id=n, code=f"IND-{n}", periods_since_value=None, values=()) for n in range(2, 6)]
    result = score(inputs(indicators=(indicator(), *stale), milestones=()))
    assert result.confidence == D("0.30")
    assert result.band == "insufficient"
    assert result.score is not None
    note = result.reasons[-1]
    assert (note.code, note.params) == ("data_insufficient", {"confidence_pct": "30.0", "dimensions": "D2,D3,D7"})


def test_a_critical_flag_outranks_low_confidence():
    stale = [indicator(id=n, code=f"IND-{n}", periods_since_value=None, values=()) for n in range(2, 6)]
    expired = governance(ends_on=day("2025-06-30"))
    result = score(inputs(indicators=(indicator(), *stale), milestones=(), governance=expired))
    assert result.confidence < D("0.5")
    assert result.band == "at_risk"


def test_with_governance_alone_scored_the_band_is_grey():
    bare = inputs(indicators=(), milestones=(), reports=(), partners=())
    result = score(bare)  # D6 alone: confidence 5 ÷ 100
    assert result.confidence == D("0.05")
    assert result.band == "insufficient"


# --- early stage -----------------------------------------------------------------------------


def test_a_partnership_younger_than_90_days_is_early_with_a_checklist_and_no_score():
    young = inputs(
        starts_on=day("2025-04-17"),  # 89 days before the review
        governance=governance(signed_document=False, partners_without_focal_point=("PT Mitra",)),
        milestones=(),
        fund=fund(pledges=()),
    )
    result = score(young)
    assert (result.band, result.computed_band, result.score) == ("early", "early", None)
    assert result.dimensions == dict.fromkeys(["D1", "D2", "D3", "D4", "D5", "D6", "D7"])
    assert result.reasons == result.flags == ()
    assert result.checklist == ("setup_signed_document", "setup_focal_points", "setup_milestones", "setup_fund_pledges")


def test_ninety_days_is_no_longer_early():
    assert score(inputs(starts_on=day("2025-04-16"))).band == "healthy"


def test_no_closed_period_or_no_start_date_is_early():
    assert score(inputs(any_period_closed=False)).checklist == ("setup_first_period",)
    assert score(inputs(starts_on=None)).checklist == ("setup_start_date",)


def test_an_old_agreement_with_nothing_to_measure_is_not_early_but_lacks_data():
    mou = inputs(any_period_closed=False, indicators=(), milestones=(), reports=())
    result = score(mou)
    assert result.band == "insufficient"
    assert result.dimensions["D1"] is None and result.dimensions["D6"] is not None
    assert result.confidence < D("0.5")
    assert result.reasons[-1].code == "data_insufficient"


# --- bands, hysteresis and trend ---------------------------------------------------------------


def scored(d1: str, *credits: str, **changes):
    """Inputs whose S is set by D1 (= 100·A ÷ 1000, the target date passed) and D2 (milestones:
    "on_time", "recent" (open ≤ 30 days) or "old" (open 31–60 days)); D4, D5, D6 stay 100."""
    kinds = {"on_time": ("2025-06-01", "2025-05-30"), "recent": ("2025-07-01", None), "old": ("2025-06-01", None)}
    milestones = tuple(milestone(f"M{n}", *kinds[c]) for n, c in enumerate(credits or ("on_time",)))
    late = indicator(target=D(1000), target_on=day("2025-06-30"), values=((day("2025-06-30"), D(d1) * 10),))
    return inputs(indicators=(late,), milestones=milestones, **changes)


@pytest.mark.parametrize(
    ("d1", "credits", "expected_score", "band"),
    [
        ("35", (), "75.0", "healthy"),  # (25·35 + 4000) ÷ 65
        ("34.7", (), "74.9", "watch"),
        ("0", ("on_time", "old"), "50.0", "watch"),  # D2 = 50: (0 + 750 + 2500) ÷ 65
        ("5.7", ("recent", "recent"), "49.9", "at_risk"),  # D2 = 40: (142.5 + 600 + 2500) ÷ 65
    ],
)
def test_band_edges(d1, credits, expected_score, band):
    result = score(scored(d1, *credits))
    assert (result.score, result.band) == (D(expected_score), band)
    assert result.flags == ()


@pytest.mark.parametrize(
    ("d1", "previous_band", "band"),
    [
        ("42.5", "watch", "watch"),  # S 77.9: not yet back to healthy
        ("42.8", "watch", "healthy"),  # S 78.0
        ("42.8", "healthy", "healthy"),
        ("42.5", "healthy", "healthy"),  # staying healthy needs only 75
        ("42.5", "at_risk", "watch"),  # two bands up: 77.9 ≥ 53 but < 78
        ("42.8", "at_risk", "healthy"),
        ("42.5", "insufficient", "healthy"),  # no hysteresis from grey or early
        ("42.5", "early", "healthy"),
    ],
)
def test_hysteresis_back_to_healthy_needs_78(d1, previous_band, band):
    result = score(scored(d1, previous=previous((None, previous_band))))
    assert result.computed_band == "healthy"
    assert result.band == band


@pytest.mark.parametrize(
    ("d1", "previous_band", "band"),
    [
        ("7.5", "at_risk", "at_risk"),  # S 52.9
        ("7.8", "at_risk", "watch"),  # S 53.0
        ("7.5", "watch", "watch"),
        ("7.5", "healthy", "watch"),  # moving down is immediate
    ],
)
def test_hysteresis_back_to_watch_needs_53(d1, previous_band, band):
    result = score(scored(d1, "on_time", "old", previous=previous((None, previous_band))))
    assert result.computed_band == "watch"
    assert result.band == band


def test_hysteresis_uses_the_latest_previous_review():
    result = score(scored("42.5", previous=previous((90, "healthy"), (None, "watch"))))
    assert result.band == "watch"


def test_a_fall_of_ten_points_is_a_trend_flag_that_caps_the_band():
    result = score(scored("42.8", previous=previous((88.0, "healthy"))))  # 88.0 → 78.0
    assert [f.code for f in result.flags] == ["trend_drop"]
    assert result.flags[0].params == {"previous_score": "88.0", "current_score": "78.0", "drop_score": "10.0"}
    assert result.band == "watch"


def test_a_fall_of_less_than_ten_points_is_no_trend():
    result = score(scored("42.8", previous=previous((87.9, "healthy"))))
    assert result.flags == ()
    assert result.band == "healthy"


def test_three_declines_in_a_row_are_a_trend_flag():
    result = score(scored("42.8", previous=previous((81, "healthy"), (80, "healthy"), (79, "healthy"))))
    assert [f.code for f in result.flags] == ["trend_declines"]
    assert result.flags[0].params == {"first_score": "81.0", "current_score": "78.0", "declines": 3}


@pytest.mark.parametrize(
    "history",
    [
        ((80, "healthy"), (79, "healthy")),  # only two declines
        ((81, "healthy"), (80, "healthy"), (78, "healthy")),  # the last step is flat
        ((82, "healthy"), (80, "healthy"), (81, "healthy")),  # not in a row
        ((81, "healthy"), (None, "early"), (79, "healthy")),  # a review without a score breaks the chain
    ],
)
def test_no_trend_without_three_declines_in_a_row(history):
    assert score(scored("42.8", previous=previous(*history))).flags == ()


def test_an_amber_flag_caps_a_high_score_at_watch_and_a_critical_flag_forces_at_risk():
    overdue = milestone("Pelatihan kader", "2025-05-01", None)  # 75 days overdue
    result = score(inputs(milestones=(milestone(), overdue)))
    assert result.score == D("88.5")  # D2 = 50: (2500 + 750 + 2500) ÷ 65
    assert result.band == "watch"
    expired = governance(ends_on=day("2025-07-14"))
    assert score(inputs(governance=expired)).band == "at_risk"


def test_result_records_the_method_and_rounds_consistently():
    result = score(inputs(fund=fund(), survey=survey()))
    assert result.method_version == "phr-v1"
    assert result.score.as_tuple().exponent == -1
    assert result.confidence.as_tuple().exponent == -2
    assert all(v.as_tuple().exponent == -1 for v in result.dimensions.values())


def test_the_review_date_is_today_for_the_method():
    # the same inputs a day later: the milestone due "today" becomes due
    due_today = milestone("Rapat koordinasi", "2025-07-16", None)
    before = score(inputs(milestones=(milestone(), due_today)))
    on_the_day = score(inputs(milestones=(milestone(), due_today), review_date=datetime.date(2025, 7, 16)))
    assert before.dimensions["D2"] == D("100.0")
    assert on_the_day.dimensions["D2"] == D("70.0")  # (1 + 0.4) ÷ 2


def test_decimal_inputs_of_any_exponent_give_the_same_result():
    plain = inputs(fund=fund())
    scientific = inputs(fund=fund(balance=Decimal("5E+7"), paid_to_date=Decimal("5.0E+7")))
    assert score(plain) == score(scientific)
