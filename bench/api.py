"""Step 6: the shipped agreement list API against its floor under concurrency — gunicorn
(2 sync workers) on loopback, wrk on the same machine."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from .env import ROOT, VENV_BIN, BenchError, Options
from .machine import load_average
from .processes import Server, wait_until

HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
LUA = ROOT / "bench" / "p95.lua"
RESULT_LINE = re.compile(r"^BENCH_RESULT (.*)$", re.MULTILINE)


def _port_taken() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, PORT)) == 0


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def gunicorn(env: dict[str, str]) -> Server:
    if _port_taken():
        raise BenchError(f"port {PORT} on {HOST} is already in use; free it or set BENCH_PORT")
    argv = [
        str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--workers", "2", "--worker-class", "sync",
        "--bind", f"{HOST}:{PORT}", "--log-level", "warning",
    ]  # fmt: skip
    return Server("gunicorn", argv, env)


def _curl(url: str, headers: list[str]) -> tuple[int, bytes]:
    """GET with curl (the same HTTP path wrk takes); status and body."""
    with tempfile.NamedTemporaryFile(suffix=".json") as body:
        argv = ["curl", "-sS", "-o", body.name, "-w", "%{http_code}", "--max-time", "30", url]
        for header in headers:
            argv[1:1] = ["-H", header]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise BenchError(f"curl {url} failed: {done.stderr.strip()}")
        return int(done.stdout.strip() or 0), Path(body.name).read_bytes()


def _warm_up(url: str, headers: list[str], times: int = 10) -> None:
    """A few requests first, so both gunicorn workers have loaded everything before wrk starts."""
    request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))  # noqa: S310 - loopback
    for _ in range(times):
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            response.read()


def _wrk(url: str, headers: list[str], options: Options) -> dict:
    argv = ["wrk", "-t2", f"-c{options.wrk_connections}", f"-d{options.wrk_duration}", "--latency", "-s", str(LUA)]
    for header in headers:
        argv += ["-H", header]
    done = subprocess.run([*argv, url], capture_output=True, text=True, check=False)  # noqa: S603
    match = RESULT_LINE.search(done.stdout)
    if done.returncode != 0 or not match:
        raise BenchError(f"wrk against {url} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    fields = dict(pair.split("=", 1) for pair in match.group(1).split())
    result = {key: (int(value) if key in ("requests", "non2xx", "socket_errors") else float(value))
              for key, value in fields.items()}  # fmt: skip
    if result["non2xx"] or result["socket_errors"]:
        raise BenchError(
            f"wrk against {url}: {result['non2xx']} error responses and {result['socket_errors']} socket errors "
            f"of {result['requests']} requests"
        )
    return result


def measure_api(*, server_base: str, tenant, token: str, options: Options) -> dict:
    shipped_url = f"{server_base}/api/v1/t/{tenant.slug}/agreements/"
    floor_url = f"{server_base}/bench/floor/agreements/?tenant={tenant.pk}"
    auth = [f"Authorization: Token {token}"]
    status, shipped_body = _curl(shipped_url, auth)
    if status != 200:
        raise BenchError(f"GET {shipped_url} with the manager's token answered {status}, expected 200: "
                         f"{shipped_body[:300]!r}")  # fmt: skip
    status, floor_body = _curl(floor_url, [])
    if status != 200:
        raise BenchError(f"GET {floor_url} answered {status}, expected 200: {floor_body[:300]!r}")
    shipped_json, floor_json = json.loads(shipped_body), json.loads(floor_body)
    same_payload = shipped_json.get("results") == floor_json.get("results")
    if not same_payload:
        print("    warning: the floor's first page differs from the shipped list's", flush=True)
    _warm_up(shipped_url, auth)
    _warm_up(floor_url, [])
    load_before = load_average()
    shipped = _wrk(shipped_url, auth, options)
    floor = _wrk(floor_url, [], options)
    # three decimals, so that the ≥ 0.8 check never passes by rounding (0.795 is not 0.8)
    ratio = round(shipped["rps"] / floor["rps"], 3) if floor["rps"] else None
    print(
        f"    shipped {shipped['rps']:>7.1f} req/s p95 {shipped['p95_ms']:>6.1f} ms | "
        f"floor {floor['rps']:>7.1f} req/s p95 {floor['p95_ms']:>6.1f} ms | ratio {ratio}",
        flush=True,
    )
    return {
        "shipped": {"url": shipped_url.replace(server_base, ""), **shipped},
        "floor": {"url": floor_url.replace(server_base, ""), **floor},
        "ratio_rps": ratio,
        "same_first_page": same_payload,
        "count": shipped_json.get("count"),
        "load_average_before": load_before,
        "wrk": f"wrk -t2 -c{options.wrk_connections} -d{options.wrk_duration} --latency -s bench/p95.lua",
    }


def run_api(*, env: dict[str, str], targets: list[tuple[float, object, str]], options: Options) -> dict:
    """``targets``: (factor, tenant, token) for each district tenant; results by factor."""
    if not shutil.which("wrk"):
        raise BenchError("wrk is not installed (make bench installs it: apt-get install -y wrk)")
    if not shutil.which("curl"):
        raise BenchError("curl is not installed (apt-get install -y curl)")
    base = f"http://{HOST}:{PORT}"
    results = {}
    with gunicorn(env) as server:
        wait_until(lambda: _healthy(base), server=server, timeout=60, what="answering /healthz")
        for factor, tenant, token in targets:
            print(f"  API, district ×{factor:g} ({tenant.slug})", flush=True)
            results[f"{factor:g}"] = measure_api(server_base=base, tenant=tenant, token=token, options=options)
        if not server.alive():
            raise server.fail("died during the load test")
    return results
