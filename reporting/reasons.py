"""What a health-review reason says: translatable templates (``MESSAGES``), suggested actions
(``ACTIONS``) and ``render``/``render_action``, which format a reason's stored params for the
active language.

Params are stored language-neutral (``reporting.scoring``) and formatted here by the key's name:

- ``…_rp``: whole rupiah as a string → ``Rp150.000.000``
- ``…_on``: an ISO date → "15 Maret 2025" (Indonesian) / "15 March 2025"
- ``…_pct``: a percent with one decimal ("41.7") → "41,7%" / "41.7%" ("42.0" → "42%")
- ``…_score`` and ``…_of5``: a 0–100 score or a 1–5 rating with one decimal → "46,3" / "2,8"
- ``dimension`` ("D1"…"D7"), ``construct`` ("S1"…"S7"): their translated names;
  ``dimensions`` and ``items``: comma-separated keys → translated names joined by ", "
- anything else (names, counts, days) as it is; counts stay integers so plural forms work.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from organizations.templatetags.formatting import format_rupiah, tanggal

from .health_types import Reason

DIMENSION_LABELS = {
    "D1": _("Results"),
    "D2": _("Delivery"),
    "D3": _("Shared fund"),
    "D4": _("Reporting and data"),
    "D5": _("Partner engagement"),
    "D6": _("Agreement and governance"),
    "D7": _("Relationship (survey)"),
}

CONSTRUCT_LABELS = {
    "S1": _("Shared purpose"),
    "S2": _("Trust between partners"),
    "S3": _("Communication"),
    "S4": _("Fairness"),
    "S5": _("Resources"),
    "S6": _("Leadership and adaptability"),
    "S7": _("Overall value"),
}

GOVERNANCE_ITEM_LABELS = {
    "signed_document": _("the signed MoU/PKS"),
    "focal_points": _("a focal point for every partner"),
    "program_targets": _("an indicator with a target for every programme"),
    "obligations": _("the parties' obligations"),
    "joint_review": _("a joint review meeting in the last 6 months"),
}

MESSAGES = {
    # critical flags
    "agreement_expired_active": ngettext_lazy(
        "The agreement ended on %(ends_on)s, %(days)s day ago, while programmes or the shared fund are still active.",
        "The agreement ended on %(ends_on)s, %(days)s days ago, while programmes or the shared fund are still active.",
        "days",
    ),
    "agreement_expired_active_undated": _(
        "The agreement has expired while programmes or the shared fund are still active."
    ),
    "pledge_overdue_unpaid": ngettext_lazy(
        "%(organization)s's pledge of %(amount_rp)s (%(share_pct)s of all pledges) fell due on %(due_on)s, %(days)s day ago, and nothing has been received.",
        "%(organization)s's pledge of %(amount_rp)s (%(share_pct)s of all pledges) fell due on %(due_on)s, %(days)s days ago, and nothing has been received.",
        "days",
    ),
    "fund_shortfall": _(
        "Disbursements planned for the next 60 days (%(planned_rp)s) exceed the fund balance (%(balance_rp)s) by %(excess_pct)s."
    ),
    "fund_shortfall_empty": _(
        "Disbursements of %(planned_rp)s are planned for the next 60 days, but the fund balance is %(balance_rp)s."
    ),
    "no_partner_updates": _("No partner has sent an indicator update for %(periods)s reporting periods."),
    "priority_indicators_band_c": ngettext_lazy(
        "%(count)s of %(total)s priority indicators past the halfway point is below 30%% of the expected pace (band C): %(names)s.",
        "%(count)s of %(total)s priority indicators past the halfway point are below 30%% of the expected pace (band C): %(names)s.",
        "count",
    ),
    # amber flags
    "agreement_ending": ngettext_lazy(
        "The agreement ends in %(days)s day (%(ends_on)s); renewal has not started.",
        "The agreement ends in %(days)s days (%(ends_on)s); renewal has not started.",
        "days",
    ),
    "milestone_overdue": ngettext_lazy(
        "Milestone “%(milestone)s” was due on %(due_on)s and is %(days)s day overdue.",
        "Milestone “%(milestone)s” was due on %(due_on)s and is %(days)s days overdue.",
        "days",
    ),
    "coverage_low": _(
        "Only %(fresh)s of %(total)s indicators have a current value (%(coverage_pct)s); the band is capped at Watch."
    ),
    "coverage_none": _("No indicator has a closed reporting period yet; the band is capped at Watch."),
    "survey_construct_low": _("%(construct)s is %(mean_of5)s/5; %(high_org)s %(high_of5)s vs %(low_org)s %(low_of5)s."),
    "survey_construct_low_single": _("%(construct)s is %(mean_of5)s/5."),
    "survey_divergence": _(
        "Partners disagree on %(construct)s (%(mean_of5)s/5 on average): %(high_org)s %(high_of5)s vs %(low_org)s %(low_of5)s."
    ),
    "activity_dominance": _("%(organization)s accounts for %(share_pct)s of partner activity in the last 60 days."),
    "partner_inactive": ngettext_lazy(
        "%(organization)s has been inactive for %(days)s day (last activity %(last_on)s).",
        "%(organization)s has been inactive for %(days)s days (last activity %(last_on)s).",
        "days",
    ),
    "partner_never_active": _("%(organization)s has not recorded any activity since the agreement started."),
    "trend_drop": _(
        "The score fell %(drop_score)s points since the last review (%(previous_score)s → %(current_score)s)."
    ),
    "trend_declines": _(
        "The score has declined %(declines)s reviews in a row, from %(first_score)s to %(current_score)s."
    ),
    # weaknesses
    "indicator_behind": _(
        "%(indicator)s is at %(progress_pct)s of target with %(expected_pct)s of the period gone (%(pace_pct)s of the expected pace, band %(gf_band)s)."
    ),
    "milestones_open": _(
        "%(open_count)s of %(due_count)s milestones due are still open; the most overdue, “%(milestone)s”, was due on %(due_on)s."
    ),
    "milestones_late": _("%(late_count)s of %(due_count)s milestones due were completed late."),
    "pledge_behind": _(
        "%(organization)s's pledge of %(due_rp)s fell due on %(due_on)s; %(received_rp)s (%(received_pct)s) has been received."
    ),
    "pledge_behind_undated": _(
        "%(organization)s's pledge of %(due_rp)s is due; %(received_rp)s (%(received_pct)s) has been received."
    ),
    "disbursement_slow": _(
        "Disbursements are at %(ratio_pct)s of plan: %(paid_rp)s paid of %(planned_rp)s planned to date."
    ),
    "disbursement_fast": _(
        "Disbursements are ahead of plan at %(ratio_pct)s: %(paid_rp)s paid of %(planned_rp)s planned to date."
    ),
    "reports_late": _(
        "Of %(expected_count)s reports expected in the last 6 months, %(missing_count)s are missing and %(late_count)s came more than %(grace_days)s days after the due date."
    ),
    "indicators_stale": _("%(stale_count)s of %(total)s indicators have no current value: %(names)s."),
    "data_anomalies": _(
        "%(count)s data anomalies in the last 6 months (a cumulative total that fell, or a percentage above 100): %(names)s."
    ),
    "partners_inactive": _("%(inactive_count)s of %(total)s partners were not active in the last 60 days: %(names)s."),
    "activity_unbalanced": _(
        "Activity is unevenly spread (balance %(balance_pct)s); %(organization)s accounts for %(share_pct)s of it."
    ),
    "agreement_expired": _("The agreement ended on %(ends_on)s."),
    "agreement_expired_undated": _("The agreement has expired."),
    "agreement_ends_soon": ngettext_lazy(
        "The agreement ends in %(days)s day (%(ends_on)s).",
        "The agreement ends in %(days)s days (%(ends_on)s).",
        "days",
    ),
    "governance_incomplete": _("Governance records are missing: %(items)s."),
    "survey_weak": _(
        "%(construct)s is the weakest part of the relationship at %(mean_of5)s/5; %(high_org)s %(high_of5)s vs %(low_org)s %(low_of5)s."
    ),
    "survey_weak_single": _("%(construct)s is the weakest part of the relationship at %(mean_of5)s/5."),
    "dimension_weak": _("%(dimension)s scores %(dimension_score)s/100."),
    # strengths
    "dimension_strong": _("%(dimension)s is a strength: %(dimension_score)s/100."),
    # notes
    "single_funder": _("%(organization)s holds %(share_pct)s of all pledges: the fund depends on a single funder."),
    "survey_insufficient": _(
        "The partner survey is not scored: %(respondents)s respondents from %(organizations)s of %(members)s organisations (it needs 3 respondents from at least 2 organisations and 40%% of the members)."
    ),
    "survey_expired": _("The last partner survey closed on %(closed_on)s, more than 12 months ago, and is not scored."),
    "survey_aging": _("The partner survey closed on %(closed_on)s, more than 6 months ago, and counts at half weight."),
    "data_insufficient": _(
        "The score rests on %(confidence_pct)s of the evidence, too little for a band; missing: %(dimensions)s."
    ),
    # early-stage setup checklist
    "setup_first_period": _("Close the first reporting period."),
    "setup_start_date": _("Record the agreement's start date."),
    "setup_end_date": _("Record the agreement's end date."),
    "setup_signed_document": _("Upload the signed MoU/PKS."),
    "setup_focal_points": _("Name a focal point (narahubung) for every partner."),
    "setup_obligations": _("Record each party's obligations."),
    "setup_indicators": _("Add indicators to the programmes."),
    "setup_indicator_targets": _("Give every programme an indicator with a target and a target date."),
    "setup_milestones": _("Add milestones to the work plan."),
    "setup_fund_pledges": _("Record the partners' pledges to the shared fund."),
}

ACTIONS = {
    "close_or_renew": _("Renew the agreement, or close its programmes and settle the fund."),
    "follow_up_pledge": _("Contact the partner about the pledge and agree a payment date."),
    "secure_funds": _("Collect pledges due, or re-phase disbursements, before approving more."),
    "remind_reporting": _("Remind the implementing partners of the reporting schedule and help with overdue reports."),
    "review_indicator": _("Review the indicator's work plan with the implementing partner and agree catch-up steps."),
    "start_renewal": _("Start the renewal or an amendment (adendum) of the agreement."),
    "update_milestones": _("Update the milestones' status or agree new dates with the partners."),
    "discuss_survey": _("Discuss the survey results with all partners at the next joint meeting."),
    "balance_roles": _("Share tasks and updates more evenly among the partners."),
    "engage_partner": _("Contact the partner's focal point and agree its role for the coming period."),
    "review_trend": _("Look into what changed since the last review (budget, leadership, staffing)."),
    "replan_disbursements": _(
        "Compare the disbursement plan (rencana penarikan dana) with actual spending and update it."
    ),
    "check_data": _("Check the flagged values with the reporting partner and correct them."),
    "complete_governance": _("Complete the missing governance records."),
    "review_dimension": _("Review this part of the partnership with the partners."),
    "keep_it_up": _("Keep the current practice and share it with other partnerships."),
    "diversify_funding": _("Seek contributions from other partners to reduce dependence on one funder."),
    "run_survey": _("Run a new round of the partner survey."),
    "complete_data": _("Fill in the missing data so the partnership can be reviewed."),
}

_LABELS = {"dimension": DIMENSION_LABELS, "construct": CONSTRUCT_LABELS}
_LISTS = {"dimensions": DIMENSION_LABELS, "items": GOVERNANCE_ITEM_LABELS}


def render(reason: Reason) -> str:
    """The reason's sentence in the active language."""
    template = MESSAGES.get(reason.message_key)
    if template is None:
        return reason.message_key
    return str(template % display_params(reason.params))


def render_action(reason: Reason) -> str:
    action = ACTIONS.get(reason.suggested_action)
    return "" if action is None else str(action)


def render_checklist_item(key: str) -> str:
    return str(MESSAGES.get(key, key))


def display_params(params: Mapping[str, object]) -> dict[str, object]:
    """Params formatted for display by the naming convention in this module's docstring."""
    return {key: _display(key, value) for key, value in params.items()}


def _display(key: str, value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if key.endswith("_rp"):
        return format_rupiah(value)
    if key.endswith("_on"):
        return tanggal(value)
    if key.endswith("_pct"):
        return f"{_number(value)}%"
    if key.endswith(("_score", "_of5")):
        return _number(value)
    if key in _LABELS:
        return str(_LABELS[key].get(value, value))
    if key in _LISTS:
        return ", ".join(str(_LISTS[key].get(item, item)) for item in str(value).split(",") if item)
    return value


def _number(value: object) -> str:
    """A one-decimal string for display: "41.7" → "41,7" in Indonesian; "42.0" → "42"."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    places = 0 if number == number.to_integral_value() else 1
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
