"""A big store in a minute or two: two years of tickets and dossiers, written in bulk.

The services would need hours for a million tickets (one fsync per use case), so the rows
(made by `bench.days`, exactly as the repositories write them) go in with executemany in one
transaction, journal and fsync off. The bulk tables' indexes and the FTS triggers are
dropped for the load and recreated from their stored SQL, and the FTS index is rebuilt in
one pass. The sequences table is filled, so later service calls go on numbering without
collisions: data ends the day before `until`, the benchmarks' "today". Not backfilled: the
audit log and the outbox of that history (the store holds the set-up entry only).

Days are made in worker processes (sealing personal fields and due times are the costly
part) while this process writes, so both cores work.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import sqlite3
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from bench.days import (
    DOSSIER_EVENT_COLUMNS,
    TICKET_COLUMNS,
    TICKET_EVENT_COLUMNS,
    DayPlan,
    Rows,
    World,
    dossier_columns,
    make_day,
)
from counter_app.core.calendar import WorkingCalendar
from counter_app.core.catalogue import load_default_catalogue
from counter_app.core.clock import VN_TZ
from counter_app.core.crypto import FieldCrypto
from counter_app.core.roles import Actor, Role
from counter_app.services.setup import initialise_store
from counter_app.store import open_store
from counter_app.store.database import STORE_FILE

AGENCY = "000.00.01.H22"
CENTER = "Trung tâm phục vụ hành chính công xã Tân Lập"
UNTIL = date(2026, 5, 4)  # a Monday: the first day after the data
DAYS_PER_CHUNK = 5


@dataclass(frozen=True)
class Generated:
    data_dir: Path
    tickets: int
    dossiers: int
    first_day: date
    last_day: date
    until: date
    seconds: float
    cpu_seconds: float  # this process and its workers: what an idle machine would need
    size_bytes: int


def _cpu() -> float:
    own, workers = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def store_size(data_dir: Path) -> int:
    files = [data_dir / (STORE_FILE + suffix) for suffix in ("", "-wal", "-shm")]
    return sum(f.stat().st_size for f in files if f.exists())


def working_days(until: date, years: int) -> list[date]:
    calendar = WorkingCalendar()
    day, days = until - timedelta(days=365 * years), []
    while day < until:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _spread(total: int, days: int, rng: random.Random) -> list[int]:
    """`total` split over `days`, each day within about ±25% of the mean."""
    weights = [rng.uniform(0.75, 1.25) for _ in range(days)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(days), total - sum(counts)):
        counts[i] += 1
    return counts


def plan_days(days: list[date], tickets: int, dossiers: int, seed: int) -> list[DayPlan]:
    rng = random.Random(seed)
    plans, next_id, books = [], 1, {}
    for day, n_tickets, n_dossiers in zip(
        days, _spread(tickets, len(days), rng), _spread(dossiers, len(days), rng), strict=True
    ):
        book = books.get(day.year, 1)
        plans.append(DayPlan(day, n_tickets, n_dossiers, next_id, book))
        next_id, books[day.year] = next_id + n_tickets, book + n_dossiers
    return plans


_WORLD: World | None = None


def _init_worker(station_id: str, horizon: datetime, fc: FieldCrypto) -> None:
    global _WORLD
    _WORLD = World(AGENCY, station_id, load_default_catalogue(), horizon, fc)


def _make_chunk(job: tuple[int, list[DayPlan]]) -> Rows:
    seed, plans = job
    rng, rows = random.Random(seed), Rows()
    for plan in plans:
        make_day(plan, _WORLD, rng, rows)  # type: ignore[arg-type]
    return rows


def _insert(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows) -> None:
    marks = ", ".join("?" * len(columns))
    conn.executemany(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({marks})", rows)


def generate(
    data_dir: Path | str,
    *,
    tickets: int = 1_000_000,
    dossiers: int = 300_000,
    years: int = 2,
    until: date = UNTIL,
    seed: int = 2026,
    workers: int | None = None,
) -> Generated:
    """Create a store in `data_dir` (which must not hold one) and fill it."""
    started, cpu_started = time.perf_counter(), _cpu()
    data_dir = Path(data_dir)
    days = working_days(until, years)
    plans = plan_days(days, tickets, dossiers, seed)
    store = open_store(data_dir)
    try:
        station = initialise_store(
            store,
            agency_code=AGENCY,
            center_name=CENTER,
            now=datetime.combine(days[0], clock_time(7, 0), VN_TZ),
            actor=Actor("admin", Role.ADMIN),
            counters=8,
            demo_key=True,  # a key file beside the store: no passphrase to type
        )
        fc = store.crypto
    finally:
        store.close()
    horizon = datetime.combine(until, clock_time(7, 0), VN_TZ)
    jobs = [
        (seed * 100_003 + i, plans[i : i + DAYS_PER_CHUNK])
        for i in range(0, len(plans), DAYS_PER_CHUNK)
    ]
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if tickets + dossiers >= 50_000 else 0
    conn = sqlite3.connect(data_dir / STORE_FILE, isolation_level=None)
    try:
        # A throw-away file being filled: no journal, no fsync; WAL again at the end.
        for pragma in ("journal_mode=DELETE", "journal_mode=OFF", "synchronous=OFF"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("PRAGMA cache_size=-500000")
        conn.execute("BEGIN")
        deferred = _drop_indexes(conn)
        if workers:
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(workers, _init_worker, (station.id, horizon, fc)) as pool:
                _write(conn, pool.imap(_make_chunk, jobs), dossier_columns(fc))
        else:
            _init_worker(station.id, horizon, fc)
            _write(conn, map(_make_chunk, jobs), dossier_columns(fc))
        _recreate(conn, deferred)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    return Generated(
        data_dir=data_dir,
        tickets=tickets,
        dossiers=dossiers,
        first_day=days[0],
        last_day=days[-1],
        until=until,
        seconds=time.perf_counter() - started,
        cpu_seconds=_cpu() - cpu_started,
        size_bytes=store_size(data_dir),
    )


_BULK_TABLES = ("tickets", "ticket_events", "dossiers", "dossier_events")


def _drop_indexes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Drop the bulk tables' indexes and triggers; return their SQL, exactly as stored.

    Building an index once over sorted rows is several times faster than keeping it up to
    date row by row; the FTS index is rebuilt from the rows in one pass the same way.
    """
    marks = ", ".join("?" * len(_BULK_TABLES))
    found = conn.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
        f"AND sql IS NOT NULL AND tbl_name IN ({marks})",
        _BULK_TABLES,
    ).fetchall()
    for kind, name, _ in found:
        conn.execute(f'DROP {kind.upper()} "{name}"')
    return [(kind, sql) for kind, _, sql in found]


