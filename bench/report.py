"""Targets, growth ratios, the JSON files and the Markdown table."""

from __future__ import annotations

import json
from pathlib import Path

PAGE_QUERY_TARGET = 15
PAGE_MEDIAN_TARGET_MS = 150
API_RATIO_TARGET = 0.8
NATIONAL_WALL_TARGET_S = 60
WORKER_RSS_TARGET_MB = 300
PAGES = ("dashboard", "agreement_list", "program_detail")


def _ok(passed: bool | None) -> str:
    return "n/a" if passed is None else ("yes" if passed else "**NO**")


def _seeded(seed: dict) -> str:
    return "yes" if seed["created"] else "no (existed)"


def _seed_seconds(seed: dict) -> str:
    return str(seed["reported_seconds"]) if seed["created"] else "—"


def _key(factor: float) -> str:
    return f"{factor:g}"


def targets(district: dict, national: dict | None) -> list[dict]:
    found = []
    x1 = district["pages"].get("1", {})
    for page in PAGES:
        if page in x1:
            found.append({"target": f"{page} ≤ {PAGE_QUERY_TARGET} queries (×1)", "value": x1[page]["queries"],
                          "ok": x1[page]["queries"] <= PAGE_QUERY_TARGET})  # fmt: skip
            found.append({"target": f"{page} median ≤ {PAGE_MEDIAN_TARGET_MS} ms (×1)", "value": x1[page]["median_ms"],
                          "ok": x1[page]["median_ms"] <= PAGE_MEDIAN_TARGET_MS})  # fmt: skip
    for factor, api in district["api"].items():
        found.append({"target": f"API ≥ {API_RATIO_TARGET} × floor req/s (×{factor})", "value": api["ratio_rps"],
                      "ok": api["ratio_rps"] is not None and api["ratio_rps"] >= API_RATIO_TARGET})  # fmt: skip
    if national:
        review = national["review"]
        found.append({"target": f"national review ≤ {NATIONAL_WALL_TARGET_S} s", "value": review["wall_s"],
                      "ok": review["wall_s"] <= NATIONAL_WALL_TARGET_S and not review["runs_failed"]})  # fmt: skip
        queries = sorted({s["queries"] for s in review["per_tenant"]})
        found.append({"target": "national queries per tenant constant", "value": queries, "ok": len(queries) == 1})
        found.append({"target": f"≤ {WORKER_RSS_TARGET_MB} MB per worker process", "value": review["peak_rss_mb_max"],
                      "ok": review["peak_rss_mb_max"] is not None
                      and review["peak_rss_mb_max"] <= WORKER_RSS_TARGET_MB})  # fmt: skip
    return found


def growth(district: dict) -> list[dict]:
    """Each measure at ×F divided by its value at ×1, beside the data's own growth (progress
    updates): a ratio at or below the data ratio is linear or better."""
    factors = sorted(district["tenants"], key=float)
    if "1" not in factors or len(factors) < 2:
        return []
    base_updates = district["tenants"]["1"]["counts"]["progress_updates"] or 1
    measures = {
        **{f"{page} median ms": ("pages", page, "median_ms") for page in PAGES},
        **{f"{page} queries": ("pages", page, "queries") for page in PAGES},
        "review wall s": ("reviews", None, "wall_s"),
        "review queries": ("reviews", None, "queries"),
        "review peak RSS MB": ("reviews", None, "peak_rss_mb"),
        "API p95 ms": ("api", "shipped", "p95_ms"),
        "API ms per request (1000 / req/s)": ("api", "shipped", "rps"),
    }
    rows = []
    for label, (section, sub, field) in measures.items():
        values = {}
        for factor in factors:
            block = district[section].get(factor)
            if block is None:
                continue
            value = (block[sub] if sub else block)[field]
            values[factor] = round(1000 / value, 2) if field == "rps" else value
        if "1" not in values:
            continue
        row = {"measure": label, "values": values, "ratios": {}}
        for factor, value in values.items():
            data_ratio = district["tenants"][factor]["counts"]["progress_updates"] / base_updates
            ratio = round(value / values["1"], 2) if values["1"] else None
            row["ratios"][factor] = {"ratio": ratio, "data_ratio": round(data_ratio, 2),
                                     "linear_or_better": ratio is not None and ratio <= data_ratio * 1.05}  # fmt: skip
        rows.append(row)
    return rows


