"""Gather the inputs of health reviews for every reviewable agreement of the current tenant
with a fixed number of set-based queries, whatever the number of agreements (pinned in
tests/reporting/test_health_inputs.py). Runs inside a tenant scope; scoring is separate and pure.

Decisions where the data model and the method meet:
- Reviewable: agreements active or suspended, and expired ones that still have a running
  program (so the "expired while programs are active" flag can fire).
- An indicator's values are its achievement after each approved period (the same rules as the
  program page: counts summed, cumulative counts each organization's latest, percentages the
  latest period's mean, ratios Σ numerators / Σ denominators).
- Expected reports: each implementing organization × indicator × period due in the last six
  months (182 days) up to the review date; "submitted" is the first submission time.
- Partner activity (60 days): progress updates submitted by the organization, receipts against
  its pledges and disbursements its coordinators requested.
- The survey: the latest round opened within 12 months before the review date, with the
  responses submitted by then (one per organization); its age counts from its closing date.
- A "joint review meeting": a health review of the agreement confirmed by a manager with a note
  (the reviewer records the meeting's conclusion there).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate

from organizations.dates import local_day_start
from organizations.models import Contact, Membership
from partnerships.models import Agreement, Document, Obligation, Party
from programs.fund_selectors import arrears
from programs.models import (
    Disbursement,
    Fund,
    Indicator,
    LedgerEntry,
    Milestone,
    Pledge,
    PledgeInstallment,
    Program,
    ProgramImplementer,
    ProgressUpdate,
    ReportingPeriod,
)
from programs.selectors import ApprovedValue, _achieved

from .health_types import (
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
from .models import HealthReview, SurveyResponse, SurveyRound


class _Period(NamedTuple):
    pk: int
    program_id: int
    frequency: str
    starts_on: datetime.date
    ends_on: datetime.date
    due_on: datetime.date


ONE_DAY = datetime.timedelta(days=1)
REPORT_WINDOW_DAYS = 182
ACTIVITY_DAYS = 60
PREVIOUS_REVIEWS = 3
ZERO = Decimal(0)


def reviewable_agreements(agreement_ids: list[int] | None = None, *, as_of: datetime.date | None = None):
    """Agreements reviewed now; with ``as_of`` (a backfill of past periods), those that were in
    force on that day — started, not yet ended — whatever became of them since."""
    running = Program.objects.filter(agreement=OuterRef("pk"), status=Program.Status.ACTIVE)
    if as_of is not None:
        qs = Agreement.objects.filter(
            status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED, Agreement.Status.EXPIRED],
            starts_on__lte=as_of,
            ends_on__gte=as_of,
        )
    else:
        qs = Agreement.objects.filter(
            Q(status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED])
            | Q(status=Agreement.Status.EXPIRED) & Exists(running)
        )
    if agreement_ids is not None:
        qs = qs.filter(pk__in=agreement_ids)
    return qs.order_by("pk")


def gather_inputs(
    *, review_date: datetime.date, agreement_ids: list[int] | None = None, backfill: bool = False
) -> dict[int, AgreementInputs]:
    """Inputs for every reviewable agreement (or those given), keyed by agreement id. A backfill
    reviews the agreements in force on ``review_date`` instead of today's."""
    agreements = list(reviewable_agreements(agreement_ids, as_of=review_date if backfill else None))
    ids = [a.pk for a in agreements]
    if not ids:
        return {}
    t = review_date

    # --- agreement, parties, governance ------------------------------------------------------
    focal = Contact.objects.filter(organization=OuterRef("organization_id"), is_focal_point=True)
    parties: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    for agreement_id, org_id, name, has_focal in (
        Party.objects.filter(agreement_id__in=ids)
        .annotate(has_focal=Exists(focal))
        .order_by("agreement_id", "organization__name")
        .values_list("agreement_id", "organization_id", "organization__name", "has_focal")
    ):
        parties[agreement_id].append((org_id, name, has_focal))
    signed = set(
        Document.objects.filter(agreement_id__in=ids, kind=Document.Kind.SIGNED).values_list("agreement_id", flat=True)
    )
    with_obligations = set(
        Obligation.objects.filter(party__agreement_id__in=ids).values_list("party__agreement_id", flat=True)
    )
    renewing = set(
        Agreement.objects.filter(
            predecessor_id__in=ids,
            status__in=[Agreement.Status.DRAFT, Agreement.Status.PROPOSED, Agreement.Status.ACTIVE],
        ).values_list("predecessor_id", flat=True)
    )

    # --- programs, indicators, periods, updates ----------------------------------------------
    programs = list(Program.objects.filter(agreement_id__in=ids).order_by("pk"))
    program_by_id = {p.pk: p for p in programs}
    programs_of: dict[int, list[Program]] = defaultdict(list)
    for program in programs:
        programs_of[program.agreement_id].append(program)
    implementers: dict[int, list[int]] = defaultdict(list)
    for program_id, org_id in ProgramImplementer.objects.filter(program_id__in=program_by_id).values_list(
        "program_id", "organization_id"
    ):
        implementers[program_id].append(org_id)
    indicators = list(Indicator.objects.filter(program_id__in=program_by_id).order_by("program_id", "code"))
    # Periods and approved values are read as plain tuples, not model instances: a district has
    # hundreds of thousands of them and the review needs only these few columns.
    periods: dict[tuple[int, str], list[_Period]] = defaultdict(list)
    period_by_id: dict[int, _Period] = {}
    for row in (
        ReportingPeriod.objects.filter(program_id__in=program_by_id, starts_on__lte=t)
        .order_by("starts_on")
        .values_list("pk", "program_id", "frequency", "starts_on", "ends_on", "due_on")
    ):
        period = period_by_id[row[0]] = _Period(*row)
        periods[(period.program_id, period.frequency)].append(period)
    periods_by_program: dict[int, list[_Period]] = defaultdict(list)
    for (program_id, _frequency), ps in periods.items():
        periods_by_program[program_id].extend(ps)
    approved: dict[int, list[ApprovedValue]] = defaultdict(list)
    for indicator_id, period_id, org_id, value, numerator, denominator in (
        ProgressUpdate.objects.filter(
            indicator__program_id__in=program_by_id, status=ProgressUpdate.Status.APPROVED, period__ends_on__lt=t
        )
        .order_by("period__starts_on", "id")
        .values_list("indicator_id", "period_id", "organization_id", "value", "numerator", "denominator")
    ):
        approved[indicator_id].append(ApprovedValue(org_id, value, numerator, denominator, period_by_id[period_id]))
    window_start = t - datetime.timedelta(days=REPORT_WINDOW_DAYS)
    submitted: dict[tuple[int, int, int], datetime.date | None] = {}
    for indicator_id, period_id, org_id, submitted_on in (
        ProgressUpdate.objects.filter(
            indicator__program_id__in=program_by_id, period__due_on__gte=window_start, period__due_on__lte=t
        )
        .exclude(status=ProgressUpdate.Status.DRAFT)
        .annotate(submitted_on=TruncDate("submitted_at"))  # the local day, computed by the database
        .values_list("indicator_id", "period_id", "organization_id", "submitted_on")
    ):
        submitted[(indicator_id, period_id, org_id)] = submitted_on
    milestones: dict[int, list[MilestoneInput]] = defaultdict(list)
    for agreement_id, title, due_on, done_on in (
        Milestone.objects.filter(program_id__in=program_by_id)
        .order_by("due_on", "pk")
        .values_list("program__agreement_id", "title", "due_on", "done_on")
    ):
        milestones[agreement_id].append(MilestoneInput(title=title, due_on=due_on, done_on=done_on))

    # --- funds -------------------------------------------------------------------------------
    funds = list(Fund.objects.filter(agreement_id__in=ids).order_by("pk"))
    fund_ids = [f.pk for f in funds]
    pledges = list(Pledge.objects.filter(fund_id__in=fund_ids).select_related("organization").order_by("pk"))
    installments: dict[int, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    for pledge_id, due_on, amount in (
        PledgeInstallment.objects.filter(pledge__fund_id__in=fund_ids)
        .order_by("due_on", "pk")
        .values_list("pledge_id", "due_on", "amount")
    ):
        installments[pledge_id].append((due_on, amount))
    received = dict(
        LedgerEntry.objects.filter(
            fund_id__in=fund_ids, pledge__isnull=False, disbursement__isnull=True, occurred_on__lte=t
        )
        .values_list("pledge_id")
        .annotate(total=Sum("amount"))
        .values_list("pledge_id", "total")
    )
    paid = dict(
        LedgerEntry.objects.filter(fund_id__in=fund_ids, disbursement__isnull=False, occurred_on__lte=t)
        .values_list("fund_id")
        .annotate(total=Sum("amount"))
        .values_list("fund_id", "total")
    )
    horizon = t + datetime.timedelta(days=60)
    planned = {
        row["fund_id"]: row
        for row in Disbursement.objects.filter(fund_id__in=fund_ids)
        .exclude(status=Disbursement.Status.REJECTED)
        .values("fund_id")
        .annotate(
            to_date=Sum("amount", filter=Q(planned_on__lte=t)),
            next_60=Sum(
                "amount",
                filter=Q(
                    planned_on__gt=t,
                    planned_on__lte=horizon,
                    status__in=[Disbursement.Status.REQUESTED, Disbursement.Status.APPROVED],
                ),
            ),
        )
    }

    # --- partner activity (60 days) -----------------------------------------------------------
    since = t - datetime.timedelta(days=ACTIVITY_DAYS)
    activity: dict[tuple[int, int], list] = defaultdict(lambda: [0, None])

    def _count(agreement_id, org_id, n, last) -> None:
        entry = activity[(agreement_id, org_id)]
        entry[0] += n
        if last is not None and (entry[1] is None or last > entry[1]):
            entry[1] = last

    for agreement_id, org_id, n, last in (
        # a range on the timestamp itself (local days' bounds), so the (tenant, submitted_at) index serves it
        ProgressUpdate.objects.filter(
            indicator__program_id__in=program_by_id,
            submitted_at__gte=local_day_start(since + ONE_DAY),
            submitted_at__lt=local_day_start(t + ONE_DAY),
        )
        .values_list("indicator__program__agreement_id", "organization_id")
        .annotate(n=Count("id"), last=Max("submitted_at__date"))
        .values_list("indicator__program__agreement_id", "organization_id", "n", "last")
    ):
        _count(agreement_id, org_id, n, last)
    for agreement_id, org_id, n, last in (
        LedgerEntry.objects.filter(
            fund_id__in=fund_ids, kind=LedgerEntry.Kind.RECEIPT, occurred_on__gt=since, occurred_on__lte=t
        )
        .values_list("fund__agreement_id", "pledge__organization_id")
        .annotate(n=Count("id"), last=Max("occurred_on"))
        .values_list("fund__agreement_id", "pledge__organization_id", "n", "last")
    ):
        _count(agreement_id, org_id, n, last)
    coordinator_org = Membership.objects.filter(user_id=OuterRef("requested_by_id"), tenant_id=OuterRef("tenant_id"))
    for agreement_id, org_id, n, last in (
        Disbursement.objects.filter(fund_id__in=fund_ids, created_at__date__gt=since, created_at__date__lte=t)
        .annotate(org=Subquery(coordinator_org.values("organization_id")[:1]))
        .exclude(org=None)
        .values_list("fund__agreement_id", "org")
        .annotate(n=Count("id"), last=Max("created_at__date"))
        .values_list("fund__agreement_id", "org", "n", "last")
    ):
        _count(agreement_id, org_id, n, last)

    # --- partner surveys: the latest round opened in the 12 months before the review ------------
    surveys: dict[int, SurveyRound] = {}
    for survey in SurveyRound.objects.filter(
        agreement_id__in=ids, opens_on__lte=t, opens_on__gt=t - datetime.timedelta(days=366)
    ).order_by("opens_on", "pk"):
        surveys[survey.agreement_id] = survey  # the latest wins
    answers: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for round_id, organization, given in (
        SurveyResponse.objects.filter(round_id__in=[s.pk for s in surveys.values()], submitted_at__date__lte=t)
        .order_by("organization__name", "pk")
        .values_list("round_id", "organization__name", "answers")
    ):
        answers[round_id][organization].append(given)

    # --- earlier reviews ------------------------------------------------------------------------
    previous: dict[int, list[PreviousReview]] = defaultdict(list)
    joint_review: dict[int, datetime.date] = {}
    for agreement_id, period, score, band, override_band, confirmed_at, note in (
        HealthReview.objects.filter(agreement_id__in=ids, review_date__lt=t)
        .order_by("review_date", "pk")
        .values_list("agreement_id", "period", "score", "band", "override_band", "confirmed_at", "review_note")
    ):
        previous[agreement_id].append(PreviousReview(period=period, score=score, band=override_band or band))
        if confirmed_at and note.strip():
            joint_review[agreement_id] = confirmed_at.date()

    # --- assemble per agreement ----------------------------------------------------------------
    funds_of: dict[int, list[Fund]] = defaultdict(list)
    for fund in funds:
        funds_of[fund.agreement_id].append(fund)
    pledges_of: dict[int, list[Pledge]] = defaultdict(list)
    for pledge in pledges:
        pledges_of[pledge.fund_id].append(pledge)
    indicators_of: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        indicators_of[program_by_id[indicator.program_id].agreement_id].append(indicator)

    result = {}
    for agreement in agreements:
        a_programs = programs_of[agreement.pk]
        closed = any(p.ends_on < t for program in a_programs for p in periods_by_program.get(program.pk, []))
        indicator_inputs = tuple(
            _indicator_input(i, program_by_id[i.program_id], periods, approved.get(i.pk, []), t)
            for i in indicators_of[agreement.pk]
        )
        reports = tuple(
            ReportExpectation(
                organization_id=org_id,
                due_on=period.due_on,
                submitted_on=submitted.get((indicator.pk, period.pk, org_id)),
            )
            for indicator in indicators_of[agreement.pk]
            for period in periods.get((indicator.program_id, indicator.frequency), [])
            if window_start <= period.due_on <= t
            for org_id in implementers.get(indicator.program_id, [])
        )
        party_rows = parties[agreement.pk]
        result[agreement.pk] = AgreementInputs(
            agreement_id=agreement.pk,
            title=agreement.title,
            review_date=t,
            starts_on=agreement.starts_on,
            any_period_closed=closed,
            indicators=indicator_inputs,
            milestones=tuple(milestones[agreement.pk]),
            fund=_fund_input(funds_of[agreement.pk], pledges_of, installments, received, paid, planned, t),
            reports=reports,
            partners=tuple(
                PartnerActivity(
                    organization_id=org_id,
                    organization=name,
                    actions_60d=activity[(agreement.pk, org_id)][0] if (agreement.pk, org_id) in activity else 0,
                    last_action_on=activity[(agreement.pk, org_id)][1] if (agreement.pk, org_id) in activity else None,
                )
                for org_id, name, _focal in party_rows
            ),
            governance=GovernanceInput(
                ends_on=agreement.ends_on,
                # A backfill sees an agreement that has since expired as it was then: in force.
                status=Agreement.Status.ACTIVE
                if backfill and agreement.status == Agreement.Status.EXPIRED and agreement.ends_on >= t
                else agreement.status,
                renewal_in_progress=agreement.pk in renewing,
                signed_document=agreement.pk in signed,
                partners_without_focal_point=tuple(name for _id, name, has_focal in party_rows if not has_focal),
                programs_without_target=tuple(
                    p.name
                    for p in a_programs
                    if p.status != Program.Status.CANCELLED
                    and not any(i.program_id == p.pk and i.target is not None for i in indicators_of[agreement.pk])
                ),
                obligations_recorded=agreement.pk in with_obligations,
                last_joint_review_on=joint_review.get(agreement.pk),
                active_programs=sum(1 for p in a_programs if p.status == Program.Status.ACTIVE),
            ),
            survey=_survey_input(surveys.get(agreement.pk), answers, len(party_rows)),
            previous=tuple(previous[agreement.pk][-PREVIOUS_REVIEWS:]),
        )
    return result


def _survey_input(survey: SurveyRound | None, answers, members: int) -> SurveyInput | None:
    if survey is None:
        return None
    closed_on = survey.closed_at.date() if survey.closed_at else survey.closes_on
    return SurveyInput(
        closed_on=min(closed_on, survey.closes_on),
        member_organizations=members,
        responses={name: tuple(given) for name, given in answers[survey.pk].items()},
    )


def _indicator_input(
    indicator: Indicator, program: Program, periods, updates: list[ApprovedValue], t
) -> IndicatorInput:
    own_periods = [p for p in periods.get((program.pk, indicator.frequency), []) if p.ends_on < t]
    values = []
    by_period: dict[int, list[ApprovedValue]] = defaultdict(list)
    for update in updates:
        by_period[update.period.pk].append(update)
    # The achievement after each period, kept incrementally (the rules of ``_achieved``, which a
    # growing list would recompute from the start every period): counts add up — cumulative ones
    # each organization's latest total — percentages and ratios read their own period.
    running, latest = ZERO, {}
    last_index = None
    for index, period in enumerate(own_periods):
        batch = by_period.get(period.pk)
        if not batch:
            continue
        if indicator.kind == Indicator.Kind.COUNT and indicator.cumulative:
            latest.update((u.organization_id, u.value) for u in batch)
            achieved = sum(latest.values(), ZERO)
        elif indicator.kind == Indicator.Kind.COUNT:
            running += sum((u.value for u in batch), ZERO)
            achieved = running
        else:
            achieved = _achieved(indicator, batch)
        if achieved is not None:
            values.append((period.ends_on, achieved))
            last_index = index
    return IndicatorInput(
        id=indicator.pk,
        code=indicator.code,
        name=indicator.name,
        program_name=program.name,
        kind=indicator.kind,
        direction="decrease" if indicator.direction == Indicator.Direction.DOWN else "increase",
        # Values are the achievement so far after each period: for counts a running total.
        cumulative=indicator.kind == Indicator.Kind.COUNT,
        priority=indicator.priority == Indicator.Priority.HIGH,
        baseline=indicator.baseline,
        target=indicator.target,
        starts_on=program.starts_on,
        target_on=program.ends_on,
        values=tuple(values),
        periods_since_value=None if last_index is None else len(own_periods) - 1 - last_index,
        expected_periods=len(own_periods),
    )


def _fund_input(funds, pledges_of, installments, received, paid, planned, t) -> FundInput | None:
    if not funds:
        return None
    pledge_inputs = []
    for fund in funds:
        for pledge in pledges_of[fund.pk]:
            schedule = installments.get(pledge.pk, [])
            got = received.get(pledge.pk) or ZERO
            due, _owed, oldest_unpaid = arrears(schedule, got, t)
            if not schedule:
                due = pledge.amount  # no schedule: the whole pledge is due
            pledge_inputs.append(
                PledgeInput(
                    organization_id=pledge.organization_id,
                    organization=pledge.organization.name,
                    channel=pledge.channel,
                    amount=pledge.amount,
                    due=due,
                    received=got,
                    first_due_on=schedule[0][0] if schedule else None,
                    oldest_unpaid_due_on=oldest_unpaid,
                )
            )
    return FundInput(
        pledges=tuple(pledge_inputs),
        balance=sum((f.balance for f in funds), ZERO),
        planned_to_date=sum(((planned.get(f.pk) or {}).get("to_date") or ZERO for f in funds), ZERO),
        paid_to_date=-sum((paid.get(f.pk) or ZERO for f in funds), ZERO),
        planned_next_60=sum(((planned.get(f.pk) or {}).get("next_60") or ZERO for f in funds), ZERO),
    )
