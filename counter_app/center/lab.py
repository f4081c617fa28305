"""A center of real processes on this PC, for the tests and the benchmarks: a hub (or three
hub nodes) running nats-server under `hub start`, and stations, each its own data folder,
driven through the command line as separate processes (tests/test_center*.py, bench/center.py).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from counter_app.center.hub import ROUTE_OFFSET

ADMIN = {"COUNTER_APP_USER": "admin", "COUNTER_APP_PASSWORD": "mat-khau-quan-tri-2026"}
READY = "Trung tâm đang chạy"  # what `hub start` prints once its stream and buckets exist

# Hub ports come from below every system's ephemeral range (Linux 32768-, Windows and macOS
# 49152-), where free_port's and every outgoing connection's ports are drawn: a port handed
# to a hub cannot be taken by a connection before its nats-server binds it. Each
# pytest-xdist worker (gw0..gw5) draws from a block of its own, its route ports
# (+ROUTE_OFFSET) above them in the same block, so parallel tests never draw the same one.
HUB_PORT_BASE, HUB_PORT_BLOCK, HUB_PORT_SPAN = 8000, 2 * ROUTE_OFFSET, ROUTE_OFFSET
_next_hub_port = itertools.count(random.randrange(HUB_PORT_SPAN))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def hub_port() -> int:
    """A free port for a hub node whose route port (port + ROUTE_OFFSET) is free too, from
    this test worker's own block (see HUB_PORT_BASE)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    block = HUB_PORT_BASE + HUB_PORT_BLOCK * (int(worker) % 6 if worker.isdigit() else 0)
    for _ in range(HUB_PORT_SPAN):
        port = block + next(_next_hub_port) % HUB_PORT_SPAN
        if _bindable(port) and _bindable(port + ROUTE_OFFSET):
            return port
    raise AssertionError("no free port for a hub")


def cli(
    data_dir: Path, *args: str, check: bool = True, timeout: float = 60, env: dict | None = None
):
    env = {**os.environ, **ADMIN, **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "counter_app", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}: {done.stdout}{done.stderr}")
    return done


def cli_json(data_dir: Path, *args: str):
    return json.loads(cli(data_dir, *args, "--json").stdout)


class Center:
    """A hub (or, with `nodes=3`, a cluster of three hub nodes) and its stations."""

    def __init__(self, root: Path, *, nodes: int = 1, tls: bool = False) -> None:
        self.root = root
        self.ports = [hub_port() for _ in range(nodes)]
        self.port = self.ports[0]
        self.dirs = [root / f"hub{n}" if n else root / "hub" for n in range(nodes)]
        self.hub_dir = self.dirs[0]
        self.processes: list[subprocess.Popen | None] = [None] * nodes
        cli(
            self.hub_dir,
            "hub",
            "init",
            "--agency-code",
            "000.00.01.H22",
            "--center-name",
            "Trung tâm phục vụ hành chính công xã Tân Lập",
            "--listen",
            f"127.0.0.1:{self.port}",
            *(["--tls"] if tls else []),
        )

    @property
    def hub(self) -> subprocess.Popen | None:
        return self.processes[0]

    def _peers(self, node: int) -> list[str]:
        if len(self.ports) == 1:
            return []
        return [
            a for p in self.ports if p != self.ports[node] for a in ("--peer", f"127.0.0.1:{p}")
        ]

    def start_hub(self, node: int = 0, *, wait: bool = True) -> None:
        command = [sys.executable, "-m", "counter_app", "--data-dir", str(self.dirs[node]),
                   "hub", "start", *self._peers(node)]  # fmt: skip
        self.launch_hub(node, command, {**os.environ, **ADMIN}, wait=wait)

    def launch_hub(self, node: int, command: list[str], env: dict, *, wait: bool) -> None:
        """Runs `hub start` (given as `command`, of this version or another) for `node`;
        with `wait`, returns once the hub can serve its stations."""
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            start_new_session=True,  # its nats-server dies with it in kill_hub
        )
        self.processes[node] = process
        ready = threading.Event()
        threading.Thread(target=_read_hub, args=(process, ready), daemon=True).start()
        if not wait:
            return
        deadline = time.monotonic() + 30
        if len(self.ports) == 1:  # the line comes once the stream and the buckets exist
            while not ready.wait(0.1):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError("hub did not start")
            return
        # a cluster's first node makes its stream only once its peers have joined: the
        # port (with the join codes' answering) is what they need
        while time.monotonic() < deadline and process.poll() is None:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.ports[node])) == 0:
                    time.sleep(1.0)  # the join codes are answered next
                    return
            time.sleep(0.1)
        raise AssertionError("hub did not start")

    def add_node(self, node: int) -> None:
        """Another hub PC joins the cluster, from a code the first node prints."""
        code = cli_json(self.hub_dir, "hub", "invite", "--role", "hub")["code"]
        listen = f"127.0.0.1:{self.ports[node]}"
        cli(self.dirs[node], "hub", "join", code, "--listen", listen)

    def start_cluster(self) -> None:
        """Every node up: the first starts, the others join it and start, and the first
        node's record lists them all (so every invite then names all of them)."""
        self.start_hub(0)
        others = range(1, len(self.ports))
        for node in others:
            self.add_node(node)
        for node in others:
            self.start_hub(node)
        self.wait_for_nodes()

    def wait_for_nodes(self, timeout: float = 30) -> None:
        """Until the first node's record lists every node (what an invite hands out)."""
        from counter_app.store import open_store

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            store = open_store(self.hub_dir)
            try:
                if len(store.settings.get("hub")["nodes"]) == len(self.ports):
                    return
            finally:
                store.close()
            time.sleep(0.5)
        raise AssertionError("the hub nodes never shared their record")

    def kill_hub(self, node: int = 0) -> None:
        """kill -9 of a hub node and its nats-server, as a power cut would."""
        process = self.processes[node]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        self.processes[node] = None

    def join(self, name: str, role: str) -> Path:
        code = cli_json(self.hub_dir, "hub", "invite", "--role", role)["code"]
        cli(self.root / name, "center", "join", code)
        return self.root / name

    def close(self) -> None:
        for node, process in enumerate(self.processes):
            if process is not None:
                self.kill_hub(node)


