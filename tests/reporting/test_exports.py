"""List exports: exactly the rows the page shows (its filters), CSV and XLSX, small ones at once,
large ones as a background job with progress and a link that expires, for the asker only."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from organizations.tenancy import scopes_disabled, tenant_scope
from reporting.models import ExportJob
from tests.factories import OrganizationFactory, refresh


def _url(world, name, fmt, query=""):
    return f"/t/{world.tenant_a.slug}/ekspor/{name}.{fmt}{query}"


@pytest.fixture
def partners(world):
    with tenant_scope(world.tenant_a):
        OrganizationFactory(tenant=world.tenant_a, name="Puskesmas Ciruas", kind="puskesmas")
        OrganizationFactory(tenant=world.tenant_a, name="Puskesmas Petir", kind="puskesmas")
        OrganizationFactory(tenant=world.tenant_a, name="PT Krakatau Sejahtera", kind="swasta", sector="private")


@pytest.mark.django_db
def test_csv_holds_exactly_the_filtered_rows(world, partners):
    response = world.viewer.client.get(_url(world, "organisasi", "csv", "?kind=puskesmas"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="organisasi-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Nama"
    assert sorted(r[0] for r in rows[1:]) == ["Puskesmas Ciruas", "Puskesmas Petir"]


@pytest.mark.django_db
def test_xlsx_of_agreements_with_a_status_filter(world, make_agreement):
    make_agreement("active", title="Rujukan balik aktif")
    make_agreement("draft", title="Rujukan draf")
    response = world.manager.client.get(_url(world, "kemitraan", "xlsx", "?status=active"))
    book = load_workbook(io.BytesIO(response.content))
    titles = [row[1] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Rujukan balik aktif"]


@pytest.mark.django_db
def test_large_export_runs_as_a_job_with_a_download_that_expires(
    world, partners, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = world.manager.client.get(_url(world, "organisasi", "xlsx"))
    assert response.status_code == 302
    with scopes_disabled():
        job = ExportJob.unscoped.get()
    assert response["Location"].endswith(f"/ekspor/pekerjaan/{job.pk}/")
    assert (job.status, job.total, job.done) == ("done", 4, 4)  # the coordinator's NGO and three more
    page = world.manager.client.get(response["Location"]).content.decode()
    assert f"/ekspor/pekerjaan/{job.pk}/unduh/" in page
    download = world.manager.client.get(response["Location"] + "unduh/")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.active.max_row == 5
    # Only the person who asked; and only for a day.
    assert world.admin.client.get(response["Location"] + "unduh/").status_code == 404
    with scopes_disabled():
        ExportJob.unscoped.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert world.manager.client.get(response["Location"] + "unduh/").status_code == 410


@pytest.mark.django_db
def test_a_large_export_waits_while_the_broker_is_down(world, partners, settings, django_capture_on_commit_callbacks):
    from organizations.outbox import outbox_sweep
    from tests.broker import broker_unreachable

    settings.EXPORT_SYNC_MAX_ROWS = 1
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = world.manager.client.get(_url(world, "organisasi", "csv"))
    assert response.status_code == 302
    with scopes_disabled():
        job = ExportJob.unscoped.get()
    assert job.status == "queued"  # not built in the web process
    page = world.manager.client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Menunggu dalam antrean" in page
    assert outbox_sweep().sent == 1  # the broker is back (tasks run in-process in these tests)
    refresh(job)
    assert (job.status, job.total) == ("done", 4)


@pytest.mark.django_db
def test_exports_follow_the_page_permissions(world):
    assert world.coordinator.client.get(_url(world, "tinjauan", "csv")).status_code == 403
    assert world.viewer.client.get(_url(world, "tinjauan", "csv")).status_code == 200
    assert world.manager.client.get(_url(world, "rahasia", "csv")).status_code == 404
    assert world.manager.client.get(_url(world, "organisasi", "pdf")).status_code == 404


@pytest.mark.django_db
def test_a_funds_ledger_and_disbursements_export_for_members_who_see_the_fund(world, pw, fw, make_agreement):
    from decimal import Decimal

    from programs import fund_services as funds

    fund, pledge = fw
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=pledge, actor=world.manager.user, amount=Decimal(750_000), reference="TRF-9")
        funds.disbursement_request(fund=fund, program=pw.program, actor=world.coordinator.user, amount=Decimal(100),
                                   purpose="ATK", planned_on=datetime.date(2026, 7, 1))  # fmt: skip
    ledger = world.viewer.client.get(_url(world, "buku-besar", "csv", f"?fund={fund.pk}"))
    rows = list(csv.reader(io.StringIO(ledger.content.decode("utf-8-sig"))))
    assert [(r[3], r[5], r[6]) for r in rows[1:]] == [("Puskesmas Ciruas", "750000", "TRF-9")]
    requests = world.coordinator.client.get(_url(world, "pencairan", "csv", f"?fund={fund.pk}&status=requested"))
    assert [r[1] for r in csv.reader(io.StringIO(requests.content.decode("utf-8-sig")))][1:] == ["ATK"]
    assert world.viewer.client.get(_url(world, "buku-besar", "csv", "?fund=999999")).status_code == 404
    other = make_agreement("active", parties=("rsud", "puskesmas"), title="Rujukan")
    with tenant_scope(world.tenant_a):
        hidden = funds.fund_create(tenant=world.tenant_a, agreement=other, actor=None, name="Dana rujukan")
    assert world.coordinator.client.get(_url(world, "buku-besar", "csv", f"?fund={hidden.pk}")).status_code == 404
