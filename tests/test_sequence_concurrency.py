"""Dossier codes are never issued twice, even when several processes take them at once.

Two kinds of evidence: real processes racing on one store file (BEGIN IMMEDIATE must hold
the lock from reading the last number to writing the next), and a property test of random
interleavings of two connections, with days moving on, midnight crossed with a small
backward clock step, and restarts in between.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from counter_app.core.clock import VN_TZ
from counter_app.core.dossier_code import parse_dossier_code
from counter_app.core.roles import Actor, Role
from counter_app.services.dossiers import ApplicantInput, receive_dossier
from counter_app.services.setup import initialise_store, open_context
from counter_app.store import open_store

WORKER = Path(__file__).parent / "helpers" / "receive_loop.py"
AGENCY = "000.00.01.H22"
PROCEDURE = "1.001193"
BASE = datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ)  # as in the worker
PROCESSES = 3
SECONDS = 2.0


def _setup(data_dir: Path, now: datetime = BASE) -> None:
    store = open_store(data_dir)
    try:
        initialise_store(
            store,
            agency_code=AGENCY,
            center_name="Trung tâm phục vụ hành chính công xã Tân Lập",
            now=now,
            actor=Actor("admin", Role.ADMIN),
        )
    finally:
        store.close()


def test_processes_racing_for_codes_never_share_one(tmp_path):
    data_dir = tmp_path / "data"
    _setup(data_dir)
    t0 = time.time()
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(data_dir), repr(t0), str(SECONDS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    try:
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        for proc in procs:  # all start together
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outputs = [proc.communicate(timeout=120) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    per_process: list[list[str]] = []
    for proc, (out, err) in zip(procs, outputs, strict=True):
        lines = out.split()
        assert proc.returncode == 0 and lines[-1] == "done", err
        per_process.append(lines[:-1])

    issued = [code for codes in per_process for code in codes]
    assert len(issued) == len(set(issued)), "a dossier code was issued twice"
    parsed = [parse_dossier_code(code) for code in issued]
    assert {p.day for p in parsed} == {BASE.date()}
    numbers = sorted(p.sequence for p in parsed)
    assert numbers == list(range(1, len(numbers) + 1)), "gap or repeat in the day's numbers"

    store = open_store(data_dir)
    try:
        assert sorted(r[0] for r in store.query("SELECT code FROM dossiers")) == sorted(issued)
        assert store.sequences.last(f"dossier:{AGENCY}", BASE.date().isoformat()) == len(issued)
        books = sorted(r[0] for r in store.query("SELECT book_entry FROM dossiers"))
        assert books == list(range(1, len(issued) + 1))
        keys = [r[0] for r in store.query("SELECT idem_key FROM outbox ORDER BY seq")]
        assert len(keys) == len(set(keys)) == len(issued)
        assert [int(k.rsplit(":", 1)[1]) for k in keys] == list(range(1, len(keys) + 1))
        assert store.audit.verify() is None  # appends from three processes form one chain
        assert store.integrity_check() == "ok"
    finally:
        store.close()

    # The race was real: every process got numbers, and they took turns.
    # (How many each got depends on SQLite's busy waits and the machine's load, not on us.)
    assert all(len(codes) >= 1 for codes in per_process), [len(c) for c in per_process]
    owner = {
        parse_dossier_code(code).sequence: i
        for i, codes in enumerate(per_process)
        for code in codes
    }
    turns = sum(1 for n in range(2, len(numbers) + 1) if owner[n] != owner[n - 1])
    assert turns >= PROCESSES, turns
    print(f"\nconcurrency: {[len(c) for c in per_process]} codes, {turns} turns")


# --- property test: random interleavings of two connections in one process ----------------

receive = st.tuples(st.just("receive"), st.integers(0, 1))
restart = st.tuples(st.just("restart"), st.integers(0, 1))
advance = st.tuples(st.just("advance"), st.integers(1, 3 * 24 * 60))  # minutes forward
to_midnight = st.tuples(st.just("to_midnight"), st.integers(1, 3))  # minutes before it
step_back = st.tuples(st.just("step_back"), st.integers(1, 4))  # within the 5-min tolerance
operations = st.lists(
    st.one_of(receive, receive, receive, restart, advance, to_midnight, step_back),
    min_size=1,
    max_size=30,
)

_CLERK = Actor("canbo1", Role.CLERK)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(ops=operations)
@example(  # across midnight with the clock stepping back a little, then a restart
    ops=[
        ("receive", 0),
        ("to_midnight", 1),
        ("receive", 1),
        ("advance", 2),
        ("receive", 0),
        ("step_back", 4),
        ("receive", 1),
        ("restart", 0),
        ("receive", 0),
        ("advance", 3),
        ("receive", 1),
    ]
)
def test_interleaved_connections_and_restarts_never_repeat_a_code(ops):
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        clock = Clock(BASE)
        _setup(data_dir, clock.now)
        stores = [open_store(data_dir), open_store(data_dir)]
        ctxs = [open_context(s, clock=clock, actor=_CLERK) for s in stores]
        last: dict[str, int] = {}  # the model: last number per day
        last_book: dict[int, int] = {}
        seen: set[str] = set()
        trusted = clock.now  # the clock guard's reference: the latest time a receipt passed

        def take(i: int) -> None:
            nonlocal trusted
            dossier = receive_dossier(
                ctxs[i], procedure_code=PROCEDURE, applicant=ApplicantInput("Lê Văn Đạt")
            )
            code = parse_dossier_code(dossier.code)
            day = code.day.isoformat()
            assert code.day == clock.now.date()
            assert dossier.code not in seen, "a code was issued twice"
            assert code.sequence > last.get(day, 0), "numbers went back within a day"
            # Nothing crashed, so not even a gap.
            assert code.sequence == last.get(day, 0) + 1
            assert dossier.book_entry == last_book.get(code.day.year, 0) + 1
            seen.add(dossier.code)
            last[day] = code.sequence
            last_book[code.day.year] = dossier.book_entry
            trusted = max(trusted, clock.now)

        try:
            for op, arg in ops:
                if op == "receive":
                    take(arg)
                elif op == "restart":
                    stores[arg].close()
                    stores[arg] = open_store(data_dir)
                    ctxs[arg] = open_context(stores[arg], clock=clock, actor=_CLERK)
                elif op == "advance":
                    clock.now += timedelta(minutes=arg)
                elif op == "to_midnight":
                    midnight = datetime.combine(
                        clock.now.date() + timedelta(days=1), datetime.min.time(), VN_TZ
                    )
                    clock.now = max(clock.now, midnight - timedelta(minutes=arg))
                elif op == "step_back":
                    # An NTP correction: back a little, never beyond the clock check's
                    # tolerance (5 minutes behind the latest trusted time).
                    clock.now = max(
                        clock.now - timedelta(minutes=arg), trusted - timedelta(minutes=4)
                    )
            # A restart of everything: numbering goes on after the last number used.
            for store in stores:
                store.close()
            stores = [open_store(data_dir)]
            ctxs = [open_context(stores[0], clock=clock, actor=_CLERK)]
            take(0)
            rows = stores[0].query("SELECT code FROM dossiers")
            assert sorted(r[0] for r in rows) == sorted(seen)
        finally:
            for store in stores:
                store.close()
