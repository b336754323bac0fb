"""Writes of health reviews: compute (idempotent upsert per agreement and period), confirm or
override, and the notices when a partnership's band worsens."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from organizations.models import Membership, Notification, Role, Tenant, User

from . import health_inputs
from .health_types import AgreementInputs
from .method import DEFAULT_WEIGHTS, validate_weights
from .models import BAND_RANK, Band, HealthReview, ReviewRun
from .scoring import score

NOTE_REQUIRED = _("Explain the override in a note.")


# --- periods ---------------------------------------------------------------------------------


def period_of(day: datetime.date, frequency: str) -> tuple[str, datetime.date]:
    """The review period containing ``day`` (key, last day): "2026-W48", "2026-11" or "2026-Q4"."""
    if frequency == Tenant.ReviewFrequency.WEEKLY:
        year, week, weekday = day.isocalendar()
        return f"{year}-W{week:02d}", day + datetime.timedelta(days=7 - weekday)
    if frequency == Tenant.ReviewFrequency.QUARTERLY:
        quarter = (day.month - 1) // 3 + 1
        last_month = quarter * 3
        return f"{day.year}-Q{quarter}", _month_end(day.year, last_month)
    return f"{day.year}-{day.month:02d}", _month_end(day.year, day.month)


def period_start(day: datetime.date, frequency: str) -> datetime.date:
    if frequency == Tenant.ReviewFrequency.WEEKLY:
        return day - datetime.timedelta(days=day.isoweekday() - 1)
    if frequency == Tenant.ReviewFrequency.QUARTERLY:
        return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return day.replace(day=1)


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def tenant_weights(tenant: Tenant) -> dict[str, Decimal]:
    weights = {k: Decimal(str(v)) for k, v in (tenant.review_weights or {}).items()}
    return validate_weights({**DEFAULT_WEIGHTS, **weights})


# --- computing -------------------------------------------------------------------------------


def input_hash(inputs: AgreementInputs) -> str:
    """SHA-256 of the inputs' ``repr``: frozen dataclasses of tuples, dates and ``Decimal``s whose
    repr is canonical (and an order of magnitude cheaper than a JSON dump of ``asdict``)."""
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


# Agreements gathered at once: bounds a worker's memory whatever the tenant's size (a district of
# 1,000 agreements is four chunks of 23 queries each).
GATHER_CHUNK = 250

_COMPUTED_FIELDS = [
    "review_date", "method_version", "weights", "input_hash", "score", "band", "computed_band", "confidence",
    "dimensions", "flags", "reasons", "checklist", "computed_at", "updated_at",
]  # fmt: skip
_CONFIRMATION_FIELDS = ["confirmed_by", "confirmed_at", "override_band"]


def reviews_compute(
    *, tenant: Tenant, today: datetime.date, agreement_ids: list[int] | None = None, run: ReviewRun | None = None,
    notify: bool = True, backfill: bool = False,
) -> list[HealthReview]:  # fmt: skip
    """Review every reviewable agreement (or the given ones) for the period containing ``today``.
    The same period again updates the review in place; a manager's confirmation survives only
    if the computed band did not change. Set-based: per chunk of agreements a fixed number of
    reads, per batch one upsert."""
    period, _last_day = period_of(today, tenant.review_frequency)
    weights = tenant_weights(tenant)
    ids = list(
        health_inputs.reviewable_agreements(agreement_ids, as_of=today if backfill else None).values_list(
            "pk", flat=True
        )
    )
    if run is not None:
        ReviewRun.objects.filter(pk=run.pk).update(status=ReviewRun.Status.RUNNING, total=len(ids))
    # Reviews committed together (one upsert per batch); a worker killed mid-run redoes at most
    # one uncommitted batch on redelivery.
    batch = settings.HEALTH_REVIEW_WRITE_BATCH
    reviews: list[HealthReview] = []
    for chunk_start in range(0, len(ids), GATHER_CHUNK):
        chunk = ids[chunk_start : chunk_start + GATHER_CHUNK]
        inputs = health_inputs.gather_inputs(review_date=today, agreement_ids=chunk, backfill=backfill)
        existing = {
            r.agreement_id: r
            for r in HealthReview.objects.filter(agreement_id__in=chunk, period=period).only(
                "agreement_id", "band", *_CONFIRMATION_FIELDS
            )
        }
        todo = sorted(inputs.items())
        for start in range(0, len(todo), batch):
            scored = [(agreement_inputs, score(agreement_inputs, weights=weights)) for _id, agreement_inputs in todo[start : start + batch]]  # fmt: skip
            with transaction.atomic():
                written = _upsert(tenant, period, today, scored, existing)
                if notify:
                    for agreement_inputs, review in zip((i for i, _r in scored), written, strict=True):
                        _notify_if_worse(tenant, agreement_inputs, review)
            reviews.extend(written)
            if run is not None:
                ReviewRun.objects.filter(pk=run.pk).update(done=len(reviews))
    return reviews


def _upsert(tenant, period, today, scored, existing: dict[int, HealthReview]) -> list[HealthReview]:
    """One ``INSERT … ON CONFLICT (agreement, period) DO UPDATE`` per kind of row: reviews whose
    band changed (or new ones) lose their confirmation, the others keep it. The unique constraint
    makes a concurrent or redelivered duplicate an update."""
    now = timezone.now()
    keep, reset = [], []
    for inputs, result in scored:
        review = HealthReview(
            tenant=tenant, agreement_id=inputs.agreement_id, period=period, review_date=today,
            method_version=result.method_version, weights=_jsonable(result.weights), input_hash=input_hash(inputs),
            score=result.score, band=result.band, computed_band=result.computed_band, confidence=result.confidence,
            dimensions=_jsonable(result.dimensions),
            flags=_jsonable([dataclasses.asdict(f) for f in result.flags]),
            reasons=_jsonable([dataclasses.asdict(r) for r in result.reasons]),
            checklist=list(result.checklist), computed_at=now,
        )  # fmt: skip
        before = existing.get(inputs.agreement_id)
        if before is not None and before.band == result.band:
            for name in ("confirmed_by_id", "confirmed_at", "override_band"):
                setattr(review, name, getattr(before, name))
            keep.append(review)
        else:
            reset.append(review)
    for rows, fields in ((reset, _COMPUTED_FIELDS + _CONFIRMATION_FIELDS), (keep, _COMPUTED_FIELDS)):
        if rows:
            HealthReview.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["agreement", "period"], update_fields=fields
            )
    order = {inputs.agreement_id: n for n, (inputs, _result) in enumerate(scored)}
    return sorted(keep + reset, key=lambda r: order[r.agreement_id])


def _notify_if_worse(tenant: Tenant, inputs: AgreementInputs, review: HealthReview) -> int:
    """Managers and administrators hear when the band gets worse than the previous period's."""
    from organizations.notifications import notify

    if not inputs.previous:
        return 0
    previous = inputs.previous[-1].band
    if BAND_RANK.get(review.band, 0) <= BAND_RANK.get(previous, 0) or review.band in (Band.INSUFFICIENT, Band.EARLY):
        return 0
    from .reasons import render

    staff = [
        m.user
        for m in Membership.objects.filter(tenant=tenant, role__in=[Role.ADMIN, Role.MANAGER]).select_related("user")
    ]
    with override("id"):
        labels = {"band_label": str(Band(review.band).label), "previous_label": str(Band(previous).label)}
        top = [render(_reason_from_json(r)) for r in review.reasons[:3]]
    return notify(
        tenant=tenant,
        users=staff,
        kind=Notification.Kind.HEALTH_WORSENED,
        key=f"health:{review.agreement_id}:{review.period}:{review.band}",
        params={
            "title": inputs.title,
            "band": review.band,
            "previous": previous,
            "score": str(review.score) if review.score is not None else "—",
            "reasons": top,
            **labels,
        },  # fmt: skip
        link=f"/t/{tenant.slug}/kemitraan/{review.agreement_id}/#kesehatan",
        email_template="health_worsened",
    )


