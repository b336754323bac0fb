"""Health-review jobs: the daily beat entry fans out one task per tenant whose review period
has just ended (or whose last period has no reviews yet); each task reviews the tenant's
agreements. Reruns for a period update the reviews in place."""

from __future__ import annotations

import datetime

from celery import shared_task

from organizations.outbox import enqueue_many
from organizations.tasks import TASK_OPTIONS
from organizations.tenancy import tenant_scope


@shared_task(**TASK_OPTIONS)
def health_reviews_scheduled(self, today: str | None = None) -> int:
    """Beat, daily: review the period that ended yesterday for every tenant that has none yet."""
    from django.utils import timezone

    from organizations.models import Tenant
    from organizations.tenancy import scopes_disabled

    from .health_inputs import reviewable_agreements
    from .models import HealthReview
    from .services import period_of, period_start

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    calls = []
    for tenant in Tenant.objects.all():
        # The last complete period: on its first day a period's predecessor has just ended;
        # later in the period this catches up a run that was missed.
        period, last_day = period_of(period_start(day, tenant.review_frequency) - datetime.timedelta(days=1),
                                     tenant.review_frequency)  # fmt: skip
        with scopes_disabled():
            if HealthReview.unscoped.filter(tenant=tenant, period=period).exists():
                continue  # already reviewed (a second beat run changes nothing)
            if not reviewable_agreements().filter(tenant=tenant).exists():
                continue  # nothing to review
        calls.append((tenant.pk, last_day.isoformat()))
    return len(enqueue_many(health_review_tenant, calls))


@shared_task(**TASK_OPTIONS)
def health_review_tenant(self, tenant_id: int, day: str, run_id: int | None = None, agreement_ids=None) -> int:
    from organizations.models import Tenant

    from .models import ReviewRun
    from .services import review_run_execute

    with tenant_scope(tenant_id):
        tenant = Tenant.objects.get(pk=tenant_id)
        run = ReviewRun.objects.filter(pk=run_id).first() if run_id else None
        return review_run_execute(
            tenant=tenant, today=datetime.date.fromisoformat(day), run=run, agreement_ids=agreement_ids
        )


@shared_task(**TASK_OPTIONS)
def health_digest_weekly(self) -> int:
    from organizations.models import Tenant

    tenant_ids = list(Tenant.objects.values_list("id", flat=True))
    return len(enqueue_many(health_digest_for_tenant, [(tenant_id,) for tenant_id in tenant_ids]))


@shared_task(**TASK_OPTIONS)
def health_digest_for_tenant(self, tenant_id: int, today: str | None = None) -> int:
    from django.utils import timezone

    from organizations.models import Tenant

    from .services import digest_weekly

    with tenant_scope(tenant_id):
        day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        return digest_weekly(tenant=Tenant.objects.get(pk=tenant_id), today=day)


@shared_task(**TASK_OPTIONS)
def export_run(self, tenant_id: int, job_id: int) -> int:
    from .exports import job_run
    from .models import ExportJob

    with tenant_scope(tenant_id):
        return job_run(job=ExportJob.objects.get(pk=job_id)).done
