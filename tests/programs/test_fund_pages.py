"""Shared-fund pages: the statement, pledge / receipt / disbursement forms, the two-person and
threshold rules as a user meets them, reversals, roles, and pinned query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.tenancy import scopes_disabled, tenant_scope
from programs import fund_services as funds
from programs.fund_forms import RupiahField
from programs.models import Disbursement, Fund, FundEvidence, LedgerEntry, Pledge
from tests.factories import refresh


def _base(world, fund=None):
    base = f"/t/{world.tenant_a.slug}/dana/"
    return f"{base}{fund.pk}/" if fund else base


def _balance(fund) -> Decimal:
    with scopes_disabled():
        return Fund.unscoped.get(pk=fund.pk).balance


def _ledger_count(fund) -> int:
    with scopes_disabled():
        return LedgerEntry.unscoped.filter(fund=fund).count()


# --- Rupiah input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1500000", 1_500_000), ("1.500.000", 1_500_000), ("Rp1.500.000", 1_500_000), ("Rp 25.000,00", 25_000)],
)
def test_rupiah_field_reads_indonesian_amounts(typed, amount):
    assert RupiahField().clean(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["1.500.000,50", "-5000", "0", "satu juta", "1,500,000", "15.00"])
def test_rupiah_field_refuses_cents_negatives_and_words(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        RupiahField().clean(typed)


# --- the statement --------------------------------------------------------------------------


@pytest.mark.django_db
def test_statement_shows_who_gave_what_and_where_it_went(world, pw, fw, orgs):
    fund, pledge = fw
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(2_000_000), reference="TRF-1")
        d = funds.disbursement_request(
            fund=fund, program=pw.program, actor=world.coordinator.user, amount=Decimal(750_000),
            purpose="Transport kader", planned_on=datetime.date(2026, 6, 1),
        )  # fmt: skip
        funds.disbursement_approve(disbursement=d, actor=world.manager.user, role="manager")
        funds.disbursement_pay(disbursement=d, actor=world.manager.user, reference="SP2D-7")
    page = world.viewer.client.get(_base(world, fund)).content.decode()
    assert "Rp5.000.000" in page  # pledged
    assert "Rp2.000.000" in page  # received
    assert "Rp750.000" in page  # disbursed to the TB program
    assert "Rp1.250.000" in page  # balance
    assert "Puskesmas Ciruas" in page and "BLUD" in page
    assert "40%" in page  # received of pledged
    assert 'id="fund-charts"' in page


@pytest.mark.django_db
def test_statement_and_list_query_counts_do_not_grow_with_pledges(world, pw, fw, orgs):
    fund, pledge = fw
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(1000))

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert world.manager.client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small_detail, small_list, small_ledger = (
        count(_base(world, fund)),
        count(_base(world)),
        count(_base(world, fund) + "buku-besar/"),
    )
    with tenant_scope(world.tenant_a):
        for i in range(6):
            extra = funds.pledge_create(
                fund=fund, organization=orgs["ngo"], actor=None, channel="hibah", amount=Decimal(1000 + i),
                installments=[(datetime.date(2026, 3, 1), Decimal(500)), (datetime.date(2026, 9, 1), Decimal(500 + i))],
            )  # fmt: skip
            funds.receipt_record(pledge=extra, actor=None, amount=Decimal(100))
            other = funds.fund_create(tenant=world.tenant_a, agreement=pw.program.agreement, actor=None, name=f"F{i}")
            funds.pledge_create(fund=other, organization=orgs["ngo"], actor=None, channel="hibah", amount=Decimal(9))
    assert count(_base(world, fund)) == small_detail
    assert count(_base(world)) == small_list
    assert count(_base(world, fund) + "buku-besar/") == small_ledger
    assert small_list <= 10 and small_detail <= 16 and small_ledger <= 10


# --- pledges and receipts -------------------------------------------------------------------


@pytest.mark.django_db
def test_pledge_with_a_schedule_typed_in_rupiah(world, fw, orgs):
    fund, _pledge = fw
    response = world.manager.client.post(
        _base(world, fund) + "komitmen/baru/",
        {
            "organization": orgs["ngo"].pk, "channel": "csr_tjsl", "amount": "Rp3.000.000",
            "schedule-TOTAL_FORMS": "3", "schedule-INITIAL_FORMS": "0",
            "schedule-0-due_on": "2026-07-01", "schedule-0-amount": "1.000.000",
            "schedule-1-due_on": "2026-10-01", "schedule-1-amount": "2.000.000",
        },
    )  # fmt: skip
    assert response.status_code == 302
    with tenant_scope(world.tenant_a):
        pledge = Pledge.objects.get(fund=fund, organization=orgs["ngo"])
        assert pledge.amount == Decimal(3_000_000)
        assert [(i.due_on.isoformat(), i.amount) for i in pledge.installments.all()] == [
            ("2026-07-01", Decimal(1_000_000)),
            ("2026-10-01", Decimal(2_000_000)),
        ]


@pytest.mark.django_db
def test_pledge_errors_are_explained_and_nothing_is_saved(world, fw, orgs):
    fund, _pledge = fw
    with scopes_disabled():
        before = Pledge.unscoped.filter(fund=fund).count()
    mismatch = world.manager.client.post(
        _base(world, fund) + "komitmen/baru/",
        {
            "organization": orgs["ngo"].pk, "channel": "hibah", "amount": "3.000.000",
            "schedule-TOTAL_FORMS": "3", "schedule-INITIAL_FORMS": "0",
            "schedule-0-due_on": "2026-07-01", "schedule-0-amount": "1.000.000",
        },
    )  # fmt: skip
    assert mismatch.status_code == 200
    assert "Jumlah angsuran harus sama dengan nilai komitmen." in mismatch.content.decode()
    natura = world.manager.client.post(
        _base(world, fund) + "komitmen/baru/",
        {"organization": orgs["ngo"].pk, "channel": "natura", "amount": "2.000.000",
         "schedule-TOTAL_FORMS": "0", "schedule-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert "Uraikan kontribusi natura beserta nilai taksirannya." in natura.content.decode()
    outsider = world.manager.client.post(
        _base(world, fund) + "komitmen/baru/",
        {"organization": orgs["company"].pk, "channel": "csr_tjsl", "amount": "2.000.000",
         "schedule-TOTAL_FORMS": "0", "schedule-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert outsider.status_code == 200  # not a party: not even a choice
    with scopes_disabled():
        assert Pledge.unscoped.filter(fund=fund).count() == before


@pytest.mark.django_db
def test_receipt_with_evidence_and_the_over_pledge_refusal(world, fw):
    fund, pledge = fw
    url = _base(world, fund) + f"komitmen/{pledge.pk}/penerimaan/"
    ok = world.manager.client.post(
        url,
        {
            "amount": "4.000.000",
            "occurred_on": "2026-05-02",
            "reference": "BKU/2026/05/017",
            "evidence": SimpleUploadedFile("bukti-transfer.pdf", b"%PDF-1.4 transfer", "application/pdf"),
        },
    )
    assert ok.status_code == 302
    assert _balance(fund) == Decimal(4_000_000)
    with tenant_scope(world.tenant_a):
        entry = LedgerEntry.objects.get(fund=fund)
        assert entry.reference == "BKU/2026/05/017" and entry.occurred_on == datetime.date(2026, 5, 2)
        evidence = FundEvidence.objects.get(entry=entry)
    download = world.viewer.client.get(_base(world, fund) + f"bukti/{evidence.pk}/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 transfer"

    too_much = world.manager.client.post(url, {"amount": "2.000.000", "occurred_on": "2026-05-03"})
    assert too_much.status_code == 200
    assert "melebihi komitmen" in too_much.content.decode()
    assert _balance(fund) == Decimal(4_000_000) and _ledger_count(fund) == 1
    extra = world.manager.client.post(
        url, {"amount": "2.000.000", "occurred_on": "2026-05-03", "extra_contribution": "on"}
    )
    assert extra.status_code == 302 and _balance(fund) == Decimal(6_000_000)


@pytest.mark.django_db
def test_a_bad_file_loses_nothing(world, fw):
    fund, pledge = fw
    response = world.manager.client.post(
        _base(world, fund) + f"komitmen/{pledge.pk}/penerimaan/",
        {"amount": "1.000.000", "occurred_on": "2026-05-02", "evidence": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")},
    )
    assert response.status_code == 200
    assert _balance(fund) == 0 and _ledger_count(fund) == 0


# --- disbursements: request, two-person rule, threshold, pay, reject -----------------------


def _fund_with(world, fw, amount):
    fund, pledge = fw
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(amount))
    return fund


def _request(world, client, fund, program, amount="1.000.000"):
    response = client.post(
        _base(world, fund) + "pencairan/baru/",
        {"program": program.pk, "amount": amount, "purpose": "Transport kader sweeping", "planned_on": "2026-06-15"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        return Disbursement.unscoped.filter(fund=fund).latest("id")


@pytest.mark.django_db
def test_request_approve_pay_through_the_pages(world, pw, fw):
    fund = _fund_with(world, fw, 5_000_000)
    d = _request(world, world.coordinator.client, fund, pw.program)
    assert d.requested_by == world.coordinator.user and d.status == "requested"
    base = _base(world, fund) + f"pencairan/{d.pk}/"

    world.manager.client.post(base + "setujui/")
    refresh(d)
    assert d.status == "approved" and d.approved_by == world.manager.user

    paid = world.admin.client.post(base + "bayar/", {"paid_on": "2026-06-16", "reference": "SP2D/0612"})
    assert paid.status_code == 302
    refresh(d)
    assert d.status == "paid" and d.payment_reference == "SP2D/0612"
    assert _balance(fund) == Decimal(4_000_000)
    page = world.viewer.client.get(base).content.decode()
    assert "SP2D/0612" in page and "Rp1.000.000" in page
    again = world.admin.client.post(base + "bayar/", {"paid_on": "2026-06-16", "reference": "SP2D/0612"})
    assert again.status_code == 409 and _balance(fund) == Decimal(4_000_000)


@pytest.mark.django_db
def test_the_requester_cannot_approve_their_own_request(world, pw, fw):
    fund = _fund_with(world, fw, 5_000_000)
    d = _request(world, world.manager.client, fund, pw.program)
    response = world.manager.client.post(_base(world, fund) + f"pencairan/{d.pk}/setujui/", follow=True)
    assert "pengaju tidak dapat menyetujui pengajuannya" in response.content.decode()
    refresh(d)
    assert d.status == "requested" and d.approved_by is None


@pytest.mark.django_db
def test_above_the_threshold_an_administrator_approves_too(world, pw, fw):
    world.tenant_a.disbursement_admin_threshold = Decimal(500_000)
    world.tenant_a.save()
    fund = _fund_with(world, fw, 5_000_000)
    d = _request(world, world.coordinator.client, fund, pw.program, amount="2.000.000")
    url = _base(world, fund) + f"pencairan/{d.pk}/setujui/"
    first = world.manager.client.post(url, follow=True)
    assert "administrator juga harus menyetujui" in first.content.decode()
    refresh(d)
    assert d.status == "requested" and d.approved_by == world.manager.user
    pay_too_early = world.admin.client.post(
        url.replace("setujui", "bayar"), {"paid_on": "2026-06-16", "reference": "X"}
    )
    assert pay_too_early.status_code == 409 and _balance(fund) == Decimal(5_000_000)
    world.admin.client.post(url)
    refresh(d)
    assert d.status == "approved" and d.admin_approved_by == world.admin.user


@pytest.mark.django_db
def test_reject_needs_a_reason(world, pw, fw):
    fund = _fund_with(world, fw, 5_000_000)
    d = _request(world, world.coordinator.client, fund, pw.program)
    url = _base(world, fund) + f"pencairan/{d.pk}/tolak/"
    empty = world.manager.client.post(url, {"reason": "  "})
    assert empty.status_code == 400
    refresh(d)
    assert d.status == "requested"
    world.manager.client.post(url, {"reason": "RAB belum dilampirkan"})
    refresh(d)
    assert d.status == "rejected" and d.rejection_reason == "RAB belum dilampirkan"


@pytest.mark.django_db
def test_payment_larger_than_the_balance_is_refused_with_a_message(world, pw, fw):
    fund = _fund_with(world, fw, 300_000)
    d = _request(world, world.coordinator.client, fund, pw.program, amount="1.000.000")
    world.manager.client.post(_base(world, fund) + f"pencairan/{d.pk}/setujui/")
    response = world.admin.client.post(
        _base(world, fund) + f"pencairan/{d.pk}/bayar/", {"paid_on": "2026-06-16", "reference": "X"}
    )
    assert response.status_code == 409
    assert "Saldo dana tidak cukup" in response.content.decode()
    refresh(d)
    assert d.status == "approved" and _balance(fund) == Decimal(300_000)


@pytest.mark.django_db
def test_coordinator_requests_only_for_programs_they_implement(world, pw, fw, orgs, make_agreement):
    fund, _pledge = fw
    form = world.coordinator.client.get(_base(world, fund) + "pencairan/baru/").content.decode()
    assert pw.program.name in form
    other = make_agreement("active", parties=("rsud", "puskesmas"), title="Rujukan")
    with tenant_scope(world.tenant_a):
        hidden = funds.fund_create(tenant=world.tenant_a, agreement=other, actor=None, name="Dana rujukan")
    assert world.coordinator.client.get(_base(world, hidden)).status_code == 404
    assert world.coordinator.client.get(_base(world, hidden) + "pencairan/baru/").status_code == 404


@pytest.mark.django_db
def test_approval_queue_lists_open_requests_with_a_fixed_query_count(world, pw, fw):
    fund = _fund_with(world, fw, 5_000_000)
    _request(world, world.coordinator.client, fund, pw.program)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = world.manager.client.get(_base(world) + "persetujuan/")
        return len(ctx.captured_queries), response.content.decode()

    one, page = count()
    assert "Transport kader sweeping" in page
    for _ in range(5):
        _request(world, world.coordinator.client, fund, pw.program)
    assert count()[0] == one


# --- the ledger and reversals ---------------------------------------------------------------


@pytest.mark.django_db
def test_only_an_administrator_reverses_and_the_original_stays(world, fw):
    fund = _fund_with(world, fw, 1_000_000)
    with scopes_disabled():
        entry = LedgerEntry.unscoped.get(fund=fund)
    url = _base(world, fund) + f"buku-besar/{entry.pk}/koreksi/"
    assert world.manager.client.post(url, {"reason": "Salah catat"}).status_code == 403
    no_reason = world.admin.client.post(url, {"reason": ""}, follow=True)
    assert "Berikan alasan koreksi." in no_reason.content.decode()
    assert _ledger_count(fund) == 1
    world.admin.client.post(url, {"reason": "Transfer tercatat dua kali"})
    assert _ledger_count(fund) == 2 and _balance(fund) == 0
    again = world.admin.client.post(url, {"reason": "Lagi"}, follow=True)
    assert "sudah dikoreksi" in again.content.decode() and _ledger_count(fund) == 2
    ledger = world.viewer.client.get(_base(world, fund) + "buku-besar/").content.decode()
    assert "Transfer tercatat dua kali" in ledger


# --- roles ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_viewers_read_but_cannot_move_money(world, pw, fw):
    fund, pledge = fw
    base = _base(world, fund)
    viewer = world.viewer.client
    assert viewer.get(base).status_code == 200
    assert viewer.get(_base(world)).status_code == 200
    for url in [
        _base(world) + "baru/",
        base + "komitmen/baru/",
        base + f"komitmen/{pledge.pk}/penerimaan/",
        base + "pencairan/baru/",
        _base(world) + "persetujuan/",
    ]:
        assert viewer.get(url).status_code == 403, url
    assert (
        viewer.post(
            base + f"komitmen/{pledge.pk}/penerimaan/", {"amount": "1", "occurred_on": "2026-05-01"}
        ).status_code
        == 403
    )
    assert _ledger_count(fund) == 0


@pytest.mark.django_db
def test_coordinators_cannot_approve_pay_or_record_receipts(world, pw, fw):
    fund = _fund_with(world, fw, 5_000_000)
    d = _request(world, world.manager.client, fund, pw.program)
    base = _base(world, fund)
    coordinator = world.coordinator.client
    assert coordinator.post(base + f"pencairan/{d.pk}/setujui/").status_code == 403
    assert (
        coordinator.post(base + f"pencairan/{d.pk}/bayar/", {"paid_on": "2026-06-01", "reference": "x"}).status_code
        == 403
    )
    assert coordinator.post(base + f"komitmen/{fw[1].pk}/penerimaan/", {"amount": "1"}).status_code == 403
    refresh(d)
    assert d.status == "requested"


@pytest.mark.django_db
def test_manager_creates_a_fund_restricted_to_a_program(world, pw):
    response = world.manager.client.post(
        _base(world) + "baru/",
        {"agreement": pw.program.agreement_id, "name": "Dana Bersama Skrining TBC", "programs": [pw.program.pk]},
    )
    assert response.status_code == 302
    with tenant_scope(world.tenant_a):
        fund = Fund.objects.get(name="Dana Bersama Skrining TBC")
        assert list(fund.programs.all()) == [pw.program]
    assert world.viewer.client.post(_base(world) + "baru/", {"name": "x"}).status_code == 403
