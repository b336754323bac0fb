"""What the numbers were measured on."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from pathlib import Path


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def _wrk_version() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        return "not installed"
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)  # noqa: S603
    return (done.stdout or done.stderr).splitlines()[0].split(" Copyright")[0] if (done.stdout or done.stderr) else ""


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages: other work on the machine shows up here."""
    return [round(value, 2) for value in os.getloadavg()]


def describe() -> dict:
    """CPU, RAM, kernel and the versions of what runs the benchmark (Django must be set up)."""
    import celery
    import django
    import gunicorn
    import rest_framework
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpu_model": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "kernel": platform.release(),
        "os": platform.platform(),
        "postgresql": postgres,
        "python": platform.python_version(),
        "django": django.get_version(),
        "djangorestframework": rest_framework.VERSION,
        "celery": celery.__version__,
        "gunicorn": gunicorn.__version__,
        "wrk": _wrk_version(),
        "load_average_at_start": load_average(),
    }
