"""Starting and stopping the servers the harness runs (gunicorn, Celery): each in its own
process group, logging to a file, always stopped — TERM, then KILL — by the harness."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from .env import ROOT, BenchError


class Server:
    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        fd, path = tempfile.mkstemp(prefix=f"bench-{name.replace(' ', '-')}-", suffix=".log")
        os.close(fd)
        self.log_path = Path(path)
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None  # noqa: S101 - only called once started
        return self.process.pid

    def start(self) -> Server:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - argv built by the harness
                self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def fail(self, message: str) -> BenchError:
        return BenchError(f"{self.name}: {message}\n--- last lines of {self.log_path} ---\n{self.log_tail()}")

    def stop(self, timeout: float = 20) -> None:
        """TERM the server (it stops its own workers), then KILL its process group if needed."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this harness created
            self.process.wait(timeout=10)
        # pool children left behind by a killed parent belong to the same group
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, exc_type, *exc) -> None:
        self.stop()
        if exc_type is None:  # keep the log when something went wrong
            self.log_path.unlink(missing_ok=True)


def wait_until(check, *, server: Server, timeout: float, what: str, interval: float = 0.25) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise server.fail(f"exited (code {server.process.returncode}) before {what}")
        if check():
            return
        time.sleep(interval)
    raise server.fail(f"not {what} after {timeout:.0f} s")
