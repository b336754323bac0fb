"""Small measuring tools: query counting, timing summaries, resident memory from /proc."""

from __future__ import annotations

import contextlib
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path


class QueryCounter:
    """A ``connection.execute_wrapper`` that counts the statements sent to the database."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextlib.contextmanager
def counting_queries() -> Iterator[QueryCounter]:
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 30 samples is the 29th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil without floats creeping in
    return ordered[int(rank) - 1]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "min_ms": round(min(ms), 2),
        "max_ms": round(max(ms), 2),
        "samples": len(ms),
    }


def repeat_interleaved(
    fns: dict[str, Callable[[], object]], *, warmup: int, times: int
) -> dict[str, tuple[list[float], list[int]]]:
    """Run each of ``fns`` ``warmup`` times unmeasured, then ``times`` rounds of one call each,
    alternating, so that load from elsewhere on the machine falls on all of them alike:
    durations and query counts per name."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    measured: dict[str, tuple[list[float], list[int]]] = {name: ([], []) for name in fns}
    for _ in range(times):
        for name, fn in fns.items():
            with counting_queries() as counter:
                started = time.perf_counter()
                fn()
                measured[name][0].append(time.perf_counter() - started)
            measured[name][1].append(counter.count)
    return measured


# --- memory ------------------------------------------------------------------------------


def rss_kb(pid: int) -> int | None:
    """Current resident set size (VmRSS) of a process in KiB, None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (from each process's stat line in /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        # the command name (2nd field) is in parentheses and may contain spaces
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


class RssSampler:
    """Samples the RSS of a process and its children every ``interval`` seconds in a thread;
    ``peaks`` maps each pid seen to its largest RSS in KiB."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in [self.pid, *children_of(self.pid)]:
                rss = rss_kb(pid)
                if rss is not None and rss > self.peaks.get(pid, 0):
                    self.peaks[pid] = rss
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
