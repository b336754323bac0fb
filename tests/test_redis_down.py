"""Redis down (issue 9): the broker and the cache unreachable — a page that enqueues work still
answers within 2 s without a 500 and the work is not lost: its outbox row stays pending, the run
shows as waiting, and once the broker is back the sweeper delivers it. Pages that read the cache
(sessions, the API's memberships and tokens) fall back to the database. The same with a real
worker: tests/test_outbox_faults.py."""

import time

import pytest
from django.test import Client, TestCase, override_settings

from organizations.models import ApiToken, OutboxJob
from organizations.outbox import outbox_sweep
from organizations.tenancy import tenant_scope
from reporting.models import HealthReview, ReviewRun
from tests.factories import refresh

from .broker import DEAD, broker_unreachable


@pytest.mark.django_db
def test_a_page_that_enqueues_answers_fast_and_the_work_waits_for_the_broker(world, make_agreement):
    make_agreement("active", parties=("rsud", "puskesmas"), title="Rujukan berjenjang")
    url = f"/t/{world.tenant_a.slug}/tinjauan/"
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                               "LOCATION": DEAD}}):  # fmt: skip
        with broker_unreachable():
            started = time.monotonic()
            with TestCase.captureOnCommitCallbacks(execute=True):
                response = world.manager.client.post(url + "jalankan/")
            elapsed = time.monotonic() - started
            assert response.status_code == 302 and elapsed < 2, (response.status_code, elapsed)
            with tenant_scope(world.tenant_a):
                run = ReviewRun.objects.get()
                job = OutboxJob.objects.get()
            assert run.status == ReviewRun.Status.QUEUED  # waiting, not computed inside the request
            assert (job.task, job.args) == (
                "reporting.tasks.health_review_tenant",
                [world.tenant_a.pk, job.args[1], run.pk],
            )
            assert job.last_sent_at is None and job.attempts == 0 and job.done_at is None
            assert "Connection refused" in job.last_error
            # the run page says it waits
            status = world.manager.client.get(f"{url}jalankan/{run.pk}/", HTTP_ACCEPT_LANGUAGE="id")
            assert status.status_code == 200 and "Menunggu" in status.content.decode()
            # reading pages and the API without the cache
            assert world.manager.client.get(f"/t/{world.tenant_a.slug}/").status_code == 200
            _instance, token = ApiToken.objects.create(user=world.manager.user, name="tanpa redis")
            api = Client(HTTP_AUTHORIZATION=f"Token {token}")
            assert api.get(f"/api/v1/t/{world.tenant_a.slug}/organizations/").status_code == 200
            assert outbox_sweep().pending == 1  # the sweeper cannot reach it either

        # The broker is back (tasks run in-process in these tests): the sweeper delivers the job.
        result = outbox_sweep()
    assert (result.sent, result.pending) == (1, 0)
    refresh(job)
    refresh(run)
    assert job.done_at is not None and job.attempts == 1 and job.last_error == ""
    assert run.status == ReviewRun.Status.DONE
    with tenant_scope(world.tenant_a):
        assert HealthReview.objects.filter(agreement__title="Rujukan berjenjang").count() == 1
