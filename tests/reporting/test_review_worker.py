"""Health reviews on a real Celery worker consuming from real Redis and writing to the
PostgreSQL test database — and a worker killed in the middle of a tenant's run: after the
task is delivered again, exactly one review per agreement per period."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from organizations.tenancy import scopes_disabled, tenant_scope
from partnerships import services as agreement_services
from partnerships.services import PartyData
from reporting import services
from reporting.models import HealthReview, ReviewRun
from tests.broker import wait_until, worker_env
from tests.factories import OrganizationFactory, TenantFactory, UserFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (make test starts Redis)"),
]
AGREEMENTS = 6


@pytest.fixture
def queue(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which needs PostgreSQL")
    name = f"test-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, name
    started: list[subprocess.Popen] = []

    def start(seconds_per_agreement: float, pool: str = "solo") -> subprocess.Popen:
        env = worker_env(
            name,
            CELERY_VISIBILITY_TIMEOUT="3",
            CELERY_UNACKED_RESTORE_INTERVAL="1",
            CELERY_UNACKED_RESTORE_THROTTLE="1",
            SLOW_SCORE_SECONDS=str(seconds_per_agreement),
            CELERY_POOL=pool,
            # commit each review on its own, so the kill lands between committed reviews
            HEALTH_REVIEW_WRITE_BATCH="1",
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.reporting.slow_worker", name],
            cwd=Path(settings.BASE_DIR), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        started.append(process)
        return process

    try:
        yield start
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        for process in started:
            if process.poll() is None:
                process.terminate()
            output, _ = process.communicate(timeout=20)
            print(output)


def _tenant_with_agreements():
    tenant = TenantFactory(slug="serang")
    manager = UserFactory()
    today = datetime.date.today()
    with tenant_scope(tenant):
        rsud = OrganizationFactory(tenant=tenant, name="RSUD Serang", kind="rumah_sakit")
        puskesmas = OrganizationFactory(tenant=tenant, name="Puskesmas Ciruas", kind="puskesmas")
        for i in range(AGREEMENTS):
            agreement = agreement_services.agreement_create(
                tenant=tenant, actor=None, title=f"Rujukan balik {i}", partnership_type="provider_provider",
                parties=[PartyData(organization=rsud, role="lead"), PartyData(organization=puskesmas, role="implementer")],
                signed_on=today - datetime.timedelta(days=200), starts_on=today - datetime.timedelta(days=200),
                ends_on=today + datetime.timedelta(days=400),
            )  # fmt: skip
            agreement.status = "active"
            agreement.save(update_fields=["status"])
    return tenant, manager


def _reviews(tenant) -> int:
    with scopes_disabled():
        return HealthReview.unscoped.filter(tenant=tenant).count()


def test_a_worker_killed_mid_run_leaves_one_review_per_agreement(queue):
    tenant, manager = _tenant_with_agreements()
    first = queue(0.4)
    with tenant_scope(tenant):
        run = services.review_run_start(tenant=tenant, actor=manager)  # enqueued at once (autocommit)
    # Kill the whole worker once it has written some reviews but not all.
    wait_until(lambda: 2 <= _reviews(tenant) < AGREEMENTS, step=0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    partial = _reviews(tenant)
    assert 2 <= partial < AGREEMENTS

    # A new worker gets the unacknowledged task again (after the visibility timeout) and
    # finishes the run; reviews already written are updated in place, never duplicated.
    queue(0.0)
    with scopes_disabled():
        wait_until(lambda: ReviewRun.unscoped.get(pk=run.pk).status == ReviewRun.Status.DONE, timeout=90)
    with scopes_disabled():
        reviews = list(HealthReview.unscoped.filter(tenant=tenant).values_list("agreement_id", "period"))
    assert len(reviews) == AGREEMENTS == len(set(reviews))


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_pool_child_killed_mid_run_is_replaced_and_the_run_finishes_once(queue):
    tenant, manager = _tenant_with_agreements()
    worker = queue(0.4, pool="prefork")
    with tenant_scope(tenant):
        run = services.review_run_start(tenant=tenant, actor=manager)
    wait_until(lambda: 2 <= _reviews(tenant) < AGREEMENTS, step=0.02)
    child = wait_until(lambda: _children(worker.pid))[0]
    os.kill(child, signal.SIGKILL)  # the child dies; the worker itself lives on
    # acknowledged late and rejected when its worker is lost: the task runs again in a new child
    with scopes_disabled():
        wait_until(lambda: ReviewRun.unscoped.get(pk=run.pk).status == ReviewRun.Status.DONE, timeout=90)
    assert worker.poll() is None  # the main worker process survived
    with scopes_disabled():
        reviews = list(HealthReview.unscoped.filter(tenant=tenant).values_list("agreement_id", "period"))
    assert len(reviews) == AGREEMENTS == len(set(reviews))