def _reason_from_json(data: dict):
    from .health_types import Reason

    return Reason(**{**data, "challenge_tags": tuple(data.get("challenge_tags", ()))})


# --- the reviewer's word ---------------------------------------------------------------------


@transaction.atomic
def review_confirm(*, review: HealthReview, actor: User, band: str = "", note: str = "") -> HealthReview:
    """Confirm the computed band, or override it (a note is then required). The computed
    result stays beside the override."""
    review = HealthReview.objects.select_for_update().get(pk=review.pk)
    band = band if band and band != review.band else ""
    if band and band not in Band.values:
        raise ValidationError({"band": [_("Choose a band.")]})
    if band and not note.strip():
        raise ValidationError({"note": [NOTE_REQUIRED]})
    review.override_band = band
    review.review_note = note.strip()
    review.confirmed_by = actor
    review.confirmed_at = timezone.now()
    review.save(update_fields=["override_band", "review_note", "confirmed_by", "confirmed_at", "updated_at"])
    return review


def weights_update(*, tenant: Tenant, actor: User, weights: dict) -> Tenant:
    try:
        cleaned = validate_weights({**DEFAULT_WEIGHTS, **{k: Decimal(str(v)) for k, v in weights.items()}})
    except ValueError as exc:
        raise ValidationError({"weights": [str(exc)]}) from exc
    tenant.review_weights = {k: str(v) for k, v in cleaned.items()}
    tenant.save(update_fields=["review_weights", "updated_at"])
    return tenant


