"""Import of partner organizations from the CSV/XLSX template.

Two steps, both services: ``organization_import_validate`` reads the file and checks every
row (nothing is saved), ``organization_import_confirm`` saves all valid rows in one
transaction. Files with more than ``IMPORT_SYNC_MAX_ROWS`` rows run both steps in a Celery
task; the page polls the job's progress.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from simple_history.utils import bulk_create_with_history

from . import errors
from .errors import ApplicationError
from .models import Contact, ImportJob, Organization, Region, Tenant, User
from .outbox import enqueue


@dataclass(frozen=True)
class Column:
    key: str
    required: bool
    example: str


COLUMNS = [
    Column("nama", True, "Puskesmas Ciruas"),
    Column("jenis", True, "puskesmas"),
    Column("sektor", False, "public"),
    Column("kode_wilayah", False, "36.04.09"),
    Column("alamat", False, "Jl. Raya Ciruas No. 1"),
    Column("telepon", False, "0254-281234"),
    Column("email", False, "pkm.ciruas@example.id"),
    Column("situs_web", False, ""),
    Column("narahubung_nama", False, "dr. Siti Rahmawati"),
    Column("narahubung_jabatan", False, "Kepala Puskesmas"),
    Column("narahubung_telepon", False, "0812-8000-1234"),
    Column("narahubung_email", False, "siti.r@example.id"),
]
COLUMN_KEYS = [c.key for c in COLUMNS]
PROGRESS_EVERY = 100


def import_template_xlsx() -> bytes:
    """The downloadable template: a header row, one example row, and a sheet of allowed kinds."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "organisasi"
    sheet.append(COLUMN_KEYS)
    sheet.append([c.example for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(14, len(column.example) + 2)
    kinds = workbook.create_sheet("jenis")
    kinds.append(["jenis", "keterangan", "sektor_bawaan"])
    for value, label in Organization.Kind.choices:
        kinds.append([value, str(label), Organization.DEFAULT_SECTOR[value]])
    sectors = workbook.create_sheet("sektor")
    sectors.append(["sektor", "keterangan"])
    for value, label in Organization.Sector.choices:
        sectors.append([value, str(label)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_KEYS)
    writer.writerow([c.example for c in COLUMNS])
    return out.getvalue()


# --- reading ------------------------------------------------------------------------------


def _read_rows(name: str, content: bytes) -> list[dict[str, str]]:
    """Rows of the first sheet / the CSV as dicts keyed by the template's columns."""
    try:
        if name.lower().endswith(".xlsx") or content[:2] == b"PK":
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            raw = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
        else:
            text = content.decode("utf-8-sig")
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
            raw = [[v.strip() for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    except Exception as exc:  # any unreadable file is the user's input problem, not a 500
        raise ApplicationError(errors.IMPORT_BAD_FILE, code="bad_file") from exc
    raw = [row for row in raw if any(row)]
    if not raw:
        raise ApplicationError(errors.IMPORT_NO_ROWS, code="no_rows")
    header = [h.strip().lower() for h in raw[0]]
    missing = [c.key for c in COLUMNS if c.required and c.key not in header]
    if missing:
        raise ApplicationError(errors.IMPORT_MISSING_COLUMNS % {"columns": ", ".join(missing)}, code="bad_columns")
    rows = []
    for values in raw[1:]:
        rows.append(
            {
                key: (values[header.index(key)] if key in header and header.index(key) < len(values) else "")
                for key in COLUMN_KEYS
            }
        )
    if not rows:
        raise ApplicationError(errors.IMPORT_NO_ROWS, code="no_rows")
    return rows


# --- validation ---------------------------------------------------------------------------

_KIND_BY_LABEL = {str(label).lower(): value for value, label in Organization.Kind.choices}
_SECTOR_ALIASES = {
    "publik": "public",
    "pemerintah": "public",
    "swasta": "private",
    "masyarakat": "community",
    "komunitas": "community",
}


def _normalise_kind(value: str) -> str | None:
    v = value.strip().lower().replace(" ", "_")
    if v in Organization.Kind.values:
        return v
    return _KIND_BY_LABEL.get(value.strip().lower())


def _validate_row(
    values: dict[str, str], *, seen_names: set[str], existing_names: set[str], regions: dict[str, int]
) -> dict[str, list[str]]:
    errs: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errs.setdefault(field, []).append(message)

    name = " ".join(values["nama"].split())
    if not name:
        add("nama", _("Name is required."))
    elif len(name) > 200:
        add("nama", _("Name is longer than 200 characters."))
    elif name.lower() in existing_names:
        add("nama", _("An organization with this name already exists."))
    elif name.lower() in seen_names:
        add("nama", _("This name appears more than once in the file."))
    seen_names.add(name.lower())
    if not values["jenis"]:
        add("jenis", _("Kind is required."))
    elif _normalise_kind(values["jenis"]) is None:
        add("jenis", _("Unknown kind “%(value)s”; see the sheet “jenis” of the template.") % {"value": values["jenis"]})
    sector = values["sektor"].strip().lower()
    if sector and _SECTOR_ALIASES.get(sector, sector) not in Organization.Sector.values:
        add("sektor", _("Sector must be public, private or community."))
    code = values["kode_wilayah"].strip()
    if code and code not in regions:
        add("kode_wilayah", _("Unknown Kemendagri region code “%(value)s”.") % {"value": code})
    for field in ("email", "narahubung_email"):
        if values[field]:
            try:
                EmailValidator()(values[field])
            except ValidationError:
                add(field, _("Enter a valid email address."))
    if values["situs_web"]:
        try:
            URLValidator()(values["situs_web"])
        except ValidationError:
            add("situs_web", _("Enter a valid web address (https://…)."))
    for field in ("telepon", "narahubung_telepon"):
        if values[field] and not all(c.isdigit() or c in "+-() " for c in values[field]):
            add(field, _("Enter a phone number using digits, spaces, + and -."))
    if (values["narahubung_telepon"] or values["narahubung_email"]) and not values["narahubung_nama"]:
        add("narahubung_nama", _("The focal point needs a name."))
    return errs


def _region_codes(rows: list[dict[str, str]]) -> dict[str, int]:
    codes = {r["kode_wilayah"].strip() for r in rows if r["kode_wilayah"].strip()}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "id")) if codes else {}


def _check_rows(job: ImportJob, rows: list[dict[str, str]], *, report_progress: bool) -> list[dict]:
    existing = {n.lower() for n in Organization.objects.values_list("name", flat=True)}
    regions = _region_codes(rows)
    seen: set[str] = set()
    checked = []
    for index, values in enumerate(rows):
        checked.append(
            {
                "row": index + 2,
                "values": values,
                "errors": _validate_row(values, seen_names=seen, existing_names=existing, regions=regions),
            }
        )
        if report_progress and (index + 1) % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=index + 1)
    return checked


# --- services -----------------------------------------------------------------------------


def organization_import_start(*, tenant: Tenant, actor: User, name: str, content: bytes) -> ImportJob:
    """Store the upload and check it: at once for small files, in a Celery task for large ones."""
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ApplicationError(
            errors.IMPORT_TOO_LARGE % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}, code="too_large"
        )
    rows = _read_rows(name, content)  # raises for unreadable files before anything is stored
    job = ImportJob(tenant=tenant, created_by=actor, file_name=name[:200], total_rows=len(rows))
    job.file.save(
        f"tenants/{tenant.pk}/imports/{timezone.now():%Y%m%d%H%M%S}-{actor.pk}.{_extension(name)}",
        ContentFile(content),
        save=False,
    )
    if len(rows) <= settings.IMPORT_SYNC_MAX_ROWS:
        job.save()
        return organization_import_validate(job=job, rows=rows)
    from .tasks import organization_import_validate_task

    with transaction.atomic():  # the job and its outbox row commit together
        job.save()
        enqueue(organization_import_validate_task, tenant.pk, job.pk)
    return job


def _extension(name: str) -> str:
    return "xlsx" if name.lower().endswith(".xlsx") else "csv"


def organization_import_validate(*, job: ImportJob, rows: list[dict[str, str]] | None = None) -> ImportJob:
    """Check every row of the job's file and record the result; nothing is saved."""
    background = rows is None
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING, processed_rows=0)
    try:
        if rows is None:
            with job.file.open("rb") as handle:
                rows = _read_rows(job.file_name, handle.read())
        checked = _check_rows(job, rows, report_progress=background)
    except ApplicationError as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=str(exc.message), finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    job.rows = checked
    job.total_rows = job.processed_rows = len(checked)
    job.status = ImportJob.Status.VALIDATED
    job.save(update_fields=["rows", "total_rows", "processed_rows", "status", "updated_at"])
    return job


