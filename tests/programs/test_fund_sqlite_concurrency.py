"""The no-overdraft guarantee also holds on SQLite (the embedded default of `make run`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_concurrent_payments_on_sqlite_never_overdraw(tmp_path):
    env = {**os.environ, "SQLITE_PATH": str(tmp_path / "dana.sqlite3"), "MEDIA_ROOT": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    script = Path(__file__).with_name("sqlite_concurrency.py")
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"paid": 100, "payments": 100, "balance": "0", "ledger": "0", "errors": []}
