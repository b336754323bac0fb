"""Reads of health reviews: the tenant overview (latest review per agreement) and an
agreement's history, set-based."""

from __future__ import annotations

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from partnerships.models import Agreement, AgreementRegion

from .health_inputs import reviewable_agreements
from .models import HealthReview, ReviewRun

SORTS = {
    "score": (F("score").asc(nulls_last=True), "agreement__title"),
    "-score": (F("score").desc(nulls_last=True), "agreement__title"),
    "title": ("agreement__title",),
    "date": ("-review_date", "agreement__title"),
}


def latest_reviews(
    *, band: str = "", partnership_type: str = "", region: str = "", q: str = "", sort: str = "score"
) -> QuerySet[HealthReview]:
    """Each reviewable agreement's latest review (one query for the page)."""
    latest = HealthReview.objects.filter(agreement=OuterRef("agreement_id")).order_by("-review_date", "-id")
    qs = HealthReview.objects.filter(
        agreement__in=reviewable_agreements(), pk=Subquery(latest.values("pk")[:1])
    ).select_related("agreement")
    if band:
        qs = qs.filter(Q(override_band=band) | Q(override_band="", band=band))
    if partnership_type:
        qs = qs.filter(agreement__partnership_type=partnership_type)
    if region:
        qs = qs.filter(
            agreement_id__in=AgreementRegion.objects.filter(
                Q(region__code=region) | Q(region__code__startswith=f"{region}.")
            ).values("agreement_id")
        )
    if q:
        qs = qs.filter(Q(agreement__title__icontains=q) | Q(agreement__number__icontains=q))
    return qs.order_by(*SORTS.get(sort, SORTS["score"]), "pk")


def band_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for review in latest_reviews().values_list("band", "override_band"):
        band = review[1] or review[0]
        counts[band] = counts.get(band, 0) + 1
    return counts


def unreviewed_count() -> int:
    return reviewable_agreements().exclude(pk__in=HealthReview.objects.values("agreement_id")).count()


def agreement_history(*, agreement: Agreement, limit: int = 24) -> list[HealthReview]:
    """The agreement's reviews, oldest first (the trend chart), at most ``limit``."""
    reviews = list(
        HealthReview.objects.filter(agreement=agreement)
        .select_related("confirmed_by")
        .order_by("-review_date", "-id")[:limit]
    )
    return list(reversed(reviews))


def current_run() -> ReviewRun | None:
    return ReviewRun.objects.filter(status__in=[ReviewRun.Status.QUEUED, ReviewRun.Status.RUNNING]).first()
