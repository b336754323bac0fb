"""``make bench``: the benchmark harness, outside the test suite.

    .venv/bin/python -m bench.run

Seeds its own database (mitrasehat_bench) with the district profile at each growth factor and
the national profile, then measures the health review (in a fresh process per district run,
and through real Celery workers for the 500 national tenants), three pages through the test
client, and the agreement list API under wrk — each beside a floor measured in the same run —
and writes bench/results/<date>-{district,national}.json and <date>-table.md. See
bench/README.md for the options."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
import warnings

from .env import RESULTS_DIR, ROOT, BenchError, Options, child_env, ensure_database, options_from_env


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def prepare_data(options: Options, env: dict[str, str]) -> dict:
    from . import seed

    step("1. database, migrations, scale data, ANALYZE")
    if ensure_database(options.database_url):
        print("  created the benchmark database", flush=True)
    seed.manage("migrate", "--noinput", env=env, echo=False)
    seeds = []
    for factor in options.factors:
        print(f"  seed_scale --profile district --factor {factor:g}", flush=True)
        seeds.append(seed.seed_profile("district", factor, env))
    national = None
    if options.national:
        print("  seed_scale --profile national (≈ 5 min when the tenants are new)", flush=True)
        national = seed.seed_profile("national", 1, env)
    print("  ANALYZE", flush=True)
    return {"district": seeds, "national": national, "analyze_s": seed.analyze(options.database_url)}


def review_in_fresh_process(slug: str, env: dict[str, str]) -> dict:
    done = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "bench.review_probe", slug],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"the health review of {slug} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    started = time.monotonic()
    options = options_from_env()
    env = child_env(options)
    os.environ.update(env)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)  # no collectstatic here
    data = prepare_data(options, env)

    import django

    django.setup()
    from . import machine, report, seed
    from .api import run_api
    from .national import run_national
    from .pages import measure_pages

    date = datetime.date.today().isoformat()
    described = machine.describe()

    step("2. tenants, managers and API tokens")
    district_tenants = {}
    for factor in options.factors:
        tenant = seed.tenant_by_slug(seed.district_slug(factor))
        user, token = seed.manager_with_token(tenant)
        district_tenants[factor] = (tenant, user, token)
        print(f"  ×{factor:g}: {tenant.slug} (id {tenant.pk}), manager {user.email}", flush=True)

    district = {
        "date": date,
        "profile": "district",
        "machine": described,
        "options": {
            "factors": options.factors,
            "requests": options.requests,
            "national": options.national,
            "wrk_duration": options.wrk_duration,
            "wrk_connections": options.wrk_connections,
        },  # fmt: skip
        "seed": data["district"],
        "analyze_s": data["analyze_s"],
        "tenants": {},
        "reviews": {},
        "pages": {},
        "api": {},
    }
    for factor, (tenant, _user, _token) in district_tenants.items():
        district["tenants"][f"{factor:g}"] = {
            "slug": tenant.slug,
            "id": tenant.pk,
            "counts": seed.tenant_counts(tenant),
        }

    step("3. health review, district (a fresh process per run)")
    for factor, (tenant, _user, _token) in district_tenants.items():
        result = review_in_fresh_process(tenant.slug, env)
        district["reviews"][f"{factor:g}"] = result
        print(f"  ×{factor:g}: {result['reviews']} reviews in {result['wall_s']} s, {result['queries']} queries, "
              f"peak RSS {result['peak_rss_mb']} MB | floor {result['floor']['wall_s']} s", flush=True)  # fmt: skip

    national = None
    if options.national:
        step("4. health review, national (Celery worker, concurrency 2)")
        review = run_national(env=env, redis_url=options.redis_url)
        print(f"  {review['tenants']} tenants, {review['reviews']} reviews in {review['wall_s']} s; "
              f"queries per tenant {[s['queries'] for s in review['per_tenant']]}; "
              f"peak RSS {review['peak_rss_mb']} MB", flush=True)  # fmt: skip
        national = {"date": date, "profile": "national", "machine": described, "seed": data["national"],
                    "analyze_s": data["analyze_s"], "counts": seed.national_counts(), "review": review}  # fmt: skip
    else:
        step("4. health review, national: skipped (BENCH_NATIONAL=0)")

    step(f"5. pages (test client, {options.requests} requests each after 3 warm-ups)")
    for factor, (tenant, user, _token) in district_tenants.items():
        print(f"  district ×{factor:g}", flush=True)
        district["pages"][f"{factor:g}"] = measure_pages(tenant=tenant, user=user, requests=options.requests)

    step("6. API under concurrency (gunicorn + wrk)")
    district["api"] = run_api(
        env=env, targets=[(f, t, token) for f, (t, _u, token) in district_tenants.items()], options=options
    )

    step("7. results")
    district["growth"] = report.growth(district)
    district["targets"] = report.targets(district, national)
    district["total_seconds"] = round(time.monotonic() - started, 1)
    district["load_average_at_end"] = machine.load_average()
    if national is not None:
        national["targets"] = [t for t in district["targets"] if "national" in t["target"] or "worker" in t["target"]]
        national["total_seconds"] = district["total_seconds"]
    table = report.markdown(district, national)
    for path in report.write(RESULTS_DIR, date, district, national, table):
        print(f"  wrote {path.relative_to(ROOT)}", flush=True)
    print()
    print(table)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"\nbench: ERROR: {exc}", file=sys.stderr)
        sys.exit(1)
