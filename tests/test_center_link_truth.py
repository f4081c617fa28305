"""The link tells the truth, fast: `center sync` counts what its own catch-up sent; a hub
started on another address hands out codes naming it; with two of three hub nodes gone a
station knows it is cut off within 2 s and never says linked. Real nats-server
processes (one node and three), real station processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from counter_app.center.enrol import read_code
from counter_app.center.lab import ADMIN, Center, cli, cli_json, hub_port, record_offline


def test_center_sync_counts_what_its_catch_up_sent(tmp_path):
    center = Center(tmp_path)
    center.start_hub()
    try:
        counter = center.join("c1", "counter")
        record_offline(counter, 4)  # four tickets written while the link was away
        done = cli_json(counter, "center", "sync")
        assert done["published"] == 4 and done["waiting"] == 0, done
        record_offline(counter, 2)
        assert "Đã gửi 2," in cli(counter, "center", "sync").stdout
    finally:
        center.close()


def test_a_hub_started_on_another_port_hands_out_its_new_address(tmp_path):
    center = Center(tmp_path)  # `hub init` listened on center.port
    moved = hub_port()
    env = {**os.environ, **ADMIN}
    hub = subprocess.Popen(
        [sys.executable, "-m", "counter_app", "--data-dir", str(center.hub_dir), "hub",
         "start", "--listen", f"127.0.0.1:{moved}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )  # fmt: skip
    center.processes[0], center.port, center.ports[0] = hub, moved, moved
    try:
        assert "Trung tâm đang chạy" in hub.stdout.readline().decode()
        code = cli_json(center.hub_dir, "hub", "invite", "--role", "counter")["code"]
        assert read_code(code)["urls"] == [f"nats://127.0.0.1:{moved}"]
        counter = center.root / "c1"
        cli(counter, "center", "join", code)
        assert cli_json(counter, "center", "status")["linked"]
    finally:
        center.close()


def test_with_two_of_three_nodes_gone_a_station_is_cut_off_within_two_seconds(tmp_path):
    from counter_app.center.link import CenterLink
    from counter_app.services.station import load_station
    from counter_app.store import open_store

    center = Center(tmp_path, nodes=3)
    try:
        center.start_cluster()
        counter = center.join("c1", "counter")
        deadline = time.monotonic() + 60
        while not cli_json(counter, "center", "status")["linked"]:
            assert time.monotonic() < deadline, "never linked"
            time.sleep(1)
        center.kill_hub(1)
        center.kill_hub(2)
        # at once, not after the nodes' routes notice: never "linked" without a majority
        assert not cli_json(counter, "center", "status")["linked"]
        store = open_store(counter)
        try:
            with CenterLink(store, load_station(store)) as link:
                for _ in range(3):
                    started = time.monotonic()
                    report = link.sync()
                    took = time.monotonic() - started
                    assert not report.reachable and took < 2.0, took
        finally:
            store.close()
        taken = cli(counter, "ticket", "take", "--group", "A")
        assert "không kết nối được" in taken.stderr.lower()
    finally:
        center.close()
