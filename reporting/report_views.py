"""Report downloads: the partnership report as PDF or XLSX, built at once (a partnership's
report is small: a handful of queries and well under a second)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from organizations.access import require
from partnerships.access import get_agreement_for_user

from .reports import PdfUnavailable, partnership_report, render_pdf, render_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request: HttpRequest, agreement_pk: int):
    agreement = get_agreement_for_user(request, agreement_pk)
    require(request, "report.download", agreement)
    today = timezone.localdate()
    return partnership_report(agreement=agreement, today=today), today


def _filename(report, today, extension: str) -> str:
    name = slugify(report.agreement.number or report.agreement.title)[:60] or str(report.agreement.pk)
    return f"laporan-kemitraan-{name}-{today.isoformat()}.{extension}"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def partnership_report_pdf(request: HttpRequest, tenant_slug: str, agreement_pk: int) -> HttpResponse:
    report, today = _report(request, agreement_pk)
    try:
        content = render_pdf(report, tenant=request.tenant)
    except PdfUnavailable:
        return render(request, "reporting/pdf_unavailable.html", {"agreement": report.agreement}, status=503)
    return _attachment(content, "application/pdf", _filename(report, today, "pdf"))


@require_GET
def partnership_report_xlsx(request: HttpRequest, tenant_slug: str, agreement_pk: int) -> HttpResponse:
    report, today = _report(request, agreement_pk)
    return _attachment(render_xlsx(report, tenant=request.tenant), XLSX, _filename(report, today, "xlsx"))
