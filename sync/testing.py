"""Helpers shared by the sync tests and the benchmark (no pytest import here).

`check_exactly_once` is the invariant every robustness test ends with: each outbox item is
on the portal exactly once with the id the station recorded, and nothing else is there.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from counter_app.store import Store, open_store


@dataclass(frozen=True)
class FixedClock:
    """A picklable clock for child processes: always the same instant."""

    at: datetime

    def __call__(self) -> datetime:
        return self.at


def admin(url: str, path: str, body: dict | None = None) -> Any:
    """Call an emulator admin endpoint (GET without body, POST with one)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{url}/_emulator/{path}", data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def station_view(url: str, station_id: str) -> dict:
    from urllib.parse import quote

    return admin(url, f"station?id={quote(station_id)}")


def check_exactly_once(store: Store, url: str, station_id: str) -> dict:
    """Assert nothing lost nor duplicated between the outbox and the portal; return figures."""
    view = station_view(url, station_id)
    rows = store.query("SELECT idem_key, state, op, entity_id FROM outbox ORDER BY seq")
    local_keys = {r["idem_key"] for r in rows}
    answered = ("synced", "conflict")  # conflict: a move the portal refused, for a clerk
    not_synced = [(r["idem_key"], r["state"]) for r in rows if r["state"] not in answered]
    assert not not_synced, f"not synced: {not_synced[:5]}"
    assert set(view["items"]) == local_keys, "portal items differ from the outbox"
    accepted = {key: portal_id for key, portal_id in view["items"].items() if portal_id}
    assert store.sync_state.portal_ids() == accepted, "portal ids differ"
    codes = {r["code"] for r in store.query("SELECT code FROM dossiers")}
    assert set(view["dossiers"]) == codes, "dossiers on the portal differ from local ones"
    # a refused item (a conflict) has no portal id: only the ids given must be unique
    assert len(set(accepted.values())) == len(accepted), "a portal id was reused"
    return {"items": len(local_keys), "dossiers": len(codes), "changes": view["changes"]}


def pulled_seqs(store: Store) -> list[int]:
    """Change sequence numbers applied or set aside as conflicts, from the audit log."""
    rows = store.query(
        "SELECT detail FROM audit WHERE action IN "
        "('sync.pull.status', 'sync.conflict', 'sync.pull.superseded')"
    )
    return [json.loads(r["detail"])["seq"] for r in rows]


def sync_child(data_dir: str, url: str, at_iso: str, seed: int) -> None:
    """Body of the process the kill test SIGKILLs: sync rounds forever."""
    from sync.engine import SyncConfig, SyncEngine

    random.seed(seed)
    store = open_store(Path(data_dir))
    engine = SyncEngine(
        store,
        data_dir,
        url,
        clock=FixedClock(datetime.fromisoformat(at_iso)),
        config=SyncConfig(
            batch_items=8, max_tries=1000, backoff_base=0.01, backoff_cap=0.05, pause_base=0.01
        ),
    )
    while True:
        engine.run_once()
        time.sleep(0.005)


def kill_child_at_random(mp, target, args: tuple, rng: random.Random) -> None:
    """Start `target(*args)` in a child of `mp` (a forkserver context that has imported the
    sync modules already) and SIGKILL it 10-300 ms later, inside real work."""
    child = mp.Process(target=target, args=args, daemon=True)
    child.start()
    time.sleep(rng.uniform(0.01, 0.3))
    os.kill(child.pid, signal.SIGKILL)
    child.join(5)
    assert child.exitcode == -signal.SIGKILL


def kill_cli_sync(data_dir: str, url: str, rng: random.Random, *options: str) -> int:
    """Run the real `counter-app sync --once` (with `options`, e.g. a dialect) and SIGKILL
    it 0.3-0.9 s in; returns its exit code (-SIGKILL when it was killed at work)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "counter_app",
            "--data-dir",
            data_dir,
            "sync",
            "--portal",
            url,
            *options,
            "--once",
        ],  # fmt: skip
        env={**os.environ, "COUNTER_APP_LANG": "en"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(rng.uniform(0.3, 0.9))
    proc.send_signal(signal.SIGKILL)
    proc.wait(5)
    return proc.returncode
