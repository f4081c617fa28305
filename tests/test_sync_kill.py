"""SIGKILL the sync process at random moments, restart it, and lose or duplicate nothing.

Children come from a forkserver that has already imported the sync modules, so a restart
costs milliseconds and the kills land inside real work (HTTP in flight, commits, pulls).
A few kills also hit the real `counter-app sync` command in a subprocess.
"""

from __future__ import annotations

import multiprocessing
import random

import pytest

from counter_app.services import dossiers as service
from sync.emulator import Faults, PortalEmulator
from sync.engine import SyncConfig, SyncEngine
from sync.testing import (
    admin,
    check_exactly_once,
    kill_child_at_random,
    kill_cli_sync,
    pulled_seqs,
    station_view,
    sync_child,
)

NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")
KILLS = 32
CLI_KILLS = 3


@pytest.fixture
def emulator(tmp_path):
    emu = PortalEmulator(
        tmp_path / "portal", faults="5xx=0.1,drop_after=0.15,drop_before=0.05,latency=0.01,seed=3"
    ).start()
    yield emu
    emu.stop()


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(
    store, ctx, clock, station, tmp_path, emulator
):
    rng = random.Random(20260429)
    mp = multiprocessing.get_context("forkserver")
    mp.set_forkserver_preload(["sync.testing", "sync.engine", "sync.client"])
    data_dir = str(tmp_path / "data")
    kills = 0
    for round_no in range(KILLS):
        for _ in range(rng.randint(1, 4)):
            service.receive_dossier(
                ctx,
                procedure_code="1.001193",
                applicant=service.ApplicantInput(full_name=rng.choice(NAMES)),
            )
        if round_no % 4 == 0:
            admin(emulator.url, "advance", {"steps": 1})
        args = (data_dir, emulator.url, clock.now.isoformat(), round_no)
        kill_child_at_random(mp, sync_child, args, rng)
        kills += 1

    for _ in range(CLI_KILLS):
        kill_cli_sync(data_dir, emulator.url, rng)
        kills += 1

    # the link heals; one clean run finishes the job
    emulator.state.set_faults(Faults())
    admin(emulator.url, "advance", {"steps": 1})
    engine = SyncEngine(
        store,
        data_dir,
        emulator.url,
        clock=clock,
        config=SyncConfig(max_tries=1000, backoff_base=0.01, backoff_cap=0.02, pause_base=0.01),
    )
    with store.transaction():  # kills may have left retries scheduled a little ahead
        store.conn.execute("UPDATE outbox SET next_try_epoch = 0")
    report = engine.run_until_idle(max_rounds=20, horizon=1.0)
    assert report.ok and report.waiting == 0

    figures = check_exactly_once(store, emulator.url, station.id)
    # every upstream change applied exactly once, in order, and local = portal status
    seqs = pulled_seqs(store)
    assert len(seqs) == len(set(seqs)) == station_view(emulator.url, station.id)["changes"]
    assert not store.sync_state.conflicts()
    portal = station_view(emulator.url, station.id)["dossiers"]
    for code, info in portal.items():
        assert int(store.dossiers.get(code).status) == info["status"]
    assert store.integrity_check() == "ok"
    assert kills >= 30
    stats = admin(emulator.url, "stats")
    print(
        f"kills={kills} items={figures['items']} dossiers={figures['dossiers']} "
        f"duplicates_answered={stats['duplicates']} changes={figures['changes']}"
    )