def markdown(district: dict, national: dict | None) -> str:
    lines = [f"# `make bench` — {district['date']}", ""]
    m = district["machine"]
    lines += [
        f"Machine: {m['cpu_model']} × {m['cpu_count']}, {m['ram_gib']} GiB RAM; PostgreSQL {m['postgresql']}, "
        f"Python {m['python']}, Django {m['django']}, DRF {m['djangorestframework']}, Celery {m['celery']}, "
        f"gunicorn {m['gunicorn']}, {m['wrk']}. Load generator and server share the cores. Load average "
        f"(1/5/15 min) at start {m['load_average_at_start']}, at end {district.get('load_average_at_end')}: "
        "anything above ≈ 0 at the start is other work on the machine.",
        "",
        "## Seeding",
        "",
        "| profile | tenants | factor | seeded now | reported s | progress updates |",
        "|---|---|---|---|---|---|",
    ]
    for s in district["seed"]:
        updates = district["tenants"][_key(s["factor"])]["counts"]["progress_updates"]
        lines.append(f"| district | 1 | ×{s['factor']:g} | {_seeded(s)} | {_seed_seconds(s)} | {updates:,} |")
    if national:
        s, counts = national["seed"], national["counts"]
        lines.append(f"| national | {counts['tenants']} | ×1 | {_seeded(s)} | {_seed_seconds(s)} | "
                     f"{counts['progress_updates']:,} |")  # fmt: skip
    lines += [
        "",
        f"## Pages (district, server time via the test client, {district['options']['requests']} requests after 3 warm-ups)",
        "",
        "| ×F | page | median ms | p95 ms | queries | floor median ms | floor queries | page / floor | "
        f"≤ {PAGE_QUERY_TARGET} q (×1) | ≤ {PAGE_MEDIAN_TARGET_MS} ms (×1) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for factor, pages in district["pages"].items():
        for page in PAGES:
            p = pages[page]
            q_ok = _ok(p["queries"] <= PAGE_QUERY_TARGET) if factor == "1" else ""
            t_ok = _ok(p["median_ms"] <= PAGE_MEDIAN_TARGET_MS) if factor == "1" else ""
            lines.append(
                f"| ×{factor} | {page} | {p['median_ms']} | {p['p95_ms']} | {p['queries']} | "
                f"{p['floor']['median_ms']} | {p['floor']['queries']} | {p['ratio_median']} | {q_ok} | {t_ok} |"
            )
    lines += [
        "",
        "## API under concurrency (agreement list, gunicorn 2 sync workers, "
        f"`{next(iter(district['api'].values()))['wrk'] if district['api'] else 'wrk'}`)",
        "",
        "| ×F | shipped req/s | shipped p95 ms | floor req/s | floor p95 ms | shipped / floor | "
        f"≥ {API_RATIO_TARGET} | same first page |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for factor, api in district["api"].items():
        lines.append(
            f"| ×{factor} | {api['shipped']['rps']} | {api['shipped']['p95_ms']} | {api['floor']['rps']} | "
            f"{api['floor']['p95_ms']} | {api['ratio_rps']} | {_ok(api['ratio_rps'] >= API_RATIO_TARGET)} | "
            f"{'yes' if api['same_first_page'] else 'no'} |"
        )
    lines += [
        "",
        "## Health review, district (one process per run)",
        "",
        "| ×F | reviews | wall s | queries | peak RSS MB | floor s (read the approved updates once) | rows | wall / floor |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for factor, r in district["reviews"].items():
        ratio = round(r["wall_s"] / r["floor"]["wall_s"], 1) if r["floor"]["wall_s"] else "—"
        lines.append(f"| ×{factor} | {r['reviews']} | {r['wall_s']} | {r['queries']} | {r['peak_rss_mb']} | "
                     f"{r['floor']['wall_s']} | {r['floor']['rows']} | {ratio} |")  # fmt: skip
    if national:
        n = national["review"]
        samples = ", ".join(f"{s['queries']}" for s in n["per_tenant"])
        lines += [
            "",
            "## Health review, national (real Celery worker, concurrency 2)",
            "",
            f"| tenants | reviews | wall s (first enqueue → last done) | ≤ {NATIONAL_WALL_TARGET_S} s | "
            f"queries per tenant (3 samples) | constant | peak RSS MB main / pool | ≤ {WORKER_RSS_TARGET_MB} MB |",
            "|---|---|---|---|---|---|---|---|",
            f"| {n['tenants']} | {n['reviews']} | {n['wall_s']} | "
            f"{_ok(n['wall_s'] <= NATIONAL_WALL_TARGET_S and not n['runs_failed'])} | {samples} | "
            f"{_ok(len({s['queries'] for s in n['per_tenant']}) == 1)} | "
            f"{n['peak_rss_mb']['main']} / {', '.join(str(v) for v in n['peak_rss_mb']['pool'])} | "
            f"{_ok(n['peak_rss_mb_max'] is not None and n['peak_rss_mb_max'] <= WORKER_RSS_TARGET_MB)} |",
        ]
        if n["runs_failed"]:
            lines.append(f"\n{n['runs_failed']} runs failed, e.g. `{n['errors'][0][:200] if n['errors'] else ''}`")
    rows = district.get("growth") or []
    if rows:
        factors = list(rows[0]["values"])
        lines += [
            "",
            "## Growth (ratio to ×1; data grows by the progress updates' ratio — at or below it is linear or better)",
            "",
            "| measure | " + " | ".join(f"×{f}" for f in factors) + " | "
            + " | ".join(f"ratio ×{f} (data ×{rows[0]['ratios'][f]['data_ratio']})" for f in factors if f != "1")
            + " |",
            "|---|" + "---|" * (2 * len(factors) - 1),
        ]  # fmt: skip
        for row in rows:
            ratios = [row["ratios"].get(f) for f in factors if f != "1"]
            cells = [
                f"{r['ratio']}{'' if r['linear_or_better'] else ' (worse than linear)'}" if r else "—" for r in ratios
            ]
            lines.append(f"| {row['measure']} | " + " | ".join(str(row["values"].get(f, "—")) for f in factors)
                         + " | " + " | ".join(cells) + " |")  # fmt: skip
    lines += ["", "## Targets", "", "| target | value | met |", "|---|---|---|"]
    for t in district["targets"]:
        lines.append(f"| {t['target']} | {t['value']} | {_ok(t['ok'])} |")
    lines += ["", f"Total run: {district['total_seconds']} s.", ""]
    return "\n".join(lines)


def write(directory: Path, date: str, district: dict, national: dict | None, table: str) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in ((f"{date}-district.json", district), (f"{date}-national.json", national)):
        if data is None:
            continue
        path = directory / name
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        written.append(path)
    path = directory / f"{date}-table.md"
    path.write_text(table)
    written.append(path)
    return written
