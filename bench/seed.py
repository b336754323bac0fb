"""Step 1 and 2: migrate, seed the scale data (idempotent), ANALYZE, and a manager with an
API token for each measured tenant."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import timedelta
from urllib.parse import urlsplit

from .env import ROOT, BenchError

MANAGER_EMAIL = "bench.manager@{slug}.bench.invalid"
TOKEN_NAME = "bench"  # noqa: S105 - the name shown on the profile page, not a secret


def district_slug(factor: float) -> str:
    # the same rule as organizations.scale.seed_scale: one tenant set per profile and factor
    return f"district-x{factor:g}-001".replace(".", "_")


NATIONAL_PREFIX = "national-x1-"


def manage(*args: str, env: dict[str, str], echo: bool = True) -> str:
    """Run ``manage.py`` with the bench environment, echoing its output; the output, or a
    BenchError naming the command when it fails."""
    command = [sys.executable, "manage.py", *args]
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines = []
    assert process.stdout is not None  # noqa: S101 - Popen with stdout=PIPE
    for line in process.stdout:
        lines.append(line)
        if echo:
            print(f"    {line}", end="", flush=True)
    if process.wait() != 0:
        tail = "".join(lines[-20:])
        raise BenchError(f"`manage.py {' '.join(args)}` failed (exit {process.returncode}):\n{tail}")
    return "".join(lines)


def seed_profile(profile: str, factor: float, env: dict[str, str]) -> dict:
    """Seed one profile × factor; what it created and the time it reported (0 when every
    tenant already existed)."""
    started = time.monotonic()
    output = manage("seed_scale", "--profile", profile, "--factor", f"{factor:g}", env=env)
    reported = re.search(r"seeded in ([\d.]+) s", output)
    counts = {
        key: int(value.replace(",", ""))
        for key, value in re.findall(r"^\s+([a-z_]+)\s+([\d,]+)\s*$", output, flags=re.MULTILINE)
    }
    return {
        "profile": profile,
        "factor": factor,
        "created": bool(counts),
        "reported_seconds": float(reported.group(1)) if reported else None,
        "wall_seconds": round(time.monotonic() - started, 1),
        "counts": counts,
    }


def analyze(database_url: str) -> float:
    """ANALYZE the bench database so the planner sees the seeded volumes; seconds taken."""
    import psycopg2

    parts = urlsplit(database_url)
    conn = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=parts.path.lstrip("/"),
    )
    conn.autocommit = True
    started = time.monotonic()
    try:
        with conn.cursor() as cursor:
            # Warnings about system catalogs the role does not own are expected and harmless.
            cursor.execute("ANALYZE")
    finally:
        conn.close()
    return round(time.monotonic() - started, 1)


def tenant_counts(tenant) -> dict[str, int]:
    """How much data the tenant holds (for the growth ratios)."""
    from partnerships.models import Agreement
    from programs.models import Indicator, LedgerEntry, Program, ProgressUpdate

    return {
        "agreements": Agreement.unscoped.filter(tenant=tenant).count(),
        "programs": Program.unscoped.filter(tenant=tenant).count(),
        "indicators": Indicator.unscoped.filter(tenant=tenant).count(),
        "progress_updates": ProgressUpdate.unscoped.filter(tenant=tenant).count(),
        "ledger_entries": LedgerEntry.unscoped.filter(tenant=tenant).count(),
    }


def national_counts() -> dict[str, int]:
    from organizations.models import Tenant
    from partnerships.models import Agreement
    from programs.models import ProgressUpdate

    tenants = Tenant.objects.filter(slug__startswith=NATIONAL_PREFIX)
    return {
        "tenants": tenants.count(),
        "agreements": Agreement.unscoped.filter(tenant__in=tenants).count(),
        "progress_updates": ProgressUpdate.unscoped.filter(tenant__in=tenants).count(),
    }


def manager_with_token(tenant):
    """The tenant's bench manager (created once) and a fresh API token for this run: knox keeps
    only a digest, so the previous run's token cannot be reused and is replaced."""
    from organizations.models import ApiToken, Membership, Role, User

    user, created = User.objects.get_or_create(
        email=MANAGER_EMAIL.format(slug=tenant.slug), defaults={"full_name": f"Bench manager {tenant.slug}"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(user=user, tenant=tenant, defaults={"role": Role.MANAGER})
    ApiToken.objects.filter(user=user, name=TOKEN_NAME).delete()
    _instance, token = ApiToken.objects.create(user=user, expiry=timedelta(days=1), name=TOKEN_NAME)
    return user, token


def tenant_by_slug(slug: str):
    from organizations.models import Tenant

    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise BenchError(f"tenant {slug!r} is missing from the bench database (seeding did not create it)")
    return tenant
