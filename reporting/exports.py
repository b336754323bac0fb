"""List exports: every list page can be downloaded as CSV or XLSX with its current filters.
Up to ``EXPORT_SYNC_MAX_ROWS`` rows the file is built at once; larger exports run in Celery
(``ExportJob``) with progress on the page and a download link that expires after a day.

Each export is declared once in ``EXPORTS``: the permission, how to build the queryset from the
page's own filter form (so the file holds exactly the rows the page shows) and the columns."""

from __future__ import annotations

import csv
import datetime
import io
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership
from organizations.templatetags.formatting import tanggal

from .models import ExportJob

PROGRESS_EVERY = 500
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPIRES_AFTER = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class Export:
    title: object  # lazy
    permission: str
    queryset: Callable[[Membership, QueryDict], Iterable]
    columns: tuple[tuple[object, Callable], ...]


def _organizations(membership: Membership, params: QueryDict):
    from organizations.forms import OrganizationFilterForm
    from organizations.selectors import organization_list

    form = OrganizationFilterForm(params)
    form.is_valid()
    d = form.cleaned_data
    return organization_list(
        search=d.get("q", ""), kind=d.get("kind", ""), sector=d.get("sector", ""), region=d.get("region", ""),
        archived=d.get("archived", False),
    )  # fmt: skip


def _agreements(membership: Membership, params: QueryDict):
    from partnerships.forms import AgreementFilterForm
    from partnerships.selectors import agreement_list

    form = AgreementFilterForm(params)
    form.is_valid()
    d = form.cleaned_data
    return agreement_list(
        membership=membership, search=d.get("q") or "", partnership_type=d.get("type") or "",
        status=d.get("status") or "", organization=d["organization"].pk if d.get("organization") else None,
        region=d.get("region") or "", ends_within_days=d.get("ends_within"),
    )  # fmt: skip


def _programs(membership: Membership, params: QueryDict):
    from programs.forms import ProgramFilterForm
    from programs.selectors import program_list

    form = ProgramFilterForm(params)
    form.is_valid()
    d = form.cleaned_data
    qs = program_list(membership=membership, theme=d.get("theme") or "", status=d.get("status") or "")
    return qs.filter(name__icontains=d["q"]) if d.get("q") else qs


def _funds(membership: Membership, params: QueryDict):
    from programs.fund_selectors import fund_list

    return fund_list(membership=membership, q=(params.get("q") or "")[:100])


def _health(membership: Membership, params: QueryDict):
    from .forms import OverviewFilterForm
    from .selectors import latest_reviews

    form = OverviewFilterForm(params)
    form.is_valid()
    d = form.cleaned_data
    return latest_reviews(
        band=d.get("band") or "", partnership_type=d.get("type") or "", region=d.get("region") or "",
        q=d.get("q") or "", sort=d.get("sort") or "score",
    )  # fmt: skip


def _fund_of(membership: Membership, params: QueryDict):
    from django.http import Http404

    from programs.fund_selectors import funds_visible_to

    fund_id = params.get("fund") or ""
    fund = funds_visible_to(membership).filter(pk=int(fund_id)).first() if fund_id.isdigit() else None
    if fund is None:
        raise Http404
    return fund


def _ledger(membership: Membership, params: QueryDict):
    from programs.models import LedgerEntry

    return (
        LedgerEntry.objects.filter(fund=_fund_of(membership, params))
        .select_related("pledge__organization", "disbursement__program", "actor")
        .order_by("id")
    )


def _disbursements(membership: Membership, params: QueryDict):
    from programs.models import Disbursement

    qs = Disbursement.objects.filter(fund=_fund_of(membership, params)).select_related(
        "program", "requested_by", "approved_by", "admin_approved_by"
    )
    status = params.get("status") or ""
    if status in Disbursement.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def _who(user) -> str:
    return user.display_name if user else ""


def _focal(o):
    focal = (getattr(o, "focal_points", None) or [None])[0]
    return (focal.name, focal.phone, focal.email) if focal else ("", "", "")


