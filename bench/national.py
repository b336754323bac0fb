"""Step 4: the national health review through real Celery workers — one task per tenant on the
harness's own queue, two pool processes — timed from the first enqueue to the last run
finished, with each worker process's peak RSS sampled from /proc."""

from __future__ import annotations

import os
import socket
import time

from .env import VENV_BIN, BenchError
from .measure import RssSampler, counting_queries
from .processes import Server, wait_until
from .seed import NATIONAL_PREFIX

QUEUE = "bench-reviews"
POLL_SECONDS = 0.5
TIMEOUT_SECONDS = int(os.environ.get("BENCH_NATIONAL_TIMEOUT", "1800"))
SAMPLES = 3


def _clear_queue(redis_url: str) -> None:
    """Drop what an interrupted earlier run left in the harness's own Redis database."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{QUEUE}*"):
        client.delete(key)
    client.delete("unacked", "unacked_index", "unacked_mutex")


def _worker(env: dict[str, str]) -> tuple[Server, str]:
    node = f"bench-{os.getpid()}@{socket.gethostname()}"
    argv = [
        str(VENV_BIN / "celery"), "-A", "config", "worker", "--concurrency", "2", "-Q", QUEUE,
        "--loglevel", "WARNING", "-n", node, "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    return Server("celery worker", argv, env), node


def _ready(node: str) -> bool:
    from config.celery import app

    return bool(app.control.ping(destination=[node], timeout=1.0))


def _wait_for_runs(run_ids: list[int], worker: Server) -> dict[str, int]:
    from django.db.models import Count

    from reporting.models import ReviewRun

    deadline = time.monotonic() + TIMEOUT_SECONDS
    last_report = 0.0
    while True:
        by_status = dict(
            ReviewRun.unscoped.filter(pk__in=run_ids).values_list("status").annotate(n=Count("id")).order_by()
        )
        finished = by_status.get(ReviewRun.Status.DONE, 0) + by_status.get(ReviewRun.Status.FAILED, 0)
        if finished == len(run_ids):
            return by_status
        if time.monotonic() - last_report > 10:
            print(f"    {finished}/{len(run_ids)} tenants reviewed…", flush=True)
            last_report = time.monotonic()
        if not worker.alive():
            raise worker.fail(f"exited with {len(run_ids) - finished} runs unfinished")
        if time.monotonic() > deadline:
            raise worker.fail(f"{len(run_ids) - finished} runs unfinished after {TIMEOUT_SECONDS} s")
        time.sleep(POLL_SECONDS)


def run_national(*, env: dict[str, str], redis_url: str) -> dict:
    from django.db.models import Max, Sum
    from django.utils import timezone

    from organizations.models import Tenant
    from reporting.models import HealthReview, ReviewRun
    from reporting.services import period_of
    from reporting.tasks import health_review_tenant

    tenants = list(Tenant.objects.filter(slug__startswith=NATIONAL_PREFIX).order_by("slug"))
    if not tenants:
        raise BenchError(f"no tenants {NATIONAL_PREFIX}… in the bench database (seeding did not create them)")
    today = timezone.localdate()
    _clear_queue(redis_url)
    worker, node = _worker(env)
    with worker, RssSampler(worker.pid) as sampler:
        wait_until(lambda: _ready(node), server=worker, timeout=90, what="answering a ping")
        runs = ReviewRun.unscoped.bulk_create(
            [ReviewRun(tenant=t, period=period_of(today, t.review_frequency)[0]) for t in tenants]
        )
        enqueued_at = timezone.now()
        started = time.monotonic()
        for tenant, run in zip(tenants, runs, strict=True):
            health_review_tenant.apply_async(args=(tenant.pk, today.isoformat(), run.pk), queue=QUEUE)
        enqueue_seconds = time.monotonic() - started
        by_status = _wait_for_runs([r.pk for r in runs], worker)
        polled_seconds = time.monotonic() - started
    peaks_mb = {pid: round(kb / 1024, 1) for pid, kb in sampler.peaks.items()}
    runs_qs = ReviewRun.unscoped.filter(pk__in=[r.pk for r in runs])
    totals = runs_qs.aggregate(last=Max("finished_at"), reviews=Sum("done"))
    failed = by_status.get(ReviewRun.Status.FAILED, 0)
    errors = list(runs_qs.filter(status=ReviewRun.Status.FAILED).values_list("error", flat=True)[:3])
    wall = (totals["last"] - enqueued_at).total_seconds() if totals["last"] and not failed else polled_seconds
    periods = {run.period for run in runs}
    result = {
        "tenants": len(tenants),
        "reviews": totals["reviews"] or 0,
        "reviews_stored_for_period": HealthReview.unscoped.filter(tenant__in=tenants, period__in=periods).count(),
        "runs_done": by_status.get(ReviewRun.Status.DONE, 0),
        "runs_failed": failed,
        "errors": errors,
        "wall_s": round(wall, 1),
        "enqueue_s": round(enqueue_seconds, 2),
        "worker": f"celery -A config worker --concurrency 2 -Q {QUEUE}",
        "peak_rss_mb": {
            "main": peaks_mb.get(worker.pid),
            "pool": sorted(v for k, v in peaks_mb.items() if k != worker.pid),
        },
        "peak_rss_mb_max": max(peaks_mb.values()) if peaks_mb else None,
        "per_tenant": _sample_tenants(tenants, today),
    }
    if failed:
        print(f"    warning: {failed} runs FAILED, e.g. {errors[:1]}", flush=True)
    return result


def _sample_tenants(tenants, today) -> list[dict]:
    """The task's body in-process for the first, middle and last tenant: its queries (the
    review must cost the same number of queries whatever the tenant) and its time."""
    from reporting.tasks import health_review_tenant

    picks = [tenants[0], tenants[len(tenants) // 2], tenants[-1]][:SAMPLES]
    samples = []
    for tenant in picks:
        with counting_queries() as counter:
            started = time.perf_counter()
            reviews = health_review_tenant(tenant.pk, today.isoformat())
            seconds = time.perf_counter() - started
        samples.append(
            {"tenant": tenant.slug, "reviews": reviews, "queries": counter.count, "wall_s": round(seconds, 3)}
        )
    return samples
