"""Reporting periods on a January–December fiscal year, with due and lock dates."""

import datetime

import pytest

from organizations.tenancy import tenant_scope
from programs import services
from programs.models import ReportingPeriod
from programs.periods import calendar_periods


def test_calendar_months_and_quarters_cover_the_span():
    months = list(calendar_periods("monthly", datetime.date(2025, 11, 15), datetime.date(2026, 2, 3)))
    assert [(y, n) for y, n, *_ in months] == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]
    assert months[3][3] == datetime.date(2026, 2, 28)
    quarters = list(calendar_periods("quarterly", datetime.date(2026, 2, 10), datetime.date(2026, 7, 1)))
    assert [(y, n, first, last) for y, n, first, last in quarters] == [
        (2026, 1, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        (2026, 2, datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        (2026, 3, datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
    ]


@pytest.mark.django_db
def test_periods_follow_the_indicators_frequencies_with_due_and_lock_dates(world, pw):
    with tenant_scope(world.tenant_a):
        monthly = ReportingPeriod.objects.filter(program=pw.program, frequency="monthly")
        quarterly = ReportingPeriod.objects.filter(program=pw.program, frequency="quarterly")
        assert monthly.count() == 12 and quarterly.count() == 4
        march = monthly.get(year=2026, number=3)
        # tenant defaults: due 10 days after the period, locked 30 days after the due date
        assert march.due_on == datetime.date(2026, 4, 10)
        assert march.locks_on == datetime.date(2026, 5, 10)
        assert services.periods_generate(program=pw.program) == 0  # idempotent


@pytest.mark.django_db
def test_longer_programs_get_more_periods(world, pw):
    with tenant_scope(world.tenant_a):
        services.program_update(program=pw.program, actor=None, ends_on=datetime.date(2027, 3, 31))
        assert ReportingPeriod.objects.filter(program=pw.program, frequency="monthly").count() == 15
