"""One district health review in a fresh process, so its peak RSS is its own:

    python -m bench.review_probe <tenant-slug>

prints one JSON line: wall time, SQL statements, reviews written, peak RSS, and the floor
(the time to read the tenant's approved progress updates once with raw SQL)."""

from __future__ import annotations

import json
import resource
import sys
import time

FLOOR_SQL = (
    "SELECT indicator_id, period_id, organization_id, value FROM programs_progressupdate "
    "WHERE tenant_id = %s AND status = 'approved'"
)


def main(slug: str) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from organizations.models import Tenant
    from organizations.tenancy import tenant_scope
    from reporting.services import reviews_compute

    from .measure import counting_queries

    tenant = Tenant.objects.get(slug=slug)
    today = timezone.localdate()
    rss_before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tenant_scope(tenant), counting_queries() as counter:
        started = time.perf_counter()
        reviews = reviews_compute(tenant=tenant, today=today, notify=False)
        wall = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(FLOOR_SQL, [tenant.pk])
        rows = len(cursor.fetchall())
        floor = time.perf_counter() - started
    return {
        "tenant": slug,
        "today": today.isoformat(),
        "reviews": len(reviews),
        "wall_s": round(wall, 3),
        "queries": counter.count,
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "rss_before_mb": round(rss_before_kb / 1024, 1),
        "floor": {"label": "read the approved updates once", "sql": FLOOR_SQL, "rows": rows, "wall_s": round(floor, 3)},
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m bench.review_probe <tenant-slug>")
    print(json.dumps(main(sys.argv[1])))
