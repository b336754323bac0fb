"""Shared funds: an exact, append-only ledger that no sequence or concurrency can overdraw."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organizations.errors import ApplicationError
from organizations.tenancy import tenant_scope
from programs import fund_services as funds
from programs.models import Disbursement, LedgerEntry
from tests.factories import refresh


@pytest.fixture
def fund_world(world, pw, orgs):
    with tenant_scope(world.tenant_a):
        fund = funds.fund_create(
            tenant=world.tenant_a,
            agreement=pw.program.agreement,
            actor=None,
            name="Dana bersama skrining TBC",
            programs=[pw.program],
        )
        pledge = funds.pledge_create(
            fund=fund, organization=orgs["puskesmas"], actor=None, channel="blud", amount=Decimal(1_000),
            installments=[(datetime.date(2026, 3, 1), Decimal(400)), (datetime.date(2026, 9, 1), Decimal(600))],
        )  # fmt: skip
    return world, pw, fund, pledge


def _approved_disbursements(world, pw, fund, count, amount):
    with tenant_scope(world.tenant_a):
        return [
            Disbursement.objects.create(
                tenant=world.tenant_a,
                fund=fund,
                program=pw.program,
                amount=Decimal(amount),
                purpose="Transport kader",
                planned_on=datetime.date(2026, 6, 1),
                requested_by=world.coordinator.user,
                approved_by=world.manager.user,
                status=Disbursement.Status.APPROVED,
            )  # fmt: skip
            for _ in range(count)
        ]


def _balance_and_sum(world, fund):
    with tenant_scope(world.tenant_a):
        return funds.fund_reconcile(fund=fund)


@pytest.mark.django_db
def test_receipts_cannot_exceed_the_pledge_unless_extra(fund_world):
    world, _pw, fund, pledge = fund_world
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(700))
        with pytest.raises(ApplicationError) as caught:
            funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(301))
        assert caught.value.code == "over_pledge"
        funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(301), extra_contribution=True)
        with pytest.raises(Exception):  # noqa: B017  (fractions of a rupiah are refused)
            funds.receipt_record(pledge=pledge, actor=None, amount=Decimal("0.5"))
    assert _balance_and_sum(world, fund) == (Decimal(1001), Decimal(1001))


@pytest.mark.django_db
def test_two_person_rule_and_the_admin_threshold(fund_world):
    world, pw, fund, _pledge = fund_world
    world.tenant_a.disbursement_admin_threshold = Decimal(500)
    world.tenant_a.save()
    with tenant_scope(world.tenant_a):
        small = funds.disbursement_request(
            fund=fund,
            program=pw.program,
            actor=world.manager.user,
            amount=Decimal(100),
            purpose="ATK",
            planned_on=datetime.date(2026, 7, 1),
        )
        with pytest.raises(ApplicationError) as caught:
            funds.disbursement_approve(disbursement=small, actor=world.manager.user, role="manager")
        assert caught.value.code == "same_person"
        assert funds.disbursement_approve(disbursement=small, actor=world.admin.user, role="admin").status == "approved"

        large = funds.disbursement_request(
            fund=fund,
            program=pw.program,
            actor=world.coordinator.user,
            amount=Decimal(900),
            purpose="Pelatihan",
            planned_on=datetime.date(2026, 7, 1),
        )
        large = funds.disbursement_approve(disbursement=large, actor=world.manager.user, role="manager")
        assert large.status == "requested" and large.approved_by == world.manager.user
        with pytest.raises(ApplicationError):
            funds.disbursement_approve(disbursement=large, actor=world.manager.user, role="manager")
        assert funds.disbursement_approve(disbursement=large, actor=world.admin.user, role="admin").status == "approved"


@pytest.mark.django_db
def test_payment_needs_the_balance_and_reversal_restores_it(fund_world):
    world, pw, fund, pledge = fund_world
    (payment_request,) = _approved_disbursements(world, pw, fund, 1, 300)
    with tenant_scope(world.tenant_a):
        with pytest.raises(ApplicationError) as caught:
            funds.disbursement_pay(disbursement=payment_request, actor=None, reference="SP2D-1")
        assert caught.value.code == "insufficient_balance"
        receipt = funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(400))
        paid = funds.disbursement_pay(disbursement=payment_request, actor=None, reference="SP2D-1")
        assert Disbursement.objects.get(pk=payment_request.pk).status == "paid"
        # Reversing the receipt would overdraw the fund: refused.
        with pytest.raises(ApplicationError):
            funds.ledger_reverse(entry=receipt, actor=None, reason="Salah catat")
        funds.ledger_reverse(entry=paid, actor=None, reason="Transfer gagal")
        with pytest.raises(ApplicationError):
            funds.ledger_reverse(entry=paid, actor=None, reason="Dua kali")
    assert _balance_and_sum(world, fund) == (Decimal(400), Decimal(400))


@pytest.mark.django_db
def test_ledger_entries_cannot_be_changed_or_deleted(fund_world):
    world, _pw, fund, pledge = fund_world
    with tenant_scope(world.tenant_a):
        entry = funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(10))
        entry.amount = Decimal(1_000_000)
        with pytest.raises(PermissionError):
            entry.save()
        with pytest.raises(PermissionError):
            entry.delete()
    # The database refuses too, whatever the code path.
    for statement in (
        "UPDATE programs_ledgerentry SET amount = 999 WHERE id = %s",
        "DELETE FROM programs_ledgerentry WHERE id = %s",
    ):
        # (inside the tenant's scope: row-level security would otherwise hide the row first)
        with tenant_scope(world.tenant_a), pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [entry.pk])
    assert _balance_and_sum(world, fund) == (Decimal(10), Decimal(10))


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    operations=st.lists(
        st.tuples(st.sampled_from(["receive", "pay", "reverse"]), st.integers(min_value=1, max_value=400)), max_size=12
    )
)
def test_the_ledger_invariant_holds_for_any_sequence(fund_world, operations):
    world, pw, fund, pledge = fund_world
    with tenant_scope(world.tenant_a):
        for operation, amount in operations:
            try:
                with transaction.atomic():
                    if operation == "receive":
                        funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(amount), extra_contribution=True)
                    elif operation == "pay":
                        (request,) = _approved_disbursements(world, pw, fund, 1, amount)
                        funds.disbursement_pay(disbursement=request, actor=None)
                    else:
                        entry = (
                            LedgerEntry.objects.filter(fund=fund, reversed_by__isnull=True)
                            .exclude(kind="reversal")
                            .order_by("?")
                            .first()
                        )
                        if entry:
                            funds.ledger_reverse(entry=entry, actor=None, reason="uji")
            except ApplicationError:
                pass  # a refused step changes nothing
            balance, total = funds.fund_reconcile(fund=fund)
            assert balance == total >= 0


def _in_threads(count: int, work) -> list:
    errors = []

    def run(index):
        try:
            work(index)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_never_overdraw(fund_world):
    world, pw, fund, pledge = fund_world
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(100))
    requests = _approved_disbursements(world, pw, fund, 200, 1)

    def pay(index):
        with tenant_scope(world.tenant_a):
            for request in requests[index * 25 : (index + 1) * 25]:
                try:
                    funds.disbursement_pay(disbursement=request, actor=None)
                except ApplicationError:
                    pass  # insufficient balance: refused, nothing moved

    assert _in_threads(8, pay) == []
    with tenant_scope(world.tenant_a):
        paid = Disbursement.objects.filter(fund=fund, status="paid").count()
        payments = LedgerEntry.objects.filter(fund=fund, kind="payment").count()
    assert paid == payments == 100
    assert _balance_and_sum(world, fund) == (Decimal(0), Decimal(0))


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_idempotent_receipts_make_one_entry(fund_world):
    world, _pw, fund, pledge = fund_world

    def receive(_index):
        with tenant_scope(world.tenant_a):
            try:
                funds.receipt_record(
                    pledge=pledge, actor=None, amount=Decimal(250), idempotency_key="trf-2026-06-01-001"
                )
            except DatabaseError:
                pass  # lost the race on the unique key: its transaction rolled back entirely

    assert _in_threads(10, receive) == []
    with tenant_scope(world.tenant_a):
        assert LedgerEntry.objects.filter(fund=fund).count() == 1
    assert _balance_and_sum(world, fund) == (Decimal(250), Decimal(250))


@pytest.mark.django_db
def test_above_the_threshold_an_administrator_alone_is_not_enough(fund_world):
    world, pw, fund, _pledge = fund_world
    world.tenant_a.disbursement_admin_threshold = Decimal(500)
    world.tenant_a.save()
    with tenant_scope(world.tenant_a):
        large = funds.disbursement_request(
            fund=fund, program=pw.program, actor=world.coordinator.user, amount=Decimal(900), purpose="Kulkas vaksin",
            planned_on=datetime.date(2026, 7, 1),
        )  # fmt: skip
        large = funds.disbursement_approve(disbursement=large, actor=world.admin.user, role="admin")
        assert large.status == "requested" and large.admin_approved_by == world.admin.user
        with pytest.raises(ApplicationError) as caught:
            funds.disbursement_approve(disbursement=large, actor=world.admin.user, role="admin")
        assert caught.value.code == "same_person"
        large = funds.disbursement_approve(disbursement=large, actor=world.manager.user, role="manager")
        assert large.status == "approved" and large.approved_by == world.manager.user
        assert large.decided_at is not None


@pytest.mark.django_db
def test_a_reversed_payment_reopens_the_request_for_payment(fund_world):
    world, pw, fund, pledge = fund_world
    (request,) = _approved_disbursements(world, pw, fund, 1, 300)
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(400))
        paid = funds.disbursement_pay(disbursement=request, actor=None, reference="SP2D-1")
        funds.ledger_reverse(entry=paid, actor=None, reason="Transfer ditolak bank: rekening salah")
        refresh(request)
        assert (request.status, request.paid_on, request.payment_reference) == ("approved", None, "")
        funds.disbursement_pay(disbursement=request, actor=None, reference="SP2D-2")
        refresh(request)
        assert request.status == "paid" and request.payment_reference == "SP2D-2"
    assert _balance_and_sum(world, fund) == (Decimal(100), Decimal(100))