def organization_import_confirm(*, job: ImportJob, actor: User) -> ImportJob:
    """The user confirmed: save the valid rows (large jobs in the background)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJob.Status.VALIDATED or not job.valid_rows:
            raise ApplicationError(errors.IMPORT_NOT_READY, code="not_ready")
        job.status = ImportJob.Status.IMPORTING
        job.save(update_fields=["status", "updated_at"])
        if job.total_rows > settings.IMPORT_SYNC_MAX_ROWS:
            from .tasks import organization_import_save_task

            enqueue(organization_import_save_task, job.tenant_id, job.pk, actor.pk)
            return job
    return organization_import_save(job=job, actor=actor)


def organization_import_save(*, job: ImportJob, actor: User | None) -> ImportJob:
    """Create every valid row in one transaction: all of them or none."""
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            if job.status != ImportJob.Status.IMPORTING:
                return job  # a redelivered task after the work was done
            valid = job.valid_rows
            # Names may have been taken since the check: check again inside the transaction.
            rechecked = _check_rows(job, [r["values"] for r in valid], report_progress=False)
            if any(r["errors"] for r in rechecked):
                by_row = {v["row"]: r["errors"] for v, r in zip(valid, rechecked, strict=True)}
                for row in job.rows:
                    row["errors"] = row["errors"] or by_row.get(row["row"], {})
                job.status = ImportJob.Status.VALIDATED
                job.error = _(
                    "Some rows conflict with organizations added since the check; review them and confirm again."
                )
                job.save(update_fields=["rows", "status", "error", "updated_at"])
                return job
            created = _create_organizations(job.tenant_id, [r["values"] for r in valid], actor)
            job.created_count = created
            job.status = ImportJob.Status.DONE
            job.error = ""
            job.finished_at = timezone.now()
            job.save(update_fields=["created_count", "status", "error", "finished_at", "updated_at"])
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    return job


def _create_organizations(tenant_id: int, rows: list[dict[str, str]], actor: User | None) -> int:
    regions = _region_codes(rows)
    organizations = []
    for values in rows:
        kind = _normalise_kind(values["jenis"])
        sector = values["sektor"].strip().lower()
        sector = _SECTOR_ALIASES.get(sector, sector) or Organization.DEFAULT_SECTOR[kind]
        organizations.append(
            Organization(
                tenant_id=tenant_id,
                name=" ".join(values["nama"].split()),
                kind=kind,
                sector=sector,
                region_id=regions.get(values["kode_wilayah"].strip()),
                address=values["alamat"],
                phone=values["telepon"],
                email=values["email"],
                website=values["situs_web"],
            )
        )
    created = bulk_create_with_history(organizations, Organization, batch_size=500, default_user=actor)
    contacts = [
        Contact(
            tenant_id=tenant_id,
            organization=organization,
            name=values["narahubung_nama"],
            position=values["narahubung_jabatan"],
            phone=values["narahubung_telepon"],
            email=values["narahubung_email"],
            is_focal_point=True,
        )
        for organization, values in zip(created, rows, strict=True)
        if values["narahubung_nama"]
    ]
    if contacts:
        bulk_create_with_history(contacts, Contact, batch_size=500, default_user=actor)
    return len(created)


def organization_import_cancel(*, job: ImportJob, actor: User) -> ImportJob:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status in {ImportJob.Status.VALIDATED, ImportJob.Status.FAILED, ImportJob.Status.PENDING}:
            job.status = ImportJob.Status.CANCELLED
            job.save(update_fields=["status", "updated_at"])
    return job
