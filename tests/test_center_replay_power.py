"""A replica's applies commit without waiting for the disk (`synchronous=NORMAL`), its own
writes with (FULL): a replica killed mid-apply, or cut off by a power cut that loses every
apply since its last FULL commit, keeps its position and its rows consistent and takes the
lost applies again from the stream. Real nats-server under `hub start`, a real counter
process following the stream by push.

SIGKILL ends the process, not the machine: what it wrote reaches the disk. The power cut is
its worst case made by hand: the WAL cut back to its length at the last FULL commit (what
that commit's fsync made durable; a later apply's frames never were), and the wal-index
gone. SQLite recovers the database from the file as it is (tests/test_crash_safety.py
covers the station's own writes).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

from counter_app.center.lab import ADMIN, Center, cli, record_offline, stream_counts
from counter_app.store import open_store

FIRST, LATER = 100, 500  # kiosk tickets applied before the counter's own write, and after
FULL = 2  # PRAGMA synchronous

# The counter station: catches up (applies, NORMAL), takes a ticket of its own and
# publishes it (FULL commits), says how long its WAL was then, and follows by push. Its
# callback holds the apply thread a moment after each batch, so that the test's kill lands
# between two batches of the push. No checkpoint runs (the store's upkeep thread is not
# started): the WAL holds every commit since the last FULL one.
WORKER = r"""
import os, sys, time
from counter_app.store import upkeep
upkeep.Upkeep.committed = lambda self: None
from counter_app.center.link import CenterLink
from counter_app.core.clock import system_now
from counter_app.core.roles import Actor, Role
from counter_app.services import queue
from counter_app.services.context import ServiceContext
from counter_app.services.station import load_station
from counter_app.store import open_store

folder = sys.argv[1]
store = open_store(folder)
station = load_station(store)
link = CenterLink(store, station, timeout=2.0)
assert link.sync().reachable
synchronous = store.query_one("PRAGMA synchronous")[0]
ctx = ServiceContext(store, system_now, station, Actor("admin", Role.ADMIN), link)
queue.take_ticket(ctx, group="A")
wal = os.path.getsize(os.path.join(folder, "counter.db-wal"))  # its last FULL commit
said = []
store.conn.set_trace_callback(said.append)
assert link.sync(apply=False).published == 1
store.conn.set_trace_callback(None)
# the publish's mark commits without its own fsync (NORMAL), FULL again after it
mark = next(i for i, sql in enumerate(said) if sql.startswith("UPDATE center_outbox"))
pragmas = [sql for sql in said[:mark] if sql.startswith("PRAGMA synchronous")]
unsynced = int(pragmas[-1:] == ["PRAGMA synchronous=NORMAL"])
full_after = store.query_one("PRAGMA synchronous")[0]
print("durable", wal, store.center.position(), synchronous, unsynced, full_after, flush=True)

def applied(changed):
    print("applied", store.center.position(), flush=True)
    time.sleep(0.5)

assert link.follow(applied)
sys.stdin.read()
"""


def _replica(folder, kiosk_id: str) -> dict:
    store = open_store(folder)
    try:
        assert store.integrity_check() == "ok"
        seqs = [r[0] for r in store.query("SELECT stream_seq FROM center_applied ORDER BY 1")]
        mine = f"{kiosk_id}#%"
        return {
            "position": store.center.position(),
            "applied": seqs,
            "kiosk_tickets": store.query_one(
                "SELECT count(*) FROM tickets WHERE uid LIKE ?", (mine,)
            )[0],
            "kiosk_ticket_events": store.query_one(
                "SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
                "WHERE t.uid LIKE ?",
                (mine,),
            )[0],
            "own_tickets": store.query_one(
                "SELECT count(*) FROM tickets WHERE uid NOT LIKE ?", (mine,)
            )[0],
        }
    finally:
        store.close()


def _own_delivery(folder) -> str:
    """The state of the counter's own ticket's delivery to the center."""
    store = open_store(folder)
    try:
        return store.query_one(
            "SELECT state FROM center_outbox WHERE op = 'ticket.waiting' ORDER BY seq LIMIT 1"
        )[0]
    finally:
        store.close()


def _station_id(folder) -> str:
    from counter_app.services.station import load_station

    store = open_store(folder)
    try:
        return load_station(store).id
    finally:
        store.close()


def _consistent(state: dict) -> None:
    """Every position up to the stored one applied once, none after; its rows with it
    (the counter's own event, at FIRST + 1, adds no kiosk row)."""
    position = state["position"]
    assert state["applied"] == list(range(1, position + 1))
    kiosk_events = position - (1 if position > FIRST else 0)
    assert state["kiosk_tickets"] == state["kiosk_ticket_events"] == kiosk_events
    assert state["own_tickets"] == 1


def test_a_replica_killed_or_cut_mid_apply_stays_consistent_and_replays(tmp_path):
    center = Center(tmp_path)
    center.start_hub()
    try:
        kiosk = center.join("kiosk", "kiosk")
        counter = center.join("c1", "counter")
        kiosk_id = _station_id(kiosk)
        record_offline(kiosk, FIRST)
        cli(kiosk, "center", "sync")  # stream positions 1..FIRST
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(counter)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **ADMIN},
        )
        try:
            said, wal, position, synchronous, unsynced, full_after = (
                worker.stdout.readline().split()
            )
            assert said == "durable"
            # applied by the catch-up (NORMAL), yet the station's own writes stay FULL
            assert (int(position), int(synchronous), int(full_after)) == (FIRST, FULL, FULL)
            assert unsynced == "1"  # the publish's mark: no fsync of its own
            record_offline(kiosk, LATER)
            cli(kiosk, "center", "sync")  # after the counter's own ticket, at FIRST + 1
            while True:  # the kill lands between two batches of the push
                line = worker.stdout.readline().split()
                assert line and line[0] == "applied", line
                if int(line[1]) > FIRST + 1:
                    break
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(10)
        killed = tmp_path / "killed"  # the process killed, the machine running: as it is
        shutil.copytree(counter, killed, ignore=shutil.ignore_patterns("*-shm"))
        # a power cut: what no FULL commit made durable is gone, the wal-index too
        with open(counter / "counter.db-wal", "r+b") as wal_file:
            wal_file.truncate(int(wal))
        (counter / "counter.db-shm").unlink(missing_ok=True)

        at_kill, after_cut = _replica(killed, kiosk_id), _replica(counter, kiosk_id)
        total = FIRST + 1 + LATER
        assert FIRST + 1 < at_kill["position"] < total  # part-way through the push
        _consistent(at_kill)
        assert after_cut["position"] == FIRST  # back to its last FULL commit, whole
        _consistent(after_cut)
        assert _own_delivery(counter) == "waiting"  # the mark was lost with the cut
        for folder in (killed, counter):  # the stream gives back what was lost
            cli(folder, "center", "sync")
            state = _replica(folder, kiosk_id)
            assert state["position"] == total
            _consistent(state)
            assert _own_delivery(folder) == "published"
        # published again after the cut: the stream kept it once
        assert stream_counts(center)["messages"] == total
    finally:
        center.close()
