"""A running TB-screening program: Puskesmas Ciruas and the coordinator's NGO implement it."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from organizations.tenancy import tenant_scope
from programs import services
from programs.models import Indicator, Program, ReportingPeriod

TODAY = datetime.date(2026, 6, 1)


@dataclass
class ProgramWorld:
    program: Program
    cases: Indicator  # count, monthly, cumulative
    coverage: Indicator  # percent, quarterly
    ratio: Indicator  # ratio, monthly

    def period(self, indicator: Indicator, year: int, number: int) -> ReportingPeriod:
        return ReportingPeriod.objects.get(
            program=self.program, frequency=indicator.frequency, year=year, number=number
        )


@pytest.fixture
def pw(world, orgs, make_agreement):
    agreement = make_agreement(
        "active", parties=("puskesmas", "ngo"), partnership_type="provider_community", title="Skrining TBC"
    )
    with tenant_scope(world.tenant_a):
        program = services.program_create(
            tenant=world.tenant_a,
            agreement=agreement,
            actor=world.manager.user,
            implementers=[orgs["puskesmas"], orgs["ngo"]],
            name="Skrining TBC oleh kader",
            theme="tbc",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            status="active",
        )
        cases = services.indicator_create(
            program=program,
            actor=None,
            code="TBC-1",
            name="Terduga TBC ditemukan",
            kind="count",
            target=Decimal(400),
            cumulative=True,
        )
        coverage = services.indicator_create(
            program=program,
            actor=None,
            code="TBC-2",
            name="Cakupan skrining",
            kind="percent",
            target=Decimal(90),
            frequency="quarterly",
        )
        ratio = services.indicator_create(
            program=program,
            actor=None,
            code="TBC-3",
            name="Terduga yang diperiksa TCM",
            kind="ratio",
            target=Decimal(100),
        )
    return ProgramWorld(program=program, cases=cases, coverage=coverage, ratio=ratio)


@pytest.fixture
def fw(world, pw, orgs):
    """A shared fund for the TB program, with a Rp5.000.000 BLUD pledge by Puskesmas Ciruas."""
    from programs import fund_services as funds

    with tenant_scope(world.tenant_a):
        fund = funds.fund_create(
            tenant=world.tenant_a,
            agreement=pw.program.agreement,
            actor=None,
            name="Dana bersama TBC",
            programs=[pw.program],
        )
        pledge = funds.pledge_create(
            fund=fund, organization=orgs["puskesmas"], actor=None, channel="blud", amount=Decimal(5_000_000)
        )
    return fund, pledge
