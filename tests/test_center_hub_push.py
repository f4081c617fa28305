"""The hub's own replica follows the stream by push, as the stations do, instead of catching
up at each turn of its loop (once a second): a kiosk's ticket is in the hub's replica, and
queued for the portal, the moment it lands. Real nats-server under `hub start`, the kiosk
a link in this process."""

from __future__ import annotations

import random
import statistics
import time
from datetime import datetime

from counter_app.center.link import CenterLink
from counter_app.core.clock import system_now
from counter_app.core.roles import Actor, Role
from counter_app.services import queue
from counter_app.services.context import ServiceContext
from counter_app.services.station import load_station
from counter_app.store import open_store

TICKETS = 10
# By push the hub applies within milliseconds of the kiosk's acknowledgement; by a turn
# once a second, half a second on average (median under this bound: 6 of 10 spread
# uniformly over a second would have to fall in its first fifth, about 1 in 160).
MEDIAN_BOUND = 0.2


def _applied_at_hub(center, keys: list[str], timeout: float = 20.0) -> dict[str, datetime]:
    deadline = time.monotonic() + timeout
    while True:
        store = open_store(center.hub_dir)
        try:
            marks = ",".join("?" * len(keys))
            rows = store.query(
                f"SELECT idem_key, applied_at FROM center_applied WHERE idem_key IN ({marks})",
                keys,
            )
        finally:
            store.close()
        if len(rows) == len(keys) or time.monotonic() > deadline:
            return {r["idem_key"]: datetime.fromisoformat(r["applied_at"]) for r in rows}
        time.sleep(0.2)


def test_the_hub_replica_applies_a_ticket_as_it_lands(center):
    folder = center.join("kiosk", "kiosk")
    store = open_store(folder)
    station = load_station(store)
    link = CenterLink(store, station, timeout=2.0)
    try:
        ctx = ServiceContext(store, system_now, station, Actor("admin", Role.ADMIN), link)
        assert link.sync().reachable
        time.sleep(2.0)  # the hub's first turns are done: it follows
        rng = random.Random(21)
        for _ in range(TICKETS):
            queue.take_ticket(ctx, group="A")
            assert link.sync(apply=False).published == 1
            time.sleep(rng.uniform(0.15, 0.6))  # at any moment of the hub's turns
        published = {
            r["idem_key"]: datetime.fromisoformat(r["published_at"])
            for r in store.query("SELECT idem_key, published_at FROM center_outbox")
        }
    finally:
        link.close()
        store.close()
    assert len(published) == TICKETS
    applied = _applied_at_hub(center, list(published))
    assert set(applied) == set(published)
    delays = [(applied[k] - published[k]).total_seconds() for k in published]
    assert statistics.median(delays) < MEDIAN_BOUND, sorted(delays)
