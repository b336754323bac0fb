"""Step 5: three pages through Django's test client (server time, no network), each beside its
floor — the plain SQL of the figures it shows — timed the same way, request by request in
turn with the page."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from . import floor_sql
from .env import BenchError
from .measure import repeat_interleaved, summary_ms

WARMUP = 3


def _program_of(tenant) -> int:
    from programs.models import Program

    program_id = (
        Program.unscoped.filter(tenant=tenant, status=Program.Status.ACTIVE).order_by("pk").values_list("pk", flat=True)
    ).first()
    if program_id is None:
        raise BenchError(f"tenant {tenant.slug} has no active program to open")
    return program_id


def measure_pages(*, tenant, user, requests: int) -> dict[str, dict]:
    client = Client()
    client.force_login(user)
    today = timezone.localdate()
    program_id = _program_of(tenant)
    pages = {
        "dashboard": (f"/t/{tenant.slug}/", floor_sql.dashboard(tenant, today)),
        "agreement_list": (f"/t/{tenant.slug}/kemitraan/", floor_sql.agreement_list(tenant)),
        "program_detail": (f"/t/{tenant.slug}/program/{program_id}/", floor_sql.program_detail(tenant, program_id)),
    }
    results = {}
    for name, (url, (statements, variant)) in pages.items():

        def get(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise BenchError(f"GET {url} answered {response.status_code}, expected 200")
            return response

        measured = repeat_interleaved(
            {"page": get, "floor": lambda s=statements: floor_sql.run(s)}, warmup=WARMUP, times=requests
        )
        (durations, queries), (floor_durations, floor_queries) = measured["page"], measured["floor"]
        page = summary_ms(durations)
        floor = summary_ms(floor_durations)
        results[name] = {
            "url": url,
            **page,
            "queries": max(queries),
            "queries_min": min(queries),
            "floor": {
                **floor,
                "queries": max(floor_queries),
                "variant": variant,
                "statements": [s.label for s in statements],
            },
            "ratio_median": round(page["median_ms"] / floor["median_ms"], 1) if floor["median_ms"] else None,
        }
        print(
            f"    {name:<15} median {page['median_ms']:>8.1f} ms  p95 {page['p95_ms']:>8.1f} ms  "
            f"{max(queries):>3} queries | floor median {floor['median_ms']:>7.1f} ms ({max(floor_queries)} queries)",
            flush=True,
        )
    return results
