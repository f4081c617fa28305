"""A 5xx that always hits the same record is that record's fault, not the link's: against
each dialect's emulator on 127.0.0.1, one record whose every call answers 5xx while the
others go through is set aside after `max_tries` with a Vietnamese reason and blocks
nothing; a 5xx for every record is the link's and never sets anything aside."""

from __future__ import annotations

import pytest
import requests

from counter_app.services import dossiers as service
from sync.dialects import make_engine
from sync.dialects.settings import save_settings
from sync.emulator import PortalEmulator
from sync.emulator_dvcqg import DEFAULT_ACCOUNT, DvcqgEmulator
from sync.emulator_motcua import MotcuaEmulator
from sync.engine import SyncConfig, SyncEngine
from sync.testing import admin
from sync.testing_dialects import OFFLINE_BLOCK, configure_motcua, emulator_get
from tests.conftest import AGENCY

TRIES = 3
CONFIG = SyncConfig(max_tries=TRIES, backoff_base=0.01, backoff_cap=0.02, pause_base=0.01)
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")


@pytest.fixture(params=["dvcqg", "motcua"])
def upstream(request, tmp_path, store):
    if request.param == "dvcqg":
        emu = DvcqgEmulator(tmp_path / "dvcqg").start()
        with store.transaction():
            save_settings(store, portal_url=emu.url, dialect="dvcqg", credentials=DEFAULT_ACCOUNT)
    else:
        emu = MotcuaEmulator(tmp_path / "motcua", reserved={AGENCY: OFFLINE_BLOCK}).start()
        configure_motcua(store, emu.url)
    yield emu
    emu.stop()


def receive(ctx, i: int) -> str:
    return service.receive_dossier(
        ctx,
        procedure_code="1.001193",
        applicant=service.ApplicantInput(full_name=NAMES[i % len(NAMES)]),
    ).code


def held(url: str) -> list[str]:
    dossiers = emulator_get(url, "dossiers")["dossiers"]
    return sorted(d.get("MaHoSo") or d["record"]["MaHoSo"] for d in dossiers)


def due_now(store) -> None:
    with store.transaction():
        store.conn.execute("UPDATE outbox SET next_try_epoch = 0 WHERE state = 'waiting'")


def test_a_record_the_upstream_always_fails_is_set_aside_and_the_others_go_on(
    store, ctx, clock, station, upstream, tmp_path
):
    bad = receive(ctx, 0)
    requests.post(f"{upstream.url}/_emulator/fail-record", json={"MaHoSo": bad}, timeout=10)
    engine = make_engine(store, tmp_path, upstream.url, config=CONFIG, clock=clock)
    good = []
    for i in range(1, TRIES + 2):  # every round, another record goes through
        good.append(receive(ctx, i))
        due_now(store)
        report = engine.run_once()
        assert report.ok, report
    assert held(upstream.url) == sorted(good)
    (aside,) = store.outbox.attention()
    assert aside.entity_id == bad
    assert aside.last_error.startswith("Cổng trả lỗi máy chủ (HTTP 50")
    assert f"{TRIES} lần liên tiếp cho hồ sơ này" in aside.last_error
    assert store.outbox.counts() == {"synced": len(good), "attention": 1}
    # an admin requeues it once the upstream is mended: it goes, once
    requests.post(
        f"{upstream.url}/_emulator/fail-record", json={"MaHoSo": bad, "on": False}, timeout=10
    )
    with store.transaction():
        store.outbox.requeue(None)
    assert engine.run_until_idle(max_rounds=5, horizon=0.5).waiting == 0
    assert held(upstream.url) == sorted([bad, *good])


def test_a_5xx_for_every_record_is_the_links_and_sets_nothing_aside(
    store, ctx, clock, station, upstream, tmp_path
):
    codes = [receive(ctx, i) for i in range(3)]
    requests.post(f"{upstream.url}/_emulator/faults", json={"spec": "5xx=1.0"}, timeout=10)
    engine = make_engine(store, tmp_path, upstream.url, config=CONFIG, clock=clock)
    for _ in range(TRIES * 3):
        due_now(store)
        report = engine.run_once()
        assert report.pushed == 0 and report.set_aside == 0
    assert store.outbox.counts() == {"waiting": 3}
    assert all(row[0] == 0 for row in store.query("SELECT tries FROM outbox"))
    requests.post(f"{upstream.url}/_emulator/faults", json={"spec": ""}, timeout=10)
    due_now(store)
    assert engine.run_until_idle(max_rounds=5, horizon=0.5).waiting == 0
    assert held(upstream.url) == sorted(codes)


