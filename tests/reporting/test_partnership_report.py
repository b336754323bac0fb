"""The partnership report in one click: a real PDF (WeasyPrint) and an XLSX whose figures are
the statement's and the achievements', for staff and viewers only."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from organizations.tenancy import scopes_disabled, tenant_scope
from programs import fund_services as funds
from reporting import services


@pytest.fixture
def reported(world, pw, fw):
    fund, pledge = fw
    with tenant_scope(world.tenant_a):
        funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(2_000_000), reference="TRF-1")
        services.reviews_compute(tenant=world.tenant_a, today=datetime.date(2026, 6, 15), notify=False)
    return pw.program.agreement


def _url(world, agreement, extension):
    return f"/t/{world.tenant_a.slug}/laporan/kemitraan/{agreement.pk}.{extension}"


@pytest.mark.django_db
def test_pdf_is_a_real_pdf_with_page_numbers(world, reported):
    response = world.manager.client.get(_url(world, reported, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'filename="laporan-kemitraan-' in response["Content-Disposition"]
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert reported.title[:20] in text and "Rp2.000.000" in text and "Halaman 1 dari" in text


@pytest.mark.django_db
def test_xlsx_sheets_carry_the_figures(world, reported, pw):
    response = world.viewer.client.get(_url(world, reported, "xlsx"))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[:2] == ["Ringkasan", "Para pihak"]
    funds_sheet = book["Dana bersama"]
    rows = list(funds_sheet.iter_rows(values_only=True))
    assert ("Dana bersama TBC", "Puskesmas Ciruas", 5_000_000, 2_000_000, 100) in [
        (r[0], r[1], r[3], r[4], r[5]) for r in rows
    ]
    indicators = [r for r in book["Indikator"].iter_rows(values_only=True)][1:]
    assert {r[1] for r in indicators} == {"TBC-1", "TBC-2", "TBC-3"}
    health = dict(r[:2] for r in book["Tinjauan kesehatan"].iter_rows(values_only=True))
    assert health["Jangka waktu"] == "2026-06"


@pytest.mark.django_db
def test_coordinators_and_other_tenants_get_nothing(world, reported):
    assert world.coordinator.client.get(_url(world, reported, "xlsx")).status_code == 403
    assert world.outsider.client.get(_url(world, reported, "pdf")).status_code == 404


@pytest.mark.django_db
def test_quarterly_report_runs_in_the_background_and_lists_every_partnership(
    world, reported, make_agreement, django_capture_on_commit_callbacks
):
    from reporting.models import ExportJob

    make_agreement("active", title="Rujukan balik", starts_on=datetime.date(2026, 1, 1),
                   ends_on=datetime.date(2027, 12, 31))  # fmt: skip
    assert world.manager.client.get(f"/t/{world.tenant_a.slug}/laporan/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = world.manager.client.post(
            f"/t/{world.tenant_a.slug}/laporan/triwulan/", {"year": "2026", "quarter": "2", "fmt": "xlsx"}
        )
    with scopes_disabled():
        job = ExportJob.unscoped.get()
    assert response.status_code == 302 and job.status == "done"
    download = world.manager.client.get(response["Location"] + "unduh/")
    book = load_workbook(BytesIO(b"".join(download.streaming_content)))
    titles = [row[1] for row in book["Kemitraan"].iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == sorted([reported.title, "Rujukan balik"])
    with django_capture_on_commit_callbacks(execute=True):
        pdf = world.manager.client.post(
            f"/t/{world.tenant_a.slug}/laporan/triwulan/", {"year": "2026", "quarter": "2", "fmt": "pdf"}
        )
    content = b"".join(world.manager.client.get(pdf["Location"] + "unduh/").streaming_content)
    assert content.startswith(b"%PDF-")
    assert (
        world.coordinator.client.post(f"/t/{world.tenant_a.slug}/laporan/triwulan/", {"fmt": "pdf"}).status_code == 403
    )
