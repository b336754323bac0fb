"""The audit log for administrators: who changed what, and when, on agreements, programs and
progress updates, funds, pledges and disbursements, organizations and memberships — read from
the change history (django-simple-history) the models keep. One kind of record at a time,
newest first, filterable by person and dates; each entry with its field changes against the
version before it. A fixed number of queries per page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

from .dates import local_day_start

PAGE_SIZE = 25


@dataclass(frozen=True)
class Source:
    label: str
    model_path: str  # "app_label.Model" whose ``history`` is read
    title: str  # attribute of the historical record shown as the object
    link: tuple[str, str] | None = None  # (url name, attribute giving its pk)
    related: tuple[str, ...] = ()


SOURCES: dict[str, Source] = {
    "agreement": Source(_("Agreements"), "partnerships.Agreement", "title", ("agreement_detail", "id")),
    "program": Source(_("Programs"), "programs.Program", "name", ("program_detail", "id")),
    "progress": Source(
        _("Progress updates"),
        "programs.ProgressUpdate",
        "indicator",
        ("program_detail", "indicator.program_id"),
        related=("indicator", "organization"),
    ),  # fmt: skip
    "fund": Source(_("Funds"), "programs.Fund", "name", ("fund_detail", "id")),
    "pledge": Source(_("Pledges"), "programs.Pledge", "organization", ("fund_detail", "fund_id"), ("organization",)),
    "disbursement": Source(_("Disbursements"), "programs.Disbursement", "purpose", ("fund_detail", "fund_id")),
    "organization": Source(_("Organizations"), "organizations.Organization", "name", ("organization_detail", "id")),
    "membership": Source(_("Members"), "organizations.Membership", "user", None, ("user",)),
}


@dataclass
class Entry:
    record: object
    title: str
    url_name: str | None
    url_pk: int | None
    changes: list[dict] = field(default_factory=list)


def _model(path: str):
    from django.apps import apps

    return apps.get_model(path)


def _attr(record, dotted: str):
    value = record
    for part in dotted.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def audit_log(
    *, tenant, source: str, user_id: int | None = None, since: datetime.date | None = None,
    until: datetime.date | None = None, page: int | str = 1,
) -> tuple[Page, list[Entry]]:  # fmt: skip
    spec = SOURCES[source]
    model = _model(spec.model_path)
    history = model.history.model
    qs = history.objects.filter(tenant_id=tenant.pk).select_related("history_user", *spec.related)
    if user_id:
        qs = qs.filter(history_user_id=user_id)
    if since:
        qs = qs.filter(history_date__gte=local_day_start(since))
    if until:
        qs = qs.filter(history_date__lt=local_day_start(until + datetime.timedelta(days=1)))
    paginator = Paginator(qs.order_by("-history_date", "-history_id"), PAGE_SIZE)
    current = paginator.get_page(page)
    records = list(current.object_list)
    # each record's previous version, for the diff: one query for the page
    older: dict[int, list] = {}
    if records:
        newest = max(r.history_date for r in records)
        for version in history.objects.filter(
            id__in={r.id for r in records}, history_date__lt=newest, tenant_id=tenant.pk
        ).order_by("id", "-history_date", "-history_id"):
            older.setdefault(version.id, []).append(version)
    entries = []
    for record in records:
        previous = next(
            (v for v in older.get(record.id, []) if (v.history_date, v.history_id) < (record.history_date, record.history_id)),
            None,
        )  # fmt: skip
        url_name, url_pk = (spec.link[0], _attr(record, spec.link[1])) if spec.link else (None, None)
        entries.append(
            Entry(record, str(_attr(record, spec.title) or "—"), url_name if url_pk else None, url_pk,
                  _changes(model, record, previous))
        )  # fmt: skip
    _name_people(entries)
    return current, entries


def _name_people(entries: list[Entry]) -> None:
    """Changes of a "who" field (approved by, reviewed by…) show the person's name: one query."""
    from .models import User

    ids = {c.get(key) for e in entries for c in e.changes for key in ("user_id", "old_user_id")} - {None}
    if not ids:
        return
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in=ids)}
    for entry in entries:
        for change in entry.changes:
            if "user_id" in change:
                change["old"] = names.get(change.pop("old_user_id"), change["old"])
                change["new"] = names.get(change.pop("user_id"), change["new"])


def _changes(model, record, previous) -> list[dict]:
    """The fields that differ from the version before. Compared directly rather than with
    simple-history's ``diff_against``, which skips non-editable fields — and the fields the
    services set (a status, who approved) are exactly those."""
    if previous is None or record.history_type != "~":
        return []
    from .models import User
    from .selectors import _display

    changes = []
    for model_field in model._meta.concrete_fields:
        name = model_field.attname
        if name in ("created_at", "updated_at") or not hasattr(record, name):
            continue  # not kept in the history
        old, new = getattr(previous, name), getattr(record, name)
        if old != new:
            change = {"label": model_field.verbose_name}
            if model_field.is_relation and model_field.related_model is User:
                change.update(old_user_id=old, user_id=new)  # named by _name_people
            if model_field.is_relation:
                old, new = (f"#{v}" if v is not None else None for v in (old, new))
            change.update(old=_display(model_field, old), new=_display(model_field, new))
            changes.append(change)
    return changes
