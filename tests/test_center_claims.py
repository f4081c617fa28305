"""The claim protocol over random interleavings of calls, walk-ins, cuts and restarts: no
ticket's wait is ever called by two counters, and every replica ends the same."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from counter_app.center.lab import Center, CuttableLink, route_through
from counter_app.center.link import CenterLink
from counter_app.core.clock import system_now
from counter_app.core.errors import DomainError
from counter_app.core.queue import TicketState
from counter_app.core.roles import Actor, Role
from counter_app.services import queue
from counter_app.services.context import ServiceContext
from counter_app.services.station import load_station
from counter_app.store import open_store

ADMIN = Actor("admin", Role.ADMIN)
COUNTERS = 3


class Desk:
    """One station, in this process: its own store and its own link to the center."""

    def __init__(self, data_dir) -> None:
        self.data_dir = data_dir
        self.open()

    def open(self) -> None:
        self.store = open_store(self.data_dir)
        station = load_station(self.store)
        self.link = CenterLink(self.store, station, timeout=0.5)
        self.ctx = ServiceContext(self.store, system_now, station, ADMIN, self.link)
        # the counter the hub gave this PC (the kiosk has none)
        self.counter = (station.own_counters or (0,))[0]

    def close(self) -> None:
        self.link.close()
        self.store.close()

    def replica(self) -> set:
        return {(r["uid"], r["state"]) for r in self.store.query("SELECT uid, state FROM tickets")}


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["take", "walk-in", "call", "call", "sync", "cut", "restore", "restart"]),
        st.integers(0, COUNTERS - 1),
    ),
    min_size=5,
    max_size=25,
)


def test_no_wait_is_ever_called_twice(tmp_path):
    center = Center(tmp_path)
    center.start_hub()
    kiosk = Desk(center.join("kiosk", "kiosk"))
    links, desks = [], []
    for n in range(COUNTERS):
        folder = center.join(f"c{n}", "counter")
        links.append(CuttableLink(center.port))
        route_through(folder, links[-1])
        desks.append(Desk(folder))
    called: dict[str, int] = {}

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(steps=STEPS)
    # a walk-in the center already knows, then its counter is cut off: it must not call it
    @example(steps=[("walk-in", 0), ("sync", 0), ("sync", 1), ("cut", 0), ("call", 1), ("call", 0)])
    def interleaving(steps):
        cut = set()
        for op, i in steps:
            desk = desks[i]
            if op == "take":
                with contextlib.suppress(DomainError):
                    queue.take_ticket(kiosk.ctx, group="A")
                kiosk.link.sync()
            elif op == "walk-in":
                with contextlib.suppress(DomainError):  # its range may be used up today
                    queue.take_ticket(desk.ctx, group="A")
            elif op == "call":
                try:
                    ticket = queue.call_next(
                        desk.ctx, counter=desk.counter, current_outcome=TicketState.DONE
                    )
                except DomainError:
                    continue  # nobody this counter may call
                name = desk.store.tickets.claim_name(ticket.id)
                assert name not in called, f"{name} called by counters {called[name]} and {i}"
                called[name] = i
                desk.link.sync()
            elif op == "sync":
                desk.link.sync()
            elif op == "cut" and i not in cut:
                links[i].cut()
                cut.add(i)
            elif op == "restore" and i in cut:
                links[i].restore()
                cut.discard(i)
            elif op == "restart":
                desk.close()
                desk.open()
        for i in cut:
            links[i].restore()
        for _ in range(2):  # healed: everyone publishes, then everyone applies
            for station in (kiosk, *desks):
                assert station.link.sync().reachable
        replicas = [station.replica() for station in (kiosk, *desks)]
        assert all(r == replicas[0] for r in replicas)

    try:
        interleaving()
        assert called, "no ticket was ever called: the property was never exercised"
    finally:
        for station in (kiosk, *desks):
            station.close()
        for link in links:
            link.cut()
        center.close()
