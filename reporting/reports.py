"""The partnership report — what a manager hands to the Kepala Dinas, the DPRD or the partners:
the agreement and its parties, obligations, programs with indicators and achievement, the fund
statements, and the latest health review with its reasons. One data builder, two renderers
(PDF with WeasyPrint, XLSX with openpyxl)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import Agreement
from programs.fund_selectors import Statement, fund_statement
from programs.models import Fund, Program
from programs.selectors import Achievement, achievements

from .models import HealthReview


class PdfUnavailable(RuntimeError):
    """WeasyPrint's system libraries (Pango) are missing on this machine."""


@dataclass
class ProgramSection:
    program: Program
    rows: list[Achievement]


@dataclass
class PartnershipReport:
    agreement: Agreement
    today: datetime.date
    programs: list[ProgramSection]
    funds: list[Statement]
    review: HealthReview | None


def partnership_report(*, agreement: Agreement, today: datetime.date) -> PartnershipReport:
    programs = [
        ProgramSection(program=p, rows=achievements(program=p))
        for p in Program.objects.filter(agreement=agreement).prefetch_related("implementers").order_by("name")
    ]
    funds = [fund_statement(fund=f, today=today) for f in Fund.objects.filter(agreement=agreement).order_by("name")]
    review = HealthReview.objects.filter(agreement=agreement).order_by("-review_date", "-pk").first()
    return PartnershipReport(agreement=agreement, today=today, programs=programs, funds=funds, review=review)


def render_pdf(report: PartnershipReport, *, tenant) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # pragma: no cover - depends on the machine's libraries
        raise PdfUnavailable(str(exc)) from exc
    html = render_to_string("reporting/reports/partnership.html", {"r": report, "tenant": tenant})
    return HTML(string=html).write_pdf()


def render_xlsx(report: PartnershipReport, *, tenant) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from organizations.templatetags.formatting import tanggal

    from .templatetags.health import band_label, dimension_name, reason_text

    bold = Font(bold=True)
    money = '"Rp"#,##0'
    workbook = Workbook()
    a = report.agreement

    def sheet(title: str, header: list[str]):
        ws = workbook.create_sheet(title[:31])
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        return ws

    summary = workbook.active
    summary.title = _("Summary")[:31]
    for label, value in [
        (_("Health office"), tenant.name),
        (_("Agreement"), a.title),
        (_("Agreement number"), a.number),
        (_("Partnership type"), a.get_partnership_type_display()),
        (_("Status"), a.get_status_display()),
        (_("Signed on"), tanggal(a.signed_on)),
        (_("Period"), f"{tanggal(a.starts_on)} – {tanggal(a.ends_on)}"),
        (_("Objective"), a.objective),
        (_("Report date"), tanggal(report.today)),
    ]:
        summary.append([label, value])
        summary.cell(row=summary.max_row, column=1).font = bold
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 90
    for row in summary.iter_rows():
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    parties = sheet(_("Parties"), [_("Organization"), _("Role"), _("Signatory"), _("Position")])
    obligations = sheet(_("Obligations"), [_("Organization"), _("Obligation"), _("Due on"), _("Done on")])
    for party in a.parties.select_related("organization").prefetch_related("obligations"):
        parties.append(
            [party.organization.name, party.get_role_display(), party.signatory_name, party.signatory_position]
        )
        for obligation in party.obligations.all():
            obligations.append([party.organization.name, obligation.description, obligation.due_on, obligation.done_on])

    indicators = sheet(
        _("Indicators"), [_("Program"), _("Code"), _("Indicator"), _("Unit"), _("Baseline"), _("Target"), _("Achieved"),
                          _("% of target")],
    )  # fmt: skip
    for section in report.programs:
        for row in section.rows:
            i = row.indicator
            indicators.append([section.program.name, i.code, i.name, i.unit, i.baseline, i.target, row.achieved,
                               row.percent_of_target])  # fmt: skip

    contributions = sheet(
        _("Shared funds"), [_("Fund"), _("Party"), _("Channel"), _("Pledged"), _("Received"), _("Share (%)")]
    )
    for statement in report.funds:
        for line in statement.contributors:
            contributions.append([statement.fund.name, line.organization, line.channel, line.pledged, line.received,
                                  line.share])  # fmt: skip
        contributions.append([statement.fund.name, _("Total"), "", statement.pledged, statement.received, None])
        contributions.append([statement.fund.name, _("Disbursed"), "", None, statement.disbursed, None])
        contributions.append([statement.fund.name, _("Balance"), "", None, statement.balance, None])
    for column in ("D", "E"):
        for cell in contributions[column][1:]:
            cell.number_format = money

    health = sheet(_("Health review"), [_("Item"), _("Value")])
    review = report.review
    if review is not None:
        health.append([_("Period"), review.period])
        health.append([_("Band"), str(band_label(review.effective_band))])
        health.append([_("Score"), review.score])
        health.append([_("Confidence"), review.confidence])
        for code, value in (review.dimensions or {}).items():
            health.append([str(dimension_name(code)), value])
        for reason in review.reasons:
            health.append([_("Reason"), reason_text(reason)])
    else:
        health.append([_("Not reviewed yet"), ""])
    for ws in workbook.worksheets[1:]:
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = min(
                60, max(12, *(len(str(c.value or "")) + 2 for c in column))
            )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the tenant's quarterly report ----------------------------------------------------------------


