"""Search box latency over the big store: names without marks, ID numbers, phones, codes.

Each query is made from a dossier picked at random (read through the repository, since
names, ID numbers and phones are sealed in the file), and the answer is checked: the dossier
must be in it, or be correctly left out because a full page of results ranks before it
(more recent, or a smaller code). Anything else is a miss, and every result must match the
query. Latency alone would not show a search that is fast because it finds nothing.
"""

from __future__ import annotations

import random
from time import perf_counter, thread_time

from bench.report import SEARCH_P95_TARGET_MS, summary
from bench.store_latency import BenchClock, bench_start
from counter_app.core.citizen import format_phone_display
from counter_app.core.dossier import Dossier
from counter_app.core.roles import Actor, Role
from counter_app.core.text import fold
from counter_app.services.search import search_dossiers
from counter_app.services.setup import open_context
from counter_app.store import open_store

LIMIT = 50
KINDS = ("name", "full_name", "citizen_id", "phone", "code", "code_prefix")
_BY_CODE = ("code", "code_prefix")


def make_query(kind: str, target: Dossier, rng: random.Random) -> str:
    folded = fold(target.applicant.full_name)
    if kind == "name":  # "nguyen duong": family and given name, no marks
        words = folded.split()
        return f"{words[0]} {words[-1]}"
    if kind == "full_name":
        return folded
    if kind == "citizen_id":
        return target.applicant.citizen_id
    if kind == "phone":  # as typed: "0912345678" or "0912 345 678"
        phone = target.applicant.phone
        return format_phone_display(phone) if rng.random() < 0.5 else phone
    if kind == "code":
        return target.code
    return target.code[:-1]  # AGENCY-YYMMDD-XXX: ten dossiers at most


def _matches(kind: str, query: str, target: Dossier, found: Dossier) -> bool:
    a = found.applicant
    if kind in ("name", "full_name"):
        names = fold(a.full_name).split()
        return all(any(n.startswith(w) for n in names) for w in query.split())
    if kind == "citizen_id":
        return a.citizen_id == target.applicant.citizen_id
    if kind == "phone":
        return a.phone == target.applicant.phone
    return found.code.startswith(query)


def verdict(kind: str, query: str, target: Dossier, results: list[Dossier]) -> str:
    """ "found", "ranked_out" (a full page of results that rank first) or "miss"."""
    if not all(_matches(kind, query, target, d) for d in results):
        return "miss"
    if any(d.code == target.code for d in results):
        return "found"
    if len(results) == LIMIT:
        if kind in _BY_CODE:
            return "ranked_out" if all(d.code < target.code for d in results) else "miss"
        received = target.received_at.isoformat()  # the order the store sorts on
        if all(d.received_at.isoformat() >= received for d in results):
            return "ranked_out"
    return "miss"


def _targets(store, count: int, rng: random.Random) -> list[Dossier]:
    """Dossiers picked uniformly by rowid, read (and opened) through the repository."""
    top = store.query_one("SELECT max(rowid) FROM dossiers")[0] or 0
    picked: list[Dossier] = []
    while top and len(picked) < count:
        row = store.query_one("SELECT code FROM dossiers WHERE rowid = ?", (rng.randint(1, top),))
        dossier = store.dossiers.get(row["code"]) if row is not None else None
        if dossier is not None and dossier.applicant.phone and dossier.applicant.citizen_id:
            picked.append(dossier)
    return picked


def measure_search(data_dir, *, iterations: int = 300, seed: int = 11, warmup: int = 3) -> dict:
    store = open_store(data_dir)
    try:
        rng = random.Random(seed)
        clock = BenchClock(bench_start(store))
        ctx = open_context(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
        figures = {}
        for kind in KINDS:
            timings: list[float] = []
            cpu: list[float] = []  # this thread's CPU: what a machine others share inflates less
            counts = {"found": 0, "ranked_out": 0, "misses": 0}
            for i, target in enumerate(_targets(store, warmup + iterations, rng)):
                query = make_query(kind, target, rng)
                started, cpu_started = perf_counter(), thread_time()
                results = search_dossiers(ctx, query, limit=LIMIT)
                elapsed, cpu_used = perf_counter() - started, thread_time() - cpu_started
                if i < warmup:
                    continue
                timings.append(elapsed)
                cpu.append(cpu_used)
                outcome = verdict(kind, query, target, results)
                counts["misses" if outcome == "miss" else outcome] += 1
            figures[kind] = summary(timings, 50, 95) | counts
            figures[kind]["cpu_p95_ms"] = summary(cpu, 95)["p95_ms"]
            figures[kind]["target_met"] = figures[kind]["p95_ms"] < SEARCH_P95_TARGET_MS
        return figures
    finally:
        store.close()
