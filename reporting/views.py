"""Health-review pages under ``/t/<tenant_slug>/tinjauan/``: the tenant overview with "run now"
and its progress, one review with its reasons and the confirm / override form, and the
administrator's weights. The agreement page shows the health panel (partnerships/views.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations.access import require
from organizations.errors import add_to_form
from partnerships.access import get_agreement_for_user
from partnerships.models import Agreement

from . import selectors, services
from .forms import ConfirmForm, OverviewFilterForm, WeightsForm
from .health_inputs import reviewable_agreements
from .models import Band, HealthReview, ReviewRun, SurveyRound

PAGE_SIZE = 25


@require_GET
def health_overview(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "review.view")
    filters = OverviewFilterForm(request.GET)
    filters.is_valid()
    data = filters.cleaned_data
    queryset = selectors.latest_reviews(
        band=data.get("band") or "",
        partnership_type=data.get("type") or "",
        region=data.get("region") or "",
        q=data.get("q") or "",
        sort=data.get("sort") or "score",
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = selectors.band_counts()
    region = None
    if data.get("region"):
        from organizations.models import Region

        region = Region.objects.filter(code=data["region"]).first()
    context = {
        "filters": filters,
        "page": page,
        "querystring": query.urlencode(),
        "band_cards": [(band, counts.get(band, 0)) for band in Band.values],
        "unreviewed": selectors.unreviewed_count(),
        "run": selectors.current_run(),
        "filter_region": region,
        "period": services.period_of(timezone.localdate(), request.tenant.review_frequency)[0],
    }
    return render(request, "reporting/health_overview.html", context)


@require_POST
def health_run(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "review.run")
    running = selectors.current_run()
    if running is None:
        services.review_run_start(tenant=request.tenant, actor=request.user)
        messages.info(request, _("Health reviews are being computed; this page shows the progress."))
    return redirect("health_overview", tenant_slug=tenant_slug)


@require_GET
def health_run_status(request: HttpRequest, tenant_slug: str, run_pk: int) -> HttpResponse:
    require(request, "review.view")
    run = get_object_or_404(ReviewRun.objects.all(), pk=run_pk)
    response = render(request, "reporting/includes/_run_progress.html", {"run": run})
    if run.status in (ReviewRun.Status.DONE, ReviewRun.Status.FAILED) and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # show the new figures
    return response


@require_POST
def agreement_health_run(request: HttpRequest, tenant_slug: str, agreement_pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, agreement_pk)
    require(request, "review.run")
    if not reviewable_agreements([agreement.pk]).exists():
        messages.error(request, _("Only active partnerships are reviewed."))
    else:
        services.review_run_start(tenant=request.tenant, actor=request.user, agreement_ids=[agreement.pk])
        messages.success(request, _("Health review updated."))
    return redirect(reverse("agreement_detail", kwargs={"tenant_slug": tenant_slug, "pk": agreement.pk}) + "#kesehatan")


def _review(request: HttpRequest, pk: int) -> HealthReview:
    require(request, "review.view")
    return get_object_or_404(HealthReview.objects.select_related("agreement", "confirmed_by"), pk=pk)


@require_GET
def health_review_detail(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    review = _review(request, pk)
    return render(request, "reporting/health_review_detail.html", _detail_context(review, ConfirmForm(initial={
        "band": review.override_band, "note": review.review_note})))  # fmt: skip


def _detail_context(review: HealthReview, form: ConfirmForm) -> dict:
    history = selectors.agreement_history(agreement=review.agreement)
    return {
        "review": review,
        "agreement": review.agreement,
        "form": form,
        "history": history,
        "trend": _trend(history),
    }


def _trend(history: list[HealthReview]) -> dict:
    return {
        "labels": [r.period for r in history],
        "scores": [float(r.score) if r.score is not None else None for r in history],
        "label": _("Score"),
    }


@require_POST
def health_review_confirm(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    review = _review(request, pk)
    require(request, "review.confirm")
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.review_confirm(review=review, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Review confirmed."))
            return redirect("health_review_detail", tenant_slug=tenant_slug, pk=review.pk)
    return render(request, "reporting/health_review_detail.html", _detail_context(review, form), status=400)


@require_http_methods(["GET", "POST"])
def health_weights(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "review.weights")
    current = services.tenant_weights(request.tenant)
    form = WeightsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.weights_update(tenant=request.tenant, actor=request.user, weights=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Weights saved; the next review uses them."))
            return redirect("health_overview", tenant_slug=tenant_slug)
    return render(request, "reporting/health_weights.html", {"form": form, "current": current})


def agreement_health(*, request: HttpRequest, agreement: Agreement) -> dict | None:
    """The health panel's context for the agreement page (None when the member may not see it)."""
    from organizations.permissions import can

    if not can(request.membership, "review.view"):
        return None
    history = selectors.agreement_history(agreement=agreement, limit=24)
    latest = history[-1] if history else None
    return {
        "latest": latest,
        "history": history,
        "trend": _trend(history),
        "reviewable": reviewable_agreements([agreement.pk]).exists(),
        "survey": SurveyRound.objects.filter(agreement=agreement).annotate(answers=Count("responses")).first(),
        "today": timezone.localdate(),
    }