@dataclass
class QuarterlyRow:
    agreement: Agreement
    review: HealthReview | None
    programs: int
    received: object
    disbursed: object
    balance: object


@dataclass
class QuarterlyReport:
    title: str
    dashboard: object  # reporting.dashboard.Dashboard for the quarter
    rows: list[QuarterlyRow]


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = (datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - datetime.timedelta(days=1)
    return start, end


def quarterly_report(*, tenant, membership, year: int, quarter: int) -> QuarterlyReport:
    """Every partnership in force during the quarter: the dashboard's figures for the quarter,
    then one row per agreement with its latest review and its funds (a fixed number of queries)."""
    from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from programs.models import LedgerEntry

    from .dashboard import Filters, dashboard

    start, end = quarter_bounds(year, quarter)
    today = min(end, timezone.localdate())
    data = dashboard(tenant=tenant, filters=Filters(period="this_quarter"), today=today)
    money = DecimalField(max_digits=20, decimal_places=0)

    def ledger_sum(condition: Q):
        total = (
            LedgerEntry.objects.filter(condition, fund__agreement=OuterRef("pk"))
            .order_by()
            .values("fund__agreement")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return Coalesce(Subquery(total, output_field=money), Value(0), output_field=money)

    agreements = (
        Agreement.objects.filter(starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .exclude(status__in=[Agreement.Status.DRAFT, Agreement.Status.PROPOSED])
        .annotate(
            program_count=Count("programs", distinct=True),
            received=ledger_sum(Q(disbursement__isnull=True)),
            paid=ledger_sum(Q(disbursement__isnull=False)),
        )
        .order_by("partnership_type", "title")
    )
    latest: dict[int, HealthReview] = {}
    for review in HealthReview.objects.filter(agreement__in=agreements, review_date__lte=end).order_by("review_date"):
        latest[review.agreement_id] = review
    rows = [
        QuarterlyRow(a, latest.get(a.pk), a.program_count, a.received, -a.paid, a.received + a.paid) for a in agreements
    ]
    title = _("Quarterly partnership report, Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
    return QuarterlyReport(title=title, dashboard=data, rows=rows)


def render_quarterly_pdf(report: QuarterlyReport, *, tenant) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # pragma: no cover
        raise PdfUnavailable(str(exc)) from exc
    html = render_to_string("reporting/reports/quarterly.html", {"r": report, "d": report.dashboard, "tenant": tenant})
    return HTML(string=html).write_pdf()


def render_quarterly_xlsx(report: QuarterlyReport, *, tenant) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .templatetags.health import band_label, reason_text

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    d = report.dashboard
    for label, value in [
        (_("Health office"), tenant.name),
        (_("Report"), report.title),
        (_("Active agreements"), d.agreements["active"]),
        (_("Ending within 90 days"), d.agreements["ending_90"]),
        (_("Programs on track"), d.programs["on_track"]),
        (_("Reporting completeness"), d.reporting["completeness"]),
        (_("Received into shared funds"), d.funds["received"]),
        (_("Disbursed to programs"), d.funds["disbursed"]),
        (_("Balance of shared funds"), d.funds["balance"]),
        (_("Partnerships at risk"), d.bands["at_risk"]),
    ]:
        summary.append([label, value])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 60
    sheet = workbook.create_sheet(_("Partnerships")[:31])
    sheet.append([
        _("Agreement number"), _("Title"), _("Partnership type"), _("Status"), _("Programs"), _("Band"), _("Score"),
        _("Received"), _("Disbursed"), _("Balance"), _("Main reason"),
    ])  # fmt: skip
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report.rows:
        a, review = row.agreement, row.review
        sheet.append([
            a.number, a.title, a.get_partnership_type_display(), a.get_status_display(), row.programs,
            str(band_label(review.effective_band)) if review else "", review.score if review else None,
            row.received, row.disbursed, row.balance,
            reason_text(review.reasons[0]) if review and review.reasons else "",
        ])  # fmt: skip
    for column in ("H", "I", "J"):
        for cell in sheet[column][1:]:
            cell.number_format = '"Rp"#,##0'
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
