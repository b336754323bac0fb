"""Partner-survey pages: the public page behind a focal point's signed link (no account
needed), the in-app page where a signed-in coordinator answers for their organization, and
staff's list, results, open and close."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations.access import require
from organizations.models import Organization, Role
from organizations.tenancy import tenant_scope
from partnerships.access import get_agreement_for_user

from . import surveys
from .models import SurveyResponse, SurveyRound


def _form_context(survey: SurveyRound, organization: Organization, *, errors=None, data=None) -> dict:
    data = data or {}
    return {
        "survey": survey,
        "agreement": survey.agreement,
        "organization": organization,
        "items": [
            {"code": code, "text": text, "value": str(data.get(code, "")), "error": (errors or {}).get(code)}
            for code, _construct, text in surveys.ITEMS
        ],
        "scale": surveys.SCALE,
        "errors": errors or {},
        "comment": data.get("comment", ""),
        "respondent_name": data.get("respondent_name", ""),
    }


def _submit(request, survey, organization, *, user=None) -> tuple[bool, dict | None, str | None]:
    try:
        surveys.response_submit(
            survey=survey, organization=organization, answers=request.POST, user=user,
            respondent_name=request.POST.get("respondent_name", ""), comment=request.POST.get("comment", ""),
        )  # fmt: skip
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            return False, {k: v[0].messages[0] for k, v in exc.error_dict.items()}, None
        return False, None, exc.messages[0]
    return True, None, None


# --- the focal point's signed link (public) -------------------------------------------------


@require_http_methods(["GET", "POST"])
def survey_public(request: HttpRequest, token: str) -> HttpResponse:
    try:
        tenant_id, round_id, organization_id = surveys.read_token(token)
    except signing.SignatureExpired:
        return render(request, "reporting/survey_closed.html", {"message": surveys.ROUND_CLOSED}, status=410)
    except signing.BadSignature as exc:
        raise Http404 from exc
    with tenant_scope(tenant_id):
        survey = get_object_or_404(SurveyRound.objects.select_related("agreement"), pk=round_id)
        organization = get_object_or_404(Organization.objects.all(), pk=organization_id)
        today = timezone.localdate()
        if not survey.is_open(today):
            return render(request, "reporting/survey_closed.html", {"message": surveys.ROUND_CLOSED}, status=410)
        if SurveyResponse.objects.filter(round=survey, organization=organization).exists():
            return render(
                request, "reporting/survey_closed.html", {"message": surveys.ALREADY_ANSWERED, "thanks": True}
            )
        if request.method == "POST":
            ok, errors, problem = _submit(request, survey, organization)
            if ok:
                return render(request, "reporting/survey_closed.html", {"thanks": True})
            if problem:
                return render(request, "reporting/survey_closed.html", {"message": problem}, status=409)
            context = _form_context(survey, organization, errors=errors, data=request.POST)
            return render(request, "reporting/survey_form.html", {**context, "public": True}, status=400)
        return render(request, "reporting/survey_form.html", {**_form_context(survey, organization), "public": True})


# --- inside the app ---------------------------------------------------------------------------


@require_GET
def survey_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "survey.view")
    rounds = SurveyRound.objects.select_related("agreement").prefetch_related("responses__organization")
    membership = request.membership
    if membership.role == Role.COORDINATOR:
        rounds = rounds.filter(agreement__parties__organization_id=membership.organization_id).distinct()
    today = timezone.localdate()
    rows = [
        {
            "survey": r,
            "open": r.is_open(today),
            "answered": membership.organization_id in {x.organization_id for x in r.responses.all()},
        }
        for r in rounds[:100]
    ]
    return render(request, "reporting/survey_list.html", {"rows": rows})


def _round(request: HttpRequest, round_pk: int) -> SurveyRound:
    require(request, "survey.view")
    survey = get_object_or_404(SurveyRound.objects.select_related("agreement"), pk=round_pk)
    if request.membership.role == Role.COORDINATOR:
        if not survey.agreement.parties.filter(organization_id=request.membership.organization_id).exists():
            raise Http404
    return survey


@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, tenant_slug: str, round_pk: int) -> HttpResponse:
    """Coordinators answer here for their organization; staff see the results."""
    survey = _round(request, round_pk)
    membership = request.membership
    if membership.role == Role.COORDINATOR:
        organization = membership.organization
        answered = SurveyResponse.objects.filter(round=survey, organization=organization).exists()
        if request.method == "POST" and not answered:
            ok, errors, problem = _submit(request, survey, organization, user=request.user)
            if ok:
                messages.success(request, _("Thank you: your organization's answers are recorded."))
                return redirect("survey_detail", tenant_slug=tenant_slug, round_pk=survey.pk)
            if problem:
                messages.error(request, problem)
                return redirect("survey_detail", tenant_slug=tenant_slug, round_pk=survey.pk)
            context = _form_context(survey, organization, errors=errors, data=request.POST)
            return render(request, "reporting/survey_answer.html", {**context, "answered": False}, status=400)
        context = _form_context(survey, organization)
        context.update(answered=answered, open=survey.is_open(timezone.localdate()))
        return render(request, "reporting/survey_answer.html", context)
    if request.method == "POST":
        raise Http404
    return render(request, "reporting/survey_results.html", _results_context(survey))


def _results_context(survey: SurveyRound) -> dict:
    responses = list(survey.responses.select_related("organization").order_by("organization__name"))
    constructs: dict[str, list[float]] = {}
    for response in responses:
        by_construct: dict[str, list[int]] = {}
        for code, construct, _text in surveys.ITEMS:
            by_construct.setdefault(construct, []).append(response.answers.get(code, 0))
        for construct, values in by_construct.items():
            constructs.setdefault(construct, []).append(sum(values) / len(values))
    members = survey.agreement.parties.count()
    return {
        "survey": survey,
        "agreement": survey.agreement,
        "responses": responses,
        "members": members,
        "constructs": [
            {"code": code, "mean": sum(v) / len(v), "organizations": len(v)} for code, v in sorted(constructs.items())
        ],
        "open": survey.is_open(timezone.localdate()),
        # For sharing by hand (e.g. in the partnership's WhatsApp group) when an email is missing.
        "links": [
            (party.organization, surveys.link_for(survey, party.organization))
            for party in survey.agreement.parties.select_related("organization").order_by("organization__name")
        ],
    }


@require_POST
def survey_open(request: HttpRequest, tenant_slug: str, agreement_pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, agreement_pk)
    require(request, "survey.manage")
    try:
        days = int(request.POST.get("days") or surveys.DEFAULT_DAYS)
        survey = surveys.round_open(agreement=agreement, actor=request.user, days=days)
    except (ValueError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(
            reverse("agreement_detail", kwargs={"tenant_slug": tenant_slug, "pk": agreement.pk}) + "#kesehatan"
        )
    messages.success(request, _("Survey opened; each party's focal point has been emailed their link."))
    return redirect("survey_detail", tenant_slug=tenant_slug, round_pk=survey.pk)


@require_POST
def survey_close(request: HttpRequest, tenant_slug: str, round_pk: int) -> HttpResponse:
    survey = _round(request, round_pk)
    require(request, "survey.manage")
    surveys.round_close(survey=survey, actor=request.user)
    messages.success(request, _("Survey closed."))
    return redirect("survey_detail", tenant_slug=tenant_slug, round_pk=survey.pk)
