"""The daily agreement job: beat calls the fan-out, which queues one task per tenant."""

from __future__ import annotations

from celery import shared_task

from organizations.outbox import enqueue_many
from organizations.tasks import TASK_OPTIONS
from organizations.tenancy import tenant_scope


@shared_task(**TASK_OPTIONS)
def agreements_daily(self) -> int:
    """Fan out: one ``agreements_daily_for_tenant`` per tenant. Returns how many were queued."""
    from organizations.models import Tenant

    tenant_ids = list(Tenant.objects.values_list("id", flat=True))
    return len(enqueue_many(agreements_daily_for_tenant, [(tenant_id,) for tenant_id in tenant_ids]))


@shared_task(**TASK_OPTIONS)
def agreements_daily_for_tenant(self, tenant_id: int) -> dict:
    from organizations.models import Tenant

    from .services import agreements_run_daily

    with tenant_scope(tenant_id):
        return agreements_run_daily(tenant=Tenant.objects.get(pk=tenant_id))
