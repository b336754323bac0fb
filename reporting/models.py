"""Partnership health reviews (method in HEALTH_REVIEW.md, scoring in ``reporting.scoring``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import TenantOwnedModel


class Band(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    WATCH = "watch", _("Needs attention")
    AT_RISK = "at_risk", _("At risk")
    INSUFFICIENT = "insufficient", _("Not enough data")
    EARLY = "early", _("Early stage")


# Worse bands sort higher: a change to a higher rank is a deterioration.
BAND_RANK = {Band.HEALTHY: 0, Band.EARLY: 0, Band.INSUFFICIENT: 1, Band.WATCH: 2, Band.AT_RISK: 3}


class HealthReview(TenantOwnedModel):
    """One agreement's review for one period. Reruns for the same period update it in place;
    a manager's confirmation or override is kept beside the computed result."""

    agreement = models.ForeignKey("partnerships.Agreement", on_delete=models.CASCADE, related_name="health_reviews")
    period = models.CharField(_("period"), max_length=10)  # "2026-11", "2026-Q4", "2026-W47"
    review_date = models.DateField(_("review date"))
    method_version = models.CharField(max_length=20)
    weights = models.JSONField(default=dict)
    input_hash = models.CharField(max_length=64)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1, null=True, blank=True)
    band = models.CharField(_("band"), max_length=12, choices=Band.choices)
    computed_band = models.CharField(max_length=12, choices=Band.choices)
    confidence = models.DecimalField(_("confidence"), max_digits=3, decimal_places=2)
    dimensions = models.JSONField(default=dict)  # "D1" → "72.5" or None
    flags = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    checklist = models.JSONField(default=list)
    computed_at = models.DateTimeField()
    # The reviewer's word: confirmed as computed, or overridden to another band with a note.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    override_band = models.CharField(_("band set by the reviewer"), max_length=12, choices=Band.choices, blank=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["agreement", "-review_date"]
        verbose_name = _("health review")
        verbose_name_plural = _("health reviews")
        constraints = [models.UniqueConstraint(fields=["agreement", "period"], name="health_review_once_per_period")]
        indexes = [models.Index(fields=["tenant", "period", "band"])]

    def __str__(self) -> str:
        return f"{self.agreement_id} · {self.period} · {self.band}"

    @property
    def effective_band(self) -> str:
        return self.override_band or self.band


class ReviewRun(TenantOwnedModel):
    """A tenant-wide run ("Jalankan sekarang" or the schedule), for the progress bar."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    period = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.period} · {self.status}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)


class SurveyRound(TenantOwnedModel):
    """A partner survey about one agreement: each party's focal point answers once for their
    organization, through a signed link that expires when the round closes."""

    agreement = models.ForeignKey("partnerships.Agreement", on_delete=models.CASCADE, related_name="survey_rounds")
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    closed_at = models.DateTimeField(_("closed early at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-opens_on", "-id"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")

    def __str__(self) -> str:
        return f"{self.agreement_id} · {self.opens_on}"

    def is_open(self, today) -> bool:
        return self.closed_at is None and self.opens_on <= today <= self.closes_on


class SurveyResponse(TenantOwnedModel):
    """One organization's answers (items q1…q13, each 1–5): every organization has one voice."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()
    comment = models.TextField(_("comment"), blank=True)
    respondent_name = models.CharField(_("respondent"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["round", "organization_id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["round", "organization"], name="survey_response_once_per_organization")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.organization_id}"


def export_upload_path(job: ExportJob, filename: str) -> str:
    return f"tenants/{job.tenant_id}/exports/{filename}"


class ExportJob(TenantOwnedModel):
    """A large list export built in the background; its file is for the person who asked, for a day."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=30)  # a key of reporting.exports.EXPORTS
    fmt = models.CharField(max_length=4)  # csv | xlsx
    params = models.TextField(blank=True)  # the list's filters, as a query string
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_upload_path, max_length=300, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}.{self.fmt} · {self.status}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
