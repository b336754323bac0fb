"""A Celery worker for tests/reporting/test_review_worker.py whose scoring takes a moment per
agreement, so that the test can kill it in the middle of a tenant's run. Run as
``python -m tests.reporting.slow_worker <queue>``; production code is untouched."""

import os
import sys
import time

import django

django.setup()

from reporting import services  # noqa: E402

_score = services.score


def _slow_score(*args, **kwargs):
    time.sleep(float(os.environ.get("SLOW_SCORE_SECONDS", "0.3")))
    return _score(*args, **kwargs)


services.score = _slow_score

from config.celery import app  # noqa: E402

# CELERY_POOL=prefork runs the task in a forked pool child (which the test may kill alone).
pool = ["--pool=prefork", "--concurrency=1"] if os.environ.get("CELERY_POOL") == "prefork" else ["--pool=solo"]
app.worker_main(
    ["worker", *pool, "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
     "-Q", sys.argv[1]]
)  # fmt: skip
