"""The Celery broker made unreachable for real (not mocked): publishing goes to a port nothing
listens on, so kombu fails as it does when Redis is down. Used by the fault tests."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from redis import Redis

from config.celery import app as celery_app

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused at once


@contextlib.contextmanager
def broker_unreachable() -> Iterator[None]:
    """Publish to the dead broker (not eagerly) inside the block; afterwards the broker "comes
    back": the previous broker URL and eager setting, with fresh connections."""
    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = DEAD, False
    fresh_connections()  # publishing opens new connections, to the dead broker
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
        fresh_connections()  # and back to the real one


def fresh_connections() -> None:
    # only drop the references: closing the pool would also close what kombu's global producer
    # pools still hand out to the tests that follow
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@dataclass
class Queue:
    """A Celery queue of the test's own on the real Redis (nothing else consumes it)."""

    name: str
    redis: Redis

    def messages(self) -> list[dict]:
        """The messages waiting in the queue, oldest first (kombu's Redis transport: a list)."""
        return [json.loads(raw) for raw in reversed(self.redis.lrange(self.name, 0, -1))]

    def lose_everything(self) -> None:
        """What a Redis restart without persistence does to this queue (only its own key)."""
        self.redis.delete(self.name)


@contextlib.contextmanager
def own_queue() -> Iterator[Queue]:
    """Publish for real (not eagerly) to a fresh queue name on the real Redis; removed after."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, name
    redis = Redis.from_url(os.environ["REDIS_URL"])
    try:
        yield Queue(name=name, redis=redis)
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        redis.delete(name)
        for binding in redis.scan_iter("_kombu.binding.*"):  # kombu's routing entries for the queue
            for member in redis.smembers(binding):
                if member.decode().endswith(f"\x06\x16{name}"):
                    redis.srem(binding, member)
        redis.close()


def worker_env(queue: str, **extra: str) -> dict[str, str]:
    """The environment of a real worker process: the test database as the tests connect to it
    (the app role), the test's own queue, never eager."""
    from django.db import connection

    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **extra,
    }


def start_worker(queue: str, media_root: str, pool: str = "solo") -> subprocess.Popen:
    """A real Celery worker process consuming ``queue`` from REDIS_URL and writing to the test
    database (which therefore must be committed: ``transactional_db``, PostgreSQL)."""
    from django.conf import settings

    pool_args = ["--pool=solo"] if pool == "solo" else [f"--pool={pool}", "--concurrency=1"]
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", *pool_args, "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", queue],
        cwd=Path(settings.BASE_DIR), env=worker_env(queue, MEDIA_ROOT=media_root),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def wait_until(condition, timeout: float = 60, step: float = 0.1):
    """Poll ``condition`` until it returns something true (returned), or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")
