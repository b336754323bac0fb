"""Input gathering for health reviews: what it collects, and a query count that does not grow
with the number of agreements."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organizations.tenancy import tenant_scope
from programs import fund_services as funds
from programs import services as program_services
from programs.models import ProgressUpdate
from reporting.health_inputs import gather_inputs

T = datetime.date(2026, 6, 15)


def _approved(world, pw, indicator, organization, number, value, submitted_on):
    period = pw.period(indicator, 2026, number)
    at = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(9)))
    return ProgressUpdate.objects.create(
        tenant=world.tenant_a, indicator=indicator, period=period, organization=organization, value=value,
        status=ProgressUpdate.Status.APPROVED, submitted_at=at, reviewed_at=at,
    )  # fmt: skip


@pytest.mark.django_db
def test_inputs_of_one_partnership(world, pw, fw, orgs):
    fund, pledge = fw
    ngo, puskesmas = world.partner_a, orgs["puskesmas"]
    with tenant_scope(world.tenant_a):
        _approved(world, pw, pw.cases, ngo, 1, Decimal(30), datetime.date(2026, 2, 8))
        _approved(world, pw, pw.cases, ngo, 2, Decimal(70), datetime.date(2026, 3, 20))  # cumulative
        _approved(world, pw, pw.cases, puskesmas, 2, Decimal(20), datetime.date(2026, 5, 1))
        program_services.milestone_create(
            program=pw.program, actor=None, title="Pelatihan kader", due_on=datetime.date(2026, 3, 1)
        )
        funds.receipt_record(
            pledge=pledge, actor=None, amount=Decimal(2_000_000), occurred_on=datetime.date(2026, 5, 1)
        )
        inputs = gather_inputs(review_date=T)[pw.program.agreement_id]

    cases = next(i for i in inputs.indicators if i.code == "TBC-1")
    # Achievement so far after each period: January 30; February: NGO's 70 + Puskesmas' 20.
    assert cases.values == ((datetime.date(2026, 1, 31), Decimal(30)), (datetime.date(2026, 2, 28), Decimal(90)))
    assert cases.expected_periods == 5  # January–May closed by 15 June
    assert cases.periods_since_value == 3  # March, April, May without a value
    assert cases.target == Decimal(400) and cases.direction == "increase"
    assert inputs.any_period_closed
    assert [m.title for m in inputs.milestones] == ["Pelatihan kader"]
    assert inputs.fund.pledges[0].received == Decimal(2_000_000)
    assert inputs.fund.pledges[0].due == Decimal(5_000_000)  # no schedule: the whole pledge is due
    assert inputs.fund.balance == Decimal(2_000_000)
    # Reports due in the last 182 days: monthly TBC-1 and TBC-3 × 2 implementers, plus quarterly TBC-2.
    due = {r.due_on for r in inputs.reports}
    assert all(T - datetime.timedelta(days=182) <= d <= T for d in due)
    submitted = [r for r in inputs.reports if r.submitted_on is not None]
    assert {(r.organization_id, r.submitted_on) for r in submitted} >= {(ngo.pk, datetime.date(2026, 3, 20))}
    partners = {p.organization: p for p in inputs.partners}
    assert partners["Puskesmas Ciruas"].actions_60d >= 2  # an update on 1 May and the receipt
    assert inputs.governance.signed_document is True  # activation needs the signed PKS
    assert inputs.governance.active_programs == 1
    assert inputs.previous == ()


@pytest.mark.django_db
def test_query_count_does_not_grow_with_agreements(world, pw, fw, orgs, make_agreement):
    def count() -> int:
        with tenant_scope(world.tenant_a), CaptureQueriesContext(connection) as ctx:
            gather_inputs(review_date=T)
        return len(ctx.captured_queries)

    one = count()
    for i in range(4):
        agreement = make_agreement("active", parties=("puskesmas", "ngo"), partnership_type="provider_community",
                                   title=f"Kemitraan {i}")  # fmt: skip
        with tenant_scope(world.tenant_a):
            program = program_services.program_create(
                tenant=world.tenant_a, agreement=agreement, actor=None, implementers=[orgs["puskesmas"]],
                name=f"Program {i}", theme="tbc", starts_on=datetime.date(2026, 1, 1),
                ends_on=datetime.date(2026, 12, 31), status="active",
            )  # fmt: skip
            program_services.indicator_create(program=program, actor=None, code=f"K-{i}", name="K", target=Decimal(9))
            program_services.milestone_create(program=program, actor=None, title="M", due_on=datetime.date(2026, 2, 1))
            fund = funds.fund_create(tenant=world.tenant_a, agreement=agreement, actor=None, name=f"Dana {i}")
            funds.pledge_create(
                fund=fund, organization=orgs["puskesmas"], actor=None, channel="apbd", amount=Decimal(9)
            )
    assert count() == one
    assert one == 23, one  # pinned (24 once a survey round exists: its responses)
