"""Benchmark: a busy commune's 30-day backlog synced through the emulator over a slow link.

6,000 dossiers and 20,000 queue events (quick: 10x fewer) pushed through a link capped at
1 Mbit/s with 300 ms round trip. Figures:
- time_ratio: wall time / lower bound, where lower bound = gzip size of the whole payload
  (one stream) / bandwidth + the fewest round trips possible (token, one push, one pull) x RTT.
  Target 1.5.
- wire_ratio: bytes the station sends on the wire (request lines, headers, bodies) / gzip size
  of the payload. Target 1.1.

Run: `python -m bench.sync_backlog [--quick]`, or `run(quick=True)` from the bench runner.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from counter_app.core.clock import VN_TZ
from counter_app.core.roles import Actor, Role
from counter_app.services import dossiers as service
from counter_app.services.context import ServiceContext
from counter_app.services.setup import initialise_store
from counter_app.store import open_store
from sync.emulator import PortalEmulator
from sync.engine import SyncConfig, SyncEngine
from sync.protocol import gzip_bytes

BANDWIDTH = 125_000  # bytes/s = 1 Mbit/s
RTT = 0.3
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em")


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _fill(store, station, dossiers: int, events: int) -> None:
    rng = random.Random(5)
    start = datetime(2026, 3, 2, 8, 0, tzinfo=VN_TZ)
    clock = _Clock(start)
    ctx = ServiceContext(store, clock, station, Actor("canbo1", Role.CLERK))
    procedures = [p.code for p in ctx.catalogue().procedures][:8]
    per_day = max(1, dossiers // 22)
    day = 0
    for i in range(dossiers):
        if i and i % per_day == 0:
            day += 1
        clock.now = start + timedelta(days=day, minutes=(i % per_day) * 2)
        try:
            service.receive_dossier(
                ctx,
                procedure_code=rng.choice(procedures),
                applicant=service.ApplicantInput(
                    full_name=rng.choice(NAMES), phone=f"09{rng.randrange(10**8):08d}"
                ),
            )
        except Exception:
            service.receive_dossier(
                ctx,
                procedure_code="1.001193",
                applicant=service.ApplicantInput(full_name=rng.choice(NAMES)),
            )
    states = ("waiting", "called", "serving", "done")
    with store.transaction():
        for i in range(events):
            at = start + timedelta(seconds=i * 90)
            store.outbox.append(
                station_id=station.id,
                entity="ticket",
                entity_id=f"{at.date().isoformat()}/A{i % 300:03d}/{i // 4}",
                op=f"ticket.{states[i % 4]}",
                payload={
                    "label": f"A{i % 300:03d}",
                    "group": "A",
                    "state": states[i % 4],
                    "priority": "",
                    "counter": 1 + i % 3 if i % 4 else None,
                    "arrived_at": at.isoformat(),
                    "at": (at + timedelta(seconds=30 * (i % 4))).isoformat(),
                },
                at=at,
            )


def run(quick: bool) -> dict:
    dossiers, events = (600, 2000) if quick else (6000, 20000)
    folder = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    store = open_store(folder / "data")
    station = initialise_store(
        store,
        agency_code="000.00.01.H22",
        center_name="Trung tâm phục vụ hành chính công xã Tân Lập",
        now=datetime(2026, 3, 1, 8, 0, tzinfo=VN_TZ),
        actor=Actor("admin", Role.ADMIN),
        demo_key=True,  # a key file beside the store: no passphrase to type
    )
    t_fill = time.perf_counter()
    _fill(store, station, dossiers, events)
    fill_s = time.perf_counter() - t_fill
    # payloads are sealed at rest: read them through the outbox, as the engine does
    items = [
        {
            "key": i.idem_key,
            "op": i.op,
            "entity": i.entity,
            "entity_id": i.entity_id,
            "created_at": i.created_at.isoformat(),
            "payload": i.payload,
        }
        for i in store.outbox.pending(10**9)
    ]
    raw = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode()
    payload_gzip = len(gzip_bytes(raw))

    emulator = PortalEmulator(folder / "portal", faults=f"bandwidth={BANDWIDTH},latency={RTT}")
    emulator.start()
    try:
        engine = SyncEngine(
            store,
            folder / "data",
            emulator.url,
            clock=lambda: datetime(2026, 4, 1, 8, 0, tzinfo=VN_TZ),
            config=SyncConfig(),  # batches sized from the measured link
        )
        t0 = time.perf_counter()
        report = engine.run_until_idle(max_rounds=5)
        elapsed = time.perf_counter() - t0
        stats = emulator.state.stats()
    finally:
        emulator.stop()
        store.close()
    lower = payload_gzip / BANDWIDTH + 3 * RTT
    return {
        "dossiers": dossiers,
        "queue_events": events,
        "items": len(items),
        "fill_s": round(fill_s, 2),
        "pushed": report.pushed,
        "ok": report.ok and report.waiting == 0,
        "requests": stats["requests"],
        "payload_json_bytes": len(raw),
        "payload_gzip_bytes": payload_gzip,
        "wire_bytes_up": stats["bytes_in"],
        "wire_bytes_down": stats["bytes_out"],
        "elapsed_s": round(elapsed, 2),
        "lower_bound_s": round(lower, 2),
        "time_ratio": round(elapsed / lower, 3),
        "wire_ratio": round(stats["bytes_in"] / payload_gzip, 3),
        "wire_ratio_both_ways": round((stats["bytes_in"] + stats["bytes_out"]) / payload_gzip, 3),
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
