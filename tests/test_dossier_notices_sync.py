"""An extended due date and a stop reach the upstream in each dialect, through its emulator on
127.0.0.1 with faults on: dvcqg gets the dossier again with the new NgayHenTra and a progress
step whose NgayKetThucTheoQuyDinh is the new date; motcua gets the step in CapNhatTienTrinh."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

import requests

from counter_app.core.clock import VN_TZ
from counter_app.services import dossiers as service
from counter_app.services.code_pool import refill_code_pool
from counter_app.services.dossier_notices import extend_due, stop_dossier
from sync.dialects import make_engine
from sync.dialects.settings import save_settings
from sync.emulator_dvcqg import DEFAULT_ACCOUNT, DvcqgEmulator
from sync.emulator_motcua import DEFAULT_CLIENT, MotcuaEmulator
from sync.engine import SyncConfig
from sync.errors import UpstreamFault

FAULTS = "5xx=0.1,drop_after=0.15,seed=11"
FAST = SyncConfig(max_tries=1000, backoff_base=0.01, backoff_cap=0.05, pause_base=0.01)
LATER = datetime(2026, 5, 8, 16, 30, tzinfo=VN_TZ)


def two_moves(ctx, clock) -> tuple[str, str]:
    codes = []
    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        d = service.receive_dossier(
            ctx, procedure_code="1.000689", applicant=service.ApplicantInput(full_name=name)
        )
        codes.append(d.code)
        clock.now += timedelta(minutes=1)
    extend_due(ctx, code=codes[0], until=LATER, reason="Cần xác minh thêm.")
    clock.now += timedelta(minutes=1)
    stop_dossier(ctx, code=codes[1], reason="Công dân đề nghị dừng.")
    return codes[0], codes[1]


def fill_pool(ctx, engine) -> None:
    """Faults are on: a refill that met one keeps what it got; try again until full."""
    for _ in range(50):
        with contextlib.suppress(UpstreamFault):
            refill_code_pool(ctx, engine.dialect)
            return
    raise AssertionError("the code pool never filled")


def sync_all(engine) -> None:
    for _ in range(30):
        report = engine.run_until_idle(max_rounds=10, horizon=0.5)
        if report.ok and report.waiting == 0:
            return
    raise AssertionError(f"still waiting: {report}")


def test_dvcqg_gets_the_new_due_date_and_the_stop(store, ctx, clock, tmp_path):
    emulator = DvcqgEmulator(tmp_path / "dvcqg", faults=FAULTS).start()
    try:
        with store.transaction():
            save_settings(store, portal_url=emulator.url, dialect="dvcqg",
                          credentials=DEFAULT_ACCOUNT)  # fmt: skip
        extended, stopped = two_moves(ctx, clock)
        sync_all(make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock))
        held = requests.get(f"{emulator.url}/_emulator/dossiers", timeout=10).json()
    finally:
        emulator.stop()
    by_code = {d["MaHoSo"]: d for d in held["dossiers"]}
    assert by_code[extended]["NgayHenTra"] == "20260508163000"
    assert by_code[extended]["TrangThaiHoSo"] == "2"
    assert by_code[stopped]["TrangThaiHoSo"] == "8"
    steps = {p["MaHoSo"]: p for p in held["progress"]}  # the last step of each
    assert len(held["progress"]) == 4  # intake's step of each dossier, then its notice
    assert steps[extended]["NgayKetThucTheoQuyDinh"] == "20260508163000"
    assert steps[extended]["NoiDungXuLy"].startswith("Gia hạn hẹn trả từ ")
    assert steps[extended]["NoiDungXuLy"].endswith("Lý do: Cần xác minh thêm.")
    assert steps[stopped]["TrangThai"] == "8"
    assert steps[stopped]["NoiDungXuLy"].startswith("Công dân đề nghị dừng.\nĐề nghị Ông/Bà: ")


def test_motcua_gets_the_new_due_date_as_a_progress_step(store, ctx, clock, tmp_path):
    emulator = MotcuaEmulator(tmp_path / "motcua", faults=FAULTS).start()
    emulator.state.day = clock.now.strftime("%Y%m%d")  # codes carry the day they serve
    try:
        with store.transaction():
            save_settings(store, portal_url=emulator.url, dialect="motcua",
                          credentials=DEFAULT_CLIENT)  # fmt: skip
        engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
        fill_pool(ctx, engine)  # motcua's codes come from the server
        extended, stopped = two_moves(ctx, clock)
        sync_all(engine)
        held = requests.get(f"{emulator.url}/_emulator/dossiers", timeout=10).json()
    finally:
        emulator.stop()
    steps = {s["MaHoSo"]: s for s in held["steps"]}
    assert len(held["steps"]) == 2
    assert steps[extended]["NgayKetThucTheoQuyDinh"] == "2026-05-08T16:30:00"
    assert steps[extended]["TrangThai"] == 2
    assert steps[stopped]["TrangThai"] == 8
    statuses = {d["record"]["MaHoSo"]: d["TrangThai"] for d in held["dossiers"]}
    assert statuses == {extended: 2, stopped: 8}
