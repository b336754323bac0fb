"""The job outbox (organizations.outbox) against the real Redis, on a queue of the test's own that
no worker consumes: what is published, when, and how often. The faults with a real worker are in
tests/test_outbox_faults.py."""

from __future__ import annotations

import datetime
import logging
import os
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from organizations.models import OutboxJob
from organizations.outbox import HEADER, enqueue, outbox_sweep
from organizations.tenancy import ScopeError, scopes_disabled, tenant_scope
from reporting.models import ExportJob, ReviewRun
from reporting.tasks import export_run, health_review_tenant
from tests.broker import own_queue
from tests.factories import refresh

needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (make test starts Redis)")
LONG_AGO = datetime.timedelta(hours=2)  # beyond OUTBOX_RESEND_AFTER's default of 30 minutes


@pytest.fixture
def queue():
    with own_queue() as queue:
        yield queue


def _job(tenant, *, done=False, sent_ago=None, attempts=0, day="2026-07-01") -> OutboxJob:
    now = timezone.now()
    job = OutboxJob(
        tenant=tenant,
        task=health_review_tenant.name,
        args=[tenant.pk, day],
        attempts=attempts,
        last_sent_at=now - sent_ago if sent_ago is not None else None,
        done_at=now if done else None,
    )
    with tenant_scope(tenant):
        job.save()
    return job


def _published_ids(queue) -> list[int]:
    return [message["headers"][HEADER] for message in queue.messages()]


