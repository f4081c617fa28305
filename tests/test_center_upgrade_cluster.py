"""Upgrading a three-node hub one node at a time, with tickets in flight.

The protocol-1 program (tests/data/center_protocol1.tar.xz, run in subprocesses) runs a
cluster of three hub nodes with a kiosk and two counters: tickets called and waiting, a
dossier received. Then each node in turn is shut down and started again with this version
over the same folder while the other two go on with the old program (a majority stays up,
so the stream and the claims stay writable); an old kiosk takes tickets meanwhile and a
counter of this version joins and calls. At the end every ticket and dossier is in every
replica, each old claim was moved to the new keys once (none is left under the old ones,
none is doubled), the stations, updated, publish what waited and converge, and the calls
go on with the next waiting ticket, once.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from counter_app.center.lab import ADMIN, cli, cli_json, hub_port, stream_info
from counter_app.center.permissions import PROTOCOL
from tests.test_center_upgrade import (
    OldCenter,
    _claim_keys,
    _old_code,
    _receive,
    _replica,
    _wait_port,
    json_of,
)


class OldCluster(OldCenter):
    """Three hub nodes of the protocol-1 program (node 0 made with `hub init`, the others
    joined with `hub invite --role hub`), each updated in turn with `update`."""

    def __init__(self, root: Path, old_code: Path) -> None:
        super().__init__(root, old_code)
        self.ports = [self.port, hub_port(), hub_port()]
        self.dirs = [self.hub_dir, root / "hub1", root / "hub2"]
        self.processes = [None, None, None]

    def start_old(self, node: int) -> None:
        self.processes[node] = subprocess.Popen(
            [*self.old_python, "--data-dir", str(self.dirs[node]), "hub", "start",
             *self._peers(node)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, **ADMIN, **self.old_env}, start_new_session=True,
        )  # fmt: skip
        _wait_port(self.ports[node])

    def start_old_cluster(self) -> None:
        self.start_old(0)
        for node in (1, 2):
            code = json_of(self.run(self.hub_dir, "hub", "invite", "--role", "hub", "--json",
                                    old=True))["code"]  # fmt: skip
            self.run(self.dirs[node], "hub", "join", code, "--listen",
                     f"127.0.0.1:{self.ports[node]}", old=True)  # fmt: skip
        for node in (1, 2):
            self.start_old(node)
        deadline = time.monotonic() + 60
        while len(_record(self.hub_dir)["nodes"]) < 3:  # every invite then names them all
            assert time.monotonic() < deadline, "the old nodes never shared their record"
            time.sleep(0.5)

    def update(self, node: int) -> None:
        """The node's PC shut down for its update (nats-server stops with it), then this
        version's hub started over the same folder, with the same peers."""
        process = self.processes[node]
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
        self.start_hub(node)


def _record(hub_dir: Path) -> dict:
    """The hub's record as its store keeps it, read without opening the store (which
    would bring an old one to this version's schema)."""
    conn = sqlite3.connect(f"file:{hub_dir / 'counter.db'}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'hub'").fetchone()
        return json.loads(row[0])
    finally:
        conn.close()


def _until(check, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "never came"
        time.sleep(0.5)


def _take(center: OldCenter, kiosk: Path, *, old: bool) -> str:
    return json_of(center.run(kiosk, "ticket", "take", "--group", "A", "--json", old=old))["label"]


# two versions of the program, three hub nodes and four stations: minutes on a loaded PC
@pytest.mark.timeout(900)
def test_a_three_node_hub_of_the_previous_version_is_upgraded_one_node_at_a_time(tmp_path):
    center = OldCluster(tmp_path, _old_code(tmp_path / "old-code"))
    try:
        center.start_old_cluster()
        kiosk = center.join_old("kiosk", "kiosk")
        first, second = center.join_old("c1", "counter"), center.join_old("c2", "counter")
        assert [_take(center, kiosk, old=True) for _ in range(4)] == [
            "A001", "A002", "A003", "A004"
        ]  # fmt: skip
        called = center.run(first, "queue", "call-next", "--counter", "1", "--json", old=True)
        assert json_of(called)["label"] == "A001"
        dossier = _receive(center, first, "Nguyễn Thị Đường", old=True)
        center.run(second, "center", "sync", old=True)
        called = center.run(second, "queue", "call-next", "--counter", "2", "--json", old=True)
        assert json_of(called)["label"] == "A002"
        old_claims = _claim_keys(center)
        assert len(old_claims) == 2 and all(k.startswith("t_") for k in old_claims)
        moved = [k.replace("t_", "t.", 1) for k in old_claims]

        # node 0 first: the stream announces protocol 2 and the claims move, while the
        # two old nodes keep the majority
        center.update(0)
        _until(lambda: (stream_info(center).config.metadata or {}).get("protocol")
               == str(PROTOCOL))  # fmt: skip
        # the claims bucket read through the node just restarted may list no subjects
        # for a moment (its replica catching up); the moved claims then show, and never
        # both layouts at once
        _until(lambda: _claim_keys(center) == moved, timeout=20)
        in_flight = [_take(center, kiosk, old=True)]  # an old kiosk: it waits, or goes out
        # a counter of this version joins the mixed cluster and calls the next ticket
        third = center.join("c3", "counter")
        assert cli_json(third, "queue", "call-next", "--counter", "3")["label"] == "A003"

        for node in (1, 2):
            center.update(node)
            in_flight.append(_take(center, kiosk, old=True))
            # each node runs the upgrade again at its start: nothing moves twice
            claims = _claim_keys(center)
            assert not [k for k in claims if not k.startswith("t.")], claims
            assert set(moved) <= set(claims) and len(claims) == 3, claims
        assert in_flight == ["A005", "A006", "A007"]

        # the stations are updated: what waited goes out, every replica converges
        for station in (kiosk, first, second, third):
            cli(station, "center", "sync")
            assert cli_json(station, "center", "status")["waiting"] == 0, station
        for station in (kiosk, first, second, third, *center.dirs):
            cli(station, "center", "sync")
        reference = _replica(center.hub_dir)
        labels = {label for _, label, _, _ in reference[0]}  # letter and number as stored
        assert labels == {f"A{n}" for n in range(1, 8)}, labels
        assert dossier in {code for code, _ in reference[1]}
        for station in (first, second, third, *center.dirs[1:]):
            _until(lambda s=station: _replica(s) == reference, timeout=30)
        assert _replica(kiosk)[0] == reference[0]  # a kiosk keeps no dossier
        # the calls go on: the next waiting ticket, once
        served = ("--current", "served")
        assert cli_json(first, "queue", "call-next", "--counter", "1", *served)["label"] == "A004"
        cli(second, "center", "sync")
        again = cli_json(second, "queue", "call-next", "--counter", "2", *served)["label"]
        assert again == "A005"
        assert len(_claim_keys(center)) == 5
    finally:
        for node, process in enumerate(center.processes):
            if process is not None:
                center.kill_hub(node)
