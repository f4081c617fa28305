"""Upgrading a center that already runs: the version before permissions (protocol 1) runs
a real day (its own code, unpacked from tests/data/center_protocol1.tar.xz and run in
subprocesses: hub, kiosk, counters, a dossier, a station cut off with events waiting), then
this version's hub starts over the same folder. Every ticket and dossier survives, a new
station and an updated old one converge, and an old station is refused and loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from counter_app.center.enrol import read_code
from counter_app.center.hub import hub_password
from counter_app.center.lab import ADMIN, Center, cli, cli_json, hub_port, stream_info
from counter_app.center.permissions import PROTOCOL
from counter_app.center.upgrade import live_claims
from counter_app.store import open_store
from tests.helpers.center import receive_args

# The program at protocol 1 (commit 0ce9143, the last before per-role permissions): its
# counter_app, sync and the resources a station's commands read, as `git archive` gave them.
# Kept as a file so the test needs no repository history (CI may check out main shallow).
PROTOCOL_1_CODE = Path(__file__).resolve().parent / "data" / "center_protocol1.tar.xz"


def _old_code(where: Path) -> Path:
    """The program as it was at protocol 1, unpacked beside the test's center."""
    with tarfile.open(PROTOCOL_1_CODE) as tar:
        tar.extractall(where, filter="data")
    return where


class OldCenter(Center):
    """A center whose hub and stations run the protocol-1 code (`old` folders) until each
    is updated; `cli` with `old=True` runs a command with that code."""

    def __init__(self, root: Path, old_code: Path) -> None:
        self.old_env = {"PYTHONPATH": str(old_code)}
        # -P: the current folder (this version's checkout) is not put ahead of the old code
        self.old_python = [sys.executable, "-P", "-m", "counter_app"]
        self.root = root
        self.ports = [hub_port()]
        self.port = self.ports[0]
        self.dirs = [root / "hub"]
        self.hub_dir = self.dirs[0]
        self.processes = [None]
        self.run(
            self.hub_dir,
            "hub",
            "init",
            "--agency-code",
            "000.00.01.H22",
            "--center-name",
            "Trung tâm phục vụ hành chính công xã Tân Lập",
            "--listen",
            f"127.0.0.1:{self.port}",
            old=True,
        )

    def run(self, data_dir: Path, *args: str, old: bool, check: bool = True):
        if not old:
            return cli(data_dir, *args, check=check)
        done = subprocess.run(
            [*self.old_python, "--data-dir", str(data_dir), *args],
            capture_output=True,
            text=True,
            env={**os.environ, **ADMIN, **self.old_env},
            timeout=60,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"{args} exited {done.returncode}: {done.stdout}{done.stderr}")
        return done

    def start_old_hub(self) -> None:
        command = [*self.old_python, "--data-dir", str(self.hub_dir), "hub", "start"]
        self.launch_hub(0, command, {**os.environ, **ADMIN, **self.old_env}, wait=True)

    def stop_hub(self) -> None:
        """The hub PC shut down for its update (SIGTERM: nats-server stops with it)."""
        process = self.processes[0]
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
        self.processes[0] = None

    def join_old(self, name: str, role: str) -> Path:
        code = self.run(self.hub_dir, "hub", "invite", "--role", role, "--json", old=True)
        import json

        self.run(self.root / name, "center", "join", json.loads(code.stdout)["code"], old=True)
        return self.root / name


def _wait_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                time.sleep(1.5)  # the stream and the buckets are made next
                return
        time.sleep(0.1)
    raise AssertionError("hub did not start")


def _receive(center: OldCenter, station: Path, name: str, *, old: bool) -> str:
    out = center.run(station, *receive_args(name), old=old).stdout
    return next(w for w in out.split() if w.startswith("000.00.01.H22-"))


def _replica(data_dir: Path):
    """Tickets and dossiers as stored, read without opening the store (which would bring
    an old one to this version's schema)."""
    conn = sqlite3.connect(f"file:{data_dir / 'counter.db'}?mode=ro", uri=True)
    try:
        tickets = set(conn.execute("SELECT uid, letter || number, state, counter FROM tickets"))
        dossiers = set(conn.execute("SELECT code, status FROM dossiers"))
        return tickets, dossiers
    finally:
        conn.close()


def _claim_keys(center: Center) -> list[str]:
    import nats

    store = open_store(center.hub_dir)
    try:
        password = hub_password(store)
    finally:
        store.close()

    async def read() -> list[str]:
        nc = await nats.connect(f"nats://127.0.0.1:{center.port}", user="hub", password=password)
        try:
            return sorted(await live_claims(nc.jetstream()))
        finally:
            await nc.close()

    return asyncio.run(read())


