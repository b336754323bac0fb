"""Reads of shared funds: the fund statement, set-based (a fixed number of queries)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from .models import Disbursement, Fund, LedgerEntry, Pledge


@dataclass
class ContributorLine:
    organization: str
    channel: str
    pledged: Decimal
    received: Decimal
    share: Decimal | None = None  # of everything received, in %


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


def fund_statement(*, fund: Fund, today: datetime.date, horizons: tuple[int, ...] = (60, 90)) -> Statement:
    """Pledged vs received per contributor and channel, each contributor's share, disbursed per
    program, balance, and disbursements planned within the horizons (four queries)."""
    pledges = list(
        Pledge.objects.filter(fund=fund).select_related("organization").order_by("organization__name", "channel")
    )
    received = dict(
        LedgerEntry.objects.filter(
            fund=fund, pledge__isnull=False, kind__in=["receipt", "reversal"], disbursement__isnull=True
        )
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
    lines = [
        ContributorLine(p.organization.name, p.get_channel_display(), p.amount, received.get(p.pk) or Decimal(0))
        for p in pledges
    ]
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
    )


def funds_with_drift() -> list[tuple[Fund, Decimal]]:
    """Funds whose stored balance differs from the sum of their ledger (should be none)."""
    sums = dict(
        LedgerEntry.objects.values_list("fund_id").annotate(total=Sum("amount")).values_list("fund_id", "total")
    )
    return [
        (f, sums.get(f.pk) or Decimal(0)) for f in Fund.objects.all() if f.balance != (sums.get(f.pk) or Decimal(0))
    ]
