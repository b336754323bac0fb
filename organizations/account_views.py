"""Pages about people: the tenant chooser, profile and API tokens, members and invitations."""

from __future__ import annotations

from datetime import timedelta

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import errors, selectors, services, tenancy
from .access import get_invitation_for_user, get_membership_for_user, require
from .errors import ApplicationError
from .forms import AcceptInvitationForm, ApiTokenForm, InvitationForm, MembershipForm
from .models import ApiToken, Invitation, User


@login_required
@require_GET
def tenant_chooser(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_of_user(user=request.user))
    if len(memberships) == 1:
        membership = memberships[0]
        # Staff land on the dashboard, partner coordinators on their own home (reports due, surveys).
        return redirect("tenant_home", tenant_slug=membership.tenant.slug)
    return render(request, "organizations/tenant_chooser.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _instance, new_token = ApiToken.objects.create(
            user=request.user,
            expiry=timedelta(days=form.cleaned_data["expires_in_days"]),
            name=form.cleaned_data["name"],
        )
        form = ApiTokenForm()
        messages.success(request, _("Token created. Copy it now: it is shown only once."))
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created")
    context = {
        "form": form,
        "tokens": tokens,
        "new_token": new_token,
        "memberships": selectors.memberships_of_user(user=request.user),
        "mfa_enabled": is_mfa_enabled(request.user),
    }
    return render(request, "account/profile.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_key: str) -> HttpResponse:
    deleted, _rows = ApiToken.objects.filter(user=request.user, token_key=token_key).delete()
    if not deleted:
        raise Http404
    messages.success(request, _("Token revoked. Systems using it can no longer connect."))
    return redirect("profile")


# --- members ------------------------------------------------------------------------------


@require_GET
def member_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "membership.view")
    context = {
        "memberships": selectors.memberships_of_tenant(tenant=request.tenant),
        "invitations": selectors.invitations_open(),
        "invite_form": InvitationForm(),
    }
    return render(request, "organizations/member_list.html", context)


@require_POST
def invitation_create(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "membership.manage")
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(tenant=request.tenant, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("member_list", tenant_slug=tenant_slug)
    context = {
        "memberships": selectors.memberships_of_tenant(tenant=request.tenant),
        "invitations": selectors.invitations_open(),
        "invite_form": form,
    }
    return render(request, "organizations/member_list.html", context, status=400)


@require_POST
def invitation_revoke(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request, pk)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("member_list", tenant_slug=tenant_slug)


@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    membership = get_membership_for_user(request, pk)
    initial = {"role": membership.role, "organization": membership.organization}
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(membership=membership, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Role of %(user)s changed.") % {"user": membership.user.display_name})
            return redirect("member_list", tenant_slug=tenant_slug)
    return render(request, "organizations/member_edit.html", {"form": form, "member": membership})


@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    membership = get_membership_for_user(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("%(user)s no longer has access.") % {"user": membership.user.display_name})
            if membership.user_id == request.user.id:
                return redirect("tenant_chooser")
            return redirect("member_list", tenant_slug=tenant_slug)
    return render(request, "organizations/member_remove.html", {"member": membership, "error": error})


# --- accepting an invitation (no tenant scope yet: the invitee is not a member) ------------


def _open_invitation(token: str) -> Invitation:
    with tenancy.scopes_disabled():
        invitation = Invitation.unscoped.select_related("tenant", "organization").filter(token=token).first()
    if invitation is None or not invitation.is_open:
        raise Http404(errors.INVITATION_INVALID)
    return invitation


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _open_invitation(token)
    existing_user = User.objects.filter(email__iexact=invitation.email).first()
    form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                with tenancy.tenant_scope(invitation.tenant_id):  # the membership is written in its tenant
                    services.invitation_accept(invitation=invitation, user=request.user)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Welcome to %(tenant)s.") % {"tenant": invitation.tenant.name})
                return redirect("tenant_home", tenant_slug=invitation.tenant.slug)
    elif existing_user is None:
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            user = services.user_create_for_invitation(
                invitation=invitation, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
            with tenancy.tenant_scope(invitation.tenant_id):
                services.invitation_accept(invitation=invitation, user=user)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(tenant)s.") % {"tenant": invitation.tenant.name})
            return redirect("tenant_home", tenant_slug=invitation.tenant.slug)
    context = {"invitation": invitation, "form": form, "existing_user": existing_user}
    return render(request, "organizations/invitation_accept.html", context)


@require_GET
def audit_log(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Who changed what, and when (administrators)."""
    from . import audit
    from .forms import AuditFilterForm

    require(request, "audit.view")
    form = AuditFilterForm(request.GET or None, tenant=request.tenant)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    source = filters.get("source") or "agreement"
    page, entries = audit.audit_log(
        tenant=request.tenant, source=source, user_id=filters.get("user") or None,
        since=filters.get("since"), until=filters.get("until"), page=request.GET.get("page", 1),
    )  # fmt: skip
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "entries": entries,
        "source_label": audit.SOURCES[source].label,
        "query": query.urlencode(),
    }
    return render(request, "organizations/audit_log.html", context)


@require_POST
def tenant_mfa_policy(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    require(request, "tenant.settings")
    required = request.POST.get("require_mfa") == "on"
    services.tenant_mfa_policy(tenant=request.tenant, actor=request.user, required=required)
    if required:
        messages.success(request, _("Administrators and managers now need two-step verification."))
    else:
        messages.success(request, _("Two-step verification is no longer required."))
    return redirect("member_list", tenant_slug=tenant_slug)
