"""`python -m bench`: build (or reuse) a big store, then time writes and searches on it.

    python -m bench                 1,000,000 tickets, 300,000 dossiers, 300 rounds
    python -m bench --quick         50,000 tickets, 15,000 dossiers, 100 rounds
    python -m bench --store DIR     reuse the store in DIR (generated there when missing)
    python -m bench --json FILE     also save the figures
    python -m bench --all           also encryption cost, receipt printing, sync backlog, UI,
                                    scanning papers, uploading a day's papers and the center

Figures that matter are ratios measured in the same run; the targets are printed, not
enforced: the run never fails because of them.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.dossier_page import measure_first_screen
from bench.generate import generate, store_size
from bench.report import format_others, format_report, write_json
from bench.search_latency import measure_search
from bench.store_latency import measure_writes
from counter_app.store import open_store
from counter_app.store.database import STORE_FILE


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small store and fewer rounds")
    parser.add_argument("--store", type=Path, help="store folder to reuse or create")
    parser.add_argument("--tickets", type=int, help="tickets to generate (1,000,000)")
    parser.add_argument("--dossiers", type=int, help="dossiers to generate (300,000)")
    parser.add_argument("--iterations", type=int, help="timed rounds per figure (300)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="save the figures to this file")
    parser.add_argument("--all", action="store_true", help="also the other issues' benchmarks")
    args = parser.parse_args(argv)
    quick = args.quick
    args.tickets = args.tickets or (50_000 if quick else 1_000_000)
    args.dossiers = args.dossiers or (15_000 if quick else 300_000)
    args.iterations = args.iterations or (100 if quick else 300)
    return args


def run(args: argparse.Namespace, data_dir: Path) -> dict:
    started = time.perf_counter()
    load = [round(x, 2) for x in os.getloadavg()]
    generation = None
    if not (data_dir / STORE_FILE).exists():
        print(f"generating {args.tickets:,} tickets, {args.dossiers:,} dossiers ...", flush=True)
        made = generate(data_dir, tickets=args.tickets, dossiers=args.dossiers, seed=args.seed)
        generation = {
            "seconds": round(made.seconds, 2),
            "cpu_seconds": round(made.cpu_seconds, 2),
            "tickets": made.tickets,
            "dossiers": made.dossiers,
            "first_day": made.first_day.isoformat(),
            "last_day": made.last_day.isoformat(),
        }
        print(f"generated in {made.seconds:.1f} s", flush=True)
    store = open_store(data_dir)
    try:
        counts = {"tickets": store.tickets.count(), "dossiers": store.dossiers.count()}
    finally:
        store.close()
    search = measure_search(data_dir, iterations=args.iterations, seed=args.seed)
    writes = measure_writes(data_dir, iterations=args.iterations, seed=args.seed)
    first_screen = measure_first_screen(data_dir)
    return {
        "config": {
            "tickets": args.tickets,
            "dossiers": args.dossiers,
            "iterations": args.iterations,
            "seed": args.seed,
            "quick": args.quick,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "load_avg": load,
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
        },
        "generation": generation,
        "store": {"path": str(data_dir), "size_bytes": store_size(data_dir), **counts},
        "writes": writes,
        "search": search,
        "first_screen": first_screen,
        "total_seconds": round(time.perf_counter() - started, 2),
    }


OTHERS = (
    "bench.crypto_cost", "bench.print_receipt", "bench.sync_backlog", "bench.ui_startup",
    "bench.frozen_startup", "bench.procedure_search", "bench.paper_scan", "bench.paper_upload",
    "bench.center",
)  # fmt: skip


# bench.center's (counters, tickets): its own defaults, a smaller center with --quick
CENTER_SIZES = {False: (15, 200), True: (5, 60)}


def run_center(quick: bool) -> dict:
    """bench.center (issue 21), whose `run` takes the center's size rather than `quick`."""
    from bench import center

    # its throwaway center is sealed with a throwaway passphrase, keyring untouched
    os.environ.setdefault("COUNTER_APP_PASSPHRASE", "ghe-dua-cua-bench")
    os.environ.setdefault("COUNTER_APP_KEYRING", "off")
    return center.run(*CENTER_SIZES[quick])


def run_others(quick: bool) -> dict:
    """Each module's `run(quick)`: its figures, printed as it finishes. A module that fails
    is reported and the others still run: the run always gets to its end."""
    import importlib
    import json
    import traceback

    results = {}
    for name in OTHERS:
        print(f"\n{name} ...", flush=True)
        try:
            if name == "bench.center":
                results[name] = run_center(quick)
            else:
                results[name] = importlib.import_module(name).run(quick=quick)
        except Exception as error:  # the traceback goes to the console, the run goes on
            traceback.print_exc()
            results[name] = {"failed": f"{type(error).__name__}: {error}"}
        print(json.dumps(results[name], indent=2, ensure_ascii=False, default=str), flush=True)
    return results


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    if args.store is not None:
        report = run(args, args.store)
    else:
        with tempfile.TemporaryDirectory(prefix="counter-bench-") as folder:
            report = run(args, Path(folder))
    print(format_report(report))
    if args.all:
        report["others"] = run_others(args.quick)
        print(format_report(report))  # every figure with its target, at the end of the run
        print(format_others(report["others"]))
    if args.json is not None:
        write_json(report, args.json)
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
