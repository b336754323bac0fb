"""Completeness and timeliness rates against hand-computed cases."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from organizations.tenancy import tenant_scope
from programs import services
from programs.models import Program, ProgressUpdate
from programs.selectors import reporting_rates


def _submit(world, pw, organization, indicator, number, submitted_on, **values):
    with tenant_scope(world.tenant_a):
        period = pw.period(indicator, 2026, number)
        services.period_reopen(
            period=period, organization=organization, actor=None, reason="uji", until=datetime.date(2026, 12, 31)
        )
        update = services.progress_update_save(
            indicator=indicator,
            period=period,
            organization=organization,
            actor=None,
            today=datetime.date(2026, 6, 1),
            **values,
        )
        services.progress_update_submit(update=update, actor=world.coordinator.user, today=datetime.date(2026, 6, 1))
        at = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(9)))
        ProgressUpdate.objects.filter(pk=update.pk).update(submitted_at=at)


@pytest.mark.django_db
def test_rates_by_organization_program_and_total(world, pw, orgs):
    # Periods due before 1 April 2026: January (due 10 Feb) and February (due 10 March), monthly.
    # Monthly indicators: TBC-1 and TBC-3 (2); implementers: 2 → expected = 2 periods × 2 × 2 = 8.
    # The quarterly Q1 is due 10 April: not yet counted.
    ngo, puskesmas = world.partner_a, orgs["puskesmas"]
    _submit(world, pw, ngo, pw.cases, 1, datetime.date(2026, 2, 9), value=Decimal(10))  # on time
    _submit(
        world, pw, ngo, pw.ratio, 1, datetime.date(2026, 2, 15), numerator=Decimal(1), denominator=Decimal(2)
    )  # within grace (5 days)
    _submit(world, pw, ngo, pw.cases, 2, datetime.date(2026, 3, 20), value=Decimal(12))  # late
    _submit(world, pw, puskesmas, pw.cases, 1, datetime.date(2026, 2, 1), value=Decimal(3))  # on time
    with tenant_scope(world.tenant_a):
        rates = reporting_rates(
            programs=Program.objects.filter(pk=pw.program.pk), today=datetime.date(2026, 4, 1), grace_days=5
        )
    total = rates["total"]
    assert (total.expected, total.received, total.on_time) == (8, 4, 3)
    assert total.completeness == Decimal("50.0") and total.timeliness == Decimal("37.5")
    assert (rates["organization"][ngo.pk].received, rates["organization"][ngo.pk].on_time) == (3, 2)
    assert rates["organization"][puskesmas.pk].completeness == Decimal("25.0")
    assert rates["program"][pw.program.pk] == total


@pytest.mark.django_db
def test_nothing_due_means_no_rate(world, pw):
    with tenant_scope(world.tenant_a):
        rates = reporting_rates(
            programs=Program.objects.filter(pk=pw.program.pk), today=datetime.date(2026, 1, 15), grace_days=5
        )
    assert rates["total"].expected == 0 and rates["total"].completeness is None
