"""A status push names the status it moves from (issue 20 #7): the portal moved a dossier
2→4→9 while the counter, not yet updated, pushed its own 2→4. Against the real emulator on
127.0.0.1, the portal refuses the stale move and the counter records a conflict; against a
portal that does not check, the counter still never applies the portal's older change over
its own accepted move. Either way the counter and the portal end on the same status."""

from __future__ import annotations

import pytest
import requests

from counter_app.core.dossier import DossierStatus
from counter_app.services import dossiers as service
from sync.emulator import Faults, PortalEmulator
from sync.engine import SyncConfig, SyncEngine
from sync.status import sync_status
from sync.testing import admin, check_exactly_once, station_view

FAST = SyncConfig(max_tries=200, backoff_base=0.01, backoff_cap=0.05, pause_base=0.01)


@pytest.fixture
def emulator(tmp_path):
    emu = PortalEmulator(tmp_path / "portal").start()
    yield emu
    emu.stop()


def portal_moves(url: str, station_id: str, code: str, *moves: tuple[int, int]) -> None:
    """The portal's own moves (a higher level processing the dossier), into its feed."""
    for before, after in moves:
        data = {"MaHoSo": code, "TrangThaiTruoc": before, "TrangThai": after,
                "NoiDungXuLy": "Phòng chuyên môn cập nhật"}  # fmt: skip
        admin(url, "upstream", {"station_id": station_id, "kind": "dossier.status",
                                "entity_id": code, "data": data})  # fmt: skip


def received_and_pushed(ctx, store, tmp_path, emulator, clock) -> tuple[str, SyncEngine]:
    code = service.receive_dossier(
        ctx, procedure_code="1.001193", applicant=service.ApplicantInput(full_name="Lê Văn An")
    ).code
    engine = SyncEngine(store, tmp_path / "data", emulator.url, config=FAST, clock=clock)
    assert engine.run_until_idle(max_rounds=5, horizon=1.0).ok
    return code, engine


def test_a_stale_move_is_refused_and_becomes_a_conflict(
    store, ctx, clock, station, tmp_path, emulator
):
    code, engine = received_and_pushed(ctx, store, tmp_path, emulator, clock)
    portal_moves(emulator.url, station.id, code, (2, 4), (4, 9))
    service.change_status(ctx, code=code, to=DossierStatus.PROCESSING)  # 2→4 here, unsent
    report = engine.run_until_idle(max_rounds=5, horizon=1.0)
    assert report.ok and report.conflicts == 1
    portal = station_view(emulator.url, station.id)["dossiers"][code]["status"]
    assert portal == 9  # the portal kept its newer status
    (conflict,) = store.sync_state.conflicts()
    assert (conflict.entity_id, conflict.local_status, conflict.portal_status) == (code, 4, 9)
    assert "Cổng từ chối chuyển hồ sơ từ «Được tiếp nhận» sang «Đang xử lý»" in conflict.reason
    assert "«Đã xử lý xong»" in conflict.reason
    # the refused move is answered, not waiting: the portal's 4→9 was pulled after it
    assert store.dossiers.get(code).status == DossierStatus.DONE == portal
    assert sync_status(store)["waiting"] == 0 and len(sync_status(store)["conflicts"]) == 1
    refused = store.query("SELECT payload FROM outbox WHERE state = 'conflict'")
    assert [r["payload"] for r in refused] == [""]  # never sent again: no citizen data kept
    assert store.sync_state.cursor() == "2"  # both of its changes pulled
    check_exactly_once(store, emulator.url, station.id)
    # a clerk keeps the portal's status: nothing to move, the conflict closes
    from sync.conflicts import resolve_conflict

    assert (
        resolve_conflict(store, conflict.id, actor=ctx.actor, keep="portal", clock=clock)["applied"]
        is None
    )
    assert store.sync_state.conflicts() == []


