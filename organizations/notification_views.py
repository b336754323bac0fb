"""The notification list (the bell): a person's own notices in this tenant."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .models import Notification


@require_GET
def notification_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    notifications = Notification.objects.filter(user=request.user).order_by("-created_at")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "organizations/notification_list.html", {"page": page})


@require_POST
def notification_open(request: HttpRequest, tenant_slug: str, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.filter(user=request.user), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("notification_list", tenant_slug=tenant_slug)


@require_POST
def notification_read_all(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notification_list", tenant_slug=tenant_slug)
