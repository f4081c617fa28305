"""A center whose hub is three PCs (a NATS cluster on loopback): losing any one of them
changes nothing for the stations."""

from __future__ import annotations

import time

from counter_app.center.lab import Center, cli, cli_json


def _wait_linked(station, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cli_json(station, "center", "status")["linked"]:
            return
        time.sleep(1)
    raise AssertionError("station never linked")


def test_losing_one_of_three_hub_nodes_changes_nothing(tmp_path):
    center = Center(tmp_path, nodes=3)
    try:
        center.start_cluster()
        kiosk = center.join("kiosk", "kiosk")
        counters = [center.join(f"c{n}", "counter") for n in (1, 2)]
        for station in (kiosk, *counters):
            _wait_linked(station)
        cli(kiosk, "ticket", "take", "--group", "A")

        center.kill_hub(0)  # the node every station listed first
        taken = cli(kiosk, "ticket", "take", "--group", "A")
        assert "A002" in taken.stdout and taken.stderr == "", taken.stderr
        first = cli(counters[0], "queue", "call-next", "--counter", "1")
        second = cli(counters[1], "queue", "call-next", "--counter", "2")
        assert first.stderr == second.stderr == ""
        assert {"A001", "A002"} == {
            w.rstrip(".")
            for out in (first.stdout, second.stdout)
            for w in out.split()
            if w.startswith("A0")
        }
        for station in (kiosk, *counters):
            cli(station, "center", "sync")
            status = cli_json(station, "center", "status")
            assert status["linked"] and status["waiting"] == 0 and status["lag"] == 0
    finally:
        center.close()
