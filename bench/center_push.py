"""The center's push figures (bench/center.py runs them in the same run as the others).

- kiosk_to_counter: a ticket taken at the kiosk (its commit, its publish) to applied in the
  replica of a counter in another process by the push (the counter's commit), p50/p99, end
  to end and from after the kiosk's commit (the center's path alone); target p99 within 3x
  a bare JetStream publish→push's p99 (BarePush), measured in rounds interleaved with it
  and with a bare INSERT+COMMIT (BareCommit), the floor of the kiosk's own commit.
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
from pathlib import Path

from counter_app.center.lab import ADMIN, cli
from counter_app.core.clock import system_now
from counter_app.core.queue import TicketState
from counter_app.services import queue
from counter_app.services.context import ServiceContext

BOARD_TARGET_MS = 300.0
ONE_SHOT_TARGET_MS = 300.0
PUSH_RATIO_TARGET = 3.0
PUSH_ROUNDS = 10  # the kiosk's tickets and the two floors, interleaved
CALL_PAUSE = 1.0  # each of the five calls once a second: far busier than a real counter


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class BarePush:
    """Publish→push through JetStream with nothing of ours on the way, the floor: one
    connection publishing to an ordered push consumer's callback, in this process, kept
    open between the rounds."""

    def __init__(self, url: str, password: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self._open(url, password))

    async def _open(self, url: str, password: str) -> None:
        import nats
        from nats.js.api import ConsumerConfig, DeliverPolicy

        self.nc = await nats.connect(url, user="hub", password=password)
        self.js = self.nc.jetstream()
        await self.js.add_stream(name="BENCHPUSH", subjects=["bench.push"])
        self.arrived: asyncio.Queue = asyncio.Queue()
        self.sent = 0

        async def on(msg) -> None:
            self.arrived.put_nowait(time.monotonic())

        self.sub = await self.js.subscribe(
            "bench.push",
            stream="BENCHPUSH",
            cb=on,
            ordered_consumer=True,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW),
        )

    def measure(self, n: int) -> list[float]:
        return self.loop.run_until_complete(self._round(n))

    async def _round(self, n: int) -> list[float]:
        times = []
        for _ in range(n):
            self.sent += 1
            t0 = time.monotonic()
            key = {"Nats-Msg-Id": f"p{self.sent}"}
            await self.js.publish("bench.push", b"x" * 900, headers=key)
            times.append(await self.arrived.get() - t0)
        return times

    def close(self) -> None:
        async def close() -> None:
            await self.sub.unsubscribe()
            await self.js.delete_stream("BENCHPUSH")
            await self.nc.close()

        self.loop.run_until_complete(close())
        self.loop.close()


class BareCommit:
    """A bare INSERT+COMMIT with a store's own pragmas (WAL, synchronous=FULL), on the same
    disk: the floor of the kiosk's ticket commit (bench/store_latency.py's figure)."""

    def __init__(self, folder: Path) -> None:
        from counter_app.store.database import connect

        self.conn = connect(folder / "bare-commit.db")
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS bare(id INTEGER PRIMARY KEY, day TEXT, grp TEXT, "
            "number INTEGER, state TEXT, arrived_at TEXT, station_id TEXT)"
        )

    def measure(self, n: int) -> list[float]:
        times = []
        for number in range(n):
            t0 = time.monotonic()
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute(
                "INSERT INTO bare(day, grp, number, state, arrived_at, station_id) "
                "VALUES (date('now'), 'A', ?, 'waiting', datetime('now'), 'st1')",
                (number,),
            )
            self.conn.execute("COMMIT")
            times.append(time.monotonic() - t0)
        return times

    def close(self) -> None:
        self.conn.close()


class Receiver:
    """A counter following the stream in its own process (bench/push_receiver.py): when
    it applied each ticket, by uid."""

    def __init__(self, folder: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.push_receiver", str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            self.close()
            raise RuntimeError("the counter process did not follow the center")
        self.at: dict[str, float] = {}
        self.arrived = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            at, uid = line.split()
            with self.arrived:
                self.at[uid] = float(at)
                self.arrived.notify_all()

    def applied(self, uid: str, timeout: float = 10.0) -> float:
        with self.arrived:
            if not self.arrived.wait_for(lambda: uid in self.at, timeout):
                raise TimeoutError("the push never brought it")
            return self.at[uid]

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def kiosk_to_counter(kiosk, desk_dir: Path, url: str, password: str, n: int) -> dict:
    """Tickets taken at the kiosk (its FULL commit, its publish) to applied at a counter
    in another process (the counter's commit, its callback), in rounds interleaved with
    the two floors: a bare JetStream publish→push and a bare INSERT+COMMIT on the same
    disk. Timed from before the take (end to end) and from after the kiosk's commit (the
    center's path alone)."""
    samples: dict[str, list[float]] = {k: [] for k in ("push", "commit", "end", "center", "take")}
    loads = [os.getloadavg()[0]]
    bare, commit = BarePush(url, password), BareCommit(Path(kiosk.store_dir).parent)
    receiver = Receiver(desk_dir)
    try:
        each = max(1, n // PUSH_ROUNDS)
        for _ in range(PUSH_ROUNDS):
            samples["push"] += bare.measure(each)
            samples["commit"] += commit.measure(each)
            for _ in range(each):
                t0 = time.monotonic()
                taken = queue.take_ticket(kiosk.ctx, group="A").ticket
                t1 = time.monotonic()
                kiosk.link.sync(apply=False)
                at = receiver.applied(kiosk.store.tickets.uid_of(taken.id))
                samples["end"].append(at - t0)
                samples["center"].append(at - t1)
                samples["take"].append(t1 - t0)  # the kiosk's own: its FULL commit
            loads.append(os.getloadavg()[0])
    finally:
        receiver.close()
        bare.close()
        commit.close()
    return push_figures(samples, loads)


def push_figures(samples: dict[str, list[float]], loads: list[float]) -> dict:
    p99 = {k: pct(v, 0.99) for k, v in samples.items()}
    out = {
        f"{k}_p{q}_ms": round(f(v) * 1e3, 2)
        for k, v in samples.items()
        for q, f in ((50, statistics.median), (99, lambda v: pct(v, 0.99)))
    }
    floor = p99["push"] + p99["commit"]
    # the slowest tickets, each as its two parts: the kiosk's take (its commit) and the
    # center's path after it (publish, push, the counter's apply)
    slowest = sorted(zip(samples["end"], samples["take"], samples["center"], strict=True))[-3:]
    return {
        "tickets": len(samples["end"]),
        **out,
        "slowest_end_take_center_ms": [[round(v * 1e3, 1) for v in row] for row in slowest],
        "end_p99_over_bare_push_p99": round(p99["end"] / p99["push"], 2),
        "center_p99_over_bare_push_p99": round(p99["center"] / p99["push"], 2),
        "end_p99_over_bare_push_plus_commit_p99": round(p99["end"] / floor, 2),
        "target": PUSH_RATIO_TARGET,
        "end_met": p99["end"] <= PUSH_RATIO_TARGET * p99["push"],
        "center_met": p99["center"] <= PUSH_RATIO_TARGET * p99["push"],
        "load_average": f"{min(loads):.1f} to {max(loads):.1f}",
    }


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
