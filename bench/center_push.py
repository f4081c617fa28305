"""The center's push figures (bench/center.py runs them in the same run as the others).

- bare_push: a bare JetStream publish to an ordered push consumer's callback, the floor.
- kiosk_to_counter: a ticket taken at the kiosk (its commit, its publish) to applied in a
  counter's replica by the push (the counter's commit), p50/p99; target p99 within 3x the
  bare push's p99.
- board: a call made at a counter (its commit, its publish) to applied at a board's
  replica by the push, p99; target 300 ms.
- one_shot: `counter-app queue call-next` as a process at a sixth counter, while five
  counters call (each a window-like station following the stream, one call every
  CALL_PAUSE seconds), answered by the station's resident service (`counter-app station
  serve`): the median; target 300 ms. Beside it, every other round, the same command run
  whole in its process as without a service (no_service_*), the process start-up alone
  (`counter-app --version`) and a bare interpreter's (`python -c pass`), the floor of any
  process. The processes get a bytecode cache, as an installed program
  has.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from counter_app.center.lab import ADMIN, cli
from counter_app.core.clock import system_now
from counter_app.core.queue import TicketState
from counter_app.services import queue
from counter_app.services.context import ServiceContext

BOARD_TARGET_MS = 300.0
ONE_SHOT_TARGET_MS = 300.0
PUSH_RATIO_TARGET = 3.0
CALL_PAUSE = 1.0  # each of the five calls once a second: far busier than a real counter


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def bare_push(url: str, password: str, n: int) -> list[float]:
    """Publish→push through JetStream with nothing of ours on the way."""
    import nats
    from nats.js.api import ConsumerConfig, DeliverPolicy

    nc = await nats.connect(url, user="hub", password=password)
    js = nc.jetstream()
    await js.add_stream(name="BENCHPUSH", subjects=["bench.push"])
    arrived: asyncio.Queue = asyncio.Queue()

    async def on(msg) -> None:
        arrived.put_nowait(time.perf_counter())

    sub = await js.subscribe(
        "bench.push",
        stream="BENCHPUSH",
        cb=on,
        ordered_consumer=True,
        config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW),
    )
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        await js.publish("bench.push", b"x" * 900, headers={"Nats-Msg-Id": f"p{i}"})
        times.append(await arrived.get() - t0)
    await sub.unsubscribe()
    await js.delete_stream("BENCHPUSH")
    await nc.close()
    return times


class Pushed:
    """A station's push callback, seen from the bench's thread."""

    def __init__(self) -> None:
        self.at = 0.0
        self.event = threading.Event()

    def __call__(self, changed: int) -> None:
        self.at = time.perf_counter()
        self.event.set()

    def wait_for(self, arrived, timeout: float = 10.0) -> float:
        """The time of the push that made `arrived()` true."""
        deadline = time.monotonic() + timeout
        while not arrived():
            self.event.wait(max(0.0, deadline - time.monotonic()))
            self.event.clear()
            if time.monotonic() > deadline:
                raise TimeoutError("the push never brought it")
        return self.at


def kiosk_to_counter(kiosk, desk, pushed: Pushed, n: int) -> list[float]:
    times = []
    for _ in range(n):
        pushed.event.clear()
        t0 = time.perf_counter()
        taken = queue.take_ticket(kiosk.ctx, group="A").ticket
        kiosk.link.sync(apply=False)
        uid = kiosk.store.tickets.uid_of(taken.id)
        at = pushed.wait_for(lambda u=uid: _has(desk.store, u))
        times.append(at - t0)
    return times


def board_calls(desk, board_store, pushed: Pushed, n: int) -> tuple[list[float], dict]:
    """Each call's time to the board, and the median of its three parts: the call itself
    (claim and commit), its publishing, and the push to the board's replica."""
    times, parts = [], {"call": [], "publish": [], "push": []}
    for _ in range(n):
        pushed.event.clear()
        t0 = time.perf_counter()
        ticket = queue.call_next(desk.ctx, counter=desk.counter, current_outcome=TicketState.DONE)
        t1 = time.perf_counter()
        desk.link.sync(apply=False)
        t2 = time.perf_counter()
        uid = desk.store.tickets.uid_of(ticket.id)
        at = pushed.wait_for(lambda u=uid: _called(board_store, u))
        times.append(at - t0)
        for name, took in (("call", t1 - t0), ("publish", t2 - t1), ("push", at - t2)):
            parts[name].append(took)
    return times, {f"{k}_p50_ms": round(statistics.median(v) * 1e3, 1) for k, v in parts.items()}


def _has(store, uid: str) -> bool:
    return store.query_one("SELECT 1 FROM tickets WHERE uid = ?", (uid,)) is not None


def _called(store, uid: str) -> bool:
    row = store.query_one("SELECT state FROM tickets WHERE uid = ?", (uid,))
    return row is not None and row[0] == TicketState.CALLED.value


