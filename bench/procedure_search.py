"""The procedure search per keystroke: the shipped catalogue against a province-sized one.

The intake box searches 150 ms after the clerk stops typing, on the UI thread, so a search
must stay well inside that pause also when a province loads hundreds of procedures. Both
catalogues are searched in the same run with the same queries (as typed, some words still
unfinished); the figure that matters is the province's p95 as a share of the pause, and
how the time grows with the catalogue (target: no worse than linear).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace

from counter_app.core.catalogue import load_default_catalogue
from counter_app.core.procedure_search import rank_procedures

PAUSE_MS = 150  # the intake's search timer (ui/intake.py)
SHARE_TARGET = 0.25  # of the pause, at the province's size
COPIES = 20  # 47 shipped procedures x 20 = 940, a province's commune-level list
QUERIES = (
    "k", "kh", "khai si", "khai sinh", "làm giấy khai sinh cho con", "dk ket hon",
    "sao y", "photo công chứng", "nhập hộ khẩu", "làm lại sổ đỏ bị mất", "báo tử",
    "mở hộ kinh doanh", "xac nhan doc than", "2.000", "1.001193", "thủ tục",
)  # fmt: skip


def _province(copies: int) -> tuple:
    """The shipped procedures `copies` times over, each copy with its own code and a word
    of its own in the title (so the word frequencies look like a longer list)."""
    shipped = load_default_catalogue().procedures
    return tuple(
        replace(p, code=f"{p.code}.{n}", name=f"{p.name} (mẫu {n})")
        for n in range(copies)
        for p in shipped
    )


def _time(procedures: tuple, rounds: int) -> dict:
    started = time.perf_counter()
    rank_procedures(procedures, "khai sinh")  # builds the index: once per catalogue
    build_ms = (time.perf_counter() - started) * 1000
    samples = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            rank_procedures(procedures, query, limit=8)
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "procedures": len(procedures),
        "index_build_ms": round(build_ms, 2),
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 3),
    }


def run(quick: bool = False) -> dict:
    rounds = 5 if quick else 30
    shipped = _time(load_default_catalogue().procedures, rounds)
    province = _time(_province(COPIES), rounds)
    share = province["p95_ms"] / PAUSE_MS
    growth = province["p95_ms"] / max(shipped["p95_ms"], 1e-6)
    size = province["procedures"] / shipped["procedures"]
    return {
        "name": "procedure_search",
        "queries": len(QUERIES),
        "rounds": rounds,
        "shipped": shipped,
        "province": province,
        "province_p95_share_of_pause": round(share, 3),
        "share_target": SHARE_TARGET,
        "share_target_met": share <= SHARE_TARGET,
        "growth_p95": round(growth, 2),
        "size_ratio": round(size, 2),
        "no_worse_than_linear": growth <= size,
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