def test_a_round_in_which_the_only_record_met_a_5xx_is_not_a_success(
    store, ctx, clock, station, upstream, tmp_path
):
    """Fewer records than the round's failure limit: the round still ends, but the status
    bar must not read it as a sync that worked."""
    receive(ctx, 0)
    requests.post(f"{upstream.url}/_emulator/faults", json={"spec": "5xx=1.0"}, timeout=10)
    engine = make_engine(store, tmp_path, upstream.url, config=CONFIG, clock=clock)
    report = engine.run_once()
    assert (report.ok, report.pushed, report.retry_later) == (False, 0, 1)
    assert "HTTP 5" in report.error
    assert store.sync_state.last_round(ok_only=True) is None


def test_a_link_that_fails_midway_through_a_round_charges_no_record(
    store, ctx, clock, station, upstream, tmp_path
):
    """The first record goes, then every call answers 5xx until the round gives up: the
    link's fault, though another record went through in that round."""

    def fail_after_a_success(point: str) -> None:
        if point == "push.committed":
            requests.post(f"{upstream.url}/_emulator/faults", json={"spec": "5xx=1.0"}, timeout=10)

    codes = [receive(ctx, i) for i in range(TRIES + 6)]
    engine = make_engine(
        store, tmp_path, upstream.url, config=CONFIG, clock=clock, hook=fail_after_a_success
    )
    for _ in range(TRIES + 1):
        requests.post(f"{upstream.url}/_emulator/faults", json={"spec": ""}, timeout=10)
        due_now(store)
        report = engine.run_once()
        assert report.pushed == 1 and not report.ok
    assert store.outbox.counts() == {"synced": TRIES + 1, "waiting": 5}
    requests.post(f"{upstream.url}/_emulator/faults", json={"spec": ""}, timeout=10)
    due_now(store)
    engine.hook = lambda point: None
    assert engine.run_until_idle(max_rounds=5, horizon=0.5).waiting == 0
    assert held(upstream.url) == sorted(codes)


# ---- the reference engine (sync/engine.py): batches, halved down to the failing item ----


@pytest.fixture
def portal(tmp_path):
    emu = PortalEmulator(tmp_path / "portal").start()
    yield emu
    emu.stop()


def test_reference_a_record_the_portal_chokes_on_is_set_aside_the_others_go_on(
    store, ctx, clock, station, portal, tmp_path
):
    bad = receive(ctx, 0)
    admin(portal.url, "poison", {"entity_id": bad, "mode": "5xx"})
    engine = SyncEngine(store, tmp_path, portal.url, config=CONFIG, clock=clock)
    for i in range(1, TRIES + 2):
        receive(ctx, i)
        due_now(store)
        engine.run_once()
    (aside,) = store.outbox.attention()
    assert aside.entity_id == bad and "HTTP 503" in aside.last_error
    assert store.outbox.counts() == {"synced": TRIES + 1, "attention": 1}


def test_reference_a_5xx_for_every_record_is_the_links(
    store, ctx, clock, station, portal, tmp_path
):
    for i in range(3):
        receive(ctx, i)
    engine = SyncEngine(store, tmp_path, portal.url, config=CONFIG, clock=clock)
    engine.client.token()  # a token in hand: the pushes themselves meet the 5xx
    admin(portal.url, "faults", {"spec": "5xx=1.0"})
    for _ in range(TRIES * 3):
        due_now(store)
        assert engine.run_once().pushed == 0
    assert store.outbox.counts() == {"waiting": 3}
    admin(portal.url, "faults", {"spec": ""})
    due_now(store)
    assert engine.run_until_idle(max_rounds=5, horizon=0.5).waiting == 0
