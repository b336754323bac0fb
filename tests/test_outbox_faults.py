"""Job faults with a real worker on real Redis (issue 9): no background job is lost.

1. Redis down while a page starts a review run: the page answers within 2 s without a 500 and
   the job waits in the outbox; when Redis is back the sweeper publishes it and a real worker
   does the work — one review per agreement for the period.
2. A job published and then lost by Redis (a restart without persistence empties the queue):
   after OUTBOX_RESEND_AFTER the sweeper publishes it again and the work is done once.
"""

from __future__ import annotations

import datetime
import os
import time

import pytest
from django.db import connection
from django.test import override_settings

from organizations.models import OutboxJob
from organizations.outbox import outbox_sweep
from organizations.tenancy import scopes_disabled, tenant_scope
from reporting import services
from reporting.models import HealthReview, ReviewRun

from .broker import broker_unreachable, own_queue, start_worker, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (make test starts Redis)"),
]
AGREEMENTS = 3


@pytest.fixture
def queue(transactional_db, tmp_path):
    """The test's own queue, and a function starting a real worker on it."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which needs PostgreSQL")
    started = []
    with own_queue() as queue, override_settings(MEDIA_ROOT=str(tmp_path)):
        queue.start_worker = lambda: started.append(start_worker(queue.name, str(tmp_path)))
        try:
            yield queue
        finally:
            for process in started:
                process.terminate()
                output, _ = process.communicate(timeout=20)
                print(output)


def _active_agreements(world, make_agreement) -> None:
    today = datetime.date.today()
    for i in range(AGREEMENTS):
        make_agreement("active", title=f"Rujukan balik {i}", ends_on=today + datetime.timedelta(days=400))


def _run_done(run_pk: int) -> bool:
    with scopes_disabled():
        return ReviewRun.unscoped.get(pk=run_pk).status == ReviewRun.Status.DONE


def _reviews(tenant) -> list[tuple[int, str]]:
    with scopes_disabled():
        return list(HealthReview.unscoped.filter(tenant=tenant).values_list("agreement_id", "period"))


def test_redis_down_while_a_page_enqueues_then_the_sweeper_delivers_to_a_real_worker(world, make_agreement, queue):
    _active_agreements(world, make_agreement)
    queue.start_worker()  # starting takes a few seconds; it consumes once something arrives
    with broker_unreachable():
        started = time.monotonic()
        response = world.manager.client.post(f"/t/{world.tenant_a.slug}/tinjauan/jalankan/")
        elapsed = time.monotonic() - started
    assert response.status_code == 302 and elapsed < 2, (response.status_code, elapsed)
    with scopes_disabled():
        run = ReviewRun.objects.get()
        job = OutboxJob.objects.get()
    assert run.status == ReviewRun.Status.QUEUED
    assert job.last_sent_at is None and job.done_at is None and "refused" in job.last_error
    assert queue.messages() == []
    time.sleep(1)
    with scopes_disabled():
        assert ReviewRun.unscoped.get(pk=run.pk).status == ReviewRun.Status.QUEUED  # nothing ran it

    # Redis is back: the sweeper publishes the job, the worker reviews the tenant.
    result = outbox_sweep()
    assert (result.sent, result.pending) == (1, 0)
    wait_until(lambda: _run_done(run.pk))
    with scopes_disabled():
        job = wait_until(lambda: OutboxJob.unscoped.filter(pk=job.pk, done_at__isnull=False).first())
    assert job.attempts == 1 and job.last_error == ""
    reviews = _reviews(world.tenant_a)
    assert len(reviews) == AGREEMENTS == len(set(reviews))
    assert {period for _agreement, period in reviews} == {run.period}


@override_settings(OUTBOX_RESEND_AFTER=1)
def test_a_job_redis_lost_is_published_again_and_done_once(world, make_agreement, queue):
    _active_agreements(world, make_agreement)
    with tenant_scope(world.tenant_a):
        run = services.review_run_start(tenant=world.tenant_a, actor=world.manager.user)  # autocommit: sent
    (message,) = queue.messages()
    queue.lose_everything()  # Redis restarted before any worker took it
    queue.start_worker()
    time.sleep(2)
    with scopes_disabled():
        assert ReviewRun.unscoped.get(pk=run.pk).status == ReviewRun.Status.QUEUED  # lost, silently

    result = outbox_sweep()  # the job was sent over OUTBOX_RESEND_AFTER ago and is not done
    assert result.sent == 1
    wait_until(lambda: _run_done(run.pk))
    with scopes_disabled():
        job = wait_until(lambda: OutboxJob.unscoped.filter(done_at__isnull=False).first())
    assert job.pk == message["headers"]["outbox_id"] and job.attempts == 2
    reviews = _reviews(world.tenant_a)
    assert len(reviews) == AGREEMENTS == len(set(reviews))

    # Done once: later sweeps publish nothing, and the reviews are not computed again.
    with scopes_disabled():
        computed = sorted(HealthReview.unscoped.values_list("computed_at", flat=True))
    time.sleep(1.2)
    assert outbox_sweep().sent == 0
    time.sleep(1)
    assert queue.messages() == []
    with scopes_disabled():
        assert sorted(HealthReview.unscoped.values_list("computed_at", flat=True)) == computed
    with scopes_disabled():
        assert OutboxJob.unscoped.get().attempts == 2
