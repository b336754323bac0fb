"""Reads of agreements, shaped for their pages and endpoints."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from organizations.models import Membership, Role

from .models import Agreement, AgreementEvent, AgreementRegion, Obligation, Party


def agreements_visible_to(membership: Membership) -> QuerySet[Agreement]:
    """Coordinators see only the agreements their organization is party to."""
    qs = Agreement.objects.all()
    if membership.role == Role.COORDINATOR:
        qs = qs.filter(parties__organization_id=membership.organization_id)
    return qs


def _parties_prefetch() -> Prefetch:
    return Prefetch("parties", queryset=Party.objects.select_related("organization").order_by("id"))


def agreement_list(
    *,
    membership: Membership,
    search: str = "",
    partnership_type: str = "",
    status: str = "",
    organization: int | None = None,
    region: str = "",
    ends_within_days: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Agreement]:
    qs = agreements_visible_to(membership).prefetch_related(_parties_prefetch())
    if search:
        party = Party.objects.filter(agreement=OuterRef("pk"), organization__name__icontains=search)
        qs = qs.filter(Q(number__icontains=search) | Q(title__icontains=search) | Exists(party))
    if partnership_type:
        qs = qs.filter(partnership_type=partnership_type)
    if status:
        qs = qs.filter(status=status)
    if organization:
        qs = qs.filter(pk__in=Party.objects.filter(organization_id=organization).values("agreement_id"))
    if region:
        qs = qs.filter(
            pk__in=AgreementRegion.objects.filter(
                Q(region__code=region) | Q(region__code__startswith=f"{region}.")
            ).values("agreement_id")
        )
    if ends_within_days is not None:
        qs = qs.ending_within(ends_within_days, today=today or timezone.localdate())
    return qs.order_by("-created_at", "-id")


def agreement_detail(*, membership: Membership, pk: int) -> Agreement:
    """One agreement with everything its page shows, in a fixed number of queries."""
    return (
        agreements_visible_to(membership)
        .select_related("predecessor")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organization").prefetch_related(
                    Prefetch("obligations", queryset=Obligation.objects.select_related("evidence"))
                ),
            ),
            "regions",
            "documents__uploaded_by",
            "amendments__document",
            Prefetch("events", queryset=AgreementEvent.objects.select_related("actor")),
            "successors",
        )
        .get(pk=pk)
    )
