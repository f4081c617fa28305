"""Killing the program at any moment loses nothing it confirmed and tears nothing apart.

A child process works one store through the services as fast as it can (tickets, dossiers,
drafts, status changes) and is killed with SIGKILL at a random moment, again and again on the
same store. After every kill the store must open, pass SQLite's integrity check, hold every
change the child had confirmed, and keep its cross-table invariants: each change has its
event, its audit entry and its outbox row, or none of them.

SIGKILL ends the process, not the machine: what the OS had not yet written to the disk still
reaches it. This proves that every use case is one atomic transaction and that WAL recovery
works; it cannot prove that `synchronous=FULL` really reaches the platter on a power cut.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import DossierStatus
from counter_app.core.dossier_code import parse_dossier_code
from counter_app.core.roles import Actor, Role
from counter_app.services.setup import initialise_store
from counter_app.store import open_store

WORKER = Path(__file__).parent / "helpers" / "crash_worker.py"
AGENCY = "000.00.01.H22"
MIN_KILLS = 25  # always
MAX_KILLS = 40  # more while the time budget lasts (a kill costs ~0.7 s on a quiet machine)
BUDGET_SECONDS = 30
BASE = datetime(2026, 4, 29, 8, 0, tzinfo=VN_TZ)  # as in the worker


class Child:
    """One run of the worker; its acknowledgements are read as they come."""

    def __init__(self, data_dir: Path, t0: float, seed: int, stderr_path: Path) -> None:
        self.stderr_path = stderr_path
        self._stderr = stderr_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(data_dir), repr(t0), str(seed)],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if not line.endswith("\n"):
                break  # cut short by the kill: not a complete acknowledgement
            if line.strip() == "ready":
                self.ready.set()
            elif line.strip():
                self.lines.append(line.split())
        self.ready.set()  # EOF: the child ended (the test looks at why)

    def kill(self) -> int:
        if sys.platform == "win32":
            self.proc.kill()
        else:
            os.kill(self.proc.pid, signal.SIGKILL)
        code = self.proc.wait(timeout=30)
        self._reader.join(timeout=30)
        self.proc.stdout.close()
        self._stderr.close()
        return code

    def stderr(self) -> str:
        return self.stderr_path.read_text()


def _setup(data_dir: Path) -> None:
    store = open_store(data_dir)
    try:
        initialise_store(
            store,
            agency_code=AGENCY,
            center_name="Trung tâm phục vụ hành chính công xã Tân Lập",
            now=BASE,
            actor=Actor("admin", Role.ADMIN),
            counters=2,
        )
    finally:
        store.close()


def _per(rows) -> Counter:
    return Counter(r[0] for r in rows)


def _assert_numbers(numbers: list[int], what: str) -> None:
    """No number twice; and no gap either, since every number is taken in the transaction
    that uses it and nothing in this workload is refused after taking one: a gap would mean
    a transaction was torn apart."""
    assert len(numbers) == len(set(numbers)), f"{what}: a number was given twice"
    assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"{what}: numbers with a gap"


def check_store(data_dir: Path, acked: dict[str, set]) -> dict[str, int]:
    """Open the store like a restart does and check everything; return a few counts."""
    store = open_store(data_dir)
    try:
        q = store.query
        assert store.integrity_check() == "ok"
        assert q("PRAGMA foreign_key_check") == []
        assert store.audit.verify() is None

        # Everything the child confirmed is there.
        codes = {r[0] for r in q("SELECT code FROM dossiers")}
        assert acked["D"] <= codes, f"confirmed dossiers lost: {sorted(acked['D'] - codes)}"
        ticket_ids = {r[0] for r in q("SELECT id FROM tickets")}
        assert acked["T"] <= ticket_ids, "confirmed tickets lost"
        reached = {(r[0], r[1]) for r in q("SELECT code, to_status FROM dossier_events")}
        assert acked["S"] <= reached, f"confirmed status changes lost: {acked['S'] - reached}"

        # Dossiers: one creation event each; receipt, status changes and drafts each come
        # with their event, audit entry and (except drafts) outbox row - per dossier.
        n_dossiers = store.dossiers.count()
        created = q(
            "SELECT code FROM dossier_events WHERE from_status IS NULL "
            "AND kind IN ('received', 'draft')"
        )
        assert _per(created) == Counter(codes)
        for kind, action, pushed in (
            ("received", "dossier.receive", True),
            ("status", "dossier.status", True),
            ("draft", "dossier.draft", False),
        ):
            events = _per(q("SELECT code FROM dossier_events WHERE kind = ?", (kind,)))
            audit = _per(q("SELECT entity_id FROM audit WHERE action = ?", (action,)))
            outbox = _per(q("SELECT entity_id FROM outbox WHERE op = ?", (action,)))
            assert events == audit, f"{kind}: events and audit differ"
            assert outbox == (events if pushed else Counter()), f"{kind}: outbox differs"
        # The brief's form of the first invariant, counting drafts as their own creation.
        received = q("SELECT count(*) FROM dossier_events WHERE kind = 'received'")[0][0]
        drafts = q("SELECT count(*) FROM dossier_events WHERE kind = 'draft'")[0][0]
        accepted = q(
            "SELECT count(*) FROM dossier_events WHERE kind = 'received' AND from_status = 1"
        )[0][0]
        assert n_dossiers == received - accepted + drafts
        assert received == q("SELECT count(*) FROM audit WHERE action = 'dossier.receive'")[0][0]
        assert received == q("SELECT count(*) FROM outbox WHERE op = 'dossier.receive'")[0][0]
        # A dossier's status is the one its last event led to.
        last_status = q(
            "SELECT d.code, d.status, e.to_status FROM dossiers d JOIN dossier_events e "
            "ON e.id = (SELECT max(id) FROM dossier_events WHERE code = d.code)"
        )
        assert len(last_status) == n_dossiers
        assert all(r["status"] == r["to_status"] for r in last_status)
        # Status 1 ("Mới đăng ký") is exactly the drafts not accepted yet.
        pending_drafts = {
            r[0] for r in q("SELECT code FROM dossier_events WHERE kind = 'draft'")
        } - {r[0] for r in q("SELECT code FROM dossier_events WHERE kind = 'received'")}
        new = {r[0] for r in q("SELECT code FROM dossiers WHERE status = ?", (DossierStatus.NEW,))}
        assert new == pending_drafts

        # Tickets: each change has one event, one audit entry and one outbox row.
        n_events = q("SELECT count(*) FROM ticket_events")[0][0]
        assert n_events == q("SELECT count(*) FROM audit WHERE entity = 'ticket'")[0][0]
        assert n_events == q("SELECT count(*) FROM outbox WHERE entity = 'ticket'")[0][0]
        by_ticket = _per(q("SELECT ticket_id FROM ticket_events"))
        audit_by_ticket = Counter(
            int(r[0].rsplit("/", 1)[1])
            for r in q("SELECT entity_id FROM audit WHERE entity = 'ticket'")
        )
        assert by_ticket == audit_by_ticket
        assert (
            store.tickets.count()
            == q("SELECT count(*) FROM audit WHERE action = 'ticket.waiting'")[0][0]
        )
        states = q(
            "SELECT t.state, e.state AS last FROM tickets t JOIN ticket_events e "
            "ON e.id = (SELECT max(id) FROM ticket_events WHERE ticket_id = t.id)"
        )
        assert len(states) == store.tickets.count()
        assert all(r["state"] == r["last"] for r in states)
        # The ticket a dossier was received for points back at it (same transaction).
        links = q(
            "SELECT d.code, t.dossier_code FROM dossiers d JOIN tickets t ON t.id = d.ticket_id"
        )
        assert all(r[0] == r[1] for r in links)

        # Numbers: dossier codes per day, book entries per year, tickets per group and day.
        per_day: dict[str, list[int]] = defaultdict(list)
        for code in codes:
            parsed = parse_dossier_code(code)
            assert parsed.agency_code == AGENCY
            per_day[parsed.day.isoformat()].append(parsed.sequence)
        for day, numbers in per_day.items():
            _assert_numbers(numbers, f"dossier codes of {day}")
            assert store.sequences.last(f"dossier:{AGENCY}", day) == max(numbers)
        books = q("SELECT substr(received_at, 1, 4), book_entry FROM dossiers")
        for year in {r[0] for r in books}:
            _assert_numbers([r[1] for r in books if r[0] == year], f"book of {year}")
        tickets = q("SELECT day, letter, number FROM tickets WHERE transferred_from IS NULL")
        for day, letter in {(r[0], r[1]) for r in tickets}:
            numbers = [r[2] for r in tickets if (r[0], r[1]) == (day, letter)]
            _assert_numbers(numbers, f"tickets {letter} of {day}")
            assert store.sequences.last(f"ticket:{letter}", day) == max(numbers)

        # Outbox: unique idempotency keys whose local numbers rise with seq, without a gap.
        outbox = q("SELECT seq, idem_key FROM outbox ORDER BY seq")
        keys = [r["idem_key"] for r in outbox]
        assert len(keys) == len(set(keys))
        local = [int(k.rsplit(":", 1)[1]) for k in keys]
        assert all(a < b for a, b in zip(local, local[1:], strict=False))
        _assert_numbers(local, "outbox local sequence")
        assert store.sequences.last("outbox", "-") == (max(local) if local else None)

        return {
            "dossiers": n_dossiers,
            "tickets": store.tickets.count(),
            "audit": store.audit.count(),
            "outbox": len(keys),
        }
    finally:
        store.close()


def test_random_kills_lose_nothing_confirmed_and_keep_invariants(tmp_path):
    data_dir = tmp_path / "data"
    _setup(data_dir)
    seed = random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    t0 = time.time()
    acked: dict[str, set] = {"D": set(), "T": set(), "S": set()}
    progress: list[int] = []
    kills = 0
    started = time.monotonic()
    for run in range(MAX_KILLS):
        if run >= MIN_KILLS and time.monotonic() - started > BUDGET_SECONDS:
            break
        child = Child(data_dir, t0, rng.randrange(2**32), tmp_path / f"child{run}.err")
        try:
            assert child.ready.wait(60), "the worker did not start"
            time.sleep(rng.uniform(0.05, 0.6))
            assert child.proc.poll() is None, f"seed {seed}: the worker died:\n{child.stderr()}"
        finally:
            code = child.kill()
        expected = -signal.SIGKILL if sys.platform != "win32" else code
        assert code == expected, f"seed {seed}: worker ended with {code}:\n{child.stderr()}"
        kills += 1
        for kind, *fields in child.lines:
            if kind == "T":
                acked["T"].add(int(fields[0]))
            elif kind == "D":
                acked["D"].add(fields[0])
            elif kind == "S":
                acked["S"].add((fields[0], int(fields[1])))
        progress.append(len(child.lines))
        try:
            counts = check_store(data_dir, acked)
        except AssertionError as exc:
            raise AssertionError(f"seed {seed}, after kill {kills}: {exc}") from exc
    assert kills >= MIN_KILLS
    # The worker really worked between the kills (and not only in one lucky run).
    assert counts["dossiers"] > 25, counts
    assert sum(1 for n in progress if n > 0) >= kills // 2, progress
    print(f"\ncrash safety: seed {seed}, {kills} kills, acks per run {progress}, final {counts}")
