"""Celery tasks: ids in, tenant scope entered, one service called."""

from __future__ import annotations

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from .tenancy import tenant_scope

logger = logging.getLogger(__name__)


# The project's retry policy for tasks: acknowledged after they ran (a killed worker's task
# runs again, so tasks are idempotent), retried with backoff when a connection drops.
TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (ConnectionError,),
    "retry_backoff": True,
    "max_retries": 5,
}


def enqueue(task, *args, **kwargs) -> bool:
    """Send a task; when the broker is unreachable, log and return False instead of failing
    the page (the job stays pending and can be retried). Call it from ``on_commit``."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except OperationalError:
        logger.exception("Could not enqueue %s%r; the broker is unreachable", task.name, args)
        return False
    return True


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
