"""Agreement pages: list, detail, create/edit with party rows, transitions, documents,
amendments and obligations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from organizations.access import require
from organizations.errors import ApplicationError
from organizations.models import Region

from . import documents, selectors, services
from .access import get_agreement_for_user, get_document_for_user
from .documents import private_file_response
from .forms import (
    AgreementFilterForm,
    AgreementForm,
    AmendmentForm,
    DocumentForm,
    ObligationForm,
    PartyFormSet,
    ReasonForm,
)
from .models import Agreement, Document, Obligation

PAGE_SIZE = 25

# action → (service, label, needs a reason)
TRANSITIONS = {
    "propose": (services.agreement_propose, gettext_lazy("Propose"), False),
    "activate": (services.agreement_activate, gettext_lazy("Activate"), False),
    "suspend": (services.agreement_suspend, gettext_lazy("Suspend"), True),
    "resume": (services.agreement_resume, gettext_lazy("Resume"), False),
    "terminate": (services.agreement_terminate, gettext_lazy("Terminate"), True),
    "renew": (services.agreement_renew, gettext_lazy("Renew"), False),
}


def _errors_text(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@require_GET
@vary_on_headers("HX-Request")
def agreement_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "agreement.view")
    filters = AgreementFilterForm(request.GET)
    filters.is_valid()
    data = filters.cleaned_data
    queryset = selectors.agreement_list(
        membership=request.membership,
        search=data.get("q") or "",
        partnership_type=data.get("type") or "",
        status=data.get("status") or "",
        organization=data["organization"].pk if data.get("organization") else None,
        region=data.get("region") or "",
        ends_within_days=data.get("ends_within"),
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    region = Region.objects.filter(code=data["region"]).first() if data.get("region") else None
    context = {"filters": filters, "page": page, "querystring": query.urlencode(), "filter_region": region}
    template = "partnerships/includes/_agreement_table.html" if request.htmx else "partnerships/agreement_list.html"
    return render(request, template, context)


@require_GET
def agreement_detail(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    from reporting.views import agreement_health

    agreement = get_agreement_for_user(request, pk)
    context = {
        "agreement": agreement,
        "parties": agreement.parties.all(),
        "transitions": _available_transitions(request, agreement),
        "document_form": DocumentForm(kinds=_upload_kinds(request)),
        "obligation_form": ObligationForm(agreement=agreement),
        "has_signed_document": any(d.kind == Document.Kind.SIGNED for d in agreement.documents.all()),
        "programs": agreement.programs.order_by("name"),
        "health": agreement_health(request=request, agreement=agreement),
    }
    return render(request, "partnerships/agreement_detail.html", context)


def _available_transitions(request: HttpRequest, agreement: Agreement) -> list[dict]:
    from organizations.permissions import can

    S = Agreement.Status
    allowed = {
        "propose": {S.DRAFT},
        "activate": {S.PROPOSED},
        "suspend": {S.ACTIVE},
        "resume": {S.SUSPENDED},
        "terminate": {S.ACTIVE, S.SUSPENDED},
        "renew": {S.ACTIVE, S.SUSPENDED, S.EXPIRED},
    }
    permission = {"renew": "agreement.renew"}
    return [
        {"action": action, "label": TRANSITIONS[action][1], "needs_reason": TRANSITIONS[action][2]}
        for action, states in allowed.items()
        if agreement.status in states
        and can(request.membership, permission.get(action, "agreement.transition"), agreement)
    ]


def _upload_kinds(request: HttpRequest) -> list[str] | None:
    from organizations.permissions import can

    if can(request.membership, "agreement.change"):
        return None  # every kind
    return [Document.Kind.MINUTES, Document.Kind.EVIDENCE]


@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "agreement.add")
    return _agreement_form(request, tenant_slug, agreement=None)


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk, "agreement.change")
    return _agreement_form(request, tenant_slug, agreement=agreement)


def _agreement_form(request: HttpRequest, tenant_slug: str, *, agreement: Agreement | None) -> HttpResponse:
    form = AgreementForm(request.POST or None, instance=agreement)
    initial = [
        {
            "organization": p.organization,
            "role": p.role,
            "signatory_name": p.signatory_name,
            "signatory_position": p.signatory_position,
        }
        for p in (agreement.parties.all() if agreement else [])
    ]
    parties = PartyFormSet(request.POST or None, prefix="parties", initial=initial or None)
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "regions"}
        try:
            if agreement is None:
                agreement = services.agreement_create(
                    tenant=request.tenant,
                    actor=request.user,
                    parties=parties.party_data(),
                    regions=form.cleaned_data["regions"],
                    **data,
                )
                messages.success(request, _("Agreement saved as a draft."))
            else:
                services.agreement_update(
                    agreement=agreement,
                    actor=request.user,
                    parties=parties.party_data(),
                    regions=form.cleaned_data["regions"],
                    **data,
                )
                messages.success(request, _("Changes saved."))
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(None if field in ("parties", "__all__") else field, problems)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("agreement_detail", tenant_slug=tenant_slug, pk=agreement.pk)
    context = {"form": form, "parties": parties, "agreement": agreement}
    return render(request, "partnerships/agreement_form.html", context, status=400 if request.method == "POST" else 200)


@require_GET
def agreement_party_row(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """One empty party row for the form (htmx 'add a party')."""
    require(request, "agreement.add")
    try:
        index = int(request.GET.get("index", "0"))
    except ValueError as exc:
        raise Http404 from exc
    form = PartyFormSet(prefix="parties").empty_form
    form.prefix = f"parties-{max(0, min(index, 99))}"
    return render(request, "partnerships/includes/_party_row.html", {"party_form": form})


@require_http_methods(["GET", "POST"])
def agreement_transition(request: HttpRequest, tenant_slug: str, pk: int, action: str) -> HttpResponse:
    if action not in TRANSITIONS:
        raise Http404
    service, label, needs_reason = TRANSITIONS[action]
    agreement = get_agreement_for_user(request, pk, "agreement.renew" if action == "renew" else "agreement.transition")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = service(agreement=agreement, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for problem in _errors_text(exc):
                form.add_error("reason" if needs_reason else None, problem)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if action == "renew":
                messages.success(request, _("The renewal was created as a new draft."))
            else:
                messages.success(
                    request, _("The agreement is now “%(status)s”.") % {"status": result.get_status_display()}
                )
            return redirect("agreement_detail", tenant_slug=tenant_slug, pk=result.pk)
    context = {
        "agreement": agreement,
        "form": form,
        "action": action,
        "label": label,
        "needs_reason": needs_reason,
        "has_signed_document": any(d.kind == Document.Kind.SIGNED for d in agreement.documents.all()),
    }
    return render(
        request, "partnerships/agreement_transition.html", context, status=400 if request.method == "POST" else 200
    )


# --- documents ----------------------------------------------------------------------------


@require_POST
def document_upload(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk, "agreement.document_upload")
    form = DocumentForm(request.POST, request.FILES, kinds=_upload_kinds(request))
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            documents.document_upload(
                agreement=agreement,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                name=upload.name,
                content=upload.read(),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Document uploaded."))
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
    return redirect("agreement_detail", tenant_slug=tenant_slug, pk=agreement.pk)


@require_GET
def document_download(request: HttpRequest, tenant_slug: str, pk: int, document_pk: int) -> FileResponse:
    document = get_document_for_user(request, pk, document_pk)
    return private_file_response(
        file=document.file, filename=document.original_name, content_type=document.content_type
    )


@require_POST
def document_delete(request: HttpRequest, tenant_slug: str, pk: int, document_pk: int) -> HttpResponse:
    document = get_document_for_user(request, pk, document_pk)
    require(request, "agreement.document_delete", document.agreement)
    documents.document_delete(document=document, actor=request.user)
    messages.success(request, _("Document removed."))
    return redirect("agreement_detail", tenant_slug=tenant_slug, pk=pk)


# --- amendments and obligations ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def amendment_create(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk, "agreement.amend")
    form = AmendmentForm(request.POST or None, request.FILES or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        document = None
        try:
            # The amendment and its document are saved together or not at all.
            with transaction.atomic():
                upload = form.cleaned_data.get("file")
                if upload:
                    document = documents.document_upload(
                        agreement=agreement, actor=request.user, kind=Document.Kind.AMENDMENT,
                        title=_("Amendment"), name=upload.name, content=upload.read(),
                    )  # fmt: skip
                services.amendment_create(
                    agreement=agreement,
                    actor=request.user,
                    signed_on=form.cleaned_data["signed_on"],
                    effective_on=form.cleaned_data["effective_on"],
                    summary=form.cleaned_data["summary"],
                    new_terms=form.new_terms(),
                    document=document,
                )
        except (ValidationError, ApplicationError) as exc:
            if document is not None:
                document.file.delete(save=False)  # the row was rolled back; drop its file too
            form.add_error(None, _errors_text(exc) if isinstance(exc, ValidationError) else exc.message)
        else:
            messages.success(request, _("Amendment recorded; the agreement shows the new terms."))
            return redirect("agreement_detail", tenant_slug=tenant_slug, pk=agreement.pk)
    return render(request, "partnerships/amendment_form.html", {"agreement": agreement, "form": form})


@require_POST
def obligation_create(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk, "agreement.obligations")
    form = ObligationForm(request.POST, agreement=agreement)
    if form.is_valid():
        services.obligation_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Obligation added."))
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
    return redirect("agreement_detail", tenant_slug=tenant_slug, pk=agreement.pk)


@require_POST
def obligation_toggle(request: HttpRequest, tenant_slug: str, pk: int, obligation_pk: int) -> HttpResponse:
    """Mark an obligation done today, or not done again."""
    from django.utils import timezone

    agreement = get_agreement_for_user(request, pk, "agreement.obligations")
    obligation = get_object_or_404(Obligation.objects.filter(party__agreement=agreement), pk=obligation_pk)
    done_on = None if obligation.is_done else timezone.localdate()
    services.obligation_update(obligation=obligation, actor=request.user, done_on=done_on)
    return redirect("agreement_detail", tenant_slug=tenant_slug, pk=agreement.pk)


@require_POST
def obligation_delete(request: HttpRequest, tenant_slug: str, pk: int, obligation_pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk, "agreement.obligations")
    obligation = get_object_or_404(Obligation.objects.filter(party__agreement=agreement), pk=obligation_pk)
    services.obligation_delete(obligation=obligation, actor=request.user)
    messages.success(request, _("Obligation removed."))
    return redirect("agreement_detail", tenant_slug=tenant_slug, pk=agreement.pk)