EXPORTS: dict[str, Export] = {
    "organisasi": Export(
        _("Partner organizations"),
        "organization.view",
        _organizations,
        (
            (_("Name"), lambda o: o.name),
            (_("Kind"), lambda o: o.get_kind_display()),
            (_("Sector"), lambda o: o.get_sector_display()),
            (_("Region"), lambda o: o.region.name if o.region else ""),
            (_("Address"), lambda o: o.address),
            (_("Focal point"), lambda o: _focal(o)[0]),
            (_("Phone"), lambda o: _focal(o)[1]),
            (_("Email"), lambda o: _focal(o)[2]),
        ),
    ),  # fmt: skip
    "kemitraan": Export(
        _("Partnership agreements"),
        "agreement.view",
        _agreements,
        (
            (_("Agreement number"), lambda a: a.number),
            (_("Title"), lambda a: a.title),
            (_("Partnership type"), lambda a: a.get_partnership_type_display()),
            (_("Status"), lambda a: a.get_status_display()),
            (_("Parties"), lambda a: "; ".join(p.organization.name for p in a.parties.all())),
            (_("Signed on"), lambda a: a.signed_on),
            (_("Starts on"), lambda a: a.starts_on),
            (_("Ends on"), lambda a: a.ends_on),
        ),
    ),  # fmt: skip
    "program": Export(
        _("Joint programs"),
        "program.view",
        _programs,
        (
            (_("Program"), lambda p: p.name),
            (_("Agreement"), lambda p: p.agreement.title),
            (_("Theme"), lambda p: p.get_theme_display()),
            (_("Status"), lambda p: p.get_status_display()),
            (_("Implementers"), lambda p: "; ".join(o.name for o in p.implementers.all())),
            (_("Starts on"), lambda p: p.starts_on),
            (_("Ends on"), lambda p: p.ends_on),
        ),
    ),  # fmt: skip
    "dana": Export(
        _("Shared funds"),
        "fund.view",
        _funds,
        (
            (_("Fund"), lambda f: f.name),
            (_("Agreement"), lambda f: f.agreement.title),
            (_("Pledged"), lambda f: f.pledged),
            (_("Received"), lambda f: f.received),
            (_("Disbursed"), lambda f: f.disbursed),
            (_("Balance"), lambda f: f.balance),
        ),
    ),  # fmt: skip
    "buku-besar": Export(
        _("Ledger"),
        "fund.view",
        _ledger,
        (
            (_("Entry"), lambda e: e.pk),
            (_("Date"), lambda e: e.occurred_on),
            (_("Kind"), lambda e: e.get_kind_display()),
            (_("Party"), lambda e: e.pledge.organization.name if e.pledge_id else ""),
            (_("Program"), lambda e: e.disbursement.program.name if e.disbursement_id else ""),
            (_("Amount"), lambda e: e.amount),
            (_("Reference"), lambda e: e.reference),
            (_("Reverses entry"), lambda e: e.reverses_id or ""),
            (_("Note"), lambda e: e.note),
            (_("Recorded by"), lambda e: _who(e.actor)),
        ),
    ),  # fmt: skip
    "pencairan": Export(
        _("Disbursements"),
        "fund.view",
        _disbursements,
        (
            (_("Program"), lambda d: d.program.name),
            (_("Purpose"), lambda d: d.purpose),
            (_("Amount"), lambda d: d.amount),
            (_("Planned date"), lambda d: d.planned_on),
            (_("Status"), lambda d: d.get_status_display()),
            (_("Requested by"), lambda d: _who(d.requested_by)),
            (_("Approved by"), lambda d: _who(d.approved_by)),
            (_("Administrator approval"), lambda d: _who(d.admin_approved_by)),
            (_("Paid on"), lambda d: d.paid_on),
            (_("Payment reference"), lambda d: d.payment_reference),
            (_("Rejection reason"), lambda d: d.rejection_reason),
        ),
    ),  # fmt: skip
    "tinjauan": Export(
        _("Partnership health"),
        "review.view",
        _health,
        (
            (_("Partnership"), lambda r: r.agreement.title),
            (_("Partnership type"), lambda r: r.agreement.get_partnership_type_display()),
            (_("Period"), lambda r: r.period),
            (_("Band"), lambda r: _band(r.effective_band)),
            (_("Score"), lambda r: r.score),
            (_("Confidence"), lambda r: r.confidence),
            (_("Main reason"), lambda r: _first_reason(r)),
        ),
    ),  # fmt: skip
}


