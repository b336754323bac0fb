"""The job outbox: no background job is lost when Redis is down or loses its messages.

``enqueue`` writes an :class:`~organizations.models.OutboxJob` row in the caller's transaction
and publishes it to Celery once that transaction commits. When the broker is unreachable the
row stays pending and the page answers at once (publishing gives up in under a second, see
``CELERY_TASK_PUBLISH_RETRY_POLICY``). The task marks its row done when it finishes
(:class:`OutboxTask`, the base of every project task). ``outbox_sweep`` — a beat task every
minute and the ``outbox_sweep`` command — publishes the rows still pending and, again, the rows
published but not done after ``OUTBOX_RESEND_AFTER`` seconds, up to ``OUTBOX_MAX_ATTEMPTS``.

Delivery is at least once: a job may run twice (a slow job re-published, a redelivery after a
worker died). Tasks are idempotent, and a copy that arrives after its row is done is skipped.
The sweeper spans tenants and so runs under ``scopes_disabled()``.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from celery import Task, current_app
from celery.exceptions import NotRegistered, Retry
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import tenancy
from .models import OutboxJob
from .tenancy import scopes_disabled

logger = logging.getLogger(__name__)

# The message header carrying the row's id, read back by OutboxTask.
HEADER = "outbox_id"
SWEEP_BATCH = 500


def enqueue(task: Task, tenant_id: int, *args) -> OutboxJob:
    """Record ``task(tenant_id, *args)`` in the current transaction; publish it on commit.
    Arguments are ids and ISO dates (JSON). Returns the row (pending until published)."""
    return enqueue_many(task, [(tenant_id, *args)])[0]


def enqueue_many(task: Task, calls: Iterable[Sequence]) -> list[OutboxJob]:
    """One row per call (each starting with its tenant id), written together and published in
    order on commit; the first broker failure leaves the rest to the sweeper rather than
    waiting for the dead broker once per row (a fan-out over every tenant)."""
    jobs = [OutboxJob(tenant_id=call[0], task=task.name, args=list(call)) for call in calls]
    with transaction.atomic():
        for job in jobs:
            if tenancy.active_tenant_id() is None:
                # a fan-out over tenants (or an on-commit hook after the scope closed): each
                # row is written in its own tenant, as row-level security requires
                with tenancy.tenant_scope(job.tenant_id):
                    job.save()
            else:
                job.save()  # refuses a row of another tenant than the active scope's
    if jobs:
        ids = [job.pk for job in jobs]
        transaction.on_commit(lambda: _publish_new(ids))
    return jobs


def _publish_new(ids: list[int]) -> None:
    with scopes_disabled():  # on_commit may run after the request's scope closed
        _publish(_claim(OutboxJob.objects.filter(pk__in=ids, last_sent_at=None, done_at=None), limit=len(ids)))


def _claim(rows: QuerySet, limit: int = SWEEP_BATCH) -> list[OutboxJob]:
    """Lock the rows no one else is handling (a concurrent sweeper skips them) and stamp them
    as sent, so that no other publisher takes them until the stamp is old."""
    now = timezone.now()
    with transaction.atomic():
        jobs = list(rows.select_for_update(skip_locked=True).order_by("id")[:limit])
        OutboxJob.objects.filter(pk__in=[job.pk for job in jobs]).update(last_sent_at=now, attempts=F("attempts") + 1)
    return jobs


def _publish(jobs: list[OutboxJob]) -> int:
    """Hand claimed rows to the broker, outside any transaction (an eager task runs right here).
    At the first failure that row and the rest go back to pending. Returns how many were sent."""
    sent = 0
    for position, job in enumerate(jobs):
        try:
            task = current_app.tasks[job.task]
        except NotRegistered:  # a task renamed or removed since the row was written
            logger.error("Background job %s (outbox %d): no such task; giving up", job, job.pk)
            OutboxJob.objects.filter(pk=job.pk).update(gave_up_at=timezone.now(), last_error="no such task")
            continue
        try:
            task.apply_async(args=job.args, headers={HEADER: job.pk})
        except OperationalError as exc:
            unsent = [j.pk for j in jobs[position:]]
            logger.warning("Broker unreachable; %d job(s) stay pending for the sweeper: %s", len(unsent), exc)
            OutboxJob.objects.filter(pk__in=unsent).update(
                last_sent_at=None, attempts=F("attempts") - 1, last_error=f"publish: {exc}"[:2000]
            )
            break
        sent += 1
    return sent


# --- the sweeper -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    sent: int
    pending: int  # still open and due after this sweep (the broker failed, or more than a batch)
    gave_up: int
    purged: int


def due(now: datetime.datetime) -> QuerySet:
    """Open rows to publish: never published, or published so long ago that the broker lost them."""
    resend_before = now - datetime.timedelta(seconds=settings.OUTBOX_RESEND_AFTER)
    return OutboxJob.objects.filter(done_at=None, gave_up_at=None).filter(
        Q(last_sent_at=None) | Q(last_sent_at__lt=resend_before)
    )


def outbox_sweep(*, now: datetime.datetime | None = None, batch: int = SWEEP_BATCH) -> SweepResult:
    """Publish what is due (see the module's docstring); give up on rows published
    ``OUTBOX_MAX_ATTEMPTS`` times, with an error in the log; delete rows finished more than
    ``OUTBOX_KEEP_DAYS`` ago. Safe to run concurrently: rows are locked while claimed."""
    now = now or timezone.now()
    with scopes_disabled():
        gave_up = _give_up(now)
        claimed = _claim(due(now).filter(attempts__lt=settings.OUTBOX_MAX_ATTEMPTS), limit=batch)
        sent = _publish(claimed)
        purged, _by_model = OutboxJob.objects.filter(
            done_at__lt=now - datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS)
        ).delete()
        pending = due(timezone.now()).filter(attempts__lt=settings.OUTBOX_MAX_ATTEMPTS).count()
    return SweepResult(sent=sent, pending=pending, gave_up=gave_up, purged=purged)


def _give_up(now: datetime.datetime) -> int:
    with transaction.atomic():
        jobs = list(due(now).filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).select_for_update(skip_locked=True))
        for job in jobs:
            logger.error(
                "Background job %s (outbox %d, tenant %d) was published %d times and never finished; "
                "giving up. Last error: %s",
                job,
                job.pk,
                job.tenant_id,
                job.attempts,
                job.last_error or "—",
            )
        OutboxJob.objects.filter(pk__in=[job.pk for job in jobs]).update(gave_up_at=now)
    return len(jobs)


# --- the task side -----------------------------------------------------------------------------


class OutboxTask(Task):
    """Base of every project task (``organizations.tasks.TASK_OPTIONS``). A message from the
    outbox carries its row's id: a copy whose row is already done is skipped, and the row is
    marked done when the task finishes — also when it raised (its own retries exhausted; the
    error is kept), since re-running a failing job is the task's retry policy, not the outbox's."""

    def __call__(self, *args, **kwargs):
        job_id = (self.request.headers or {}).get(HEADER) or getattr(self.request, HEADER, None)
        if job_id is None:  # called directly, or published by beat
            return super().__call__(*args, **kwargs)
        with scopes_disabled():
            if OutboxJob.objects.filter(pk=job_id, done_at__isnull=False).exists():
                logger.info("Skipping %s: outbox job %s is already done", self.name, job_id)
                return None
        try:
            result = super().__call__(*args, **kwargs)
        except Retry:
            raise  # published again by Celery with the same header; not finished yet
        except Exception as exc:
            _finished(job_id, error=f"{type(exc).__name__}: {exc}")
            raise
        _finished(job_id)
        return result


def _finished(job_id: int, error: str = "") -> None:
    with scopes_disabled():
        OutboxJob.objects.filter(pk=job_id).update(done_at=timezone.now(), last_error=error[:2000])
