"""The center's figures, measured in one run on this PC (`python -m bench.center`).

- ticket_visible: a ticket taken at the kiosk to present in a counter's replica (publish,
  then apply), p50/p99, against the floor: a bare NATS publish-to-subscriber round trip plus
  one local commit. Target p99 within 3x that floor.
- claims: N counters pressing "next" at the same moment, rounds of it: calls per second,
  p99 of one call, and double calls (must be 0).
- converge: a counter cut off while it records 500 events, then linked again: time to
  publish them all, against publishing 500 bare messages to JetStream.
- bytes: stream bytes per event, and a busy day's size (1,000 tickets, 300 dossiers).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

from counter_app.center.hub import hub_password
from counter_app.center.lab import Center
from counter_app.center.link import STREAM, CenterLink
from counter_app.core.clock import system_now
from counter_app.core.queue import TicketState
from counter_app.core.roles import Actor, Role
from counter_app.services import queue
from counter_app.services.context import ServiceContext
from counter_app.services.station import load_station
from counter_app.store import open_store

ADMIN = Actor("admin", Role.ADMIN)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Station:
    def __init__(self, data_dir: Path) -> None:
        self.store = open_store(data_dir)
        self.station = load_station(self.store)
        self.link = CenterLink(self.store, self.station, timeout=2.0)
        self.ctx = ServiceContext(self.store, system_now, self.station, ADMIN, self.link)
        self.counter = (self.station.own_counters or (0,))[0]  # the hub gave it (none: kiosk)

    def close(self) -> None:
        self.link.close()
        self.store.close()


async def _bare_round_trips(url: str, password: str, n: int) -> tuple[list[float], float]:
    import nats

    nc = await nats.connect(url, user="hub", password=password)
    got: asyncio.Queue = asyncio.Queue()

    async def on(msg) -> None:
        await got.put(time.perf_counter())

    await nc.subscribe("bench.rt", cb=on)
    rtts = []
    for _ in range(n):
        t0 = time.perf_counter()
        await nc.publish("bench.rt", b"x" * 600)
        rtts.append(await got.get() - t0)
    js = nc.jetstream()
    await js.add_stream(name="BENCH", subjects=["bench.js"])
    t0 = time.perf_counter()
    for i in range(500):
        await js.publish("bench.js", b"x" * 600, headers={"Nats-Msg-Id": f"b{i}"})
    bare_500 = time.perf_counter() - t0
    await js.delete_stream("BENCH")
    await nc.close()
    return rtts, bare_500


def run(counters: int, tickets: int) -> dict:
    root = Path(tempfile.mkdtemp(prefix="center-bench-"))
    center = Center(root)
    center.start_hub()
    out: dict = {}
    stations: list[Station] = []
    try:
        kiosk = Station(center.join("kiosk", "kiosk"))
        desks = [Station(center.join(f"c{n}", "counter")) for n in range(counters)]
        stations = [kiosk, *desks]
        hub = open_store(center.hub_dir)
        password = hub_password(hub)
        hub.close()
        rtts, bare_500 = asyncio.run(
            _bare_round_trips(f"nats://127.0.0.1:{center.port}", password, 200)
        )
        floor_rtt = statistics.median(rtts)

        # one local commit, the same use case on the kiosk with the link not involved
        local = []
        for _ in range(50):
            t0 = time.perf_counter()
            queue.take_ticket(ServiceContext(kiosk.store, system_now, kiosk.station, ADMIN),
                              group="B")  # fmt: skip
            local.append(time.perf_counter() - t0)
        kiosk.link.sync()
        for desk in desks:
            desk.link.sync()
        commit = statistics.median(local)

        # the counter applies continuously on its own thread, as its window does
        visible: list[float] = []
        watcher = desks[0]
        seen: dict[str, float] = {}
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                watcher.link.sync(publish=False)
                for row in watcher.store.query("SELECT uid FROM tickets WHERE grp = 'A'"):
                    seen.setdefault(row["uid"], time.perf_counter())

        thread = threading.Thread(target=watch)
        thread.start()
        for _ in range(tickets):
            t0 = time.perf_counter()
            taken = queue.take_ticket(kiosk.ctx, group="A").ticket
            kiosk.link.sync(apply=False)
            uid = kiosk.store.tickets.uid_of(taken.id)
            while uid not in seen:
                time.sleep(0.0005)
            visible.append(seen[uid] - t0)
        stop.set()
        thread.join()
        floor = floor_rtt + commit
        out["ticket_visible"] = {
            "p50_ms": round(statistics.median(visible) * 1e3, 2),
            "p99_ms": round(_pct(visible, 0.99) * 1e3, 2),
            "floor_ms": round(floor * 1e3, 2),
            "bare_rtt_ms": round(floor_rtt * 1e3, 3),
            "local_commit_ms": round(commit * 1e3, 2),
            "p99_over_floor": round(_pct(visible, 0.99) / floor, 2),
        }

        # every counter catches up, then all press "next" together, several rounds
        for desk in desks:
            desk.link.sync()
        calls: list[float] = []
        called: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(len(desks))

        def press(desk: Station, number: int) -> None:
            desk.link.sync(publish=False)  # caught up, as a window is every 1.5 s
            barrier.wait()
            t0 = time.perf_counter()
            try:
                ticket = queue.call_next(
                    desk.ctx, counter=desk.counter, current_outcome=TicketState.DONE
                )
            except Exception:  # the queue ran dry for this counter
                return
            desk.link.sync(apply=False)
            with lock:
                calls.append(time.perf_counter() - t0)
                called.append(desk.store.tickets.uid_of(ticket.id))

        rounds = max(1, tickets // len(desks))
        t_all = time.perf_counter()
        for _ in range(rounds):
            threads = [threading.Thread(target=press, args=(d, n)) for n, d in enumerate(desks)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        elapsed = time.perf_counter() - t_all
        out["claims"] = {
            "counters": len(desks),
            "calls": len(calls),
            "calls_per_s": round(len(calls) / elapsed, 1),
            "p99_ms": round(_pct(calls, 0.99) * 1e3, 2) if calls else None,
            "double_calls": len(called) - len(set(called)),
        }

        # a counter cut off records 500 events, then publishes them when linked again
        cut = desks[-1]
        offline = ServiceContext(cut.store, system_now, cut.station, ADMIN)
        for n in range(500):  # a counter's range holds 100 numbers per group
            queue.take_ticket(offline, group="CDEFG"[n // 100])
        t0 = time.perf_counter()
        report = cut.link.sync(apply=False)
        converge = time.perf_counter() - t0
        out["converge"] = {
            "events": report.published,
            "seconds": round(converge, 3),
            "bare_500_seconds": round(bare_500, 3),
            "ratio": round(converge / bare_500, 2),
        }

        info = asyncio.run(_stream_info(f"nats://127.0.0.1:{center.port}", password))
        per_event = info["bytes"] / max(1, info["messages"])
        busy_events = 1000 * 4 + 300 * 3  # taken, called, serving, done; received + 2 moves
        out["bytes"] = {
            "per_event": round(per_event),
            "busy_day_mb": round(per_event * busy_events / 1e6, 2),
        }
    finally:
        for s in stations:
            s.close()
        center.close()
    return out


async def _stream_info(url: str, password: str) -> dict:
    import nats

    nc = await nats.connect(url, user="hub", password=password)
    info = await nc.jetstream().stream_info(STREAM)
    await nc.close()
    return {"bytes": info.state.bytes, "messages": info.state.messages}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.center", description=__doc__)
    parser.add_argument("--counters", type=int, default=15)
    parser.add_argument("--tickets", type=int, default=200)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.counters, args.tickets), indent=2))


if __name__ == "__main__":
    main()
