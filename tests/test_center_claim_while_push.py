"""Applying pushed events never holds up a claim, with a real hub and real stations.

A counter that follows the stream and claims through the same link (the bench's counters,
a station service answering its commands) calls ticket after ticket while a kiosk, in a
process of its own, issues and publishes a steady stream of tickets that the push brings
and applies meanwhile. A call holds the store's write lock while it claims through the
link; an apply that waited for that lock on the link's own loop would hold the claim up
until the claim timed out (link timeout x 4) or SQLite gave up (30 s): the deadlock the
bench found, fixed by applying on a thread of its own (center/follow.py). Every call must
come back with a ticket within CALL_BOUND, and the push must have applied events while
the calls went on.
"""

from __future__ import annotations

import subprocess
import sys
import time

from counter_app.center.link import CenterLink
from counter_app.core.clock import system_now
from counter_app.core.errors import DomainError
from counter_app.core.queue import TicketState
from counter_app.core.roles import Actor, Role
from counter_app.services import queue
from counter_app.services.context import ServiceContext
from counter_app.services.station import load_station
from counter_app.store import open_store

CALLS = 30
CALL_BOUND = 3.0  # seconds; a healthy call takes well under one, a held-up claim 8 or more
LINK_TIMEOUT = 2.0  # the claim gives up after 4 x this: far above CALL_BOUND

# The kiosk: a ticket, published at once, about every 40 ms, until the test stops it.
KIOSK = """
import sys, time
from pathlib import Path
from counter_app.center.link import CenterLink
from counter_app.core.clock import system_now
from counter_app.core.roles import Actor, Role
from counter_app.services import queue
from counter_app.services.context import ServiceContext
from counter_app.services.station import load_station
from counter_app.store import open_store

store = open_store(Path(sys.argv[1]))
station = load_station(store)
link = CenterLink(store, station, timeout=2.0)
ctx = ServiceContext(store, system_now, station, Actor("admin", Role.ADMIN))
print("ready", flush=True)
for _ in range(450):  # within the kiosk's range of a group and day
    queue.take_ticket(ctx, group="A")
    link.sync(apply=False)
    time.sleep(0.04)
"""


def _waiting(store) -> int:
    row = store.query_one("SELECT count(*) AS n FROM tickets WHERE state = 'waiting'")
    return row["n"]


def _wait_for_a_ticket(store) -> None:
    deadline = time.monotonic() + 30
    while _waiting(store) < 1:
        assert time.monotonic() < deadline, "the push brought no ticket"
        time.sleep(0.05)


def test_calls_finish_in_time_while_pushed_events_are_applied(center):
    kiosk_dir, counter_dir = center.join("kiosk", "kiosk"), center.join("c1", "counter")
    store = open_store(counter_dir)
    station = load_station(store)
    link = CenterLink(store, station, timeout=LINK_TIMEOUT)
    ctx = ServiceContext(store, system_now, station, Actor("admin", Role.ADMIN), link)
    pushed: list[int] = []  # how many events each pushed batch changed in the replica
    kiosk = subprocess.Popen(
        [sys.executable, "-c", KIOSK, str(kiosk_dir)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert link.sync().reachable
        assert link.follow(pushed.append)  # told on the link's thread: a list append
        assert kiosk.stdout.readline().strip() == "ready"
        before = sum(pushed)
        took: list[float] = []
        for _ in range(CALLS):
            _wait_for_a_ticket(store)  # brought by the push (the counter calls faster)
            t0 = time.perf_counter()
            try:
                ticket = queue.call_next(ctx, counter=1, current_outcome=TicketState.DONE)
            except DomainError as error:  # cut off or nobody: the claim did not come back
                raise AssertionError(
                    f"call {len(took) + 1} refused after {time.perf_counter() - t0:.1f} s: "
                    f"{error.code}"
                ) from error
            took.append(time.perf_counter() - t0)
            assert took[-1] < CALL_BOUND, (len(took), took[-1], ticket.label)
            link.sync(apply=False)  # the call published at once, as a window does
            assert link.following(), "the push stopped"
        meanwhile = sum(pushed) - before
        assert meanwhile >= CALLS, meanwhile  # the kiosk's tickets kept arriving meanwhile
        assert max(took) < CALL_BOUND
    finally:
        kiosk.kill()
        kiosk.wait(10)
        link.close()
        store.close()
