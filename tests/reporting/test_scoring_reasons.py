"""Health review reasons rendered for reviewers: English msgids, Indonesian number, money and date
formats, plural forms, labels, and a known sentence and action for every reason."""

import pytest
from django.utils import translation

from reporting.health_types import Reason
from reporting.reasons import ACTIONS, MESSAGES, display_params, render, render_action, render_checklist_item
from reporting.scoring import setup_checklist

from . import fund, governance, inputs


def reason(message_key, params, action="follow_up_pledge", code=None):
    return Reason(
        code=code or message_key,
        dimension="D3",
        severity="weakness",
        challenge_tags=(),
        message_key=message_key,
        params=params,
        suggested_action=action,
    )


PLEDGE = reason(
    "pledge_behind",
    {
        "organization": "PT X",
        "due_rp": "150000000",
        "due_on": "2025-03-15",
        "received_rp": "30000000",
        "received_pct": "20.0",
    },
)


def test_the_pledge_reason_in_indonesian_formats():
    with translation.override("id"):
        text = render(PLEDGE)
    assert "PT X" in text
    assert "Rp150.000.000" in text
    assert "15 Maret 2025" in text
    assert "Rp30.000.000 (20%)" in text


def test_the_pledge_reason_in_english():
    with translation.override("en"):
        assert render(PLEDGE) == (
            "PT X's pledge of Rp150.000.000 fell due on 15 March 2025; Rp30.000.000 (20%) has been received."
        )
        assert render_action(PLEDGE) == "Contact the partner about the pledge and agree a payment date."


def test_the_indicator_reason_quotes_the_pace_and_the_global_fund_band():
    behind = reason(
        "indicator_behind",
        {
            "indicator": "Cakupan imunisasi dasar lengkap",
            "progress_pct": "41.7",
            "expected_pct": "75.0",
            "pace_pct": "55.6",
            "gf_band": "B2",
        },
    )
    with translation.override("en"):
        assert render(behind) == (
            "Cakupan imunisasi dasar lengkap is at 41.7% of target with 75% of the period gone "
            "(55.6% of the expected pace, band B2)."
        )
    with translation.override("id"):
        assert "41,7%" in render(behind)
        assert "55,6%" in render(behind)


def test_the_ending_agreement_reason_and_plural_forms():
    with translation.override("en"):
        assert render(reason("agreement_ending", {"days": 45, "ends_on": "2025-08-29"})) == (
            "The agreement ends in 45 days (29 August 2025); renewal has not started."
        )
        assert render(reason("agreement_ending", {"days": 1, "ends_on": "2025-07-16"})) == (
            "The agreement ends in 1 day (16 July 2025); renewal has not started."
        )


def test_survey_ratings_use_the_decimal_comma_in_indonesian():
    trust = reason(
        "survey_construct_low",
        {
            "construct": "S2",
            "mean_of5": "2.8",
            "high_org": "Dinkes",
            "high_of5": "3.9",
            "low_org": "Kelompok",
            "low_of5": "2.1",
        },
    )
    with translation.override("en"):
        assert render(trust) == "Trust between partners is 2.8/5; Dinkes 3.9 vs Kelompok 2.1."
    with translation.override("id"):
        assert "2,8/5" in render(trust)
        assert "Dinkes 3,9 vs Kelompok 2,1" in render(trust)


def test_labels_and_lists_are_translated_names():
    params = {"dimension": "D6", "dimensions": "D3,D7", "items": "signed_document,joint_review"}
    with translation.override("en"):
        assert display_params(params) == {
            "dimension": "Agreement and governance",
            "dimensions": "Shared fund, Relationship (survey)",
            "items": "the signed MoU/PKS, a joint review meeting in the last 6 months",
        }
    with translation.override("id"):
        assert display_params(params)["dimensions"] == "Dana bersama, Hubungan (survei)"


def test_display_params_by_key_convention():
    with translation.override("id"):
        assert display_params(
            {"a_rp": "1500000", "b_on": "2025-03-15", "c_pct": "42.0", "d_score": "46.3", "e_of5": "3.0", "days": 7}
        ) == {
            "a_rp": "Rp1.500.000",
            "b_on": "15 Maret 2025",
            "c_pct": "42%",
            "d_score": "46,3",
            "e_of5": "3",
            "days": 7,
        }


def test_an_unknown_message_or_action_does_not_break_a_page():
    stale = reason("removed_in_a_later_version", {}, action="gone")
    assert render(stale) == "removed_in_a_later_version"
    assert render_action(stale) == ""


def test_every_checklist_item_has_a_sentence():
    nothing_set_up = inputs(
        starts_on=None,
        any_period_closed=False,
        indicators=(),
        milestones=(),
        fund=fund(pledges=()),
        governance=governance(
            ends_on=None,
            signed_document=False,
            partners_without_focal_point=("Yayasan",),
            programs_without_target=("Skrining TBC",),
            obligations_recorded=False,
        ),
    )
    keys = setup_checklist(nothing_set_up)
    assert len(keys) == 10
    with translation.override("en"):
        sentences = [render_checklist_item(k) for k in keys]
    assert sentences[:3] == [
        "Close the first reporting period.",
        "Record the agreement's start date.",
        "Record the agreement's end date.",
    ]
    assert all(s.endswith(".") and s != k for s, k in zip(sentences, keys, strict=True))


def test_every_action_is_a_sentence():
    with translation.override("en"):
        assert all(str(text).endswith(".") for text in ACTIONS.values())


class _AnyParams(dict):
    def __missing__(self, key):
        return 2


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_message_formats_with_named_params(language):
    with translation.override(language):
        for key, template in MESSAGES.items():
            text = str(template % _AnyParams())
            assert text and "%(" not in text and "%%" not in text, key
