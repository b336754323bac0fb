"""Test settings: the base settings, only faster."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests call tasks in-process unless a test starts a real worker (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The cache (login rate limits) gets its own Redis database: tests clear it, and clearing
# must never touch the Celery queues in database 0.
if REDIS_URL:  # noqa: F405
    CACHES["default"]["LOCATION"] = REDIS_URL.rsplit("/", 1)[0] + "/15"  # noqa: F405
