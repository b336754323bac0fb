"""Scale data for benchmarks (``manage.py seed_scale``): realistic volumes written with
``bulk_create`` in batches, bypassing per-row services for speed but keeping every invariant the
app relies on (tenant ids, unique constraints, fund balance = sum of its ledger, one review per
agreement and period is left to the review job).

Profiles (``--factor`` multiplies the per-tenant volumes):
- district: 1 tenant, 300 organizations, 1,000 agreements, 3,000 programs, 15,000 indicators,
  ≈ 500,000 progress updates, ≈ 100,000 ledger entries;
- national: 500 tenants, 20,000 agreements, ≈ 2,000,000 progress updates, the rest proportional.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from organizations.models import Organization, Tenant
from organizations.tenancy import scopes_disabled
from partnerships.models import Agreement, Party
from programs.models import (
    Fund,
    Indicator,
    LedgerEntry,
    Pledge,
    Program,
    ProgramImplementer,
    ProgressUpdate,
    ReportingPeriod,
)
from programs.services import indicators_refresh_achieved, periods_refresh_counts, periods_refresh_expected

BATCH = 5_000


@dataclass(frozen=True)
class Profile:
    tenants: int
    organizations: int  # per tenant
    agreements: int
    programs_per_agreement: int
    indicators_per_program: int
    months: int  # monthly reporting periods per program (updates ≈ indicators × months × implementers)
    funds_share: float  # share of agreements with a fund
    receipts_per_fund: int


PROFILES = {
    # 15,000 indicators × 19 closed months × 2 implementers × 90% reported ≈ 510,000 updates;
    # 1,000 funds × 2 pledges × 50 receipts = 100,000 ledger entries.
    "district": Profile(1, 300, 1_000, 3, 5, 20, 1.0, 100),
    # 500 tenants × 40 agreements = 20,000; 200,000 indicators × 6 closed months × 2 × 90% ≈ 2,100,000 updates.
    "national": Profile(500, 30, 40, 2, 5, 7, 0.5, 20),
}


def seed_scale(*, profile: str, factor: float = 1.0, seed: int = 514, log=print) -> dict[str, int]:
    spec = PROFILES[profile]
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    started = time.monotonic()
    counts: dict[str, int] = {}
    today = timezone.localdate()
    with scopes_disabled():
        for t in range(spec.tenants):
            # One set of tenants per profile and factor, so 1×, 2× and 4× can sit side by side.
            slug = f"{profile}-x{factor:g}-{t + 1:03d}".replace(".", "_")
            if Tenant.objects.filter(slug=slug).exists():
                continue  # idempotent: an existing tenant is left as it is
            with transaction.atomic():
                tenant = Tenant.objects.create(slug=slug, name=f"Dinas Kesehatan Skala {profile.title()} {t + 1}")
                _seed_tenant(tenant, spec, factor, rng, today, counts)
            if spec.tenants > 1 and (t + 1) % 50 == 0:
                log(f"  {t + 1} tenants…")
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


def _add(counts, key, n):
    counts[key] = counts.get(key, 0) + n


def _bulk(model, rows, counts, key):
    for start in range(0, len(rows), BATCH):
        model.unscoped.bulk_create(rows[start : start + BATCH])
    _add(counts, key, len(rows))


def _seed_tenant(tenant: Tenant, spec: Profile, factor: float, rng: random.Random, today, counts) -> None:
    n_orgs = max(4, int(spec.organizations * factor))
    n_agreements = max(1, int(spec.agreements * factor))
    kinds = [k for k, _label in Organization.Kind.choices]
    sectors = dict(Organization.DEFAULT_SECTOR)
    _bulk(Organization, [
        Organization(tenant=tenant, name=f"Mitra {i + 1:04d}", kind=(kind := kinds[i % len(kinds)]), sector=sectors[kind])
        for i in range(n_orgs)
    ], counts, "organizations")  # fmt: skip
    orgs = list(Organization.unscoped.filter(tenant=tenant).values_list("pk", flat=True))
    start_base = today - datetime.timedelta(days=30 * spec.months)
    types = [t for t, _label in Agreement.PartnershipType.choices]
    statuses = [Agreement.Status.ACTIVE] * 7 + [
        Agreement.Status.SUSPENDED,
        Agreement.Status.EXPIRED,
        Agreement.Status.DRAFT,
    ]
    _bulk(Agreement, [
        Agreement(
            tenant=tenant, title=f"Kerja sama {i + 1:05d}", number=f"445/{i + 1:05d}/PKS/{today.year}",
            partnership_type=types[i % len(types)], status=statuses[i % len(statuses)],
            signed_on=start_base, starts_on=start_base, ends_on=today + datetime.timedelta(days=rng.randint(-30, 720)),
        )
        for i in range(n_agreements)
    ], counts, "agreements")  # fmt: skip
    agreements = list(Agreement.unscoped.filter(tenant=tenant).values_list("pk", flat=True))
    parties, program_rows, pairs = [], [], []
    for agreement_id in agreements:
        chosen = rng.sample(orgs, 2)
        pairs.append((agreement_id, chosen))
        parties += [
            Party(tenant=tenant, agreement_id=agreement_id, organization_id=chosen[0], role="lead"),
            Party(tenant=tenant, agreement_id=agreement_id, organization_id=chosen[1], role="implementer"),
        ]
        for p in range(spec.programs_per_agreement):
            program_rows.append(Program(
                tenant=tenant, agreement_id=agreement_id, name=f"Program {agreement_id}-{p + 1}", theme="tbc",
                status=Program.Status.ACTIVE, starts_on=start_base, ends_on=today + datetime.timedelta(days=365),
            ))  # fmt: skip
    _bulk(Party, parties, counts, "parties")
    _bulk(Program, program_rows, counts, "programs")
    implementers_of = dict(pairs)
    programs = list(Program.unscoped.filter(tenant=tenant).values_list("pk", "agreement_id"))
    _bulk(ProgramImplementer, [
        ProgramImplementer(tenant=tenant, program_id=pid, organization_id=org)
        for pid, aid in programs for org in implementers_of[aid]
    ], counts, "implementers")  # fmt: skip
    periods, indicators = [], []
    for pid, _aid in programs:
        for m in range(spec.months):
            first = (start_base.replace(day=1) + datetime.timedelta(days=31 * m)).replace(day=1)
            last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            periods.append(ReportingPeriod(
                tenant=tenant, program_id=pid, frequency="monthly", year=first.year, number=first.month,
                starts_on=first, ends_on=last, due_on=last + datetime.timedelta(days=10),
                locks_on=last + datetime.timedelta(days=40),
            ))  # fmt: skip
        for i in range(spec.indicators_per_program):
            indicators.append(Indicator(
                tenant=tenant, program_id=pid, code=f"IND-{i + 1}", name=f"Indikator {i + 1}",
                target=Decimal(rng.randint(100, 1000)), priority="high" if i == 0 else "medium",
            ))  # fmt: skip
    _bulk(ReportingPeriod, periods, counts, "periods")
    _bulk(Indicator, indicators, counts, "indicators")
    periods_of: dict[int, list] = {}
    for period_id, pid, ends_on, due_on in ReportingPeriod.unscoped.filter(tenant=tenant).values_list(
        "pk", "program_id", "ends_on", "due_on"
    ):
        periods_of.setdefault(pid, []).append((period_id, ends_on, due_on))
    agreement_of = dict(programs)
    updates = []
    approved = ProgressUpdate.Status.APPROVED
    for indicator_id, pid in Indicator.unscoped.filter(tenant=tenant).values_list("pk", "program_id"):
        for period_id, ends_on, due_on in periods_of[pid]:
            if ends_on >= today:
                continue
            for org in implementers_of[agreement_of[pid]]:
                if rng.random() < 0.1:
                    continue  # one report in ten never arrives
                at = timezone.make_aware(datetime.datetime.combine(due_on - datetime.timedelta(days=rng.randint(-5, 8)),
                                                                   datetime.time(9)))  # fmt: skip
                updates.append(ProgressUpdate(
                    tenant=tenant, indicator_id=indicator_id, period_id=period_id, organization_id=org,
                    value=Decimal(rng.randint(0, 60)), status=approved, submitted_at=at, reviewed_at=at,
                ))  # fmt: skip
        if len(updates) >= BATCH * 4:
            _bulk(ProgressUpdate, updates, counts, "progress_updates")
            updates = []
    _bulk(ProgressUpdate, updates, counts, "progress_updates")
    # the denormalised figures the services keep on approval and submission
    indicators_refresh_achieved(indicator_ids=Indicator.unscoped.filter(tenant=tenant).values_list("pk", flat=True))
    periods_refresh_counts(periods=ReportingPeriod.unscoped.filter(tenant=tenant))
    periods_refresh_expected(periods=ReportingPeriod.unscoped.filter(tenant=tenant))
    _seed_funds(tenant, spec, rng, today, pairs, counts)


def _seed_funds(tenant, spec: Profile, rng, today, pairs, counts) -> None:
    with_fund = [(aid, orgs) for i, (aid, orgs) in enumerate(pairs) if (i % 100) < spec.funds_share * 100]
    _bulk(Fund, [Fund(tenant=tenant, agreement_id=aid, name=f"Dana bersama {aid}") for aid, _o in with_fund],
          counts, "funds")  # fmt: skip
    fund_of = dict(Fund.unscoped.filter(tenant=tenant).values_list("agreement_id", "pk"))
    _bulk(Pledge, [
        Pledge(tenant=tenant, fund_id=fund_of[aid], organization_id=org, channel=channel,
               amount=Decimal(spec.receipts_per_fund * 1_000_000))
        for aid, orgs in with_fund for org, channel in zip(orgs, ("apbd", "csr_tjsl"), strict=True)
    ], counts, "pledges")  # fmt: skip
    entries, balances = [], {}
    for pledge_id, fund_id in Pledge.unscoped.filter(tenant=tenant).values_list("pk", "fund_id"):
        for r in range(spec.receipts_per_fund // 2):
            amount = Decimal(rng.randint(1, 10) * 100_000)
            entries.append(LedgerEntry(
                tenant=tenant, fund_id=fund_id, kind="receipt", amount=amount, pledge_id=pledge_id,
                occurred_on=today - datetime.timedelta(days=rng.randint(1, 400)), reference=f"TRF-{pledge_id}-{r}",
            ))  # fmt: skip
            balances[fund_id] = balances.get(fund_id, Decimal(0)) + amount
    _bulk(LedgerEntry, entries, counts, "ledger_entries")
    for fund_id, balance in balances.items():  # the balance is the sum of the ledger
        Fund.unscoped.filter(pk=fund_id).update(balance=balance)
