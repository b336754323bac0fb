"""Report downloads: the partnership report as PDF or XLSX, built at once (a partnership's
report is small: a handful of queries and well under a second)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from organizations.access import require
from partnerships.access import get_agreement_for_user
from partnerships.documents import attachment_response

from .exports import CONTENT_TYPES
from .reports import PdfUnavailable, partnership_report, render_pdf, render_xlsx


def _report(request: HttpRequest, agreement_pk: int):
    agreement = get_agreement_for_user(request, agreement_pk)
    require(request, "report.download", agreement)
    today = timezone.localdate()
    return partnership_report(agreement=agreement, today=today), today


def _filename(report, today, extension: str) -> str:
    name = slugify(report.agreement.number or report.agreement.title)[:60] or str(report.agreement.pk)
    return f"laporan-kemitraan-{name}-{today.isoformat()}.{extension}"


@require_GET
def partnership_report_pdf(request: HttpRequest, tenant_slug: str, agreement_pk: int) -> HttpResponse:
    report, today = _report(request, agreement_pk)
    try:
        content = render_pdf(report, tenant=request.tenant)
    except PdfUnavailable:
        return render(request, "reporting/pdf_unavailable.html", {"agreement": report.agreement}, status=503)
    return attachment_response(
        content=content, content_type="application/pdf", filename=_filename(report, today, "pdf")
    )


@require_GET
def partnership_report_xlsx(request: HttpRequest, tenant_slug: str, agreement_pk: int) -> HttpResponse:
    report, today = _report(request, agreement_pk)
    return attachment_response(
        content=render_xlsx(report, tenant=request.tenant),
        content_type=CONTENT_TYPES["xlsx"],
        filename=_filename(report, today, "xlsx"),
    )


@require_GET
def report_index(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    from .models import ExportJob

    require(request, "report.download")
    today = timezone.localdate()
    context = {
        "years": list(range(today.year, today.year - 5, -1)),
        "quarters": [1, 2, 3, 4],
        "current": (today.year, (today.month - 1) // 3 + 1),
        "jobs": ExportJob.objects.filter(user=request.user)[:10],
    }
    return render(request, "reporting/report_index.html", context)


@require_POST
def quarterly_report(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    from django.http import QueryDict
    from django.shortcuts import redirect

    from . import exports

    require(request, "report.download")
    today = timezone.localdate()
    try:
        year, quarter = int(request.POST.get("year", "")), int(request.POST.get("quarter", ""))
    except ValueError:
        year, quarter = today.year, (today.month - 1) // 3 + 1
    if not (2000 <= year <= today.year and 1 <= quarter <= 4):
        year, quarter = today.year, (today.month - 1) // 3 + 1
    fmt = "xlsx" if request.POST.get("fmt") == "xlsx" else "pdf"
    params = QueryDict(mutable=True)
    params.update({"year": str(year), "quarter": str(quarter)})
    job = exports.job_start(membership=request.membership, name=exports.QUARTERLY, fmt=fmt, params=params)
    return redirect("export_status", tenant_slug=tenant_slug, job_pk=job.pk)
