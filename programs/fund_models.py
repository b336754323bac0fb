"""Shared funds (dana bersama): pledges by contributing parties, receipts, disbursements and
an append-only ledger. Amounts are whole rupiah as ``Decimal``; a fund's balance is the sum of
its ledger and never negative (guarded update + check constraint; edits and deletes of ledger
entries are refused by the model and by a database trigger)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Organization, TenantOwnedModel

RUPIAH = {"max_digits": 18, "decimal_places": 0}


class Channel(models.TextChoices):
    APBD = "apbd", _("APBD")
    APBN = "apbn", _("APBN")
    DAK = "dak", _("DAK")
    BOK = "bok", _("BOK")
    BLUD = "blud", _("BLUD revenue")
    JKN = "jkn_kapitasi", _("JKN capitation")
    CSR = "csr_tjsl", _("CSR / TJSL")
    DANA_DESA = "dana_desa", _("Dana Desa")
    SWADAYA = "swadaya", _("Community self-help (swadaya)")
    HIBAH = "hibah", _("Grant (hibah)")
    NATURA = "natura", _("In kind (natura)")


class Fund(TenantOwnedModel):
    agreement = models.ForeignKey("partnerships.Agreement", on_delete=models.PROTECT, related_name="funds")
    programs = models.ManyToManyField("programs.Program", through="FundProgram", blank=True, related_name="funds")
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(max_length=3, default="IDR", editable=False)
    balance = models.DecimalField(_("balance"), **RUPIAH, default=Decimal(0), editable=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "balance"])  # the audit log

    class Meta(TenantOwnedModel.Meta):
        ordering = ["name"]
        verbose_name = _("shared fund")
        verbose_name_plural = _("shared funds")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="fund_balance_not_negative")]

    def __str__(self) -> str:
        return self.name


class FundProgram(TenantOwnedModel):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="program_links")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        constraints = [models.UniqueConstraint(fields=["fund", "program"], name="fund_program_once")]

    def __str__(self) -> str:
        return str(self.program)


class Pledge(TenantOwnedModel):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="pledges")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="pledges")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    amount = models.DecimalField(_("amount"), **RUPIAH, validators=[MinValueValidator(Decimal(1))])
    in_kind_description = models.TextField(_("in-kind description"), blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])  # the audit log

    class Meta(TenantOwnedModel.Meta):
        ordering = ["fund", "organization__name"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive")]

    def __str__(self) -> str:
        return f"{self.organization} · {self.amount}"


class PledgeInstallment(TenantOwnedModel):
    """One due date of a pledge's schedule."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="installments")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount"), **RUPIAH, validators=[MinValueValidator(Decimal(1))])

    class Meta(TenantOwnedModel.Meta):
        ordering = ["due_on", "id"]
        verbose_name = _("pledge installment")
        verbose_name_plural = _("pledge installments")

    def __str__(self) -> str:
        return f"{self.due_on} · {self.amount}"


class Disbursement(TenantOwnedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="disbursements")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="disbursements")
    amount = models.DecimalField(_("amount"), **RUPIAH, validators=[MinValueValidator(Decimal(1))])
    purpose = models.TextField(_("purpose"))
    planned_on = models.DateField(_("planned date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED, editable=False
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    admin_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True, editable=False)
    rejection_reason = models.TextField(_("rejection reason"), blank=True, editable=False)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])  # the audit log

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive")]

    def __str__(self) -> str:
        return f"{self.program} · {self.amount}"


class LedgerEntry(TenantOwnedModel):
    """Append-only. A receipt adds to the fund, a payment subtracts, a reversal undoes an
    earlier entry (``reverses``). ``amount`` is signed: + in, − out."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        PAYMENT = "payment", _("Payment")
        REVERSAL = "reversal", _("Reversal")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.DecimalField(**RUPIAH)
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts")
    disbursement = models.ForeignKey(
        Disbursement, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    extra_contribution = models.BooleanField(default=False)
    occurred_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True, default="")

    class Meta(TenantOwnedModel.Meta):
        ordering = ["fund", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.UniqueConstraint(
                fields=["fund", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="ledger_idempotency_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("Ledger entries are append-only; record a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Ledger entries are append-only; record a reversal instead.")


def fund_evidence_upload_path(evidence: FundEvidence, filename: str) -> str:
    return f"tenants/{evidence.tenant_id}/funds/{evidence.fund_id}/{evidence.storage_name}"


class FundEvidence(TenantOwnedModel):
    """A file supporting a receipt (proof of transfer, BAST of in-kind goods) or a disbursement
    (request, receipts of spending)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="evidence")
    entry = models.ForeignKey(LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")
    disbursement = models.ForeignKey(
        Disbursement, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(upload_to=fund_evidence_upload_path, max_length=300)
    storage_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        ordering = ["created_at", "id"]
        verbose_name = _("fund evidence")
        verbose_name_plural = _("fund evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=False) | Q(disbursement__isnull=False), name="fund_evidence_has_subject"
            )
        ]

    def __str__(self) -> str:
        return self.original_name
