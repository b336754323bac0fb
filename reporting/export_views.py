"""List exports under ``/t/<tenant_slug>/ekspor/``: a small export downloads at once, a large one
becomes a background job with a progress page and a download link that expires."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from organizations.access import require
from partnerships.documents import attachment_response

from . import exports
from .models import ExportJob

CONTENT_TYPES = exports.CONTENT_TYPES


@require_GET
def export_list(request: HttpRequest, tenant_slug: str, name: str, fmt: str) -> HttpResponse:
    export = exports.EXPORTS.get(name)
    if export is None or fmt not in ("csv", "xlsx"):
        raise Http404
    require(request, export.permission)
    rows = export.queryset(request.membership, request.GET)
    if rows.count() > exports.sync_limit():
        job = exports.job_start(membership=request.membership, name=name, fmt=fmt, params=request.GET)
        return redirect("export_status", tenant_slug=tenant_slug, job_pk=job.pk)
    return attachment_response(
        content=exports.build(export=export, rows=list(rows), fmt=fmt),
        content_type=CONTENT_TYPES[fmt],
        filename=exports.filename(name, fmt, timezone.localdate()),
    )


def _job(request: HttpRequest, job_pk: int) -> ExportJob:
    return get_object_or_404(ExportJob.objects.filter(user=request.user), pk=job_pk)


@require_GET
def export_status(request: HttpRequest, tenant_slug: str, job_pk: int) -> HttpResponse:
    job = _job(request, job_pk)
    context = {"job": job, "title": exports.title_of(job), "expired": _expired(job)}
    template = "reporting/includes/_export_progress.html" if request.htmx else "reporting/export_status.html"
    return render(request, template, context)


def _expired(job: ExportJob) -> bool:
    return job.expires_at is not None and job.expires_at < timezone.now()


@require_GET
def export_download(request: HttpRequest, tenant_slug: str, job_pk: int):
    from partnerships.documents import private_file_response

    job = _job(request, job_pk)
    if job.status != ExportJob.Status.DONE or not job.file or _expired(job):
        return render(request, "reporting/export_status.html",
                      {"job": job, "title": exports.title_of(job), "expired": _expired(job)}, status=410)  # fmt: skip
    return private_file_response(
        file=job.file,
        filename=exports.filename(job.name, job.fmt, timezone.localdate(job.finished_at)),
        content_type=CONTENT_TYPES[job.fmt],
    )