def _login_refused(center: Center, user: str, password: str) -> bool:
    import nats

    from counter_app.center.link import refused_login

    async def attempt() -> bool:
        try:
            nc = await nats.connect(
                f"nats://127.0.0.1:{center.port}", user=user, password=password,
                allow_reconnect=False, max_reconnect_attempts=0, connect_timeout=2,
            )  # fmt: skip
        except Exception as error:
            return refused_login(error)
        await nc.close()
        return False

    return asyncio.run(attempt())


# two versions of the program run a day in some forty processes: minutes on a loaded PC
@pytest.mark.timeout(900)
def test_a_running_center_of_the_previous_version_is_upgraded(tmp_path):
    center = OldCenter(tmp_path, _old_code(tmp_path / "old-code"))
    center.start_old_hub()
    try:
        # a day of the previous version: tickets called, waiting, a dossier received
        kiosk = center.join_old("kiosk", "kiosk")
        first = center.join_old("c1", "counter")
        second = center.join_old("c2", "counter")
        labels = [
            json_of(center.run(kiosk, "ticket", "take", "--group", "A", "--json", old=True))[
                "label"
            ]
            for _ in range(4)
        ]
        assert labels == ["A001", "A002", "A003", "A004"]
        called = json_of(
            center.run(first, "queue", "call-next", "--counter", "1", "--json", old=True)
        )
        assert called["label"] == "A001"
        dossier = _receive(center, first, "Nguyễn Thị Đường", old=True)
        center.run(second, "center", "sync", old=True)
        assert (
            json_of(center.run(second, "queue", "call-next", "--counter", "2", "--json", old=True))[
                "label"
            ]
            == "A002"
        )
        # the second counter's cable is cut: its work waits on it
        center.stop_hub()
        offline = _receive(center, second, "Trần Văn Bình", old=True)
        waiting = json_of(center.run(second, "center", "status", "--json", old=True))["waiting"]
        assert waiting >= 1
        center.start_old_hub()
        center.run(first, "center", "sync", old=True)
        center.run(center.hub_dir, "center", "sync", old=True)
        before = _replica(center.hub_dir)
        old_claims = _claim_keys(center)
        assert old_claims and all(k.startswith("t_") for k in old_claims)
        # an invite never used: its code holds the new station's own user and password
        pending = center.run(center.hub_dir, "hub", "invite", "--role", "display", "--json",
                             old=True)  # fmt: skip
        pending = read_code(json_of(pending)["code"])
        center.stop_hub()

        # the hub PC is updated first: this version's hub starts over the same folder
        center.start_hub()
        assert (stream_info(center).config.metadata or {}).get("protocol") == str(PROTOCOL)
        cli(center.hub_dir, "center", "sync")
        after = _replica(center.hub_dir)
        assert before[0] <= after[0] and before[1] <= after[1], (before, after)
        claims = _claim_keys(center)
        assert claims == [k.replace("t_", "t.", 1) for k in old_claims], claims

        # a station still on the previous version is refused and loses nothing
        refused = center.run(second, "center", "sync", old=True, check=False)
        status = json_of(center.run(second, "center", "status", "--json", old=True))
        assert not status["linked"] and status["waiting"] == waiting, (refused, status)
        listed = cli(center.hub_dir, "hub", "stations").stdout
        assert "máy này cần cập nhật phiên bản" in listed, listed
        # the old invite is withdrawn: its code's credentials no longer log in
        assert _login_refused(center, pending["user"], pending["password"])
        assert any(
            r["station"] == pending["user"] and r["revoked_at"]
            for r in cli_json(center.hub_dir, "hub", "stations")
        )

        # a new station joins and converges; the updated old ones too
        third = center.join("c3", "counter")
        cli(first, "center", "sync")
        cli(second, "center", "sync")  # updated: its waiting events go out now
        assert json_of(cli(second, "center", "status", "--json"))["waiting"] == 0
        # it learnt its counter from the hub (it acted as any before): counter 2 only
        other = cli(second, "queue", "call-next", "--counter", "1", check=False)
        assert other.returncode != 0 and "không thuộc máy này" in other.stderr, other
        for station in (kiosk, first, third, center.hub_dir):
            cli(station, "center", "sync")
        hub_state = _replica(center.hub_dir)
        assert offline in {code for code, _ in hub_state[1]} and dossier in {
            code for code, _ in hub_state[1]
        }
        for station in (kiosk, first, second, third):
            assert _replica(station)[0] == hub_state[0], station
        for station in (first, second, third):
            assert _replica(station)[1] == hub_state[1], station
        # the calls go on at the new version: the next waiting ticket, once
        assert cli_json(third, "queue", "call-next", "--counter", "3")["label"] == "A003"
        cli(first, "center", "sync")
        again = cli_json(first, "queue", "call-next", "--counter", "1", "--current", "served")
        assert again["label"] == "A004"
    finally:
        center.close()


def json_of(done) -> dict:
    import json

    return json.loads(done.stdout)
