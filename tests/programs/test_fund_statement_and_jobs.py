"""The fund statement against hand-computed figures; daily reconciliation and pledge reminders."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import TestCase

from organizations.models import Notification
from organizations.tenancy import tenant_scope
from programs import fund_services as funds
from programs.fund_selectors import fund_statement


@pytest.fixture
def fs(world, pw, orgs):
    with tenant_scope(world.tenant_a):
        fund = funds.fund_create(
            tenant=world.tenant_a,
            agreement=pw.program.agreement,
            actor=None,
            name="Dana bersama TBC",
            programs=[pw.program],
        )
        blud = funds.pledge_create(
            fund=fund, organization=orgs["puskesmas"], actor=None, channel="blud", amount=Decimal(6_000_000),
            installments=[(datetime.date(2026, 3, 1), Decimal(3_000_000)), (datetime.date(2026, 9, 1), Decimal(3_000_000))],
        )  # fmt: skip
        swadaya = funds.pledge_create(
            fund=fund, organization=world.partner_a, actor=None, channel="swadaya", amount=Decimal(2_000_000)
        )
    return fund, blud, swadaya


@pytest.mark.django_db
def test_statement_matches_hand_computed_figures(world, pw, fs, django_assert_max_num_queries):
    fund, blud, swadaya = fs
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=blud, actor=None, amount=Decimal(3_000_000))
        wrong = funds.receipt_record(pledge=swadaya, actor=None, amount=Decimal(1_500_000))
        funds.ledger_reverse(entry=wrong, actor=None, reason="Salah nominal")
        funds.receipt_record(pledge=swadaya, actor=None, amount=Decimal(1_000_000))
        d = funds.disbursement_request(
            fund=fund,
            program=pw.program,
            actor=world.coordinator.user,
            amount=Decimal(1_200_000),
            purpose="Transport kader",
            planned_on=datetime.date(2026, 6, 1),
        )
        funds.disbursement_approve(disbursement=d, actor=world.manager.user, role="manager")
        funds.disbursement_pay(disbursement=d, actor=None)
        funds.disbursement_request(
            fund=fund,
            program=pw.program,
            actor=world.coordinator.user,
            amount=Decimal(500_000),
            purpose="Pelatihan",
            planned_on=datetime.date(2026, 7, 15),
        )
        funds.disbursement_request(
            fund=fund,
            program=pw.program,
            actor=world.coordinator.user,
            amount=Decimal(900_000),
            purpose="Media KIE",
            planned_on=datetime.date(2026, 8, 20),
        )
        with django_assert_max_num_queries(6):  # pledges, instalments, receipts, payments, open requests, balance
            statement = fund_statement(fund=fund, today=datetime.date(2026, 6, 10))
    by_org = {line.organization: line for line in statement.contributors}
    assert by_org["Puskesmas Ciruas"].received == Decimal(3_000_000)
    assert by_org["Yayasan Peduli TBC Banten"].received == Decimal(1_000_000)  # reversal nets out
    assert by_org["Puskesmas Ciruas"].share == Decimal("75.0")
    assert (statement.pledged, statement.received) == (Decimal(8_000_000), Decimal(4_000_000))
    assert statement.disbursed_by_program == {pw.program.name: Decimal(1_200_000)}
    assert statement.balance == Decimal(2_800_000) == statement.received - statement.disbursed
    assert statement.planned == {60: Decimal(500_000), 90: Decimal(1_400_000)}


def _run(world, today):
    with TestCase.captureOnCommitCallbacks(execute=True), tenant_scope(world.tenant_a):
        return funds.funds_run_daily(tenant=world.tenant_a, today=today)


@pytest.mark.django_db
def test_pledge_reminders_before_and_after_the_due_date_once_each(world, fs):
    _fund, blud, _swadaya = fs
    assert _run(world, datetime.date(2026, 2, 21))["reminders"] == 0  # 8 days before the first instalment
    first = _run(world, datetime.date(2026, 2, 22))["reminders"]
    assert first == 2  # admin + manager (the puskesmas has no coordinator)
    assert _run(world, datetime.date(2026, 2, 25))["reminders"] == 0
    assert _run(world, datetime.date(2026, 3, 2))["reminders"] == 2  # now overdue
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=blud, actor=None, amount=Decimal(3_000_000))
    assert _run(world, datetime.date(2026, 3, 3))["reminders"] == 0  # covered
    with tenant_scope(world.tenant_a):
        kinds = sorted(Notification.objects.filter(user=world.manager.user).values_list("kind", flat=True))
    assert kinds == ["pledge_due", "pledge_overdue"]


@pytest.mark.django_db
def test_reconciliation_alerts_administrators_on_drift(world, fs):
    fund, blud, _swadaya = fs
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=blud, actor=None, amount=Decimal(1_000))
    assert _run(world, datetime.date(2026, 1, 1))["drift"] == 0
    with tenant_scope(world.tenant_a), connection.cursor() as cursor:  # corruption outside the application
        cursor.execute("UPDATE programs_fund SET balance = balance + 5 WHERE id = %s", [fund.pk])
        assert cursor.rowcount == 1
    assert _run(world, datetime.date(2026, 1, 2))["drift"] == 1  # the one administrator
    assert _run(world, datetime.date(2026, 1, 2))["drift"] == 0  # once a day
    with tenant_scope(world.tenant_a):
        note = Notification.objects.get(kind="fund_drift")
    assert note.user == world.admin.user
    assert "Rp1.005" in note.message and "Rp1.000" in note.message
