"""The dossier page's first screen over the big store: what a clerk waits for on opening it.

The page opens on the dossiers received in the last 30 days, the latest first, as many as
its list holds, with the count of all of them (counter_app/ui/dossiers.py `_first_load`).
Measured through the same service call, with the same limit; the table's painting is not.
"""

from __future__ import annotations

from datetime import timedelta
from time import perf_counter

from bench.report import FIRST_SCREEN_TARGET_MS, summary
from bench.store_latency import BenchClock, bench_start
from counter_app.core.roles import Actor, Role
from counter_app.services.search import find_dossiers
from counter_app.services.setup import open_context
from counter_app.store import open_store


def measure_first_screen(data_dir, *, iterations: int = 50, warmup: int = 2) -> dict:
    from counter_app.ui.dossiers import LIST_LIMIT

    store = open_store(data_dir)
    try:
        clock = BenchClock(bench_start(store))
        ctx = open_context(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
        today = clock.now.date()
        timings, shown, total = [], 0, 0
        for i in range(warmup + iterations):
            started = perf_counter()
            page = find_dossiers(
                ctx, since=today - timedelta(days=30), until=today, limit=LIST_LIMIT
            )
            elapsed = perf_counter() - started
            if i >= warmup:
                timings.append(elapsed)
            shown, total = len(page.dossiers), page.total
        figures = summary(timings, 50, 95) | {"shown": shown, "total": total}
        return figures | {"target_met": figures["p95_ms"] < FIRST_SCREEN_TARGET_MS}
    finally:
        store.close()
