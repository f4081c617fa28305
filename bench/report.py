"""Percentiles, the table printed at the end of a run, and the JSON file of the same figures."""

from __future__ import annotations

import json
import math
from pathlib import Path

# p99 of a use case within so many times a bare INSERT + COMMIT's p99 (issue 19)
WRITE_RATIO_TARGETS = {"take_ticket": 2.0, "receive_dossier": 3.0}
SEARCH_P95_TARGET_MS = 5.0  # at 1,000,000 dossiers
FIRST_SCREEN_TARGET_MS = 100.0  # the dossier page's list: a page switch felt as instant
# The other benchmarks' headline figures, printed at the end of `--all` beside the target
# their issue set (each module's docstring): (module, the figure in its results, what, at most).
OTHER_TARGETS = (
    ("bench.crypto_cost", "durable.receive_ratio", "receive, sealed / clear", 1.3),
    ("bench.crypto_cost", "durable.search_ratio", "name search, sealed / clear", 1.3),
    ("bench.print_receipt", "median_ms", "a receipt printed, ms", 30),
    ("bench.sync_backlog", "time_ratio", "backlog sync, time / lower bound", 1.5),
    ("bench.sync_backlog", "wire_ratio", "backlog sync, bytes sent / gzip size", 1.1),
    ("bench.ui_startup", "ratio_first_window_vs_bare", "first window / bare window", 1.3),
    ("bench.ui_startup", "ratio_counter_after_typing_vs_bare", "counter after login / bare", 2.0),
    ("bench.ui_startup", "rss_end_mb", "busy day, memory at the end, MB", 250),
    ("bench.ui_startup", "rss_growth_second_half_mb", "busy day, growth in its 2nd half, MB", 5),
    ("bench.frozen_startup", "ratio_frozen_vs_source_first_window", "frozen / source", 1.2),
    ("bench.procedure_search", "province_p95_share_of_pause", "province p95 / pause", 0.25),
    ("bench.paper_scan", "a4_200dpi.wall_seconds_median", "A4 200 dpi to a paper, s", 1.5),
    ("bench.paper_scan", "a4_300dpi.wall_seconds_median", "A4 300 dpi to a paper, s", 1.5),
    ("bench.paper_scan", "a4_200dpi.ratio_to_page_budget", "A4 200 dpi, size / 300 KB", 1.0),
    ("bench.paper_upload", "time_ratio", "papers up, time / lower bound", 1.2),
    ("bench.paper_upload", "send_memory_ratio", "sending, memory / file size", 2.0),
    ("bench.center", "kiosk_to_counter.end_p99_over_bare_push_p99", "kiosk->counter p99 / push", 3),
    ("bench.center", "kiosk_to_counter.center_p99_over_bare_push_p99", "its center path / push", 3),
    ("bench.center", "board.p99_ms", "a call to the board p99, ms", 300),
    ("bench.center", "one_shot.median_ms", "one-shot call-next, ms", 300),
    ("bench.center", "claims.double_calls", "double calls", 0),
)


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
            line += f"p99 <= {WRITE_RATIO_TARGETS[name]:g}x: {_verdict(w['target_met'])}"
        lines.append(line)
    lines += [
        "",
        "search_dossiers                  p50 ms   p95 ms  cpu p95   found  ranked out  misses",
    ]
    for kind, s in report["search"].items():
        lines.append(
            f"  {kind:<30} {s['p50_ms']:8.2f} {s['p95_ms']:8.2f} {s['cpu_p95_ms']:8.2f} "
            f"{s['found']:7d} "
            f"{s['ranked_out']:11d} {s['misses']:7d}   "
            f"p95 < {SEARCH_P95_TARGET_MS:g} ms: {_verdict(s['target_met'])}"
        )
    page = report.get("first_screen")
    if page:
        lines += ["", "dossier page, first screen     p50 ms   p95 ms   shown   of"]
        lines.append(
            f"  {'last 30 days':<30} {page['p50_ms']:8.2f} {page['p95_ms']:8.2f} "
            f"{page['shown']:7d} {page['total']:6d}   "
            f"p95 < {FIRST_SCREEN_TARGET_MS:g} ms: {_verdict(page['target_met'])}"
        )
    lines += ["", f"total {report['total_seconds']:.1f} s"]
    return "\n".join(lines)


def format_others(results: dict) -> str:
    """Each other benchmark's headline figures with their targets, and what did not run."""
    lines = ["", "other benchmarks (--all)" + " " * 42 + "measured    target"]
    for module, figures in results.items():
        reason = figures.get("skipped") or figures.get("failed")
        if reason:
            lines.append(f"  {module}: {'skipped' if 'skipped' in figures else 'failed'}: {reason}")
            continue
        for name, path, what, target in OTHER_TARGETS:
            if name == module:
                value = _figure(figures, path)
                verdict = "not measured" if value is None else _verdict(value <= target)
                shown = "-" if value is None else f"{value:g}"
                lines.append(f"  {module:<22} {what:<42} {shown:>9} <= {target:<6g} {verdict}")
        for key, value in figures.items():
            if isinstance(value, dict) and value.get("crashed"):
                lines.append(f"  {module}: {key} crashed ({value['crashed']})")
    return "\n".join(lines)


def _figure(figures: dict, path: str) -> float | None:
    for key in path.split("."):
        figures = figures.get(key) if isinstance(figures, dict) else None
    return figures if isinstance(figures, int | float) else None


def write_json(report: dict, path: Path | str) -> None:
    Path(path).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
