"""Reads of shared funds: the fund statement, set-based (a fixed number of queries)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from organizations.models import Membership, Role

from .models import Disbursement, Fund, FundProgram, LedgerEntry, Pledge, Program, ProgramImplementer

_MONEY = DecimalField(max_digits=18, decimal_places=0)


def funds_visible_to(membership: Membership) -> QuerySet[Fund]:
    """Staff see every fund of the tenant; a coordinator the funds of agreements their
    organization is a party to."""
    qs = Fund.objects.all()
    if membership.role == Role.COORDINATOR:
        qs = qs.filter(agreement__parties__organization_id=membership.organization_id).distinct()
    return qs


def _sum_of(queryset, field: str = "amount"):
    total = queryset.order_by().values("fund_id").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total, output_field=_MONEY), Value(0), output_field=_MONEY)


def pledges_of(fund: Fund) -> QuerySet[Pledge]:
    """A fund's pledges, each with the money received against it (``received``) in the same query."""
    received = (
        LedgerEntry.objects.filter(pledge=OuterRef("pk")).order_by().values("pledge_id").annotate(total=Sum("amount"))
    )
    return Pledge.objects.filter(fund=fund).annotate(
        received=Coalesce(Subquery(received.values("total"), output_field=_MONEY), Value(0), output_field=_MONEY)
    )


def fund_list(*, membership: Membership, q: str = "") -> QuerySet[Fund]:
    """Funds with their totals (pledged, received, disbursed) in one query."""
    qs = funds_visible_to(membership).select_related("agreement")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(agreement__title__icontains=q) | Q(agreement__number__icontains=q))
    return qs.annotate(
        pledged=_sum_of(Pledge.objects.filter(fund=OuterRef("pk"))),
        received=_sum_of(LedgerEntry.objects.filter(fund=OuterRef("pk"), disbursement__isnull=True)),
        disbursed=Value(0, output_field=_MONEY)  # payments are negative entries; shown as a positive total
        - _sum_of(LedgerEntry.objects.filter(fund=OuterRef("pk"), disbursement__isnull=False)),
        waiting=_sum_of(
            Disbursement.objects.filter(
                fund=OuterRef("pk"), status__in=[Disbursement.Status.REQUESTED, Disbursement.Status.APPROVED]
            )
        ),
    ).order_by("name")


def programs_requestable(*, membership: Membership, fund: Fund) -> QuerySet[Program]:
    """Programs a member may request money for: the fund's programs (all of the agreement's
    if the fund is not restricted); a coordinator only those their organization implements."""
    links = FundProgram.objects.filter(fund_id=fund.pk)
    qs = Program.objects.filter(agreement_id=fund.agreement_id).filter(
        Q(pk__in=links.values("program_id")) | ~Exists(links)
    )
    if membership.role == Role.COORDINATOR:
        qs = qs.filter(
            pk__in=ProgramImplementer.objects.filter(organization_id=membership.organization_id).values("program_id")
        )
    return qs.order_by("name")


def approval_queue(*, membership: Membership) -> QuerySet[Disbursement]:
    """Open disbursements of the tenant, oldest first: requests to approve and approved ones to pay."""
    return (
        Disbursement.objects.filter(status__in=[Disbursement.Status.REQUESTED, Disbursement.Status.APPROVED])
        .select_related("fund", "program", "requested_by", "approved_by", "admin_approved_by")
        .order_by("planned_on", "id")
    )


def arrears(
    schedule: list[tuple[datetime.date, Decimal]], received: Decimal, today: datetime.date
) -> tuple[Decimal, Decimal, datetime.date | None]:
    """A pledge's standing: (instalments due by ``today``, how much of that is still owed, the
    oldest due instalment not yet covered by what was received). ``schedule`` is date-ordered."""
    due = covered = Decimal(0)
    oldest = None
    for due_on, amount in schedule:
        covered += amount
        if due_on <= today:
            due += amount
            if oldest is None and received < covered:
                oldest = due_on
    return due, max(due - received, Decimal(0)), oldest


@dataclass
class ContributorLine:
    organization: str
    channel: str
    pledged: Decimal
    received: Decimal
    share: Decimal | None = None  # of everything received, in %
    pledge: Pledge | None = None  # with its instalments
    due: Decimal = Decimal(0)  # instalments due by today
    overdue: Decimal = Decimal(0)  # due by today and not received

    @property
    def percent_received(self) -> Decimal | None:
        return (self.received / self.pledged * 100).quantize(Decimal("0.1")) if self.pledged else None


