"""Helpers shared by the sync tests and the benchmark (no pytest import here).

`check_exactly_once` is the invariant every robustness test ends with: each outbox item is
on the portal exactly once with the id the station recorded, and nothing else is there.
"""

from __future__ import annotations

import json
import random
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
    not_synced = [(r["idem_key"], r["state"]) for r in rows if r["state"] != "synced"]
    assert not not_synced, f"not synced: {not_synced[:5]}"
    assert set(view["items"]) == local_keys, "portal items differ from the outbox"
    assert store.sync_state.portal_ids() == view["items"], "portal ids differ"
    codes = {r["code"] for r in store.query("SELECT code FROM dossiers")}
    assert set(view["dossiers"]) == codes, "dossiers on the portal differ from local ones"
    assert len(set(view["items"].values())) == len(view["items"]), "a portal id was reused"
    return {"items": len(local_keys), "dossiers": len(codes), "changes": view["changes"]}


def pulled_seqs(store: Store) -> list[int]:
    """Change sequence numbers applied or set aside as conflicts, from the audit log."""
    rows = store.query(
        "SELECT detail FROM audit WHERE action IN ('sync.pull.status', 'sync.conflict')"
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