def _band(band: str) -> str:
    from .templatetags.health import band_label

    return str(band_label(band))


def _first_reason(review) -> str:
    from .templatetags.health import reason_text

    return reason_text(review.reasons[0]) if review.reasons else ""


def _cell(value):
    if isinstance(value, datetime.date):
        return value
    return "" if value is None else value


def build(*, export: Export, rows: Iterable, fmt: str, on_progress: Callable[[int], None] | None = None) -> bytes:
    headers = [str(h) for h, _f in export.columns]
    done = 0
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(
                [tanggal(v) if isinstance(v, datetime.date) else v for v in (_cell(f(row)) for _h, f in export.columns)]
            )
            done += 1
            if on_progress and done % PROGRESS_EVERY == 0:
                on_progress(done)
        return ("\ufeff" + buffer.getvalue()).encode()  # BOM: Excel opens Indonesian text correctly
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(export.title)[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([_cell(f(row)) for _h, f in export.columns])
        done += 1
        if on_progress and done % PROGRESS_EVERY == 0:
            on_progress(done)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(name: str, fmt: str, today: datetime.date) -> str:
    return f"{name}-{today.isoformat()}.{fmt}"


def job_start(*, membership: Membership, name: str, fmt: str, params: QueryDict) -> ExportJob:
    """Queue the export; the job and its outbox row commit together (built in the background,
    or later by the outbox sweeper when the broker is down)."""
    from django.db import transaction

    from organizations.outbox import enqueue

    from .tasks import export_run

    with transaction.atomic():
        job = ExportJob.objects.create(
            tenant_id=membership.tenant_id, user=membership.user, name=name, fmt=fmt, params=params.urlencode()
        )
        enqueue(export_run, membership.tenant_id, job.pk)
    return job


QUARTERLY = "triwulan"
REPORT_TITLES = {QUARTERLY: _("Quarterly partnership report")}


def title_of(job: ExportJob):
    return REPORT_TITLES.get(job.name) or EXPORTS[job.name].title


def _quarterly(job: ExportJob, membership: Membership) -> tuple[int, bytes]:
    from . import reports

    params = QueryDict(job.params)
    report = reports.quarterly_report(
        tenant=membership.tenant, membership=membership, year=int(params["year"]), quarter=int(params["quarter"])
    )
    render = reports.render_quarterly_pdf if job.fmt == "pdf" else reports.render_quarterly_xlsx
    return len(report.rows), render(report, tenant=membership.tenant)


def job_run(*, job: ExportJob) -> ExportJob:
    """Build the job's file (idempotent: a redelivered task rebuilds and replaces it)."""
    membership = Membership.objects.select_related("user", "organization", "tenant").get(
        user=job.user, tenant_id=job.tenant_id
    )
    try:
        if job.name == QUARTERLY:
            ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
            total, content = _quarterly(job, membership)
            ExportJob.objects.filter(pk=job.pk).update(total=total)
        else:
            export = EXPORTS[job.name]
            rows = export.queryset(membership, QueryDict(job.params))
            total = rows.count()
            ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, total=total, done=0)

            def progress(done: int) -> None:
                ExportJob.objects.filter(pk=job.pk).update(done=done)

            content = build(
                export=export, rows=rows.iterator(chunk_size=PROGRESS_EVERY), fmt=job.fmt, on_progress=progress
            )
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=str(exc)[:2000])
        raise
    job.refresh_from_db()
    if job.file:
        job.file.delete(save=False)
    job.file.save(f"{secrets.token_hex(16)}.{job.fmt}", ContentFile(content), save=False)
    job.status = ExportJob.Status.DONE
    job.done = job.total
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + EXPIRES_AFTER
    job.save()
    return job


def sync_limit() -> int:
    return getattr(settings, "EXPORT_SYNC_MAX_ROWS", 2000)