def one_shots(callers: list, station, n: int) -> dict:
    """`queue call-next` processes at one counter while the others call on their own, with
    the station's resident service running (`counter-app station serve`) and, interleaved
    with them, the same command run whole in its process as without a service (the
    command line's own code, which is what `counter-app` runs when no service answers),
    and the same command's center part in this process (a fresh link: catch up, claim,
    call, publish), which leaves out the interpreter's start, the imports and the login."""
    stop = threading.Event()
    one_shot_dir, counter = station.store_dir, station.counter

    def call_on(desk) -> None:
        ctx = ServiceContext(desk.store, system_now, desk.station, desk.ctx.actor, desk.link)
        while not stop.is_set():
            try:
                queue.call_next(ctx, counter=desk.counter, current_outcome=TicketState.DONE)
                desk.link.sync(apply=False)
            except Exception:  # the queue ran dry for this counter: it waits
                pass
            stop.wait(CALL_PAUSE)

    env = {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": tempfile.mkdtemp()}
    call = ("queue", "call-next", "--counter", str(counter), "--current", "served")
    cli(one_shot_dir, "--version", env=env)  # the bytecode cache, once
    cli(one_shot_dir, *call, env=env)
    service = start_service(one_shot_dir, env)
    threads = [threading.Thread(target=call_on, args=(d,)) for d in callers]
    for t in threads:
        t.start()
    times, alone, inside, starts, bare = [], [], [], [], []
    try:
        cli(one_shot_dir, *call, env=env)  # the service's first login
        # rounds interleaved; a whole process only every other round, the five callers
        # would otherwise empty the queue while it starts
        for round_ in range(n):
            t0 = time.perf_counter()
            cli(one_shot_dir, *call, env=env)
            times.append(time.perf_counter() - t0)
            inside.append(_center_part(station))
            if round_ % 2 == 0:
                t0 = time.perf_counter()
                in_process(one_shot_dir, *call, env=env)
                alone.append(time.perf_counter() - t0)
        for _ in range(5):
            t0 = time.perf_counter()
            cli(one_shot_dir, "--version", env=env)
            starts.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], env={**os.environ, **env}, check=True)
            bare.append(time.perf_counter() - t0)
    finally:
        stop.set()
        for t in threads:
            t.join()
        service.send_signal(signal.SIGTERM)
        service.wait(30)
    median = statistics.median(times) * 1e3
    return {
        "counters_calling": len(callers),
        "calls": n,
        "no_service_calls": len(alone),
        "median_ms": round(median, 1),
        "p90_ms": round(pct(times, 0.9) * 1e3, 1),
        "no_service_median_ms": round(statistics.median(alone) * 1e3, 1),
        "no_service_p90_ms": round(pct(alone, 0.9) * 1e3, 1),
        "service_over_no_service": round(statistics.median(times) / statistics.median(alone), 3),
        "process_start_median_ms": round(statistics.median(starts) * 1e3, 1),
        "interpreter_start_median_ms": round(statistics.median(bare) * 1e3, 1),
        "center_part_median_ms": round(statistics.median(inside) * 1e3, 1),
        "target_ms": ONE_SHOT_TARGET_MS,
        "over_target": round(median / ONE_SHOT_TARGET_MS, 2),
        "met": median <= ONE_SHOT_TARGET_MS,
    }


def start_service(folder, env: dict) -> subprocess.Popen:
    """`counter-app station serve` for `folder`, once it says it is ready."""
    service = subprocess.Popen(
        [sys.executable, "-m", "counter_app", "--data-dir", str(folder), "station", "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **ADMIN, **env},
        text=True,
    )
    line = service.stdout.readline()
    if "đang chạy" not in line:
        service.kill()
        raise RuntimeError(f"the resident service did not start: {line}{service.stdout.read()}")
    return service


def in_process(folder, *args: str, env: dict) -> None:
    """The command run whole in its own process: the command line's own code, which is
    what `counter-app` runs when no resident service answers."""
    run = "from counter_app.cli.app import main; raise SystemExit(main())"
    done = subprocess.run(
        [sys.executable, "-c", run, "--data-dir", str(folder), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **ADMIN, **env},
        timeout=60,
    )
    if done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}: {done.stdout}{done.stderr}")


def _center_part(station) -> float:
    """What `queue call-next` does with the center, timed: a new link catches up from the
    stored position, the call claims, the link publishes and closes."""
    from counter_app.center.link import CenterLink

    t0 = time.perf_counter()
    link = CenterLink(station.store, station.station, timeout=2.0)
    try:
        link.sync()
        ctx = ServiceContext(station.store, system_now, station.station, station.ctx.actor, link)
        queue.call_next(ctx, counter=station.counter, current_outcome=TicketState.DONE)
        link.sync(apply=False)
    finally:
        link.close()
    return time.perf_counter() - t0


def load_note() -> str:
    """The machine's state beside the figures: absolute times swing with it."""
    return f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
