"""Joint programs under an agreement: indicators with reference sheets and target revisions,
reporting periods, partner progress updates with approval, and milestones."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Organization, Region, TenantOwnedModel


class Program(TenantOwnedModel):
    class Theme(models.TextChoices):
        IMUNISASI = "imunisasi", _("Immunisation")
        TBC = "tbc", _("Tuberculosis (TB)")
        HIV = "hiv", _("HIV")
        GIZI = "gizi", _("Nutrition")
        KIA = "kesehatan_ibu_anak", _("Maternal and child health")
        PTM = "penyakit_tidak_menular", _("Non-communicable diseases")
        JIWA = "kesehatan_jiwa", _("Mental health")
        SEKOLAH = "kesehatan_sekolah", _("School health")
        TELEMEDICINE = "telemedicine", _("Telemedicine")
        KADER = "pelatihan_kader", _("Cadre training")
        LAINNYA = "lainnya", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.PROTECT, related_name="programs", verbose_name=_("agreement")
    )
    name = models.CharField(_("name"), max_length=200)
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices)
    description = models.TextField(_("description"), blank=True)
    regions = models.ManyToManyField(
        Region, through="ProgramRegion", blank=True, related_name="+", verbose_name=_("regions")
    )
    implementers = models.ManyToManyField(
        Organization,
        through="ProgramImplementer",
        related_name="implemented_programs",
        verbose_name=_("implementing organizations"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(TenantOwnedModel.Meta):
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="program_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProgramRegion(TenantOwnedModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="region_links")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        constraints = [models.UniqueConstraint(fields=["program", "region"], name="program_region_once")]

    def __str__(self) -> str:
        return str(self.region)


class ProgramImplementer(TenantOwnedModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="implementer_links")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        constraints = [models.UniqueConstraint(fields=["program", "organization"], name="program_implementer_once")]

    def __str__(self) -> str:
        return str(self.organization)


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Indicator(TenantOwnedModel):
    """An indicator with its reference sheet (definition, unit, source, verification)."""

    class Kind(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENT = "percent", _("Percentage")
        RATIO = "ratio", _("Ratio (numerator / denominator)")

    class Direction(models.TextChoices):
        UP = "up", _("Higher is better")
        DOWN = "down", _("Lower is better")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=255)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COUNT)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices, default=Direction.UP)
    # Denormalised: the achievement so far from approved updates, kept by programs.services
    # (approval, a change of kind) so that dashboards need not read every update.
    achieved = models.DecimalField(_("achieved"), max_digits=18, decimal_places=2, null=True, editable=False)
    cumulative = models.BooleanField(_("cumulative"), default=False, help_text=_("Each report gives the total so far."))
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    priority = models.CharField(_("priority"), max_length=6, choices=Priority.choices, default=Priority.MEDIUM)
    data_source = models.CharField(_("data source"), max_length=255, blank=True)
    verification = models.CharField(_("means of verification"), max_length=255, blank=True)
    spm_service = models.PositiveSmallIntegerField(_("SPM service"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(TenantOwnedModel.Meta):
        ordering = ["program", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                name="indicator_code_per_program",
                violation_error_message=_("Another indicator of this program has this code."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(target__lte=100),
                name="indicator_percent_target_max_100",
                violation_error_message=_("A percentage target cannot exceed 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TargetRevision(TenantOwnedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="target_revisions")
    old_target = models.DecimalField(max_digits=14, decimal_places=2)
    new_target = models.DecimalField(max_digits=14, decimal_places=2)
    reason = models.TextField(_("reason"))
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        verbose_name = _("target revision")
        verbose_name_plural = _("target revisions")

    def __str__(self) -> str:
        return f"{self.old_target} → {self.new_target}"


class ReportingPeriod(TenantOwnedModel):
    """A month or quarter of a program's reporting calendar (January–December fiscal year)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="periods")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField(help_text="Month 1–12 or quarter 1–4")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    due_on = models.DateField(_("due on"))
    locks_on = models.DateField(_("locks on"))
    # Denormalised counts for dashboards, kept by programs.services: reports expected (the
    # program's implementers × its indicators of this frequency; refreshed by periods_generate,
    # which every change of indicators or implementers calls), updates submitted for this period
    # and those by the due date + grace (periods_refresh_counts, on every submission).
    reports_expected = models.PositiveIntegerField(default=0, editable=False)  # implementers × indicators
    reports_received = models.PositiveIntegerField(default=0, editable=False)
    reports_on_time = models.PositiveIntegerField(default=0, editable=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["program", "frequency", "starts_on"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["program", "frequency", "year", "number"], name="period_once_per_program")
        ]
        indexes = [models.Index(fields=["tenant", "due_on"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.frequency == Frequency.QUARTERLY:
            return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}
        from django.utils.dateformat import format as date_format

        return date_format(self.starts_on, "F Y")

    def is_locked(self, *, today: datetime.date, reopened: bool = False) -> bool:
        return today > self.locks_on and not reopened


class PeriodReopening(TenantOwnedModel):
    """A manager reopened a locked period for one organization, until a date, with a reason."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reopenings")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    until = models.DateField(_("open until"))
    reason = models.TextField(_("reason"))
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        verbose_name = _("period reopening")
        verbose_name_plural = _("period reopenings")

    def __str__(self) -> str:
        return f"{self.period} / {self.organization}"


class ProgressUpdate(TenantOwnedModel):
    """One organization's report of one indicator for one period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="updates")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="progress_updates")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Required when a cumulative value goes down.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    review_note = models.TextField(_("reviewer's note"), blank=True, editable=False)
    resubmitted = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(TenantOwnedModel.Meta):
        ordering = ["period__starts_on", "indicator__code"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period", "organization"], name="update_once_per_period_org"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True)
                | Q(numerator__isnull=True)
                | Q(numerator__lte=models.F("denominator")),
                name="update_numerator_le_denominator",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status"]),
            models.Index(fields=["organization", "status"]),
            # partner activity in the health review: updates submitted in the last 60 days
            models.Index(fields=["tenant", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.period} · {self.organization}"

    @property
    def effective_value(self) -> Decimal | None:
        """The reported value; for ratios the percentage numerator/denominator."""
        if self.numerator is not None and self.denominator:
            return (self.numerator / self.denominator * 100).quantize(Decimal("0.01"))
        return self.value


def evidence_upload_path(evidence: Evidence, filename: str) -> str:
    return f"tenants/{evidence.tenant_id}/programs/{evidence.program_id}/{evidence.storage_name}"


class Evidence(TenantOwnedModel):
    """A file supporting a progress update or a milestone (bukti dukung)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="evidence")
    update = models.ForeignKey(ProgressUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    milestone = models.ForeignKey("Milestone", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_path, max_length=300)
    storage_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class Milestone(TenantOwnedModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=255)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(TenantOwnedModel.Meta):
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


# Shared funds live in their own module (the ledger and its rules) but belong to this app.
from .fund_models import (  # noqa: E402, F401
    Channel,
    Disbursement,
    Fund,
    FundEvidence,
    FundProgram,
    LedgerEntry,
    Pledge,
    PledgeInstallment,
)