def test_an_older_pulled_change_never_undoes_our_accepted_move(
    store, ctx, clock, station, tmp_path, emulator
):
    """A portal that takes any move (it does not check where it moves from): our 2→4 is
    accepted over its 9. The portal's 2→4 and 4→9, older than our accepted move, are not
    applied here: the counter stays on what the portal now holds."""
    code, engine = received_and_pushed(ctx, store, tmp_path, emulator, clock)
    portal_moves(emulator.url, station.id, code, (2, 4), (4, 9))
    emulator.state.set_faults(Faults(status_unchecked=1.0))
    service.change_status(ctx, code=code, to=DossierStatus.PROCESSING)
    report = engine.run_until_idle(max_rounds=5, horizon=1.0)
    assert report.ok and report.conflicts == 0
    portal = station_view(emulator.url, station.id)["dossiers"][code]["status"]
    assert portal == 4
    assert store.dossiers.get(code).status == DossierStatus.PROCESSING == portal
    superseded = store.query("SELECT count(*) FROM audit WHERE action = 'sync.pull.superseded'")
    assert superseded[0][0] == 2
    # a change the portal makes after our move is applied as ever
    portal_moves(emulator.url, station.id, code, (4, 9))
    assert engine.run_until_idle(max_rounds=5, horizon=1.0).ok
    assert store.dossiers.get(code).status == DossierStatus.DONE
    check_exactly_once(store, emulator.url, station.id)


def _dialect(kind: str, tmp_path, store):
    """A dialect's emulator, and the store pointed at it."""
    from sync.dialects.settings import save_settings
    from sync.emulator_dvcqg import DEFAULT_ACCOUNT, DvcqgEmulator
    from sync.emulator_motcua import MotcuaEmulator
    from sync.testing_dialects import OFFLINE_BLOCK, configure_motcua
    from tests.conftest import AGENCY

    if kind == "dvcqg":
        emu = DvcqgEmulator(tmp_path / kind).start()
        with store.transaction():
            save_settings(store, portal_url=emu.url, dialect="dvcqg", credentials=DEFAULT_ACCOUNT)
    else:
        emu = MotcuaEmulator(tmp_path / kind, reserved={AGENCY: OFFLINE_BLOCK}).start()
        configure_motcua(store, emu.url)
    return emu


def _portal_status(kind: str, url: str, code: str) -> int:
    held = requests.get(f"{url}/_emulator/dossiers", timeout=10).json()["dossiers"]
    if kind == "dvcqg":
        return int(next(d for d in held if d["MaHoSo"] == code)["TrangThaiHoSo"])
    return next(d for d in held if d["record"]["MaHoSo"] == code)["TrangThai"]


@pytest.mark.parametrize("kind", ["dvcqg", "motcua"])
def test_a_dialect_upstream_refuses_a_stale_move_and_a_conflict_is_recorded(
    kind, store, ctx, clock, station, tmp_path
):
    """The one-door system moved the dossier to 9 itself; our 2→4, pushed after, names 2
    as where it starts: refused, recorded as a conflict, never sent again, and the system
    keeps 9."""
    from sync.dialects import make_engine

    emu = _dialect(kind, tmp_path, store)
    try:
        code = service.receive_dossier(
            ctx, procedure_code="1.001193", applicant=service.ApplicantInput(full_name="Lê Văn An")
        ).code
        engine = make_engine(store, tmp_path, emu.url, config=FAST, clock=clock)
        assert engine.run_until_idle(max_rounds=5, horizon=0.5).ok
        moved = requests.post(
            f"{emu.url}/_emulator/move",
            json={"MaHoSo": code, "TrangThai": "9" if kind == "dvcqg" else 9},
            timeout=10,
        )
        assert moved.status_code == 200
        service.change_status(ctx, code=code, to=DossierStatus.PROCESSING)
        report = engine.run_until_idle(max_rounds=5, horizon=0.5)
        assert report.ok and report.conflicts == 1 and report.set_aside == 0, report
        assert _portal_status(kind, emu.url, code) == 9
        (conflict,) = store.sync_state.conflicts()
        assert (conflict.entity_id, conflict.local_status, conflict.portal_status) == (code, 4, 9)
        assert "Cổng từ chối chuyển hồ sơ từ «Được tiếp nhận» sang «Đang xử lý»" in conflict.reason
        assert store.outbox.counts() == {"synced": 1, "conflict": 1}
        assert engine.run_until_idle(max_rounds=5, horizon=0.5).pushed == 0  # never again
        # the clerk keeps the portal's status: the move 4→9 goes up and is taken
        from sync.conflicts import resolve_conflict

        resolve_conflict(store, conflict.id, actor=ctx.actor, keep="portal", clock=clock)
        report = engine.run_until_idle(max_rounds=5, horizon=0.5)
        assert report.ok and report.pushed == 1 and report.conflicts == 0, report
        assert store.dossiers.get(code).status == DossierStatus.DONE
        assert _portal_status(kind, emu.url, code) == 9
    finally:
        emu.stop()
