"""The background path for real: a Celery worker process consuming from Redis and writing
to PostgreSQL (the test database), driven through the organization import."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from django.db import connection
from django.test import override_settings

from config.celery import app as celery_app
from organizations.imports import organization_import_confirm, organization_import_start
from organizations.models import ImportJob, Organization
from organizations.tenancy import tenant_scope

from .broker import start_worker
from .factories import TenantFactory, UserFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (make test starts Redis)"),
]


@pytest.fixture
def worker(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which needs PostgreSQL")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process = start_worker(queue, str(tmp_path), pool="prefork")
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
    try:
        with override_settings(MEDIA_ROOT=str(tmp_path), IMPORT_SYNC_MAX_ROWS=2):
            yield process
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        process.terminate()
        output, _ = process.communicate(timeout=20)
        print(output)


def _wait_for(job_id: int, tenant, status: str, timeout: float = 60) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with tenant_scope(tenant):
            job = ImportJob.objects.get(pk=job_id)
        if job.status == status:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job stayed {job.status}, expected {status}")


def test_a_real_worker_validates_and_saves_an_import(worker):
    tenant = TenantFactory(slug="serang")
    manager = UserFactory()
    csv = "nama,jenis\nPuskesmas Ciruas,puskesmas\nPuskesmas Petir,puskesmas\nPosyandu Mawar,komunitas\nSalah,bengkel\n"
    with tenant_scope(tenant):
        job = organization_import_start(tenant=tenant, actor=manager, name="mitra.csv", content=csv.encode())
    assert job.status == ImportJob.Status.PENDING  # 4 rows > 2: handed to the worker

    job = _wait_for(job.pk, tenant, ImportJob.Status.VALIDATED)
    assert len(job.valid_rows) == 3 and len(job.invalid_rows) == 1

    with tenant_scope(tenant):
        organization_import_confirm(job=job, actor=manager)
    job = _wait_for(job.pk, tenant, ImportJob.Status.DONE)
    with tenant_scope(tenant):
        assert set(Organization.objects.values_list("name", flat=True)) == {
            "Puskesmas Ciruas",
            "Puskesmas Petir",
            "Posyandu Mawar",
        }
        assert Organization.objects.get(name="Posyandu Mawar").history.get().history_user == manager
    assert job.created_count == 3
