"""Shared-fund pages under ``/t/<tenant_slug>/dana/``: the fund list, a fund's statement,
pledge / receipt / disbursement forms, the disbursement page with its workflow, the ledger
with reversals, and the approval queue. Views parse and render; the rules live in
``fund_services`` and the reads in ``fund_selectors``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations.access import require
from organizations.errors import ApplicationError, add_to_form
from organizations.models import Role

from . import fund_selectors as selectors
from . import fund_services as services
from .fund_forms import (
    DisbursementForm,
    EvidenceForm,
    FundFilterForm,
    FundForm,
    FundReasonForm,
    InstallmentFormSet,
    PayForm,
    PledgeForm,
    ReceiptForm,
)
from .models import Disbursement, Fund, FundEvidence, LedgerEntry, Pledge

PAGE_SIZE = 25
LEDGER_PAGE_SIZE = 50
RECENT = 10


def _upload(form) -> list[tuple[str, bytes]]:
    file = form.cleaned_data.get("evidence") or form.cleaned_data.get("file")
    return [(file.name, file.read())] if file else []


def get_fund_for_user(request: HttpRequest, pk: int, permission: str = "fund.view") -> Fund:
    require(request, permission)
    return get_object_or_404(selectors.funds_visible_to(request.membership).select_related("agreement"), pk=pk)


def _disbursement(request: HttpRequest, fund: Fund, pk: int) -> Disbursement:
    return get_object_or_404(
        Disbursement.objects.filter(fund=fund).select_related(
            "program", "requested_by", "approved_by", "admin_approved_by"
        ),
        pk=pk,
    )


# --- list and statement ---------------------------------------------------------------------


@require_GET
def fund_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "fund.view")
    filters = FundFilterForm(request.GET)
    filters.is_valid()
    queryset = selectors.fund_list(membership=request.membership, q=filters.cleaned_data.get("q") or "")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    waiting = (
        selectors.approval_queue(membership=request.membership).count() if request.membership.role != "viewer" else 0
    )
    context = {"filters": filters, "page": page, "querystring": query.urlencode(), "waiting": waiting}
    return render(request, "programs/funds/fund_list.html", context)


@require_GET
def fund_detail(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk)
    today = timezone.localdate()
    statement = selectors.fund_statement(fund=fund, today=today)
    disbursements = list(
        Disbursement.objects.filter(fund=fund).select_related("program").order_by("-created_at", "-id")[:RECENT]
    )
    ledger = list(
        LedgerEntry.objects.filter(fund=fund)
        .select_related("pledge__organization", "disbursement__program")
        .order_by("-id")[:RECENT]
    )
    charts = {
        "contributors": {
            "labels": [line.organization for line in statement.contributors],
            "pledged": [int(line.pledged) for line in statement.contributors],
            "received": [int(line.received) for line in statement.contributors],
        },
        "programs": {
            "labels": list(statement.disbursed_by_program),
            "disbursed": [int(v) for v in statement.disbursed_by_program.values()],
        },
        "series": {"pledged": _("Pledged"), "received": _("Received"), "disbursed": _("Disbursed")},
    }
    context = {
        "fund": fund,
        "statement": statement,
        "disbursements": disbursements,
        "ledger": ledger,
        "charts": charts,
        "today": today,
        "programs": fund.programs.all(),
        "can_request": selectors.programs_requestable(membership=request.membership, fund=fund).exists()
        if request.membership.role in (Role.ADMIN, Role.MANAGER, Role.COORDINATOR)
        else False,
    }
    return render(request, "programs/funds/fund_detail.html", context)


@require_http_methods(["GET", "POST"])
def fund_create(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "fund.change")
    form = FundForm(request.POST or None, initial={"agreement": request.GET.get("agreement")})
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.fund_create(tenant=request.tenant, actor=request.user, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Fund created. Record the parties' pledges next."))
            return redirect("fund_detail", tenant_slug=tenant_slug, pk=fund.pk)
    return render(request, "programs/funds/fund_form.html", {"form": form})


# --- pledges and receipts -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def pledge_create(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk, "fund.change")
    form = PledgeForm(request.POST or None, fund=fund)
    schedule = InstallmentFormSet(request.POST or None, prefix="schedule")
    if request.method == "POST" and form.is_valid() and schedule.is_valid():
        try:
            services.pledge_create(fund=fund, actor=request.user, installments=schedule.rows(), **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Pledge recorded."))
            return redirect("fund_detail", tenant_slug=tenant_slug, pk=fund.pk)
    return render(request, "programs/funds/pledge_form.html", {"fund": fund, "form": form, "schedule": schedule})


@require_http_methods(["GET", "POST"])
def receipt_create(request: HttpRequest, tenant_slug: str, pk: int, pledge_pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk, "fund.receipt")
    pledge = get_object_or_404(Pledge.objects.filter(fund=fund).select_related("organization"), pk=pledge_pk)
    received = services.pledge_received(pledge)
    form = ReceiptForm(request.POST or None, request.FILES or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "evidence"}
        try:
            services.receipt_record(pledge=pledge, actor=request.user, evidence=_upload(form), **data)
        except (ValidationError, ApplicationError) as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Receipt recorded in the ledger."))
            return redirect("fund_detail", tenant_slug=tenant_slug, pk=fund.pk)
    context = {"fund": fund, "pledge": pledge, "received": received, "remaining": pledge.amount - received}
    context["form"] = form
    return render(request, "programs/funds/receipt_form.html", context)


# --- disbursements --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def disbursement_create(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk, "fund.request")
    programs = selectors.programs_requestable(membership=request.membership, fund=fund)
    form = DisbursementForm(request.POST or None, request.FILES or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "evidence"}
        try:
            disbursement = services.disbursement_request(fund=fund, actor=request.user, evidence=_upload(form), **data)
        except (ValidationError, ApplicationError) as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Request submitted; another manager approves it."))
            return redirect("disbursement_detail", tenant_slug=tenant_slug, pk=fund.pk, disbursement_pk=disbursement.pk)
    return render(request, "programs/funds/disbursement_form.html", {"fund": fund, "form": form})


@require_GET
def disbursement_list(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk)
    status = request.GET.get("status") or ""
    queryset = (
        Disbursement.objects.filter(fund=fund).select_related("program", "requested_by").order_by("-created_at", "-id")
    )
    if status in Disbursement.Status.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "fund": fund,
        "page": page,
        "status": status,
        "statuses": Disbursement.Status.choices,
        "querystring": query.urlencode(),
    }
    return render(request, "programs/funds/disbursement_list.html", context)


@require_GET
def disbursement_detail(request: HttpRequest, tenant_slug: str, pk: int, disbursement_pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk)
    disbursement = _disbursement(request, fund, disbursement_pk)
    return render(
        request, "programs/funds/disbursement_detail.html", _disbursement_context(request, fund, disbursement)
    )


def _disbursement_context(request, fund, disbursement, **forms) -> dict:
    membership = request.membership
    threshold = request.tenant.disbursement_admin_threshold
    return {
        "fund": fund,
        "d": disbursement,
        "above_threshold": disbursement.amount > threshold,
        "threshold": threshold,
        "evidence": disbursement.evidence.select_related("uploaded_by"),
        "payments": disbursement.payments.select_related("actor").order_by("id"),
        "is_requester": disbursement.requested_by_id == request.user.pk,
        "is_admin": membership.role == Role.ADMIN,
        "pay_form": forms.get("pay_form") or PayForm(initial={"paid_on": timezone.localdate()}),
        "reject_form": forms.get("reject_form") or FundReasonForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
    }


def _rerender(request, fund, disbursement, status=400, **forms) -> HttpResponse:
    context = _disbursement_context(request, fund, disbursement, **forms)
    return render(request, "programs/funds/disbursement_detail.html", context, status=status)


@require_POST
def disbursement_approve(request: HttpRequest, tenant_slug: str, pk: int, disbursement_pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk, "fund.approve")
    disbursement = _disbursement(request, fund, disbursement_pk)
    try:
        disbursement = services.disbursement_approve(
            disbursement=disbursement, actor=request.user, role=request.membership.role
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if disbursement.status == Disbursement.Status.APPROVED:
            messages.success(request, _("Disbursement approved; it can now be paid."))
        else:
            messages.info(request, _("Your approval is recorded; an administrator must approve as well."))
    return redirect(_next(request) or disbursement_url(tenant_slug, fund, disbursement))


@require_POST
def disbursement_reject(request: HttpRequest, tenant_slug: str, pk: int, disbursement_pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk, "fund.approve")
    disbursement = _disbursement(request, fund, disbursement_pk)
    form = FundReasonForm(request.POST)
    if not form.is_valid():
        return _rerender(request, fund, disbursement, reject_form=form)
    try:
        services.disbursement_reject(disbursement=disbursement, actor=request.user, **form.cleaned_data)
    except (ValidationError, ApplicationError) as exc:
        add_to_form(form, exc)
        return _rerender(request, fund, disbursement, reject_form=form)
    messages.success(request, _("Request rejected; the requester sees your reason."))
    return redirect(_next(request) or disbursement_url(tenant_slug, fund, disbursement))


@require_POST
def disbursement_pay(request: HttpRequest, tenant_slug: str, pk: int, disbursement_pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk, "fund.pay")
    disbursement = _disbursement(request, fund, disbursement_pk)
    form = PayForm(request.POST)
    if not form.is_valid():
        return _rerender(request, fund, disbursement, pay_form=form)
    try:
        services.disbursement_pay(disbursement=disbursement, actor=request.user, **form.cleaned_data)
    except (ValidationError, ApplicationError) as exc:
        add_to_form(form, exc)
        return _rerender(request, fund, disbursement, status=409, pay_form=form)
    messages.success(request, _("Payment recorded in the ledger."))
    return redirect(_next(request) or disbursement_url(tenant_slug, fund, disbursement))


@require_POST
def disbursement_evidence(request: HttpRequest, tenant_slug: str, pk: int, disbursement_pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk, "fund.request")
    disbursement = _disbursement(request, fund, disbursement_pk)
    if request.membership.role == Role.COORDINATOR and disbursement.requested_by_id != request.user.pk:
        require(request, "fund.approve")  # a coordinator adds files to their own requests only
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            for name, content in _upload(form):
                services.fund_evidence_upload(
                    fund=fund, actor=request.user, name=name, content=content, disbursement=disbursement
                )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
    if not form.is_valid() or form.errors:
        return _rerender(request, fund, disbursement, evidence_form=form)
    messages.success(request, _("File attached."))
    return redirect(disbursement_url(tenant_slug, fund, disbursement))


def _next(request: HttpRequest) -> str | None:
    """Back to the page the action came from (the approval queue), never to another site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else None


