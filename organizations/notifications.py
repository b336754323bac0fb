"""In-app notifications and their emails: one helper creates both, idempotently."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .emails import send_templated_email
from .models import Notification, Tenant, User


def render_message(notification: Notification) -> str:
    """The notice in the active language, with its numbers filled in."""
    import datetime

    from .templatetags.formatting import tanggal

    p = dict(notification.params)
    if p.get("date"):
        p["date"] = tanggal(datetime.date.fromisoformat(p["date"]))
    if notification.kind == Notification.Kind.AGREEMENT_ENDING:
        return _("Agreement “%(title)s” ends on %(date)s, in %(days)s days.") % p
    if notification.kind == Notification.Kind.AGREEMENT_EXPIRED:
        return _("Agreement “%(title)s” has expired (end date %(date)s).") % p
    if notification.kind == Notification.Kind.REPORT_DUE:
        return _("Progress report for %(program)s, %(period)s is due on %(date)s.") % p
    if notification.kind == Notification.Kind.REPORT_OVERDUE:
        return _("Progress report for %(program)s, %(period)s is overdue (due %(date)s).") % p
    if notification.kind == Notification.Kind.PLEDGE_DUE:
        return _("Pledge of %(organization)s to %(fund)s: %(amount)s falls due on %(date)s.") % p
    if notification.kind == Notification.Kind.PLEDGE_OVERDUE:
        return _("Pledge of %(organization)s to %(fund)s: %(amount)s was due on %(date)s and is not yet received.") % p
    if notification.kind == Notification.Kind.FUND_DRIFT:
        return _("The balance of %(fund)s (%(balance)s) differs from its ledger (%(ledger)s). Check it now.") % p
    if notification.kind == Notification.Kind.HEALTH_WORSENED:
        return _("Partnership “%(title)s” is now “%(band)s” (was “%(previous)s”), score %(score)s.") % p
    if notification.kind == Notification.Kind.HEALTH_DIGEST:
        return (
            _(
                "Weekly health digest: %(healthy)s healthy, %(watch)s needing attention, %(at_risk)s at risk; "
                "%(changes)s changed band this week."
            )
            % p
        )
    return notification.kind


def notify(
    *,
    tenant: Tenant,
    users: list[User],
    kind: str,
    key: str,
    params: dict,
    link: str,
    email_template: str | None = None,
) -> int:
    """Store the notice for each user who has not had it yet (same ``key``) and email them.
    Returns how many people were newly notified; a second run with the same key sends nothing."""
    from django.conf import settings

    sent = 0
    for user in users:
        try:
            with transaction.atomic():
                Notification.objects.create(tenant=tenant, user=user, kind=kind, key=key, params=params, link=link)
        except IntegrityError:
            continue  # already notified
        sent += 1
        if email_template and user.email:
            url = settings.SITE_URL.rstrip("/") + link
            context = {"user": user, "tenant": tenant, "params": params, "url": url}
            transaction.on_commit(
                lambda u=user, c=context: send_templated_email(template=email_template, to=[u.email], context=c)
            )
    return sent


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
