"""Dialects `dvcqg` and `motcua`: SIGKILL the sync process at random moments (forkserver
children and the real `counter-app sync --dialect ...` command) with faults on, and lose or
duplicate nothing: neither wire has an idempotency key for every call, so this is what proves
our side's look-ups."""

from __future__ import annotations

import multiprocessing
import random
import signal
from datetime import timedelta

import pytest

from counter_app.core.dossier import DossierStatus
from counter_app.services import dossiers as service
from sync.dialects import make_engine
from sync.dialects.settings import save_settings
from sync.emulator_dvcqg import DEFAULT_ACCOUNT, DvcqgEmulator
from sync.emulator_motcua import DEFAULT_CLIENT, MotcuaEmulator
from sync.emulator_state import Faults
from sync.engine import SyncConfig
from sync.testing import kill_child_at_random, kill_cli_sync
from sync.testing_dialects import (
    OFFLINE_BLOCK,
    check_dvcqg_exactly_once,
    check_motcua_exactly_once,
    configure_motcua,
    dialect_sync_child,
)
from tests.conftest import AGENCY

NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")
KILLS = 30
CLI_KILLS = 3
STEPS = (DossierStatus.PROCESSING, DossierStatus.DONE, DossierStatus.RETURNED)


FAULTS = "5xx=0.1,drop_after=0.15,drop_before=0.05,latency=0.01,seed=5"
KINDS = {
    "dvcqg": (DvcqgEmulator, DEFAULT_ACCOUNT),
    "motcua": (MotcuaEmulator, DEFAULT_CLIENT),
}


@pytest.fixture(params=sorted(KINDS))
def dialect(request):
    return request.param


@pytest.fixture
def emulator(tmp_path, dialect):
    kind, _ = KINDS[dialect]
    extra = {"reserved": {AGENCY: OFFLINE_BLOCK}} if dialect == "motcua" else {}
    emu = kind(tmp_path / dialect, faults=FAULTS, **extra).start()
    yield emu
    emu.stop()


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(
    store, ctx, clock, station, tmp_path, emulator, dialect
):
    rng = random.Random(20261129)
    account = KINDS[dialect][1]
    with store.transaction():
        save_settings(store, portal_url=emulator.url, dialect=dialect, credentials=account)
    if dialect == "motcua":  # no pool filled: every code from the reserved offline block
        configure_motcua(store, emulator.url)
    mp = multiprocessing.get_context("forkserver")
    mp.set_forkserver_preload(
        ["sync.testing_dialects", "sync.item_engine", "sync.dialects.dvcqg", "sync.dialects.motcua"]
    )
    data_dir = str(tmp_path / "data")
    moving: list[tuple[str, int]] = []  # dossiers with steps still to take
    kills = 0
    for round_no in range(KILLS):
        for _ in range(rng.randint(1, 3)):
            d = service.receive_dossier(
                ctx,
                procedure_code="1.001193",
                applicant=service.ApplicantInput(full_name=rng.choice(NAMES)),
            )
            moving.append((d.code, 0))
            clock.now += timedelta(seconds=30)
        for i, (code, done) in enumerate(list(moving)):
            if done < len(STEPS) and rng.random() < 0.4:
                service.change_status(ctx, code=code, to=STEPS[done])
                moving[i] = (code, done + 1)
                clock.now += timedelta(seconds=30)
        args = (data_dir, emulator.url, clock.now.isoformat(), round_no, dialect)
        kill_child_at_random(mp, dialect_sync_child, args, rng)
        kills += 1

    for _ in range(CLI_KILLS):
        code = kill_cli_sync(data_dir, emulator.url, rng, "--dialect", dialect)
        assert code == -signal.SIGKILL  # killed at work, not already gone
        kills += 1

    emulator.state.set_faults(Faults())  # the link heals; one clean run finishes the job
    with store.transaction():
        store.conn.execute("UPDATE outbox SET next_try_epoch = 0")
    engine = make_engine(
        store,
        data_dir,
        emulator.url,
        clock=clock,
        config=SyncConfig(max_tries=1000, backoff_base=0.01, backoff_cap=0.02, pause_base=0.01),
    )
    report = engine.run_until_idle(max_rounds=30, horizon=1.0)
    assert report.ok and report.waiting == 0, report
    if dialect == "dvcqg":
        figures = check_dvcqg_exactly_once(store, emulator.url, station.center_name)
    else:
        figures = check_motcua_exactly_once(store, emulator.url, station.agency_code)
    assert store.integrity_check() == "ok"
    assert kills >= 30 and figures["steps"] > 10
    print(f"kills={kills} {figures}")
