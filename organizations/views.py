"""Pages for partner organizations, their contacts, imports and the region picker."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from . import imports, selectors, services
from .access import get_contact_for_user, get_import_for_user, get_organization_for_user, require
from .errors import ApplicationError
from .forms import ContactForm, ImportUploadForm, OrganizationFilterForm, OrganizationForm
from .models import Region

PAGE_SIZE = 25


@require_GET
def tenant_home(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """The dashboard for staff and viewers; the coordinator's home for partner coordinators."""
    from reporting.dashboard_views import home

    return home(request, tenant_slug)


@require_GET
@vary_on_headers("HX-Request")
def organization_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "organization.view")
    filters = OrganizationFilterForm(request.GET)
    filters.is_valid()
    data = filters.cleaned_data
    queryset = selectors.organization_list(
        search=data.get("q", ""),
        kind=data.get("kind", ""),
        sector=data.get("sector", ""),
        region=data.get("region", ""),
        archived=data.get("archived", False),
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    region = Region.objects.filter(code=data.get("region")).first() if data.get("region") else None
    context = {
        "filters": filters,
        "page": page,
        "filter_region": region,
        "querystring": _querystring_without_page(request),
    }
    template = (
        "organizations/includes/_organization_table.html" if request.htmx else "organizations/organization_list.html"
    )
    return render(request, template, context)


def _querystring_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def organization_detail(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request, pk)
    context = {"organization": organization, "contacts": organization.contacts.all()}
    return render(request, "organizations/organization_detail.html", context)


@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "organization.add")
    form = OrganizationForm(request.POST or None, tenant=request.tenant)
    contact_form = ContactForm(request.POST or None, prefix="contact", use_required_attribute=False)
    want_contact = bool(request.POST.get("contact-name"))
    if request.method == "POST" and form.is_valid() and (not want_contact or contact_form.is_valid()):
        contacts = [{**contact_form.cleaned_data, "is_focal_point": True}] if want_contact else []
        try:
            organization = services.organization_create(
                tenant=request.tenant, actor=request.user, contacts=contacts, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Organization “%(name)s” was created.") % {"name": organization.name})
            return redirect("organization_detail", tenant_slug=tenant_slug, pk=organization.pk)
    context = {"form": form, "contact_form": contact_form, "show_contact_errors": want_contact}
    return render(request, "organizations/organization_form.html", context)


@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request, pk, "organization.change")
    form = OrganizationForm(request.POST or None, instance=organization, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(organization=organization, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organization_detail", tenant_slug=tenant_slug, pk=organization.pk)
    return render(request, "organizations/organization_form.html", {"form": form, "organization": organization})


@require_http_methods(["GET", "POST"])
def organization_archive(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request, pk, "organization.archive")
    if request.method == "POST":
        if request.POST.get("action") == "restore":
            services.organization_restore(organization=organization, actor=request.user)
            messages.success(request, _("Organization restored."))
        else:
            services.organization_archive(organization=organization, actor=request.user)
            messages.success(request, _("Organization archived. It no longer appears in pickers."))
        return redirect("organization_detail", tenant_slug=tenant_slug, pk=organization.pk)
    return render(request, "organizations/organization_archive.html", {"organization": organization})


@require_http_methods(["GET", "POST"])
def organization_delete(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request, pk, "organization.archive")
    error = None
    if request.method == "POST":
        try:
            services.organization_delete(organization=organization, actor=request.user)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("Organization “%(name)s” was deleted.") % {"name": organization.name})
            return redirect("organization_list", tenant_slug=tenant_slug)
    return render(request, "organizations/organization_delete.html", {"organization": organization, "error": error})


@require_GET
def organization_history(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request, pk, "organization.history")
    changes = selectors.organization_history(organization=organization)
    return render(
        request, "organizations/organization_history.html", {"organization": organization, "changes": changes}
    )


@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, tenant_slug: str, pk: int, contact_pk: int | None = None) -> HttpResponse:
    organization = get_organization_for_user(request, pk, "organization.change")
    contact = get_contact_for_user(request, organization, contact_pk) if contact_pk else None
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        if contact is None:
            services.contact_create(organization=organization, actor=request.user, **form.cleaned_data)
        else:
            services.contact_update(contact=contact, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Contact saved."))
        return redirect("organization_detail", tenant_slug=tenant_slug, pk=organization.pk)
    return render(
        request, "organizations/contact_form.html", {"form": form, "organization": organization, "contact": contact}
    )


@require_POST
def contact_delete(request: HttpRequest, tenant_slug: str, pk: int, contact_pk: int) -> HttpResponse:
    organization = get_organization_for_user(request, pk, "organization.change")
    contact = get_contact_for_user(request, organization, contact_pk)
    services.contact_delete(contact=contact, actor=request.user)
    messages.success(request, _("Contact removed."))
    return redirect("organization_detail", tenant_slug=tenant_slug, pk=organization.pk)


# --- import -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def organization_import(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "organization.import")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.organization_import_start(
                tenant=request.tenant, actor=request.user, name=upload.name, content=upload.read()
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("organization_import_detail", tenant_slug=tenant_slug, pk=job.pk)
    context = {"form": form, "columns": imports.COLUMNS, "recent": selectors.import_jobs_recent()}
    return render(request, "organizations/import_upload.html", context)


@require_GET
def organization_import_template(request: HttpRequest, tenant_slug: str, fmt: str) -> HttpResponse:
    require(request, "organization.import")
    if fmt == "csv":
        response = HttpResponse(imports.import_template_csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            imports.import_template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="templat-organisasi.{fmt}"'
    return response


@require_GET
@vary_on_headers("HX-Request")
def organization_import_detail(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    job = get_import_for_user(request, pk)
    template = "organizations/includes/_import_status.html" if request.htmx else "organizations/import_detail.html"
    return render(request, template, {"job": job})


@require_POST
def organization_import_confirm(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    job = get_import_for_user(request, pk)
    if request.POST.get("action") == "cancel":
        imports.organization_import_cancel(job=job, actor=request.user)
        messages.info(request, _("Import cancelled; nothing was saved."))
        return redirect("organization_import", tenant_slug=tenant_slug)
    try:
        job = imports.organization_import_confirm(job=job, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if job.status == job.Status.DONE:
            messages.success(request, _("%(count)s organizations were imported.") % {"count": job.created_count})
    return redirect("organization_import_detail", tenant_slug=tenant_slug, pk=job.pk)


# --- regions ------------------------------------------------------------------------------


@require_GET
def region_search(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """The htmx region picker's suggestions (``includes/_region_options.html``)."""
    regions = selectors.region_search(query=request.GET.get("q", ""))
    return render(
        request,
        "includes/_region_options.html",
        {"regions": regions, "query": request.GET.get("q", ""), "target": request.GET.get("target", "region")},
    )
