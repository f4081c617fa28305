"""Write latency of the two use cases the counter lives on, against a bare INSERT + COMMIT.

Milliseconds depend on the disk's fsync; the ratio to a bare commit on the same file with
the same pragmas (WAL, synchronous=FULL), measured interleaved in the same run, much less.
The three operations run in a shuffled order each round, so a checkpoint or a busy moment
of the disk falls on all of them alike.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from time import perf_counter

from bench.report import WRITE_RATIO_TARGETS, summary
from counter_app.core.calendar import WorkingCalendar
from counter_app.core.catalogue import ReturnMethod
from counter_app.core.clock import VN_TZ
from counter_app.core.roles import Actor, Role
from counter_app.services.demo_people import person
from counter_app.services.dossiers import receive_dossier
from counter_app.services.queue import take_ticket
from counter_app.services.setup import open_context
from counter_app.store import Store, open_store
from counter_app.store.database import connect

BARE_TABLE = "bench_bare"
USE_CASES = ("take_ticket", "receive_dossier")


class BenchClock:
    """A fixed clock after every stored event, moved on a little at each reading."""

    def __init__(self, start: datetime, step: timedelta = timedelta(milliseconds=250)) -> None:
        self.now, self.step = start, step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


def bench_start(store: Store) -> datetime:
    """07:45 on the first working day after the data, or just after the trusted time."""
    last_day = store.query_one("SELECT max(day) FROM tickets")[0]
    last_received = store.query_one("SELECT max(received_at) FROM dossiers")[0]
    days = [date.fromisoformat(d[:10]) for d in (last_day, last_received) if d]
    calendar = WorkingCalendar(store.catalogue.overrides())
    day = calendar.next_working_day(max(days)) if days else date.today()
    start = datetime.combine(day, time(7, 45), VN_TZ)
    last = store.audit.trusted_time()
    return max(start, last + timedelta(minutes=1)) if last else start


def _bare_insert(conn, rng: random.Random, now: datetime) -> Callable[[], None]:
    """A ticket-sized row alone in its transaction: the floor a use case can reach."""

    def run() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            f"INSERT INTO {BARE_TABLE}(day, grp, number, state, arrived_at, station_id) "
            "VALUES (?, ?, ?, 'waiting', ?, ?)",
            (now.date().isoformat(), "A", rng.randrange(1000), now.isoformat(), "bench/1"),
        )
        conn.execute("COMMIT")

    return run


def measure_writes(data_dir, *, iterations: int = 300, seed: int = 7, warmup: int = 5) -> dict:
    store = open_store(data_dir)
    bare = connect(store.path)  # the store's own pragmas: WAL, synchronous=FULL
    try:
        bare.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} (id INTEGER PRIMARY KEY, "
            "day TEXT NOT NULL, grp TEXT NOT NULL, number INTEGER NOT NULL, "
            "state TEXT NOT NULL, arrived_at TEXT NOT NULL, station_id TEXT NOT NULL)"
        )
        return _measure(store, bare, iterations, random.Random(seed), warmup)
    finally:
        bare.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        bare.close()
        store.close()


def _measure(store: Store, bare, iterations: int, rng: random.Random, warmup: int) -> dict:
    clock = BenchClock(bench_start(store))
    kiosk = open_context(store, clock=clock, actor=Actor("kiosk", Role.VOLUNTEER))
    clerk = open_context(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    catalogue = clerk.catalogue()
    groups = [g.letter for g in catalogue.groups]
    procedures = [p for p in catalogue.procedures if ReturnMethod.COUNTER in p.return_methods]
    today = clock.now.date()

    def receive() -> None:
        applicant = person(rng, today).typed
        code = rng.choice(procedures).code
        started = perf_counter()
        receive_dossier(clerk, procedure_code=code, applicant=applicant)
        samples["receive_dossier"].append(perf_counter() - started)

    def take() -> None:
        group = rng.choice(groups)
        started = perf_counter()
        take_ticket(kiosk, group=group)
        samples["take_ticket"].append(perf_counter() - started)

    def bare_commit() -> None:
        run = _bare_insert(bare, rng, clock.now)
        started = perf_counter()
        run()
        samples["bare_insert_commit"].append(perf_counter() - started)

    samples: dict[str, list[float]] = {n: [] for n in ("bare_insert_commit", *USE_CASES)}
    for i in range(warmup + iterations):
        if i == warmup:
            for values in samples.values():
                values.clear()
        steps = [bare_commit, take, receive]
        rng.shuffle(steps)
        for step in steps:
            step()
    return _figures(samples)


def _figures(samples: dict[str, list[float]]) -> dict:
    figures = {name: summary(values, 50, 99) for name, values in samples.items()}
    base = figures["bare_insert_commit"]
    for name in USE_CASES:
        f = figures[name]
        f["ratio_p50"] = round(f["p50_ms"] / base["p50_ms"], 2)
        f["ratio_p99"] = round(f["p99_ms"] / base["p99_ms"], 2)
        f["target_met"] = f["ratio_p99"] <= WRITE_RATIO_TARGETS[name]
    return figures