def _read_hub(process: subprocess.Popen, ready: threading.Event) -> None:
    """Reads what a hub prints (so its pipe never fills) and tells when it is ready."""
    for line in process.stdout:
        if READY in line:
            ready.set()


def stream_info(center: Center):
    """The center stream's info (its state and configuration), read as the hub user."""
    import asyncio

    import nats

    from counter_app.center.hub import hub_password
    from counter_app.center.link import STREAM
    from counter_app.store import open_store

    store = open_store(center.hub_dir)
    try:
        password = hub_password(store)
    finally:
        store.close()

    async def read():
        nc = await nats.connect(f"nats://127.0.0.1:{center.port}", user="hub", password=password)
        try:
            return await nc.jetstream().stream_info(STREAM)
        finally:
            await nc.close()

    return asyncio.run(read())


def stream_counts(center: Center) -> dict:
    """Messages and bytes in the center stream."""
    state = stream_info(center).state
    return {"messages": state.messages, "bytes": state.bytes}


def record_offline(data_dir: Path, count: int) -> None:
    """`count` tickets taken at a station without its link (as if cut off), fast."""
    from counter_app.core.clock import system_now
    from counter_app.core.roles import Actor, Role
    from counter_app.services import queue
    from counter_app.services.context import ServiceContext
    from counter_app.services.station import load_station
    from counter_app.store import open_store

    store = open_store(data_dir)
    try:
        ctx = ServiceContext(store, system_now, load_station(store), Actor("admin", Role.ADMIN))
        for n in range(count):  # a counter's range holds 100 numbers per group and day
            queue.take_ticket(ctx, group="BCDEFG"[n // 100])
    finally:
        store.close()


class CuttableLink:
    """A TCP relay between one station and the hub that a test cuts and restores, as a
    pulled cable would: cut, every connection drops and new ones are refused."""

    def __init__(self, target_port: int) -> None:
        import threading

        self.target = ("127.0.0.1", target_port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        self._server: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        import threading

        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(16)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            server, self._server = self._server, None
            conns, self._conns = self._conns, []
        if server is not None:
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            server.close()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self, server: socket.socket) -> None:
        import threading

        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)


def route_through(data_dir: Path, link: CuttableLink) -> None:
    """Point a station at the hub through `link` (its center address rewritten)."""
    from counter_app.store import open_store

    store = open_store(data_dir)
    try:
        with store.transaction():
            settings = store.settings.get("center")
            settings["urls"] = [f"nats://127.0.0.1:{link.port}"]
            store.settings.set("center", settings)
    finally:
        store.close()
