"""Program pages: list, detail with the indicator table, set-up forms, the coordinator's
reports ("Laporan saya") and report form, and the manager's approval queue."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from organizations.access import require
from organizations.errors import ApplicationError, add_to_form
from organizations.models import Organization, Role
from organizations.permissions import can

from . import bulk, selectors, services
from .access import (
    get_indicator_for_user,
    get_milestone_for_user,
    get_period_for_user,
    get_program_for_user,
    get_update_for_user,
)
from .forms import (
    BulkUploadForm,
    IndicatorForm,
    MilestoneForm,
    ProgramFilterForm,
    ProgramForm,
    ProgressValuesForm,
    ReturnForm,
    SpmForm,
    TargetRevisionForm,
)
from .models import ProgressUpdate

PAGE_SIZE = 25


@require_GET
def program_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "program.view")
    filters = ProgramFilterForm(request.GET)
    filters.is_valid()
    data = filters.cleaned_data
    queryset = selectors.program_list(
        membership=request.membership, theme=data.get("theme") or "", status=data.get("status") or ""
    )
    if data.get("q"):
        queryset = queryset.filter(name__icontains=data["q"])
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rates = selectors.reporting_rates(
        programs=selectors.programs_visible_to(request.membership),
        today=timezone.localdate(),
        grace_days=request.tenant.reporting_grace_days,
    )
    context = {"filters": filters, "page": page, "querystring": query.urlencode(), "rate": rates["total"]}
    return render(request, "programs/program_list.html", context)


@require_GET
def program_detail(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    program = get_program_for_user(request, pk)
    today = timezone.localdate()
    elapsed = _elapsed_percent(program, today)
    series = selectors.indicator_series(program=program)
    rows = [
        {
            "achievement": a,
            "vs_elapsed": (a.percent_of_target / elapsed * 100).quantize(a.percent_of_target)
            if a.percent_of_target is not None and elapsed
            else None,
            "series": [float(v) for _k, v in series.get(a.indicator.pk, [])],
        }
        for a in selectors.achievements(program=program)
    ]
    rates = selectors.reporting_rates(
        programs=[program.pk],
        today=today,
        grace_days=request.tenant.reporting_grace_days,
    )
    context = {
        "program": program,
        "rows": rows,
        "elapsed": elapsed,
        "rate": rates["total"],
        "organization_rates": [(o, rates["organization"].get(o.pk)) for o in program.implementers.all()],
        "milestones": program.milestones.all(),  # prefetched with their evidence
        "milestone_form": MilestoneForm(),
        "today": today,
    }
    return render(request, "programs/program_detail.html", context)


def _elapsed_percent(program, today):
    from decimal import Decimal

    total = (program.ends_on - program.starts_on).days + 1
    done = min(max((today - program.starts_on).days + 1, 0), total)
    return (Decimal(done) / total * 100).quantize(Decimal("0.1")) if total > 0 else None


@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "program.add")
    return _program_form(request, tenant_slug, program=None)


@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    return _program_form(request, tenant_slug, program=get_program_for_user(request, pk, "program.change"))


def _program_form(request: HttpRequest, tenant_slug: str, *, program) -> HttpResponse:
    initial = {"agreement": request.GET.get("agreement")} if program is None else None
    form = ProgramForm(request.POST or None, instance=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"agreement", "implementers", "regions"}}
        try:
            if program is None:
                program = services.program_create(
                    tenant=request.tenant, agreement=form.cleaned_data["agreement"], actor=request.user,
                    implementers=form.cleaned_data["implementers"], regions=form.cleaned_data["regions"], **data,
                )  # fmt: skip
            else:
                services.program_update(
                    program=program, actor=request.user, implementers=form.cleaned_data["implementers"],
                    regions=form.cleaned_data["regions"], **data,
                )  # fmt: skip
        except (ValidationError, ApplicationError) as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Program saved."))
            return redirect("program_detail", tenant_slug=tenant_slug, pk=program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


# --- indicators ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    program = get_program_for_user(request, pk, "program.change")
    form = IndicatorForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_create(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Indicator added; its reporting periods were created."))
            return redirect("program_detail", tenant_slug=tenant_slug, pk=program.pk)
    return render(request, "programs/indicator_form.html", {"form": form, "program": program})


@require_http_methods(["GET", "POST"])
def indicator_detail(request: HttpRequest, tenant_slug: str, pk: int, indicator_pk: int) -> HttpResponse:
    """The indicator's reference sheet, its target revisions and (for staff) the edit forms."""
    program = get_program_for_user(request, pk)
    indicator = get_indicator_for_user(request, program, indicator_pk)
    form = (
        IndicatorForm(request.POST or None, instance=indicator, program=program)
        if can(request.membership, "program.change")
        else None
    )
    revision_form = TargetRevisionForm(prefix="revision") if form is not None else None
    if request.method == "POST":
        require(request, "program.change")
        if form.is_valid():
            try:
                services.indicator_update(indicator=indicator, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Reference sheet saved."))
                return redirect("indicator_detail", tenant_slug=tenant_slug, pk=program.pk, indicator_pk=indicator.pk)
    context = {
        "program": program,
        "indicator": indicator,
        "form": form,
        "revision_form": revision_form,
        "revisions": indicator.target_revisions.select_related("revised_by"),
    }
    return render(request, "programs/indicator_detail.html", context)


@require_POST
def indicator_revise_target(request: HttpRequest, tenant_slug: str, pk: int, indicator_pk: int) -> HttpResponse:
    program = get_program_for_user(request, pk, "program.change")
    indicator = get_indicator_for_user(request, program, indicator_pk)
    form = TargetRevisionForm(request.POST, prefix="revision")
    if form.is_valid():
        try:
            services.indicator_revise_target(indicator=indicator, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Target revised; the old value is kept."))
    else:
        messages.error(request, _("Give the new target and a reason."))
    return redirect("indicator_detail", tenant_slug=tenant_slug, pk=program.pk, indicator_pk=indicator.pk)


@require_http_methods(["GET", "POST"])
def indicator_add_spm(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    program = get_program_for_user(request, pk, "program.change")
    form = SpmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = services.indicators_add_spm(program=program, actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            ngettext("%(count)s SPM indicator added.", "%(count)s SPM indicators added.", len(created))
            % {"count": len(created)},
        )
        return redirect("program_detail", tenant_slug=tenant_slug, pk=program.pk)
    existing = set(program.indicators.exclude(spm_service=None).values_list("spm_service", flat=True))
    return render(request, "programs/spm_form.html", {"form": form, "program": program, "existing": existing})


# --- milestones ---------------------------------------------------------------------------


@require_POST
def milestone_create(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    program = get_program_for_user(request, pk, "program.change")
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_create(program=program, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Milestone added."))
    else:
        messages.error(request, _("Give the milestone a title and a due date."))
    return redirect("program_detail", tenant_slug=tenant_slug, pk=program.pk)


@require_POST
def milestone_toggle(request: HttpRequest, tenant_slug: str, pk: int, milestone_pk: int) -> HttpResponse:
    program = get_program_for_user(request, pk, "program.change")
    milestone = get_milestone_for_user(request, program, milestone_pk)
    done_on = None if milestone.done_on else timezone.localdate()
    services.milestone_update(milestone=milestone, actor=request.user, done_on=done_on)
    return redirect("program_detail", tenant_slug=tenant_slug, pk=program.pk)


@require_POST
def milestone_evidence(request: HttpRequest, tenant_slug: str, pk: int, milestone_pk: int) -> HttpResponse:
    program = get_program_for_user(request, pk, "program.change")
    milestone = get_milestone_for_user(request, program, milestone_pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            services.evidence_upload(
                program=program, actor=request.user, milestone=milestone, name=upload.name, content=upload.read()
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Evidence attached to the milestone."))
    return redirect("program_detail", tenant_slug=tenant_slug, pk=program.pk)


# --- reporting ----------------------------------------------------------------------------


def _reporting_organization(request: HttpRequest) -> Organization | None:
    """Coordinators report for their organization; staff choose one with ``?organization=``."""
    if request.membership.role == Role.COORDINATOR:
        return request.membership.organization
    organization_id = request.GET.get("organization") or request.POST.get("organization")
    return Organization.objects.filter(pk=organization_id).first() if organization_id else None


@require_GET
def my_reports(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """The coordinator's landing page: what is due, overdue, returned or still a draft."""
    require(request, "progress.view")
    organization = _reporting_organization(request)
    tasks = selectors.report_tasks(organization_id=organization.pk, today=timezone.localdate()) if organization else []
    order = {"returned": 0, "overdue": 1, "draft": 2, "due": 3, "done": 4}
    tasks.sort(key=lambda t: (order[t.state], t.period.due_on))
    organizations = (
        Organization.objects.filter(implemented_programs__isnull=False).distinct().order_by("name")
        if organization is None or request.membership.role != Role.COORDINATOR
        else []
    )
    context = {"tasks": tasks, "organization": organization, "organizations": organizations}
    return render(request, "programs/my_reports.html", context)


@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest, tenant_slug: str, pk: int, period_pk: int) -> HttpResponse:
    """All indicators of one period for one organization: save as draft or submit."""
    program = get_program_for_user(request, pk)
    period = get_period_for_user(request, program, period_pk)
    organization = _reporting_organization(request)
    if organization is None or not program.implementers.filter(pk=organization.pk).exists():
        from django.http import Http404

        raise Http404
    if request.method == "POST":
        require(request, "progress.edit", SimpleNamespace(organization_id=organization.pk))
    indicators = list(program.indicators.filter(frequency=period.frequency).order_by("code"))
    updates = {
        u.indicator_id: u
        for u in ProgressUpdate.objects.filter(period=period, organization=organization).prefetch_related("evidence")
    }
    forms = [
        ProgressValuesForm(
            request.POST or None,
            request.FILES or None,
            prefix=f"i{indicator.pk}",
            indicator=indicator,
            update=updates.get(indicator.pk),
        )
        for indicator in indicators
    ]
    open_for_org = services.period_is_open_for(period=period, organization=organization, today=timezone.localdate())
    if request.method == "POST" and all(f.is_valid() for f in forms):
        submit = request.POST.get("action") == "submit"
        failed = None
        try:
            with transaction.atomic():  # the whole period or nothing
                for form in forms:
                    if not form.editable or not form.is_filled:
                        continue
                    failed = form
                    update = services.progress_update_save(
                        indicator=form.indicator, period=period, organization=organization, actor=request.user,
                        **{k: v for k, v in form.cleaned_data.items() if k in {"value", "numerator", "denominator", "narrative", "explanation"}},
                    )  # fmt: skip
                    upload = form.cleaned_data.get("evidence")
                    if upload:
                        services.evidence_upload(
                            program=program, actor=request.user, update=update, name=upload.name, content=upload.read()
                        )
                    if submit:
                        services.progress_update_submit(update=update, actor=request.user)
        except (ValidationError, ApplicationError) as exc:
            add_to_form(failed or forms[0], exc)  # on the indicator that failed; nothing was saved
        else:
            messages.success(request, _("Report submitted for review.") if submit else _("Draft saved."))
            return redirect("my_reports", tenant_slug=tenant_slug)
    context = {
        "program": program,
        "period": period,
        "organization": organization,
        "forms": forms,
        "open_for_org": open_for_org,
    }
    return render(request, "programs/report_form.html", context, status=400 if request.method == "POST" else 200)


@require_GET
@vary_on_headers("HX-Request")
def review_queue(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Submitted updates waiting for a decision; approve or return each in place (htmx)."""
    require(request, "progress.review")
    program = request.GET.get("program", "")
    queryset = selectors.review_queue(program=int(program) if program.isdigit() else None)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "programs/review_queue.html", {"page": page, "return_form": ReturnForm()})


@require_POST
def update_review(request: HttpRequest, tenant_slug: str, update_pk: int, decision: str) -> HttpResponse:
    update = get_update_for_user(request, update_pk, "progress.review")
    error = None
    try:
        if decision == "approve":
            update = services.progress_update_approve(update=update, actor=request.user)
        elif decision == "return":
            form = ReturnForm(request.POST)
            update = services.progress_update_return(update=update, actor=request.user, note=form.data.get("note", ""))
        else:
            from django.http import Http404

            raise Http404
    except (ValidationError, ApplicationError) as exc:
        error = exc.message if isinstance(exc, ApplicationError) else " ".join(exc.messages)
    if request.htmx:
        return render(
            request,
            "programs/includes/_review_row.html",
            {"update": update, "error": error, "return_form": ReturnForm()},
        )
    if error:
        messages.error(request, error)
    return redirect("review_queue", tenant_slug=tenant_slug)


@require_POST
def review_bulk_approve(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "progress.review")
    ids = [int(i) for i in request.POST.getlist("updates") if i.isdigit()]
    approved, skipped = 0, 0
    for update in selectors.review_queue().filter(pk__in=ids):
        try:
            services.progress_update_approve(update=update, actor=request.user)
            approved += 1
        except ApplicationError:
            skipped += 1  # e.g. the reviewer's own submission
    messages.success(
        request,
        ngettext("%(approved)s update approved.", "%(approved)s updates approved.", approved) % {"approved": approved},
    )
    if skipped:
        messages.warning(
            request,
            _("%(skipped)s updates were skipped (you cannot approve your own submissions).") % {"skipped": skipped},
        )
    return redirect("review_queue", tenant_slug=tenant_slug)


@require_GET
def indicator_sheet_list(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """All reference sheets of a program on one printable page."""
    program = get_program_for_user(request, pk)
    return render(
        request, "programs/indicator_sheets.html", {"program": program, "indicators": program.indicators.all()}
    )


@require_POST
def period_reopen(request: HttpRequest, tenant_slug: str, pk: int, period_pk: int) -> HttpResponse:
    """A manager reopens a locked period for one organization, until a date, with a reason."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.forms import DateField

    program = get_program_for_user(request, pk, "program.view")
    require(request, "period.reopen")
    period = get_period_for_user(request, program, period_pk)
    organization = program.implementers.filter(pk=request.POST.get("organization") or 0).first()
    try:
        until = DateField().clean(request.POST.get("until"))
        if organization is None:
            raise DjangoValidationError(_("Choose an implementing organization."))
        services.period_reopen(
            period=period,
            organization=organization,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            until=until,
        )
    except DjangoValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Period reopened for %(name)s until %(date)s.") % {"name": organization.name, "date": until}
        )
    suffix = f"?organization={organization.pk}" if organization else ""
    return redirect(reverse("report_form", args=[tenant_slug, program.pk, period.pk]) + suffix)


# --- offline entry (XLSX) -----------------------------------------------------------------


def _report_context(request: HttpRequest, pk: int, period_pk: int, *, for_writing: bool):
    program = get_program_for_user(request, pk)
    period = get_period_for_user(request, program, period_pk)
    organization = _reporting_organization(request)
    if organization is None or not program.implementers.filter(pk=organization.pk).exists():
        from django.http import Http404

        raise Http404
    if for_writing:
        require(request, "progress.edit", SimpleNamespace(organization_id=organization.pk))
    return program, period, organization


@require_GET
def report_xlsx_template(request: HttpRequest, tenant_slug: str, pk: int, period_pk: int) -> HttpResponse:
    _program, period, organization = _report_context(request, pk, period_pk, for_writing=True)
    response = HttpResponse(
        bulk.template_xlsx(period=period, organization=organization),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="laporan-{period.year}-{period.number:02d}-{organization.pk}.xlsx"'
    )
    return response


@require_POST
def report_xlsx_upload(request: HttpRequest, tenant_slug: str, pk: int, period_pk: int) -> HttpResponse:
    """Check the uploaded rows; valid ones are kept in the session until the user confirms."""
    program, period, organization = _report_context(request, pk, period_pk, for_writing=True)
    form = BulkUploadForm(request.POST, request.FILES)
    rows, error = [], None
    if form.is_valid():
        try:
            rows = bulk.check_rows(
                period=period,
                organization=organization,
                actor=request.user,
                rows=bulk.read_rows(form.cleaned_data["file"].read()),
            )
        except ApplicationError as exc:
            error = exc.message
    else:
        error = _("Choose the XLSX file to upload.")
    key = f"bulk:{period.pk}:{organization.pk}"
    request.session[key] = [r for r in rows if not r["errors"]]
    context = {"program": program, "period": period, "organization": organization, "rows": rows, "error": error}
    return render(request, "programs/report_xlsx_preview.html", context, status=400 if error else 200)


@require_POST
def report_xlsx_confirm(request: HttpRequest, tenant_slug: str, pk: int, period_pk: int) -> HttpResponse:
    program, period, organization = _report_context(request, pk, period_pk, for_writing=True)
    rows = request.session.pop(f"bulk:{period.pk}:{organization.pk}", None)
    if not rows:
        messages.error(request, _("Nothing to save: upload the file again."))
    else:
        try:
            count = bulk.save_rows(
                period=period,
                organization=organization,
                actor=request.user,
                rows=rows,
                submit=request.POST.get("action") == "submit",
            )
        except (ValidationError, ApplicationError):
            messages.error(request, _("The data changed since the check; nothing was saved. Upload the file again."))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s indicator saved from the spreadsheet.",
                    "%(count)s indicators saved from the spreadsheet.",
                    count,
                )
                % {"count": count},
            )
            return redirect("my_reports", tenant_slug=tenant_slug)
    query = f"?organization={organization.pk}" if request.membership.role != Role.COORDINATOR else ""
    return redirect(reverse("report_form", args=[tenant_slug, program.pk, period.pk]) + query)


@require_GET
def evidence_download(request: HttpRequest, tenant_slug: str, pk: int, evidence_pk: int):
    """Stream a piece of evidence to someone who may see its program (coordinators: only their
    organization's updates)."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from partnerships.documents import private_file_response

    from .models import Evidence

    program = get_program_for_user(request, pk)
    evidence = get_object_or_404(Evidence.objects.filter(program=program).select_related("update"), pk=evidence_pk)
    if (
        request.membership.role == Role.COORDINATOR
        and evidence.update
        and evidence.update.organization_id != request.membership.organization_id
    ):
        raise Http404
    return private_file_response(
        file=evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
