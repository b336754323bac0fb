"""Reads that join or aggregate, already shaped for their page or endpoint."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Contact, ImportJob, Invitation, Membership, Organization, Region, Tenant, User


def organization_list(
    *, search: str = "", kind: str = "", sector: str = "", region: str = "", archived: bool = False
) -> QuerySet[Organization]:
    """Organizations of the active tenant with their region and focal point, for lists."""
    qs = Organization.objects.select_related("region").prefetch_related(_focal_point_prefetch())
    qs = qs.filter(archived_at__isnull=not archived)
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(contacts__name__icontains=search) | Q(email__icontains=search)
        ).distinct()
    if kind:
        qs = qs.filter(kind=kind)
    if sector:
        qs = qs.filter(sector=sector)
    if region:
        # A region filter includes everything inside it (a kabupaten covers its kecamatan and desa).
        qs = qs.filter(Q(region__code=region) | Q(region__code__startswith=f"{region}."))
    return qs.order_by("name")


def _focal_point_prefetch():
    from django.db.models import Prefetch

    return Prefetch("contacts", queryset=Contact.objects.filter(is_focal_point=True), to_attr="focal_points")


def organization_detail(*, pk: int) -> Organization:
    return Organization.objects.select_related("region").prefetch_related("contacts").get(pk=pk)


def organization_choices() -> QuerySet[Organization]:
    """Active organizations for pickers."""
    return Organization.objects.active().only("id", "name", "kind").order_by("name")


def organization_history(*, organization: Organization, limit: int = 100) -> list[dict]:
    """The organization's change history, newest first: each entry is the historical record
    and its field changes (label, old and new display values) against the entry before it.
    Two queries, whatever the number of entries."""
    records = list(
        organization.history.select_related("history_user", "region").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            for change in record.diff_against(previous, foreign_keys_are_objs=True).changes:
                field = Organization._meta.get_field(change.field)
                changes.append(
                    {
                        "field": change.field,
                        "label": field.verbose_name,
                        "old": _display(field, change.old),
                        "new": _display(field, change.new),
                    }
                )
        entries.append({"record": record, "changes": changes})
    return entries


def _display(field, value):
    if field.choices and value:
        return dict(field.flatchoices).get(value, value)
    return value


def memberships_of_user(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("tenant", "organization").order_by("tenant__name")


def memberships_of_tenant(*, tenant: Tenant) -> QuerySet[Membership]:
    return Membership.objects.filter(tenant=tenant).select_related("user", "organization").order_by("user__email")


def invitations_open() -> QuerySet[Invitation]:
    from django.utils import timezone

    return (
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("organization", "invited_by")
        .order_by("-created_at")
    )


def region_search(*, query: str, limit: int = 20, max_level: int | None = None) -> list[Region]:
    """Search-as-you-type over ~91,000 regions: prefix match on an indexed lower-case name
    (or on the code when digits are typed), shortest (highest-level) regions first."""
    query = query.strip().lower()
    if len(query) < 2:
        return []
    qs = Region.objects.all()
    if query.replace(".", "").isdigit():
        qs = qs.filter(code__startswith=query)
    else:
        for prefixes, kind in (
            (("kabupaten ", "kab. ", "kab "), "kabupaten"),
            (("kota ",), "kota"),
            (("kecamatan ", "kec. ", "kec "), "kecamatan"),
        ):
            typed = next((p for p in prefixes if query.startswith(p) and len(query) > len(p)), None)
            if typed:
                query, qs = query[len(typed) :].strip(), qs.filter(kind=kind)
                break
        qs = qs.filter(search_name__startswith=query)
    if max_level:
        qs = qs.filter(level__lte=max_level)
    return list(qs.order_by("level", "search_name", "code")[:limit])


def import_jobs_recent(*, limit: int = 10) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").defer("rows").order_by("-created_at")[:limit]
