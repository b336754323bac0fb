"""The daily reporting job: reminders before and after the due date, each sent once."""

import datetime
from decimal import Decimal

import pytest
from django.test import TestCase

from organizations.models import Notification
from organizations.tenancy import tenant_scope
from programs import services


def _run(world, today):
    with TestCase.captureOnCommitCallbacks(execute=True), tenant_scope(world.tenant_a):
        return services.reporting_run_daily(tenant=world.tenant_a, today=today)


def _notes(world):
    with tenant_scope(world.tenant_a):
        return list(
            Notification.objects.filter(user=world.coordinator.user).order_by("created_at").values_list("kind", "key")
        )


@pytest.mark.django_db
def test_reminders_before_and_after_the_due_date_once_each(world, pw):
    # April 2026 was due 10 May and locks 9 June; May is due 10 June; Q2 is due 10 July.
    assert _run(world, datetime.date(2026, 6, 6))["reminders"] == 1  # April overdue; May not yet (4 days before)
    assert _run(world, datetime.date(2026, 6, 7))["reminders"] == 1  # May, 3 days before its due date
    assert _run(world, datetime.date(2026, 6, 8))["reminders"] == 0  # nothing new
    assert _run(world, datetime.date(2026, 6, 11))["reminders"] == 1  # May overdue (April is locked now)
    assert _run(world, datetime.date(2026, 6, 20))["reminders"] == 0
    with tenant_scope(world.tenant_a):
        april, may = pw.period(pw.cases, 2026, 4), pw.period(pw.cases, 2026, 5)
    org = world.partner_a.pk
    assert _notes(world) == [
        ("report_overdue", f"report_overdue:{april.pk}:{org}"),
        ("report_due", f"report_due:{may.pk}:{org}"),
        ("report_overdue", f"report_overdue:{may.pk}:{org}"),
    ]


@pytest.mark.django_db
def test_no_reminder_once_the_report_is_in(world, pw):
    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
        for indicator, values in (
            (pw.cases, {"value": Decimal(4)}),
            (pw.ratio, {"numerator": Decimal(1), "denominator": Decimal(2)}),
        ):
            update = services.progress_update_save(
                indicator=indicator,
                period=may,
                organization=world.partner_a,
                actor=None,
                today=datetime.date(2026, 6, 1),
                **values,
            )
            services.progress_update_submit(
                update=update, actor=world.coordinator.user, today=datetime.date(2026, 6, 1)
            )
    assert _run(world, datetime.date(2026, 6, 11))["reminders"] == 0


@pytest.mark.django_db
def test_the_job_creates_missing_periods(world, pw):
    with tenant_scope(world.tenant_a):
        pw.program.periods.filter(year=2026, number__gte=10, frequency="monthly").delete()
    assert _run(world, datetime.date(2026, 6, 1))["periods_created"] == 3
    assert _run(world, datetime.date(2026, 6, 1))["periods_created"] == 0
