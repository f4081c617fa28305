"""The m015 rebuild of the names' tokens in the background (`python -m bench.name_rebuild DIR`).

DIR holds a store from before m015 (a copy: it is migrated and rebuilt here). The window is
a child process that unlocks the store, its upkeep thread rebuilding; the kiosk is this
process, taking a ticket every `SPACING` seconds, each beside a bare INSERT + COMMIT on the
same file (bench/store_latency.py): first before the window opens, then while it rebuilds.
Reported: the rebuild's time, its batches' write-lock holds (from BEGIN IMMEDIATE to the
COMMIT returning), and the take's p50 and p99 both times, with their ratio to the bare commit.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.report import percentile, summary
from bench.store_latency import BenchClock, _bare_insert, bench_start
from counter_app.core.roles import Actor, Role
from counter_app.services.queue import take_ticket
from counter_app.services.setup import open_context
from counter_app.store import open_store
from counter_app.store.database import connect
from counter_app.store.dossiers import NAME_PAIRS_PENDING

SPACING = 0.1  # between two takes: a busy kiosk, and the window's batches run between them


def window(data_dir: Path) -> None:
    """The child: unlock, let the upkeep thread rebuild, print its batches as JSON."""
    store = open_store(data_dir)
    print("open", flush=True)
    started = time.perf_counter()
    _ = store.crypto
    unlocked = time.perf_counter() - started
    while store.upkeep.rebuilding:
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    batches = store.upkeep.name_batches
    holds = [b.seconds for b in batches]
    pending = store.settings.get(NAME_PAIRS_PENDING)
    figures = {
        "unlock_s": round(unlocked, 3),
        "rebuild_s": round(seconds, 1),
        "batches": len(batches),
        "rows": sum(b.rows for b in batches),
        "rows_per_batch_p50": round(percentile([b.rows for b in batches], 50)),
        "hold_p50_ms": round(percentile(holds, 50) * 1000, 1),
        "hold_p99_ms": round(percentile(holds, 99) * 1000, 1),
        "hold_max_ms": round(max(holds) * 1000, 1),
        "flag_cleared": pending is None,
        "merge_steps": store.upkeep.merge_steps,
        "merge_hold_max_ms": round(store.upkeep.longest_merge * 1000, 1),
    }
    store.close()
    print(json.dumps(figures), flush=True)


def _takes(store, bare, kiosk, rng, until) -> dict:
    """Takes and bare commits in turn, SPACING apart, until `until()` says stop."""
    samples: dict[str, list[float]] = {"take_ticket": [], "bare_insert_commit": []}
    groups = [g.letter for g in kiosk.catalogue().groups]
    while not until(len(samples["take_ticket"])):
        started = time.perf_counter()
        take_ticket(kiosk, group=rng.choice(groups))
        samples["take_ticket"].append(time.perf_counter() - started)
        run = _bare_insert(bare, rng, kiosk.now())
        started = time.perf_counter()
        run()
        samples["bare_insert_commit"].append(time.perf_counter() - started)
        time.sleep(SPACING)
    figures = {name: summary(values, 50, 99) for name, values in samples.items()}
    take, base = figures["take_ticket"], figures["bare_insert_commit"]
    take["ratio_p99"] = round(take["p99_ms"] / base["p99_ms"], 2)
    return figures


def measure(data_dir: Path, takes: int) -> dict:
    store = open_store(data_dir)  # m015 sets the flag; this process never unlocks
    assert store.settings.get(NAME_PAIRS_PENDING), "a store from before m015 is needed"
    store.upkeep.quiet = 3600  # the kiosk takes no part in the rebuild: the window does it
    bare = connect(store.path)
    bare.execute(
        "CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, day TEXT NOT NULL, "
        "grp TEXT NOT NULL, number INTEGER NOT NULL, state TEXT NOT NULL, "
        "arrived_at TEXT NOT NULL, station_id TEXT NOT NULL)"
    )
    clock = BenchClock(bench_start(store))
    kiosk = open_context(store, clock=clock, actor=Actor("kiosk", Role.VOLUNTEER))
    rng = random.Random(19)
    try:
        before = _takes(store, bare, kiosk, rng, lambda n: n >= takes)
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.name_rebuild", "--window", str(data_dir)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "open"
        during = _takes(store, bare, kiosk, rng, lambda _: child.poll() is not None)
        rebuild = json.loads(child.stdout.read().strip().splitlines()[-1])
        child.wait()
    finally:
        bare.execute("DROP TABLE IF EXISTS bench_bare")
        bare.close()
        store.close()
    return {"rebuild": rebuild, "takes_before": before, "takes_during": during}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.name_rebuild", description=__doc__)
    parser.add_argument("store", type=Path, help="a copy of a store from before m015")
    parser.add_argument("--takes", type=int, default=300, help="takes before the rebuild")
    parser.add_argument("--window", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.window:
        window(args.store)
    else:
        print(json.dumps(measure(args.store, args.takes), indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
