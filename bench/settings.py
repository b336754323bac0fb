"""Settings for the benchmark harness: the project's settings on their own PostgreSQL database
and Redis database, with DEBUG off and a real Celery broker (never eager)."""

from config.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls"
CELERY_TASK_ALWAYS_EAGER = False
# The harness seeds and serves with one role, the owner of its database; row-level security
# (a second role) is not part of these figures (docs/performance.md).
TENANT_RLS = False
# Whatever the harness enqueues lands on its own queue, consumed only by its own workers.
CELERY_TASK_DEFAULT_QUEUE = "bench-reviews"

# The harness bulk-seeds and rewrites data: refuse to run on anything but its own database.
_database = DATABASES["default"]  # noqa: F405
if "postgresql" not in _database["ENGINE"] or _database["NAME"] in ("mitrasehat", "test_mitrasehat"):
    raise RuntimeError(
        f"bench.settings needs DATABASE_URL pointing at the benchmark database (e.g. mitrasehat_bench), "
        f"not {_database['ENGINE']} {_database['NAME']!r}; run `make bench`."
    )
if not REDIS_URL:  # noqa: F405
    raise RuntimeError("bench.settings needs REDIS_URL (e.g. redis://127.0.0.1:6379/3); run `make bench`.")