@needs_redis
@pytest.mark.django_db
def test_a_job_is_published_only_once_its_transaction_commits(world, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with tenant_scope(world.tenant_a):
            job = enqueue(health_review_tenant, world.tenant_a.pk, "2026-07-01")
        assert queue.messages() == []  # not before the commit
    (message,) = queue.messages()
    assert message["headers"]["task"] == "reporting.tasks.health_review_tenant"
    assert message["headers"][HEADER] == job.pk
    refresh(job)
    assert job.attempts == 1 and job.last_sent_at is not None and job.done_at is None


@needs_redis
@pytest.mark.django_db
def test_a_rolled_back_transaction_leaves_no_job(world, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic(), tenant_scope(world.tenant_a):
            enqueue(health_review_tenant, world.tenant_a.pk, "2026-07-01")
            raise RuntimeError("the page's own work failed")
    assert queue.messages() == []
    with scopes_disabled():
        assert not OutboxJob.objects.exists()


@pytest.mark.django_db
def test_a_job_of_another_tenant_is_refused_inside_a_scope(world):
    with tenant_scope(world.tenant_a), pytest.raises(ScopeError):
        enqueue(health_review_tenant, world.tenant_b.pk, "2026-07-01")


@needs_redis
@pytest.mark.django_db
def test_the_sweeper_publishes_pending_and_lost_jobs_and_skips_the_others(world, queue):
    tenant = world.tenant_a
    pending = _job(tenant)
    lost = _job(tenant, sent_ago=LONG_AGO, attempts=1)
    in_flight = _job(tenant, sent_ago=datetime.timedelta(minutes=5), attempts=1)
    done = _job(tenant, done=True, sent_ago=LONG_AGO, attempts=1)
    other_tenant = _job(world.tenant_b)

    result = outbox_sweep()

    assert (result.sent, result.pending, result.gave_up) == (3, 0, 0)
    assert _published_ids(queue) == [pending.pk, lost.pk, other_tenant.pk]
    with scopes_disabled():
        attempts = dict(OutboxJob.unscoped.values_list("pk", "attempts"))
    assert attempts == {pending.pk: 1, lost.pk: 2, in_flight.pk: 1, done.pk: 1, other_tenant.pk: 1}
    assert outbox_sweep().sent == 0  # nothing is due again right away
    assert len(queue.messages()) == 3


@needs_redis
@pytest.mark.django_db
def test_the_sweeper_gives_up_at_the_attempt_cap_and_says_so_once(world, queue, caplog):
    with override_settings(OUTBOX_MAX_ATTEMPTS=3):
        last_try = _job(world.tenant_a, sent_ago=LONG_AGO, attempts=2)
        spent = _job(world.tenant_a, sent_ago=LONG_AGO, attempts=3)
        with caplog.at_level(logging.ERROR, logger="organizations.outbox"):
            result = outbox_sweep()
        assert (result.sent, result.gave_up) == (1, 1)
        assert _published_ids(queue) == [last_try.pk]
        refresh(spent)
        assert spent.gave_up_at is not None and spent.attempts == 3
        (record,) = [r for r in caplog.records if r.name == "organizations.outbox"]
        assert record.levelno == logging.ERROR and f"(outbox {spent.pk}," in record.getMessage()

        caplog.clear()
        later = timezone.now() + LONG_AGO  # the last try was lost too
        with caplog.at_level(logging.ERROR, logger="organizations.outbox"):
            assert outbox_sweep(now=later).gave_up == 1  # last_try, now spent; spent is not logged again
        assert [r.getMessage().count(f"(outbox {last_try.pk},") for r in caplog.records] == [1]
        assert len(queue.messages()) == 1


@pytest.mark.django_db
def test_finished_jobs_are_deleted_after_the_keeping_days(world):
    old = _job(world.tenant_a, done=True)
    with scopes_disabled():
        OutboxJob.unscoped.filter(pk=old.pk).update(done_at=timezone.now() - datetime.timedelta(days=8))
    recent = _job(world.tenant_a, done=True)
    assert outbox_sweep().purged == 1
    with scopes_disabled():
        assert list(OutboxJob.unscoped.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_the_task_marks_its_row_done_and_a_late_copy_is_skipped(world, make_agreement):
    make_agreement("active")
    with tenant_scope(world.tenant_a):
        run = ReviewRun.objects.create(tenant=world.tenant_a, period="2026-07")
    with tenant_scope(world.tenant_a):
        job = enqueue(health_review_tenant, world.tenant_a.pk, "2026-07-01", run.pk)  # eager, on commit: not yet
    args = [world.tenant_a.pk, "2026-07-01", run.pk]
    health_review_tenant.apply(args=args, headers={HEADER: job.pk})
    refresh(job)
    refresh(run)
    assert job.done_at is not None and job.last_error == ""
    assert run.status == ReviewRun.Status.DONE

    with scopes_disabled():
        ReviewRun.unscoped.filter(pk=run.pk).update(status=ReviewRun.Status.QUEUED)
    health_review_tenant.apply(args=args, headers={HEADER: job.pk})  # redelivered after it finished
    refresh(run)
    assert run.status == ReviewRun.Status.QUEUED  # skipped: the service did not run again


@pytest.mark.django_db
@pytest.mark.allow_error_log  # the task raises on purpose
def test_a_task_that_fails_finishes_its_row_with_the_error(world):
    job = OutboxJob(tenant=world.tenant_a, task=export_run.name, args=[world.tenant_a.pk, 987654])
    with tenant_scope(world.tenant_a):
        job.save()
    with pytest.raises(ExportJob.DoesNotExist):
        export_run.apply(args=job.args, headers={HEADER: job.pk})
    refresh(job)
    assert job.done_at is not None and job.last_error.startswith("DoesNotExist")
    assert not outbox_sweep(now=timezone.now() + LONG_AGO).sent  # not the outbox's to retry


@needs_redis
@pytest.mark.django_db
def test_the_command_sweeps(world, queue, capsys):
    _job(world.tenant_a)
    call_command("outbox_sweep")
    assert "Outbox: 1 published, 0 still pending" in capsys.readouterr().out
    assert len(queue.messages()) == 1


# --- concurrency: rows are locked while claimed (PostgreSQL, separate connections) -------------


def _in_thread(target, *args):
    result: dict = {}

    def run():
        try:
            with scopes_disabled():
                result["value"] = target(*args)
        except BaseException as exc:  # noqa: BLE001 — handed to the test
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_sweeper_skips_rows_another_one_holds_instead_of_waiting(world, queue):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    jobs = [_job(world.tenant_a, day=f"2026-07-{n:02d}") for n in range(1, 11)]
    held, release = threading.Event(), threading.Event()

    def hold(ids):  # another sweeper, in the middle of claiming the first four rows
        with transaction.atomic():
            list(OutboxJob.objects.select_for_update().filter(pk__in=ids))
            held.set()
            release.wait(timeout=30)

    holder, _result = _in_thread(hold, [job.pk for job in jobs[:4]])
    assert held.wait(timeout=10)
    sweeper, result = _in_thread(outbox_sweep)
    sweeper.join(timeout=10)
    assert not sweeper.is_alive(), "the sweeper waited for the locked rows"
    release.set()
    holder.join(timeout=10)
    assert "error" not in result, result.get("error")
    assert result["value"].sent == 6
    assert _published_ids(queue) == [job.pk for job in jobs[4:]]
    assert outbox_sweep().sent == 4  # the rows the other one held (it published nothing here)
    assert sorted(_published_ids(queue)) == [job.pk for job in jobs]


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweepers_publish_each_job_once(world, queue):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    jobs = [_job(world.tenant_a, day=f"2026-07-{n:02d}") for n in range(1, 29)]
    start = threading.Barrier(4)

    def sweep():
        start.wait(timeout=10)
        return outbox_sweep(batch=5).sent

    threads = [_in_thread(sweep) for _ in range(4)]
    for thread, _result in threads:
        thread.join(timeout=30)
    sent = [result["value"] for _thread, result in threads]
    while sum(sent) < len(jobs):  # the batch is 5 rows; sweep the rest
        sent.append(outbox_sweep(batch=5).sent)
    assert sorted(_published_ids(queue)) == [job.pk for job in jobs]  # each exactly once
    with scopes_disabled():
        assert set(OutboxJob.unscoped.values_list("attempts", flat=True)) == {1}