# --- runs ("Jalankan sekarang" and the schedule) ----------------------------------------------


def review_run_execute(
    *, tenant: Tenant, today: datetime.date, run: ReviewRun | None = None, agreement_ids: list[int] | None = None
) -> int:
    try:
        reviews = reviews_compute(tenant=tenant, today=today, agreement_ids=agreement_ids, run=run)
    except Exception as exc:
        if run is not None:
            ReviewRun.objects.filter(pk=run.pk).update(status=ReviewRun.Status.FAILED, error=str(exc)[:2000])
        raise
    if run is not None:
        ReviewRun.objects.filter(pk=run.pk).update(
            status=ReviewRun.Status.DONE, done=len(reviews), total=len(reviews), finished_at=timezone.now()
        )
    return len(reviews)


def review_run_start(
    *, tenant: Tenant, actor: User | None, today: datetime.date | None = None, agreement_ids: list[int] | None = None
) -> ReviewRun:
    """Queue a run; one agreement runs at once (the page shows it right away), a tenant-wide run
    in the worker with a progress bar. The run and its job commit together: when the broker is
    down the run waits, queued, until the outbox sweeper publishes it."""
    from organizations.outbox import enqueue

    from .tasks import health_review_tenant

    today = today or timezone.localdate()
    period, _last = period_of(today, tenant.review_frequency)
    if agreement_ids is not None:
        run = ReviewRun.objects.create(tenant=tenant, period=period, requested_by=actor)
        review_run_execute(tenant=tenant, today=today, run=run, agreement_ids=agreement_ids)
        run.refresh_from_db()
        return run
    with transaction.atomic():
        run = ReviewRun.objects.create(tenant=tenant, period=period, requested_by=actor)
        enqueue(health_review_tenant, tenant.pk, today.isoformat(), run.pk)
    return run


# --- the weekly digest -------------------------------------------------------------------------


DIGEST_ROWS = 40


def digest_weekly(*, tenant: Tenant, today: datetime.date) -> int:
    """Email managers and administrators the bands of every reviewed partnership and the changes
    of the past seven days (once per ISO week)."""
    from organizations.notifications import notify

    from .selectors import latest_reviews

    latest = list(latest_reviews(sort="score"))
    if not latest:
        return 0
    week_ago = today - datetime.timedelta(days=7)
    previous = {}
    for review in HealthReview.objects.filter(
        agreement_id__in=[r.agreement_id for r in latest], review_date__lt=week_ago
    ).order_by("agreement_id", "review_date"):
        previous[review.agreement_id] = review.effective_band
    rows, changes = [], []
    with override("id"):
        for review in latest:
            before = previous.get(review.agreement_id)
            row = {
                "title": review.agreement.title,
                "band": str(Band(review.effective_band).label),
                "score": str(review.score) if review.score is not None else "—",
                "previous": str(Band(before).label) if before and before != review.effective_band else "",
            }
            rows.append(row)
            if row["previous"] and review.review_date >= week_ago:
                changes.append(row)
    counts = {band: sum(1 for r in latest if r.effective_band == band) for band in Band.values}
    staff = [
        m.user
        for m in Membership.objects.filter(tenant=tenant, role__in=[Role.ADMIN, Role.MANAGER]).select_related("user")
    ]
    year, week, _weekday = today.isocalendar()
    return notify(
        tenant=tenant,
        users=staff,
        kind=Notification.Kind.HEALTH_DIGEST,
        key=f"health-digest:{year}-W{week:02d}",
        params={
            "healthy": counts[Band.HEALTHY],
            "watch": counts[Band.WATCH],
            "at_risk": counts[Band.AT_RISK],
            "changes": len(changes),
            "changed": changes[:DIGEST_ROWS],
            # the weakest first (the list is sorted by score), at most DIGEST_ROWS in the email
            "rows": rows[:DIGEST_ROWS],
            "more": max(len(rows) - DIGEST_ROWS, 0),
        },  # fmt: skip
        link=f"/t/{tenant.slug}/tinjauan/",
        email_template="health_digest",
    )
