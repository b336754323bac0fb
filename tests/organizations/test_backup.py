"""Backup and restore of one tenant (issue 9): the demo's richest tenant exported, the database
emptied, the file imported — and exported again, byte for byte the same rows."""

import gzip
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from organizations.backup import BackupError, export_tenant, import_tenant
from organizations.demo import DEMO_PASSWORD, seed_demo
from organizations.models import Tenant, User
from organizations.regions import regions_load
from organizations.tenancy import scopes_disabled


def _rows(path):
    with gzip.open(path, "rt", encoding="utf-8") as source:
        header = json.loads(source.readline())
        return header, [line for line in source]


@pytest.mark.django_db(transaction=True)
def test_a_seeded_tenant_round_trips_exactly_through_an_empty_database(tmp_path, as_database_owner):
    regions_load(provinces=["36"])
    seed_demo()
    first, second = tmp_path / "serang.jsonl.gz", tmp_path / "again.jsonl.gz"
    counts = export_tenant("serang", first)
    assert counts["programs.LedgerEntry"] > 10 and counts["reporting.HealthReview"] > 50
    assert counts["programs.HistoricalProgressUpdate"] > 0  # the change history travels too
    assert "organizations.ApiToken" not in counts

    with as_database_owner():
        call_command("flush", interactive=False, verbosity=0)  # an empty database
    assert not Tenant.objects.exists() and not User.objects.exists()

    imported = import_tenant(first)
    assert imported == counts
    export_tenant("serang", second)
    header, rows = _rows(first)
    _header, again = _rows(second)
    assert header["tenant"] == "serang"
    for before, after in zip(rows, again, strict=True):  # every row, every field, the same
        assert before == after

    with scopes_disabled():
        from programs.models import Fund, LedgerEntry

        for fund in Fund.objects.all():  # money survived exactly
            assert fund.balance == (LedgerEntry.objects.filter(fund=fund).aggregate(s=Sum("amount"))["s"] or Decimal(0))
    assert User.objects.get(email="manajer@serang.mitrasehat.id").check_password(DEMO_PASSWORD)

    # importing again is refused and changes nothing
    with pytest.raises(BackupError, match="already exists"):
        import_tenant(first)
    assert sum(import_counts(second).values()) == sum(counts.values())


def import_counts(path):
    header, rows = _rows(path)
    found = {}
    for line in rows:
        model = json.loads(line)["model"]
        found[model] = found.get(model, 0) + 1
    return found


@pytest.mark.django_db
def test_bad_files_and_unknown_tenants_get_a_clear_error(tmp_path):
    not_ours = tmp_path / "x.jsonl.gz"
    with gzip.open(not_ours, "wt") as out:
        out.write('{"format": "something-else"}\n')
    with pytest.raises(CommandError, match="Not a MitraSehat tenant export"):
        call_command("tenant_import", str(not_ours))
    with pytest.raises(CommandError, match="No tenant with slug 'nowhere'"):
        call_command("tenant_export", "nowhere", str(tmp_path / "y.jsonl.gz"))
