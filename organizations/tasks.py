"""Celery tasks: ids in, tenant scope entered, one service called."""

from __future__ import annotations

from celery import shared_task

from .outbox import OutboxTask
from .tenancy import tenant_scope

# The project's retry policy for tasks: acknowledged after they ran (a killed worker's task
# runs again, so tasks are idempotent), retried with backoff when a connection drops. Jobs are
# sent with ``organizations.outbox.enqueue``; the base marks each one's outbox row done.
TASK_OPTIONS = {
    "base": OutboxTask,
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (ConnectionError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**TASK_OPTIONS)
def organization_import_validate_task(self, tenant_id: int, job_id: int) -> None:
    from .imports import organization_import_validate
    from .models import ImportJob

    with tenant_scope(tenant_id):
        job = ImportJob.objects.get(pk=job_id)
        organization_import_validate(job=job)


@shared_task(**TASK_OPTIONS)
def organization_import_save_task(self, tenant_id: int, job_id: int, actor_id: int | None) -> None:
    from .imports import organization_import_save
    from .models import ImportJob, User

    with tenant_scope(tenant_id):
        job = ImportJob.objects.get(pk=job_id)
        actor = User.objects.filter(pk=actor_id).first()
        organization_import_save(job=job, actor=actor)


@shared_task(**TASK_OPTIONS)
def api_tokens_purge_task(self) -> int:
    from .auth import api_tokens_purge

    return api_tokens_purge()


@shared_task(**TASK_OPTIONS)
def outbox_sweep_task(self) -> dict:
    """Beat, every minute: publish the jobs the broker refused or lost."""
    import dataclasses

    from .outbox import outbox_sweep

    return dataclasses.asdict(outbox_sweep())
