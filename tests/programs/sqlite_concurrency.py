"""Run by test_fund_sqlite_concurrency.py in a subprocess on a fresh SQLite file (the embedded
mode of `make run`): 8 threads × 25 payments of Rp1 against a fund holding Rp100."""

import datetime
import json
import os
import sys
import threading
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project root

import django  # noqa: E402

os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from organizations.errors import ApplicationError  # noqa: E402
from organizations.models import Organization, Tenant  # noqa: E402
from organizations.tenancy import tenant_scope  # noqa: E402
from partnerships.models import Agreement, Party  # noqa: E402
from programs import fund_services as funds  # noqa: E402
from programs.models import Disbursement, LedgerEntry, Program  # noqa: E402

call_command("migrate", verbosity=0)
tenant = Tenant.objects.create(name="Dinas Kesehatan Uji", slug="uji")
with tenant_scope(tenant):
    a = Organization.objects.create(tenant=tenant, name="Puskesmas A", kind="puskesmas", sector="public")
    b = Organization.objects.create(tenant=tenant, name="PT B", kind="swasta", sector="private")
    agreement = Agreement.objects.create(tenant=tenant, title="Uji", partnership_type="public_private")
    Party.objects.create(tenant=tenant, agreement=agreement, organization=a, role="lead")
    Party.objects.create(tenant=tenant, agreement=agreement, organization=b, role="funder")
    program = Program.objects.create(
        tenant=tenant,
        agreement=agreement,
        name="P",
        theme="gizi",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    fund = funds.fund_create(tenant=tenant, agreement=agreement, actor=None, name="Dana")
    pledge = funds.pledge_create(fund=fund, organization=b, actor=None, channel="csr_tjsl", amount=Decimal(100))
    funds.receipt_record(pledge=pledge, actor=None, amount=Decimal(100))
    requests = [
        Disbursement.objects.create(
            tenant=tenant,
            fund=fund,
            program=program,
            amount=Decimal(1),
            purpose="x",
            planned_on=datetime.date(2026, 6, 1),
            status="approved",
        )
        for _ in range(200)
    ]
errors = []


def pay(index):
    try:
        with tenant_scope(tenant):
            for request in requests[index * 25 : (index + 1) * 25]:
                try:
                    funds.disbursement_pay(disbursement=request, actor=None)
                except ApplicationError:
                    pass
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()


threads = [threading.Thread(target=pay, args=(i,)) for i in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with tenant_scope(tenant):
    balance, ledger = funds.fund_reconcile(fund=fund)
    paid = Disbursement.objects.filter(status="paid").count()
    payments = LedgerEntry.objects.filter(kind="payment").count()
print(
    json.dumps({"paid": paid, "payments": payments, "balance": str(balance), "ledger": str(ledger), "errors": errors})
)
