"""seed_scale at a small factor: every table filled with consistent rows, funds balanced, the
pages and the review job work on it, and a second run adds nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from organizations.models import Tenant
from organizations.tenancy import scopes_disabled, tenant_scope
from partnerships.models import Agreement
from programs.models import Fund, LedgerEntry, ProgressUpdate
from reporting import services


@pytest.mark.django_db
def test_district_profile_at_a_small_factor(capsys):
    call_command("seed_scale", "--profile", "district", "--factor", "0.01")
    out = capsys.readouterr().out
    assert "seeded in" in out and "progress_updates" in out
    tenant = Tenant.objects.get(slug="district-x0_01-001")
    with scopes_disabled():
        assert Agreement.unscoped.filter(tenant=tenant).count() == 10
        assert ProgressUpdate.unscoped.filter(tenant=tenant).count() > 1_000
        for fund in Fund.unscoped.filter(tenant=tenant):
            total = LedgerEntry.unscoped.filter(fund=fund).aggregate(t=Sum("amount"))["t"] or Decimal(0)
            assert fund.balance == total
    with tenant_scope(tenant):
        reviews = services.reviews_compute(tenant=tenant, today=datetime.date.today(), notify=False)
    # 7 active + 1 suspended + 1 expired that still runs a program (of every 10); drafts are not reviewed
    assert len(reviews) == 9
    call_command("seed_scale", "--profile", "district", "--factor", "0.01")
    with scopes_disabled():
        assert Agreement.unscoped.filter(tenant=tenant).count() == 10
