"""Redis down (issue 9): the broker and the cache unreachable — a page that enqueues work still
answers within 2 s without a 500, and the work is done (in-process) rather than lost; pages
that read the cache (sessions, the API's memberships and tokens) fall back to the database."""

import time

import pytest
from django.test import TestCase, override_settings

from config.celery import app as celery_app
from organizations.models import ApiToken
from organizations.tenancy import tenant_scope
from reporting.models import HealthReview, ReviewRun

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused at once


@pytest.fixture
def redis_down():
    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = DEAD, False
    _fresh_connections()  # publishing opens new connections, to the dead broker
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                               "LOCATION": DEAD}}):  # fmt: skip
        yield  # (override_settings resets the cache connections itself)
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
    _fresh_connections()  # and back to the real one for the tests that follow


def _fresh_connections() -> None:
    # only drop the references: closing the pool would also close what kombu's global producer
    # pools still hand out to the tests that follow
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.django_db
def test_a_page_that_enqueues_answers_fast_and_the_work_is_done(world, make_agreement, redis_down):
    make_agreement("active", parties=("rsud", "puskesmas"), title="Rujukan berjenjang")
    url = f"/t/{world.tenant_a.slug}/tinjauan/jalankan/"
    started = time.monotonic()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = world.manager.client.post(url)
    elapsed = time.monotonic() - started
    assert response.status_code == 302 and elapsed < 2, (response.status_code, elapsed)
    with tenant_scope(world.tenant_a):
        run = ReviewRun.objects.get()
        assert run.status == ReviewRun.Status.DONE  # not stranded: done in this process
        assert HealthReview.objects.filter(agreement__title="Rujukan berjenjang").exists()
    # reading pages and the API without the cache
    assert world.manager.client.get(f"/t/{world.tenant_a.slug}/").status_code == 200
    _instance, token = ApiToken.objects.create(user=world.manager.user, name="tanpa redis")
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(f"/api/v1/t/{world.tenant_a.slug}/organizations/").status_code == 200
