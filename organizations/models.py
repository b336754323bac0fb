"""Tenants, people and partner organizations.

``Tenant``, ``User``, ``Membership`` and ``Region`` are global: they are what the tenant
scope is built from. Every other model here and in the other apps derives from
``TenantOwnedModel`` and is filtered by the active tenant scope (see ``tenancy.py``).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from simple_history.models import HistoricalRecords

from . import tenancy


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TenantScopedQuerySet(models.QuerySet):
    pass


class TenantScopedManager(models.Manager.from_queryset(TenantScopedQuerySet)):
    """Default manager of tenant-owned models: fail-closed filter on the active tenant."""

    def get_queryset(self) -> models.QuerySet:
        qs = super().get_queryset()
        if not settings.TENANT_ORM_SCOPING:
            return qs  # only the tests that prove the database layer alone switch this off
        tenant_id = tenancy.current_tenant_id()  # raises ScopeError outside a scope
        return qs if tenant_id is None else qs.filter(tenant_id=tenant_id)

    def none(self) -> models.QuerySet:
        # An empty queryset reveals nothing, so it needs no scope (schema generation and
        # django-filter introspection build these at import time).
        return super().get_queryset().none()


class TenantOwnedModel(TimeStampedModel):
    tenant = models.ForeignKey("organizations.Tenant", on_delete=models.CASCADE, related_name="+", editable=False)

    # Related-object access (``contact.organization``) goes through the base manager.
    # It is only reached from rows already loaded inside a scope.
    unscoped = models.Manager()
    objects = TenantScopedManager()  # the default manager (Meta.default_manager_name)

    class Meta:
        abstract = True
        default_manager_name = "objects"
        base_manager_name = "unscoped"

    def save(self, *args, **kwargs) -> None:
        active = tenancy.active_tenant_id()
        if settings.TENANT_ORM_SCOPING and active is not None and self.tenant_id != active:
            raise tenancy.ScopeError(f"Refusing to save a {type(self).__name__} of another tenant.")
        super().save(*args, **kwargs)


# --- Global models ----------------------------------------------------------------------


class Region(models.Model):
    """A Kemendagri administrative region (code ``PP.KK.CC.DDDD``), loaded by ``load_regions``."""

    class Level(models.IntegerChoices):
        PROVINSI = 1, _("Province")
        KABUPATEN_KOTA = 2, _("Regency / city")
        KECAMATAN = 3, _("District (kecamatan)")
        DESA = 4, _("Village (desa / kelurahan)")

    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20)  # provinsi, kabupaten, kota, kecamatan, desa, ...
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(_("full name"), max_length=300)  # "Cipocok Jaya, Kota Serang, Banten"
    search_name = models.CharField(max_length=120, editable=False)  # lower-case name for prefix search
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source decree"), max_length=80, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [
            models.Index(fields=["search_name"], name="region_search_name_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["code"], name="region_code_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.path or self.name


class Tenant(TimeStampedModel):
    """One health office's workspace, e.g. "Dinas Kesehatan Kabupaten Serang"."""

    class ReviewFrequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("region"))
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Jakarta")
    fiscal_year_start_month = models.PositiveSmallIntegerField(_("fiscal year starts in month"), default=1)
    review_frequency = models.CharField(
        _("health review frequency"), max_length=10, choices=ReviewFrequency.choices, default=ReviewFrequency.MONTHLY
    )
    # Dimension weights for health reviews ("D1" → number); empty = the method's defaults.
    review_weights = models.JSONField(_("health review weights"), default=dict, blank=True)
    # Progress reporting: a period's report is due this many days after the period ends, is
    # still "on time" within the grace days, and locks this many days after the due date.
    reporting_due_days = models.PositiveSmallIntegerField(_("reports due (days after period end)"), default=10)
    reporting_grace_days = models.PositiveSmallIntegerField(_("grace days"), default=5)
    require_mfa = models.BooleanField(_("require two-step verification for administrators and managers"), default=False)
    reporting_lock_days = models.PositiveSmallIntegerField(_("period locks (days after due date)"), default=30)
    # Shared funds: disbursements above this amount also need an administrator's approval.
    disbursement_admin_threshold = models.DecimalField(
        _("disbursements needing an administrator (above, Rp)"), max_digits=18, decimal_places=0, default=50_000_000
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with email and password. No username."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.email


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Manager")
    COORDINATOR = "coordinator", _("Partner coordinator")
    VIEWER = "viewer", _("Viewer")


class Membership(TimeStampedModel):
    """A user's role in one tenant. Coordinators are bound to one partner organization."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["tenant__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant"], name="membership_user_tenant_uniq"),
            models.CheckConstraint(
                condition=~models.Q(role="coordinator") | models.Q(organization__isnull=False),
                name="membership_coordinator_has_org",
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant} ({self.role})"


class ApiToken(AbstractAuthToken):
    """A knox token (only its digest is stored) with a name the user chose."""

    name = models.CharField(_("name"), max_length=80, default="")

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")


# --- Tenant-owned models ----------------------------------------------------------------


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(TenantOwnedModel):
    """An admin's invitation for an email address to join the tenant with a role."""

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("organization")
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class OrganizationQuerySet(TenantScopedQuerySet):
    def active(self) -> OrganizationQuerySet:
        return self.filter(archived_at__isnull=True)


class Organization(TenantOwnedModel):
    """A partner organization: puskesmas, hospital, NGO, company, community group, ..."""

    class Kind(models.TextChoices):
        DINAS_KESEHATAN = "dinas_kesehatan", _("Health office (Dinas Kesehatan)")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        RUMAH_SAKIT = "rumah_sakit", _("Hospital")
        KLINIK = "klinik", _("Clinic")
        LABORATORIUM = "laboratorium", _("Laboratory")
        APOTEK = "apotek", _("Pharmacy")
        NGO = "ngo", _("NGO")
        SWASTA = "swasta", _("Private company")
        ASURANSI = "asuransi", _("Insurer (BPJS)")
        UNIVERSITAS = "universitas", _("University")
        KOMUNITAS = "komunitas", _("Community group")
        SEKOLAH = "sekolah", _("School")
        KELOMPOK_PASIEN = "kelompok_pasien", _("Patient group")
        PEMERINTAH_LAIN = "pemerintah_lain", _("Other government body")

    class Sector(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")
        COMMUNITY = "community", _("Community")

    # Health-service providers, for the partnership-type rules of agreements.
    PROVIDER_KINDS = frozenset({Kind.PUSKESMAS, Kind.RUMAH_SAKIT, Kind.KLINIK, Kind.LABORATORIUM, Kind.APOTEK})
    # The sector a kind usually has, used as the form's default.
    DEFAULT_SECTOR = {
        Kind.DINAS_KESEHATAN: Sector.PUBLIC,
        Kind.PUSKESMAS: Sector.PUBLIC,
        Kind.RUMAH_SAKIT: Sector.PUBLIC,
        Kind.KLINIK: Sector.PRIVATE,
        Kind.LABORATORIUM: Sector.PUBLIC,
        Kind.APOTEK: Sector.PRIVATE,
        Kind.NGO: Sector.COMMUNITY,
        Kind.SWASTA: Sector.PRIVATE,
        Kind.ASURANSI: Sector.PUBLIC,
        Kind.UNIVERSITAS: Sector.PUBLIC,
        Kind.KOMUNITAS: Sector.COMMUNITY,
        Kind.SEKOLAH: Sector.PUBLIC,
        Kind.KELOMPOK_PASIEN: Sector.COMMUNITY,
        Kind.PEMERINTAH_LAIN: Sector.PUBLIC,
    }

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    objects = TenantScopedManager.from_queryset(OrganizationQuerySet)()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(TenantOwnedModel.Meta):
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                "tenant",
                Lower("name"),
                name="organization_name_uniq_per_tenant",
                violation_error_message=_("An organization with this name already exists."),
            )
        ]
        indexes = [models.Index(fields=["tenant", "kind"]), models.Index(fields=["tenant", "sector"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_provider(self) -> bool:
        return self.kind in self.PROVIDER_KINDS


class Contact(TenantOwnedModel):
    """A person at a partner organization; exactly one may be the focal point (narahubung)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_focal_point = models.BooleanField(_("focal point"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-is_focal_point", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_focal_point=True),
                name="contact_one_focal_point_per_org",
                violation_error_message=_("An organization has only one focal point."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(TenantOwnedModel):
    """An upload of organizations: validated row by row, saved only after confirmation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Checking rows")
        VALIDATED = "validated", _("Checked, awaiting confirmation")
        IMPORTING = "importing", _("Saving")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(upload_to="imports/%Y/%m/")  # the actual path is set by the service
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # [{"row": 2, "values": {...}, "errors": {"field": ["message", ...]}}, ...]
    rows = models.JSONField(default=list, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        verbose_name = _("organization import")
        verbose_name_plural = _("organization imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def valid_rows(self) -> list[dict]:
        return [r for r in self.rows if not r["errors"]]

    @property
    def invalid_rows(self) -> list[dict]:
        return [r for r in self.rows if r["errors"]]

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.VALIDATING, self.Status.IMPORTING}


class Notification(TenantOwnedModel):
    """An in-app notice for one person (the bell in the navigation). ``key`` makes sending
    idempotent: the same notice is never stored twice for a user."""

    class Kind(models.TextChoices):
        AGREEMENT_ENDING = "agreement_ending", _("Agreement ending")
        AGREEMENT_EXPIRED = "agreement_expired", _("Agreement expired")
        REPORT_DUE = "report_due", _("Report due soon")
        REPORT_OVERDUE = "report_overdue", _("Report overdue")
        PLEDGE_DUE = "pledge_due", _("Pledge falling due")
        PLEDGE_OVERDUE = "pledge_overdue", _("Pledge overdue")
        FUND_DRIFT = "fund_drift", _("Fund balance does not match its ledger")
        HEALTH_WORSENED = "health_worsened", _("Partnership health worsened")
        HEALTH_DIGEST = "health_digest", _("Weekly partnership health digest")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=120)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user_key")]
        indexes = [models.Index(fields=["user", "tenant", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        from .notifications import render_message

        return render_message(self)


class IdempotencyRecord(TenantOwnedModel):
    """The first response to a money-moving API request sent with an ``Idempotency-Key``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()

    class Meta(TenantOwnedModel.Meta):
        constraints = [models.UniqueConstraint(fields=["tenant", "user", "key"], name="idempotency_key_once")]
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")

    def __str__(self) -> str:
        return self.key


class OutboxJob(TenantOwnedModel):
    """A background job, written in the same transaction as the work that needs it and published
    to Celery once that transaction commits (``organizations.outbox``). A broker that is down, or
    that loses its messages, leaves the row open; the sweeper publishes it again."""

    task = models.CharField(max_length=200)  # the Celery task name
    args = models.JSONField(default=list)  # ids and ISO dates only; the first is the tenant id
    attempts = models.PositiveSmallIntegerField(default=0)  # times handed to the broker
    last_sent_at = models.DateTimeField(null=True, blank=True)  # null: not (successfully) published yet
    done_at = models.DateTimeField(null=True, blank=True)  # the task finished (see last_error)
    gave_up_at = models.DateTimeField(null=True, blank=True)  # the sweeper stopped after the attempt cap
    last_error = models.TextField(blank=True)  # why publishing, or the task, failed last

    class Meta(TenantOwnedModel.Meta):
        ordering = ["id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [
            # the sweeper's query: open rows by when they were last published
            models.Index(
                fields=["last_sent_at"],
                condition=models.Q(done_at__isnull=True, gave_up_at__isnull=True),
                name="outbox_open_idx",
            ),
            # the sweeper's purge of rows done long ago
            models.Index(fields=["done_at"], condition=models.Q(done_at__isnull=False), name="outbox_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