def disbursement_url(tenant_slug: str, fund: Fund, disbursement: Disbursement) -> str:
    from django.urls import reverse

    return reverse(
        "disbursement_detail", kwargs={"tenant_slug": tenant_slug, "pk": fund.pk, "disbursement_pk": disbursement.pk}
    )


@require_GET
def evidence_download(request: HttpRequest, tenant_slug: str, pk: int, evidence_pk: int):
    from partnerships.documents import private_file_response

    fund = get_fund_for_user(request, pk)
    evidence = get_object_or_404(FundEvidence.objects.filter(fund=fund), pk=evidence_pk)
    return private_file_response(
        file=evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


# --- ledger and approval queue --------------------------------------------------------------


@require_GET
def ledger(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk)
    queryset = (
        LedgerEntry.objects.filter(fund=fund)
        .select_related("pledge__organization", "disbursement__program", "actor", "reverses", "reversed_by")
        .prefetch_related("evidence")
        .order_by("-id")
    )
    page = Paginator(queryset, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/funds/ledger.html", {"fund": fund, "page": page, "querystring": ""})


@require_POST
def ledger_reverse(request: HttpRequest, tenant_slug: str, pk: int, entry_pk: int) -> HttpResponse:
    fund = get_fund_for_user(request, pk, "fund.reverse")
    entry = get_object_or_404(LedgerEntry.objects.filter(fund=fund), pk=entry_pk)
    form = FundReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the correction."))
    else:
        try:
            services.ledger_reverse(entry=entry, actor=request.user, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message)
        else:
            messages.success(request, _("Reversal recorded; the original entry stays in the ledger."))
    return redirect("fund_ledger", tenant_slug=tenant_slug, pk=fund.pk)


@require_GET
def approval_queue(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "fund.approve")
    rows = list(selectors.approval_queue(membership=request.membership))
    threshold = request.tenant.disbursement_admin_threshold
    for d in rows:
        d.above_threshold = d.amount > threshold
        d.mine = request.user.pk in (d.requested_by_id, d.approved_by_id)
    context = {
        "to_approve": [d for d in rows if d.status == Disbursement.Status.REQUESTED],
        "to_pay": [d for d in rows if d.status == Disbursement.Status.APPROVED],
        "threshold": threshold,
        "is_admin": request.membership.role == Role.ADMIN,
        "pay_form": PayForm(initial={"paid_on": timezone.localdate()}),
    }
    return render(request, "programs/funds/approval_queue.html", context)
