"""Offline entry: an XLSX for one period and organization, pre-filled with its indicators,
filled in offline, uploaded, checked row by row (with exactly the rules of the report
form), and saved only after confirmation — all rows or none."""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.protection import SheetProtection

from organizations.errors import ApplicationError
from organizations.models import Organization, User

from . import services
from .models import Indicator, ProgressUpdate, ReportingPeriod

HEADER = ["kode", "indikator", "jenis", "satuan", "target", "nilai", "pembilang", "penyebut", "narasi", "penjelasan"]
VALUE_COLUMNS = ("nilai", "pembilang", "penyebut", "narasi", "penjelasan")


class _DryRun(Exception):
    pass


def template_xlsx(*, period: ReportingPeriod, organization: Organization) -> bytes:
    indicators = period.program.indicators.filter(frequency=period.frequency).order_by("code")
    updates = {u.indicator_id: u for u in ProgressUpdate.objects.filter(period=period, organization=organization)}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "laporan"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEFEA")
    for indicator in indicators:
        update = updates.get(indicator.pk)
        sheet.append(
            [
                indicator.code,
                indicator.name,
                indicator.get_kind_display(),
                indicator.unit,
                float(indicator.target),
                _cell(update.value if update else None),
                _cell(update.numerator if update else None),
                _cell(update.denominator if update else None),
                update.narrative if update else "",
                update.explanation if update else "",
            ]
        )
    for letter, width in zip("ABCDEFGHIJ", (10, 45, 18, 10, 10, 10, 12, 12, 40, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    info = workbook.create_sheet("petunjuk")
    for line in (
        f"{period.program.name} — {period.label} — {organization.name}",
        "Isi kolom 'nilai' (jumlah/persentase) atau 'pembilang' dan 'penyebut' (rasio). Jangan ubah kolom 'kode'.",
        "Baris tanpa nilai dilewati. Unggah kembali berkas ini di MitraSehat.",
    ):
        info.append([line])
    info.protection = SheetProtection(sheet=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Decimal | None):
    return float(value) if value is not None else None


def _decimal(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(str(raw)) from exc


def read_rows(content: bytes) -> list[dict]:
    """The filled rows of the upload (rows without any value are skipped)."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        raw = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # an unreadable upload is the user's input problem
        raise ApplicationError(
            _("The file could not be read. Upload the XLSX downloaded for this period."), code="bad_file"
        ) from exc
    if not raw or [str(h).strip().lower() for h in raw[0][: len(HEADER)]] != HEADER:
        raise ApplicationError(
            _("This is not the report template of MitraSehat; download it again."), code="bad_columns"
        )
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        record = dict(zip(HEADER, list(values) + [""] * (len(HEADER) - len(values)), strict=False))
        if any(record[c] not in (None, "") for c in ("nilai", "pembilang", "penyebut")):
            rows.append(
                {"row": number, **{k: ("" if record[k] is None else str(record[k])) for k in ("kode", *VALUE_COLUMNS)}}
            )
    return rows


def _arguments(row: dict, indicators: dict[str, Indicator]) -> tuple[Indicator, dict]:
    indicator = indicators.get(row["kode"].strip())
    if indicator is None:
        raise ValidationError(
            {"kode": [_("Unknown indicator code “%(code)s” for this period.") % {"code": row["kode"]}]}
        )
    try:
        values = {
            "value": _decimal(row["nilai"]),
            "numerator": _decimal(row["pembilang"]),
            "denominator": _decimal(row["penyebut"]),
        }
    except ValueError as exc:
        raise ValidationError({"nilai": [_("“%(value)s” is not a number.") % {"value": exc.args[0]}]}) from exc
    return indicator, {**values, "narrative": row["narasi"], "explanation": row["penjelasan"]}


def check_rows(*, period: ReportingPeriod, organization: Organization, actor: User, rows: list[dict]) -> list[dict]:
    """Each row with its errors, found by saving it in a transaction that is always rolled back
    (so the rules are exactly those of the report form)."""
    indicators = {i.code: i for i in period.program.indicators.filter(frequency=period.frequency)}
    seen: set[str] = set()
    checked = []
    for row in rows:
        errors: dict[str, list[str]] = {}
        try:
            if row["kode"] in seen:
                raise ValidationError({"kode": [_("This indicator appears twice in the file.")]})
            seen.add(row["kode"])
            indicator, arguments = _arguments(row, indicators)
            with transaction.atomic():
                services.progress_update_save(
                    indicator=indicator, period=period, organization=organization, actor=actor, **arguments
                )
                raise _DryRun
        except _DryRun:
            pass
        except ValidationError as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        except ApplicationError as exc:
            errors = {"__all__": [str(exc.message)]}
        checked.append({**row, "errors": errors})
    return checked


@transaction.atomic
def save_rows(
    *, period: ReportingPeriod, organization: Organization, actor: User, rows: list[dict], submit: bool
) -> int:
    """Save (and optionally submit) every row; any failure rolls all of them back."""
    indicators = {i.code: i for i in period.program.indicators.filter(frequency=period.frequency)}
    for row in rows:
        indicator, arguments = _arguments(row, indicators)
        update = services.progress_update_save(
            indicator=indicator, period=period, organization=organization, actor=actor, **arguments
        )
        if submit:
            services.progress_update_submit(update=update, actor=actor)
    return len(rows)
