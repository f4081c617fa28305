"""The center's figures, measured in one run on this PC (`python -m bench.center`).

- push (bench/center_push.py): kiosk to counter (another process) by push, end to end and
  the center's path alone, against a bare JetStream publish→push (target p99 within 3x); a
  call at a counter to a board's replica (target p99 300 ms); and a one-shot
  `queue call-next` process while five counters call (target median 300 ms).
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
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.center_push import (
    BOARD_TARGET_MS,
    Pushed,
    board_calls,
    kiosk_to_counter,
    load_note,
    one_shots,
    pct,
)
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


class Station:
    def __init__(self, data_dir: Path) -> None:
        self.store_dir = data_dir
        self.store = open_store(data_dir)
        self.station = load_station(self.store)
        self.link = CenterLink(self.store, self.station, timeout=2.0)
        self.ctx = ServiceContext(self.store, system_now, self.station, ADMIN, self.link)
        self.counter = (self.station.own_counters or (0,))[0]  # the hub gave it (none: kiosk)

    def close(self) -> None:
        self.link.close()
        self.store.close()


def record_offline(station: Station, groups: str, each: int) -> None:
    """Tickets taken at a station without its link, then published in one turn."""
    ctx = ServiceContext(station.store, system_now, station.station, ADMIN)
    for group in groups:
        for _ in range(each):
            queue.take_ticket(ctx, group=group)


async def _bare_500(url: str, password: str) -> float:
    import nats

    nc = await nats.connect(url, user="hub", password=password)
    js = nc.jetstream()
    await js.add_stream(name="BENCH", subjects=["bench.js"])
    t0 = time.perf_counter()
    for i in range(500):
        await js.publish("bench.js", b"x" * 600, headers={"Nats-Msg-Id": f"b{i}"})
    bare_500 = time.perf_counter() - t0
    await js.delete_stream("BENCH")
    await nc.close()
    return bare_500


def run(counters: int, tickets: int) -> dict:
    root = Path(tempfile.mkdtemp(prefix="center-bench-"))
    center = Center(root)
    center.start_hub()
    out: dict = {}
    stations: list[Station] = []
    try:
        kiosk = Station(center.join("kiosk", "kiosk"))
        desks = [Station(center.join(f"c{n}", "counter")) for n in range(counters)]
        board = Station(center.join("board", "display"))
        stations = [kiosk, *desks, board]
        hub = open_store(center.hub_dir)
        password = hub_password(hub)
        hub.close()
        url = f"nats://127.0.0.1:{center.port}"
        bare_500 = asyncio.run(_bare_500(url, password))

        for station in stations:
            station.link.sync()

        watcher = desks[0]
        out["kiosk_to_counter"] = kiosk_to_counter(kiosk, watcher.store_dir, url, password, tickets)
        at_board = Pushed()
        watcher.link.sync()
        board.link.follow(at_board)
        shown, parts = board_calls(watcher, board.store, at_board, min(tickets, 100))
        out["board"] = {
            "calls": len(shown),
            "p50_ms": round(statistics.median(shown) * 1e3, 2),
            "p99_ms": round(pct(shown, 0.99) * 1e3, 2),
            "target_ms": BOARD_TARGET_MS,
            "p99_over_target": round(pct(shown, 0.99) * 1e3 / BOARD_TARGET_MS, 3),
            "met": pct(shown, 0.99) * 1e3 <= BOARD_TARGET_MS,
            **parts,
        }

        record_offline(kiosk, "BC", 150)  # enough to call for the claims and the one-shots
        kiosk.link.sync(apply=False)

        # every counter follows the stream as its window does, then all press "next"
        # together, several rounds
        for desk in desks:
            desk.link.sync()
            desk.link.follow(lambda _changed: None)
        calls: list[float] = []
        called: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(len(desks))

        def press(desk: Station, number: int) -> None:
            desk.link.sync(publish=False)  # what the push has not brought yet
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
            "p99_ms": round(pct(calls, 0.99) * 1e3, 2) if calls else None,
            "double_calls": len(called) - len(set(called)),
        }

        one_shot = desks[-1]
        callers = desks[1 : min(6, len(desks) - 1)]  # following since the claims
        out["one_shot"] = one_shots(callers, one_shot, 12)

        # a counter cut off records 500 events, then publishes them when linked again
        # (the others closed first: in this one process their push would share its time)
        cut = desks[-1]
        for station in stations:
            if station is not cut:
                station.close()
        stations = [cut]
        record_offline(cut, "CDEFG", 100)  # a counter's range holds 100 numbers per group
        t0 = time.perf_counter()
        report = cut.link.sync(apply=False)
        converge = time.perf_counter() - t0
        out["converge"] = {
            "events": report.published,
            "seconds": round(converge, 3),
            "bare_500_seconds": round(bare_500, 3),
            "ratio": round(converge / bare_500, 2),
        }

        info = asyncio.run(_stream_info(url, password))
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
    # the bench's throwaway center is sealed with a throwaway passphrase, keyring untouched
    os.environ.setdefault("COUNTER_APP_PASSPHRASE", "ghe-dua-cua-bench")
    os.environ.setdefault("COUNTER_APP_KEYRING", "off")
    parser = argparse.ArgumentParser(prog="python -m bench.center", description=__doc__)
    parser.add_argument("--counters", type=int, default=15)
    parser.add_argument("--tickets", type=int, default=200)
    args = parser.parse_args(argv)
    out = run(args.counters, args.tickets)
    out["machine"] = load_note()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
