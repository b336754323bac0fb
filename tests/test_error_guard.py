"""The error guard (tests/conftest.py): an unhandled exception logged during a test fails it."""

import pytest
from django.test import Client, override_settings


@pytest.mark.allow_error_log
@override_settings(ROOT_URLCONF="tests.error_urls")
def test_a_500_that_a_test_does_not_notice_is_caught(request):
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    caught = request.node.error_log.records
    assert [r.name for r in caught] == ["django.request"]
    assert "a bug in a view" in str(caught[0].exc_info[1])


@pytest.mark.allow_error_log
def test_a_task_that_raises_is_caught(request):
    from celery import shared_task

    @shared_task(name="tests.failing_task")
    def failing_task():
        raise ValueError("a bug in a task")

    result = failing_task.apply(throw=False)  # eager, as in the suite; Celery logs the failure
    assert result.failed()
    assert any(r.name.startswith("celery") for r in request.node.error_log.records)