def _recreate(conn: sqlite3.Connection, deferred: list[tuple[str, str]]) -> None:
    # each ticket's center-wide name, as TicketRepository.insert gives it
    conn.execute("UPDATE tickets SET uid = station_id || '#' || id WHERE uid IS NULL")
    for kind, sql in deferred:
        if kind == "index":
            conn.execute(sql)
    conn.execute("INSERT INTO dossiers_fts(dossiers_fts) VALUES ('rebuild')")
    # One segment, as the upkeep's quiet-time merges leave a live store (store/upkeep.py).
    conn.execute("INSERT INTO dossiers_fts(dossiers_fts) VALUES ('optimize')")
    for kind, sql in deferred:
        if kind == "trigger":
            conn.execute(sql)


def _write(conn: sqlite3.Connection, chunks, columns: tuple[str, ...]) -> None:
    books: dict[str, int] = {}
    at, entry = columns.index("received_at"), columns.index("book_entry")
    for rows in chunks:
        _insert(conn, "tickets", TICKET_COLUMNS, rows.tickets)
        _insert(conn, "ticket_events", TICKET_EVENT_COLUMNS, rows.ticket_events)
        _insert(conn, "dossiers", columns, rows.dossiers)
        _insert(conn, "dossier_events", DOSSIER_EVENT_COLUMNS, rows.dossier_events)
        _insert(conn, "sequences", ("name", "day", "last"), rows.sequences)
        for row in rows.dossiers:
            books[row[at][:4]] = max(books.get(row[at][:4], 0), row[entry])
    # The register book is numbered per year (Sequences.take("book", year)).
    _insert(conn, "sequences", ("name", "day", "last"), [("book", y, n) for y, n in books.items()])