@dataclass
class ChannelLine:
    channel: str
    pledged: Decimal = Decimal(0)
    received: Decimal = Decimal(0)


@dataclass
class Statement:
    fund: Fund
    contributors: list[ContributorLine]
    pledged: Decimal
    received: Decimal
    disbursed_by_program: dict[str, Decimal]
    disbursed: Decimal
    balance: Decimal
    planned: dict[int, Decimal] = field(default_factory=dict)  # days ahead → planned disbursements
    channels: list[ChannelLine] = field(default_factory=list)

    @property
    def in_kind(self) -> Decimal:
        """Value of goods received (natura): held by the fund at their valuation, not cash."""
        return sum(
            (line.received for line in self.contributors if line.pledge and line.pledge.channel == "natura"),
            Decimal(0),
        )

    @property
    def overdue(self) -> Decimal:
        return sum((line.overdue for line in self.contributors), Decimal(0))

    def shortfall(self, horizon: int) -> Decimal:
        """How much the planned disbursements within ``horizon`` days exceed the balance (0 if covered)."""
        return max(self.planned.get(horizon, Decimal(0)) - self.balance, Decimal(0))


def fund_statement(*, fund: Fund, today: datetime.date, horizons: tuple[int, ...] = (60, 90)) -> Statement:
    """Pledged vs received per contributor and channel, each contributor's share, disbursed per
    program, balance, and disbursements planned within the horizons (six queries)."""
    pledges = list(
        Pledge.objects.filter(fund=fund)
        .select_related("organization")
        .prefetch_related("installments")
        .order_by("organization__name", "channel", "id")
    )
    received = dict(
        LedgerEntry.objects.filter(fund=fund, pledge__isnull=False, disbursement__isnull=True)
        .values_list("pledge_id")
        .annotate(total=Sum("amount"))
        .values_list("pledge_id", "total")
    )
    disbursed = dict(
        LedgerEntry.objects.filter(fund=fund, disbursement__isnull=False)
        .values_list("disbursement__program__name")
        .annotate(total=Sum("amount"))
        .values_list("disbursement__program__name", "total")
    )
    open_requests = Disbursement.objects.filter(
        fund=fund, status__in=[Disbursement.Status.REQUESTED, Disbursement.Status.APPROVED], planned_on__gte=today
    ).values_list("planned_on", "amount")
    lines = []
    channels: dict[str, ChannelLine] = {}
    for pledge in pledges:
        got = received.get(pledge.pk) or Decimal(0)
        due, overdue, _oldest = arrears([(i.due_on, i.amount) for i in pledge.installments.all()], got, today)
        line = ContributorLine(
            pledge.organization.name, pledge.get_channel_display(), pledge.amount, got,
            pledge=pledge, due=due, overdue=overdue,
        )  # fmt: skip
        lines.append(line)
        channel = channels.setdefault(pledge.channel, ChannelLine(pledge.get_channel_display()))
        channel.pledged += pledge.amount
        channel.received += got
    total_received = sum((line.received for line in lines), Decimal(0))
    for line in lines:
        line.share = (line.received / total_received * 100).quantize(Decimal("0.1")) if total_received else None
    disbursed_by_program = {name: -total for name, total in disbursed.items()}
    planned = {h: Decimal(0) for h in horizons}
    for planned_on, amount in open_requests:
        for horizon in horizons:
            if planned_on <= today + datetime.timedelta(days=horizon):
                planned[horizon] += amount
    fund.refresh_from_db(fields=["balance"])
    return Statement(
        fund=fund,
        contributors=lines,
        pledged=sum((p.amount for p in pledges), Decimal(0)),
        received=total_received,
        disbursed_by_program=disbursed_by_program,
        disbursed=sum(disbursed_by_program.values(), Decimal(0)),
        balance=fund.balance,
        planned=planned,
        channels=sorted(channels.values(), key=lambda c: -c.pledged),
    )


def funds_with_drift() -> list[tuple[Fund, Decimal]]:
    """Funds whose stored balance differs from the sum of their ledger (should be none)."""
    sums = dict(
        LedgerEntry.objects.values_list("fund_id").annotate(total=Sum("amount")).values_list("fund_id", "total")
    )
    return [
        (f, sums.get(f.pk) or Decimal(0)) for f in Fund.objects.all() if f.balance != (sums.get(f.pk) or Decimal(0))
    ]
