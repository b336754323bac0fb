"""The shared-funds API: roles, the two-person rule, Idempotency-Key, coordinator visibility."""

import threading
from decimal import Decimal

import pytest
from django.db import connections
from django.test import Client

from organizations.tenancy import tenant_scope
from programs import fund_services as funds
from programs.models import LedgerEntry


def _url(world, suffix=""):
    return f"/api/v1/t/{world.tenant_a.slug}/funds/{suffix}"


@pytest.mark.django_db
def test_money_is_a_string_of_whole_rupiah(world, fw):
    fund, pledge = fw
    body = world.viewer.client.get(_url(world, f"{fund.pk}/pledges/")).json()
    assert body["results"][0]["amount"] == "5000000"
    assert world.viewer.client.get(_url(world, f"{fund.pk}/")).json()["balance"] == "0"


@pytest.mark.django_db
def test_a_pledge_shows_what_was_received_against_it(world, fw):
    fund, pledge = fw
    client = world.manager.client
    created = client.post(
        _url(world, f"{fund.pk}/pledges/"),
        {"organization": pledge.organization_id, "channel": "blud", "amount": "700000"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["received"] == "0"
    for amount in ("1500000", "250000"):
        receipt = client.post(
            _url(world, f"{fund.pk}/pledges/{pledge.pk}/receipts/"), {"amount": amount}, content_type="application/json"
        )
        assert receipt.status_code == 201, receipt.content
    assert client.get(_url(world, f"{fund.pk}/pledges/{pledge.pk}/")).json()["received"] == "1750000"
    listed = {row["id"]: row["received"] for row in client.get(_url(world, f"{fund.pk}/pledges/")).json()["results"]}
    assert listed == {pledge.pk: "1750000", created.json()["id"]: "0"}


@pytest.mark.django_db
def test_receipt_replay_returns_the_first_response_and_a_changed_body_gets_422(world, fw):
    fund, pledge = fw
    url = _url(world, f"{fund.pk}/pledges/{pledge.pk}/receipts/")
    client = world.manager.client
    first = client.post(
        url,
        {"amount": "1500000", "reference": "TRF-001"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="trf-001",
    )
    again = client.post(
        url,
        {"amount": "1500000", "reference": "TRF-001"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="trf-001",
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    changed = client.post(
        url,
        {"amount": "2000000", "reference": "TRF-001"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="trf-001",
    )
    assert changed.status_code == 422
    assert changed.json()["error"]["code"] == "idempotency_key_reused"
    with tenant_scope(world.tenant_a):
        assert funds.fund_reconcile(fund=fund) == (Decimal(1_500_000), Decimal(1_500_000))


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_identical_posts_make_one_ledger_entry(world, fw):
    fund, pledge = fw
    url = _url(world, f"{fund.pk}/pledges/{pledge.pk}/receipts/")
    statuses = []

    def post():
        client = Client()
        client.force_login(world.manager.user)
        try:
            response = client.post(
                url, {"amount": "100000"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="sama-001"
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 10
    with tenant_scope(world.tenant_a):
        assert LedgerEntry.objects.filter(fund=fund).count() == 1
        assert funds.fund_reconcile(fund=fund) == (Decimal(100_000), Decimal(100_000))


@pytest.mark.django_db
def test_request_approve_pay_with_the_two_person_rule(world, fw, pw):
    fund, pledge = fw
    client = world.manager.client
    client.post(
        _url(world, f"{fund.pk}/pledges/{pledge.pk}/receipts/"), {"amount": "3000000"}, content_type="application/json"
    )
    requested = world.coordinator.client.post(
        _url(world, f"{fund.pk}/disbursements/"),
        {
            "program": pw.program.pk,
            "amount": "750000",
            "purpose": "Transport kader skrining",
            "planned_on": "2026-07-01",
        },
        content_type="application/json",
    )
    assert requested.status_code == 201, requested.content
    d = requested.json()["id"]
    assert world.coordinator.client.post(_url(world, f"{fund.pk}/disbursements/{d}/approve/")).status_code == 403
    assert client.post(_url(world, f"{fund.pk}/disbursements/{d}/approve/")).json()["status"] == "approved"
    paid = client.post(
        _url(world, f"{fund.pk}/disbursements/{d}/pay/"),
        {"reference": "SP2D-77"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="pay-77",
    )
    assert paid.status_code == 201 and paid.json()["amount"] == "-750000"
    replay = client.post(
        _url(world, f"{fund.pk}/disbursements/{d}/pay/"),
        {"reference": "SP2D-77"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="pay-77",
    )
    assert replay.json() == paid.json()
    with tenant_scope(world.tenant_a):
        assert funds.fund_reconcile(fund=fund) == (Decimal(2_250_000), Decimal(2_250_000))
    ledger = world.viewer.client.get(_url(world, f"{fund.pk}/ledger/")).json()
    assert [e["amount"] for e in ledger["results"]] == ["3000000", "-750000"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_read_only_roles_cannot_move_money(world, fw, role):
    fund, pledge = fw
    client = world.persona(role).client
    assert (
        client.post(
            _url(world, f"{fund.pk}/pledges/{pledge.pk}/receipts/"), {"amount": "1"}, content_type="application/json"
        ).status_code
        == 403
    )
    with tenant_scope(world.tenant_a):
        assert not LedgerEntry.objects.exists()


@pytest.mark.django_db
def test_only_admins_reverse(world, fw):
    fund, pledge = fw
    with tenant_scope(world.tenant_a):
        entry = funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(1000))
    url = _url(world, f"{fund.pk}/ledger-entries/{entry.pk}/reverse/")
    assert world.manager.client.post(url, {"reason": "Salah catat"}, content_type="application/json").status_code == 403
    assert world.admin.client.post(url, {"reason": "Salah catat"}, content_type="application/json").status_code == 201
    with tenant_scope(world.tenant_a):
        assert funds.fund_reconcile(fund=fund) == (Decimal(0), Decimal(0))


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 10])
def test_fund_list_and_ledger_query_counts(world, fw, pw, extra, django_assert_num_queries):
    fund, pledge = fw
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(1000))
        for i in range(extra):
            funds.fund_create(tenant=world.tenant_a, agreement=pw.program.agreement, actor=None, name=f"Dana {i}")
            funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(1000))
    # user, membership, count, page, programs (the session comes from the cache)
    with django_assert_num_queries(5):
        assert world.viewer.client.get(_url(world)).json()["count"] == 1 + extra
    # user, fund (+ its programs), count, page, the entries' evidence — the membership is cached now
    with django_assert_num_queries(6):
        world.viewer.client.get(_url(world, f"{fund.pk}/ledger/"))


@pytest.mark.django_db
def test_evidence_on_receipts_and_requests(world, fw, pw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fund, pledge = fw
    with tenant_scope(world.tenant_a):
        entry = funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(1000))
        mine = funds.disbursement_request(
            fund=fund, program=pw.program, actor=world.coordinator.user, amount=Decimal(10), purpose="Cetak KIE",
            planned_on="2026-07-01",
        )  # fmt: skip
        theirs = funds.disbursement_request(
            fund=fund, program=pw.program, actor=world.manager.user, amount=Decimal(10), purpose="ATK",
            planned_on="2026-07-01",
        )  # fmt: skip

    def pdf():
        return {"file": SimpleUploadedFile("slip.pdf", b"%PDF-1.4 slip", "application/pdf")}

    receipt_url = _url(world, f"{fund.pk}/ledger-entries/{entry.pk}/evidence/")
    assert world.viewer.client.post(receipt_url, pdf()).status_code == 403
    created = world.manager.client.post(receipt_url, pdf())
    assert created.status_code == 201 and created.json()["original_name"] == "slip.pdf"
    listed = world.viewer.client.get(_url(world, f"{fund.pk}/ledger/")).json()["results"][0]
    assert [e["original_name"] for e in listed["evidence"]] == ["slip.pdf"]

    request_url = _url(world, f"{fund.pk}/disbursements/{{}}/evidence/")
    assert world.coordinator.client.post(request_url.format(mine.pk), pdf()).status_code == 201
    assert world.coordinator.client.post(request_url.format(theirs.pk), pdf()).status_code == 403
    bad = world.manager.client.post(request_url.format(theirs.pk), {"file": SimpleUploadedFile("x.pdf", b"MZ")})
    assert bad.status_code in (400, 422) and bad.json()["error"]["message"]
