"""Partnership agreements (MoU / PKS): parties, obligations, lifecycle, amendments, documents."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Organization, Region, TenantOwnedModel, TenantScopedManager, TenantScopedQuerySet


class AgreementQuerySet(TenantScopedQuerySet):
    def active(self) -> AgreementQuerySet:
        return self.filter(status=Agreement.Status.ACTIVE)

    def ending_within(self, days: int, *, today: datetime.date) -> AgreementQuerySet:
        return self.filter(
            status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED],
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=days),
        )


class Agreement(TenantOwnedModel):
    """A cooperation agreement: a Nota Kesepahaman (MoU) or a Perjanjian Kerja Sama (PKS)."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding (MoU)")
        PKS = "pks", _("Cooperation agreement (PKS)")

    class PartnershipType(models.TextChoices):
        PROVIDER_PROVIDER = "provider_provider", _("Provider–provider")
        PUBLIC_PRIVATE = "public_private", _("Public–private")
        PROVIDER_COMMUNITY = "provider_community", _("Provider–community")
        PATIENT_PROVIDER = "patient_provider", _("Patient–provider")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    # Terms an amendment (adendum) may change.
    AMENDABLE_FIELDS = ("title", "objective", "scope", "financing_summary", "reporting_duty", "ends_on")

    number = models.CharField(_("agreement number"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices, default=Kind.PKS)
    partnership_type = models.CharField(_("partnership type"), max_length=20, choices=PartnershipType.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    objective = models.TextField(_("objective"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    regions = models.ManyToManyField(
        Region, through="AgreementRegion", blank=True, related_name="+", verbose_name=_("regions covered")
    )
    financing_summary = models.TextField(_("financing"), blank=True)
    reporting_duty = models.TextField(_("reporting duty"), blank=True)
    dispute_settlement = models.TextField(_("dispute settlement"), blank=True)
    termination_clause = models.TextField(_("termination clause"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        editable=False,
        verbose_name=_("renewal of"),
    )

    objects = TenantScopedManager.from_queryset(AgreementQuerySet)()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "number"],
                condition=~Q(number=""),
                name="agreement_number_uniq_per_tenant",
                violation_error_message=_("Another agreement already has this number."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "ends_on"]),
            models.Index(fields=["tenant", "partnership_type"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}" if self.number else self.title

    @property
    def is_current(self) -> bool:
        return self.status in {self.Status.ACTIVE, self.Status.SUSPENDED}

    @property
    def days_to_end(self) -> int | None:
        """Days until ``ends_on`` for a current agreement (negative once past), else None."""
        if not self.is_current or self.ends_on is None:
            return None
        from django.utils import timezone

        return (self.ends_on - timezone.localdate()).days


class AgreementRegion(TenantOwnedModel):
    """A region an agreement covers (the through table carries the tenant like every child row)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="region_links")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        constraints = [models.UniqueConstraint(fields=["agreement", "region"], name="agreement_region_once")]

    def __str__(self) -> str:
        return str(self.region)


class Party(TenantOwnedModel):
    """An organization's part in an agreement, with its signatory."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        FUNDER = "funder", _("Funder")
        IMPLEMENTER = "implementer", _("Implementer")
        FACILITATOR = "facilitator", _("Facilitator")
        COMMUNITY_REPRESENTATIVE = "community_representative", _("Community representative")
        BENEFICIARY_REPRESENTATIVE = "beneficiary_representative", _("Beneficiary representative")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="parties", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    signatory_name = models.CharField(_("signatory"), max_length=150, blank=True)
    signatory_position = models.CharField(_("signatory's position"), max_length=150, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(TenantOwnedModel.Meta):
        ordering = ["id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"],
                name="party_once_per_agreement",
                violation_error_message=_("This organization is already a party."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class Obligation(TenantOwnedModel):
    """What one party has committed to do, when, and whether it is done."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("party"))
    description = models.TextField(_("obligation"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.ForeignKey(
        "partnerships.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("evidence"),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(TenantOwnedModel.Meta):
        ordering = ["due_on", "id"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


def document_upload_path(document: Document, filename: str) -> str:
    # The stored name never comes from the user: tenant, agreement and a random token.
    return f"tenants/{document.tenant_id}/agreements/{document.agreement_id}/{document.storage_name}"


class Document(TenantOwnedModel):
    """An uploaded file of an agreement. Stored under the tenant, served only through a view
    that checks access first."""

    class Kind(models.TextChoices):
        SIGNED = "signed", _("Signed agreement")
        AMENDMENT = "amendment", _("Signed amendment")
        MINUTES = "minutes", _("Minutes of meeting (notulen)")
        EVIDENCE = "evidence", _("Evidence")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=document_upload_path, max_length=300)
    storage_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class Amendment(TenantOwnedModel):
    """An adendum: numbered per agreement, with the terms it changed (old and new values)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("number"))
    signed_on = models.DateField(_("signed on"))
    effective_on = models.DateField(_("effective on"))
    summary = models.TextField(_("what changed"))
    # {"ends_on": {"old": "2026-12-31", "new": "2027-12-31"}, ...} for AMENDABLE_FIELDS
    changes = models.JSONField(_("changed terms"), default=dict, blank=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("document")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        ordering = ["number"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="amendment_number_uniq")]

    def __str__(self) -> str:
        return f"Adendum {self.number}"


class AgreementEvent(TenantOwnedModel):
    """The agreement's timeline: who did what, when and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        PROPOSED = "proposed", _("Proposed")
        ACTIVATED = "activated", _("Activated")
        SUSPENDED = "suspended", _("Suspended")
        RESUMED = "resumed", _("Resumed")
        TERMINATED = "terminated", _("Terminated")
        EXPIRED = "expired", _("Expired")
        RENEWED = "renewed", _("Renewed")
        AMENDED = "amended", _("Amended")
        DOCUMENT_ADDED = "document_added", _("Document added")
        NOTICE_SENT = "notice_sent", _("End-of-term notice sent")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [models.Index(fields=["agreement", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d}"
