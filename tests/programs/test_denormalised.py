"""What the services keep denormalised for dashboards at scale (issue 8): a period's received /
on-time report counts and an indicator's achievement so far — kept on submission and approval,
and equal to a recount from scratch."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from organizations.tenancy import tenant_scope
from programs import services
from programs.models import Indicator, ReportingPeriod
from tests.factories import refresh


@pytest.fixture
def clock(monkeypatch):
    now = {"at": timezone.make_aware(datetime.datetime(2026, 6, 5, 9))}
    monkeypatch.setattr(services.timezone, "localdate", lambda: now["at"].date())
    monkeypatch.setattr(services.timezone, "now", lambda: now["at"])
    return now


def _report(world, pw, organization, value, period, actor):
    update = services.progress_update_save(
        indicator=pw.cases, period=period, organization=organization, actor=actor, value=Decimal(value),
        today=datetime.date(2026, 6, 5),
    )  # fmt: skip
    return services.progress_update_submit(update=update, actor=actor, today=datetime.date(2026, 6, 5))


@pytest.mark.django_db
def test_submissions_and_approvals_keep_the_period_counts_and_the_achievement(world, pw, orgs, clock):
    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
        assert (may.reports_received, may.reports_on_time) == (0, 0)
        on_time = _report(world, pw, world.partner_a, 42, may, world.coordinator.user)
        refresh(may)
        assert (may.reports_received, may.reports_on_time) == (1, 1)

        # the second implementer reports after the due date and the grace days
        clock["at"] = timezone.make_aware(
            datetime.datetime.combine(may.due_on + datetime.timedelta(days=world.tenant_a.reporting_grace_days + 1),
                                      datetime.time(10))
        )  # fmt: skip
        may.locks_on = may.due_on + datetime.timedelta(days=60)
        may.save(update_fields=["locks_on"])
        late = _report(world, pw, orgs["puskesmas"], 30, may, world.admin.user)
        refresh(may)
        assert (may.reports_received, may.reports_on_time) == (2, 1)

        refresh(pw.cases)
        assert pw.cases.achieved is None  # nothing approved yet
        services.progress_update_approve(update=on_time, actor=world.manager.user)
        refresh(pw.cases)
        assert pw.cases.achieved == Decimal(42)
        services.progress_update_approve(update=late, actor=world.manager.user)
        refresh(pw.cases)
        assert pw.cases.achieved == Decimal(72)  # cumulative count: each organization's latest, added

        # what the services kept equals a recount from scratch
        assert services.indicators_refresh_achieved() == 0
        assert services.periods_refresh_expected(periods=ReportingPeriod.objects.all()) == 0
        before = list(ReportingPeriod.objects.order_by("pk").values_list("reports_received", "reports_on_time"))
        services.periods_refresh_counts(periods=ReportingPeriod.objects.all())
        assert list(ReportingPeriod.objects.order_by("pk").values_list("reports_received", "reports_on_time")) == before


@pytest.mark.django_db
def test_changing_how_values_add_up_recomputes_the_achievement(world, pw, orgs, clock):
    with tenant_scope(world.tenant_a):
        may, june = pw.period(pw.cases, 2026, 5), pw.period(pw.cases, 2026, 6)
        first = _report(world, pw, world.partner_a, 40, may, world.coordinator.user)
        services.progress_update_approve(update=first, actor=world.manager.user)
        clock["at"] = timezone.make_aware(datetime.datetime(2026, 7, 2, 9))
        update = services.progress_update_save(
            indicator=pw.cases, period=june, organization=world.partner_a, actor=world.coordinator.user,
            value=Decimal(55), today=datetime.date(2026, 7, 2),
        )  # fmt: skip
        update = services.progress_update_submit(
            update=update, actor=world.coordinator.user, today=datetime.date(2026, 7, 2)
        )
        services.progress_update_approve(update=update, actor=world.manager.user)
        refresh(pw.cases)
        assert pw.cases.cumulative and pw.cases.achieved == Decimal(55)  # the latest total

        services.indicator_update(indicator=pw.cases, actor=world.manager.user, cumulative=False)
        assert Indicator.objects.get(pk=pw.cases.pk).achieved == Decimal(95)  # now each month's count adds up


@pytest.mark.django_db
def test_expected_reports_follow_indicators_and_implementers(world, pw, orgs):
    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
        monthly = Indicator.objects.filter(program=pw.program, frequency=may.frequency).count()
        implementers = pw.program.implementers.count()
        assert may.reports_expected == monthly * implementers > 0
        services.indicator_create(
            program=pw.program, actor=None, code="TBC-9", name="Kontak serumah diperiksa", target=Decimal(50)
        )
        assert implementers == 2
        services.program_update(program=pw.program, actor=None, implementers=[pw.program.implementers.first()])
        refresh(may)
        assert may.reports_expected == (monthly + 1) * 1
