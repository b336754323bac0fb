"""Options (environment variables), the benchmark's own database and Redis, and the
environment every child process (manage.py, Celery, gunicorn, probes) runs with."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
PROTECTED_DATABASES = {"mitrasehat", "test_mitrasehat", "postgres", "template0", "template1"}

DEFAULT_DATABASE_URL = "postgres://mitrasehat:mitrasehat@127.0.0.1:5432/mitrasehat_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"


class BenchError(RuntimeError):
    """A step could not run; the message says which and why."""


@dataclass(frozen=True)
class Options:
    factors: list[float]
    national: bool
    requests: int
    wrk_duration: str
    wrk_connections: int
    database_url: str
    redis_url: str


def _factor(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BenchError(f"BENCH_FACTORS: {text!r} is not a number (expected e.g. 1,2,4)") from None
    if value <= 0:
        raise BenchError(f"BENCH_FACTORS: {text!r} must be positive")
    return value


def options_from_env() -> Options:
    factors = [_factor(part) for part in os.environ.get("BENCH_FACTORS", "1,2,4").split(",") if part.strip()]
    if not factors:
        raise BenchError("BENCH_FACTORS is empty (expected e.g. 1,2,4)")
    if 1.0 not in factors:
        factors.insert(0, 1.0)  # growth is reported relative to ×1, and the targets are at ×1
    requests = os.environ.get("BENCH_REQUESTS", "30")
    connections = os.environ.get("BENCH_WRK_CONNECTIONS", "8")
    if not requests.isdigit() or int(requests) < 1 or not connections.isdigit() or int(connections) < 1:
        raise BenchError("BENCH_REQUESTS and BENCH_WRK_CONNECTIONS must be positive integers")
    return Options(
        factors=sorted(set(factors)),
        national=os.environ.get("BENCH_NATIONAL", "1").strip().lower() not in ("0", "false", "no", "off", ""),
        requests=int(requests),
        wrk_duration=os.environ.get("BENCH_WRK_DURATION", "15s"),
        wrk_connections=int(connections),
        database_url=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        redis_url=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
    )


def child_env(options: Options) -> dict[str, str]:
    """The environment of the harness and its children: the bench database, Redis and settings
    (a DATABASE_URL exported in the caller's shell is deliberately replaced)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=options.database_url,
        REDIS_URL=options.redis_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def ensure_database(url: str) -> bool:
    """Create the benchmark database when missing; True when it was created."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in PROTECTED_DATABASES:
        raise BenchError(f"refusing to use database {name!r}: the benchmark needs its own (e.g. mitrasehat_bench)")
    try:
        conn = psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname="postgres",
            connect_timeout=5,
        )
    except psycopg2.OperationalError as exc:
        raise BenchError(f"cannot reach PostgreSQL at {parts.hostname}:{parts.port}: {exc}".strip()) from exc
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        conn.close()
