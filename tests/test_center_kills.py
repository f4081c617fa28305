"""A station killed (SIGKILL) while it publishes or applies loses and duplicates nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from counter_app.center.lab import ADMIN, Center, cli, record_offline, stream_counts
from counter_app.store import open_store

TOTAL = 600  # three batches of 200 each way


def _progress(data_dir) -> tuple[int, int]:
    """Events still waiting to be published, and events applied from others."""
    store = open_store(data_dir)
    try:
        applied = store.query_one("SELECT count(*) FROM center_applied")[0]
        return store.center.waiting_count(), applied
    finally:
        store.close()


def _kill_mid_way(data_dir, *, publishing: bool, total: int) -> int:
    """Run `center sync` and SIGKILL it each time it is part-way (some batches committed,
    not all), until a run completes; returns how many runs were killed."""
    kills = 0
    while True:
        before = _progress(data_dir)
        process = subprocess.Popen(
            [sys.executable, "-m", "counter_app", "--data-dir", str(data_dir), "center", "sync"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **ADMIN},
        )
        while process.poll() is None:
            waiting, applied = _progress(data_dir)
            part_way = 0 < waiting < before[0] if publishing else before[1] < applied < total
            if part_way:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                break
            time.sleep(0.01)
        else:
            assert process.returncode == 0
            return kills


def _state(data_dir):
    store = open_store(data_dir)
    try:
        assert store.integrity_check() == "ok"
        uids = [r["uid"] for r in store.query("SELECT uid FROM tickets")]
        # one ticket_events row per event applied: a repeat would add one more
        applied = store.query_one("SELECT count(*) FROM ticket_events")[0]
        return sorted(uids), applied, store.center.waiting_count()
    finally:
        store.close()


def test_kills_mid_publish_and_mid_apply(tmp_path):
    center = Center(tmp_path)
    center.start_hub()
    try:
        writer = center.join("c1", "counter")
        reader = center.join("c2", "counter")
        record_offline(writer, TOTAL)
        assert _kill_mid_way(writer, publishing=True, total=TOTAL) >= 1
        assert stream_counts(center)["messages"] == TOTAL  # each event once, whatever the kills
        assert _kill_mid_way(reader, publishing=False, total=TOTAL) >= 1
        cli(writer, "center", "sync")
        written, reader_state = _state(writer), _state(reader)
        assert written[2] == 0 and len(written[0]) == TOTAL
        assert reader_state[0] == written[0]  # every ticket, once
        assert reader_state[1] == TOTAL  # every event applied once
    finally:
        center.close()
