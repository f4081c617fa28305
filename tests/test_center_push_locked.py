"""A pushed event is applied in the nats callback itself when the store's write lock is
free, and handed to the apply thread when a clerk's write holds it: the link's loop, which
carries that clerk's claim, is never held up, and the event is applied once the lock is
released. Real nats-server under `hub start`, the kiosk a real process, the counter a link
in this process with its store locked by another connection."""

from __future__ import annotations

import sqlite3
import threading
import time

from counter_app.center.lab import cli
from counter_app.center.link import CenterLink
from counter_app.services.station import load_station
from counter_app.store import open_store


def test_a_locked_store_sends_the_push_to_the_apply_thread_and_frees_the_loop(center):
    kiosk = center.join("kiosk", "kiosk")
    counter = center.join("c1", "counter")
    store = open_store(counter)
    link = CenterLink(store, load_station(store), timeout=1.0)
    pushed = threading.Event()
    try:
        assert link.sync().reachable and link.follow(lambda _changed: pushed.set())
        cli(kiosk, "ticket", "take", "--group", "A")
        assert pushed.wait(10)  # free lock: applied as it landed
        pushed.clear()

        clerk = sqlite3.connect(counter / "counter.db", isolation_level=None)
        clerk.execute("BEGIN IMMEDIATE")  # a clerk's write, holding the lock
        try:
            cli(kiosk, "ticket", "take", "--group", "A")
            time.sleep(1.0)  # landed meanwhile, and waits for the lock
            assert not pushed.is_set()
            started = time.monotonic()
            report = link.sync(publish=True, apply=False)  # the loop answers at once
            assert report.reachable and time.monotonic() - started < 1.0
        finally:
            clerk.execute("ROLLBACK")
            clerk.close()
        assert pushed.wait(10)  # applied once the lock was released
        assert link.following()
        tickets = store.query_one("SELECT count(*) FROM tickets")[0]
        assert tickets == 2 and store.center.position() == 2
    finally:
        link.close()
        store.close()
