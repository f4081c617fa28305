"""Percentiles, the table printed at the end of a run, and the JSON file of the same figures."""

from __future__ import annotations

import json
import math
from pathlib import Path

WRITE_RATIO_TARGET = 3.0  # p99 of a use case within 3x a bare INSERT + COMMIT
SEARCH_P95_TARGET_MS = 20.0


def percentile(samples: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(samples)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(seconds: list[float], *percentiles: int) -> dict:
    ms = [s * 1000 for s in seconds]
    figures = {"n": len(ms)} | {f"p{p}_ms": round(percentile(ms, p), 3) for p in percentiles}
    return figures | {"max_ms": round(max(ms), 3) if ms else math.nan}


def _verdict(met: bool) -> str:
    return "target met" if met else "target missed"


def format_report(report: dict) -> str:
    lines = []
    gen, store = report.get("generation"), report["store"]
    if gen:
        lines.append(
            f"generated {gen['tickets']:,} tickets and {gen['dossiers']:,} dossiers "
            f"({gen['first_day']} .. {gen['last_day']}) in {gen['seconds']:.1f} s "
            f"({gen['cpu_seconds']:.0f} s of CPU over all processes)"
        )
    lines.append(
        f"store {store['path']}: {store['size_bytes'] / 1e6:,.0f} MB, "
        f"{store['tickets']:,} tickets, {store['dossiers']:,} dossiers"
    )
    lines.append(f"load average at start {report['machine']['load_avg']}")
    lines += ["", "writes (WAL, synchronous=FULL)   p50 ms   p99 ms   x bare p50  x bare p99"]
    for name, w in report["writes"].items():
        line = f"  {name:<30} {w['p50_ms']:8.2f} {w['p99_ms']:8.2f}"
        if "ratio_p99" in w:
            line += f" {w['ratio_p50']:11.2f} {w['ratio_p99']:11.2f}   "
            line += f"p99 <= {WRITE_RATIO_TARGET:g}x: {_verdict(w['target_met'])}"
        lines.append(line)
    lines += ["", "search_dossiers                  p50 ms   p95 ms   found  ranked out  misses"]
    for kind, s in report["search"].items():
        lines.append(
            f"  {kind:<30} {s['p50_ms']:8.2f} {s['p95_ms']:8.2f} {s['found']:7d} "
            f"{s['ranked_out']:11d} {s['misses']:7d}   "
            f"p95 < {SEARCH_P95_TARGET_MS:g} ms: {_verdict(s['target_met'])}"
        )
    lines += ["", f"total {report['total_seconds']:.1f} s"]
    return "\n".join(lines)


def write_json(report: dict, path: Path | str) -> None:
    Path(path).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
