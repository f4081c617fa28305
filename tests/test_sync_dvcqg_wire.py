"""Dialect `dvcqg` as the public integration (VietOpenCPS/opencps-v2,
DVCQGIntegrationActionImpl.java) does it, against the real emulator on 127.0.0.1: a fresh
login and one more try before a non-success answer counts as a refusal; any non-empty
`TraCuuHoSo` answer means "held"; `TenTTHC` and `MaLinhVuc` are the portal's own from
`LayThuTuc` (asked once per procedure, or kept by the catalogue pull); fees and the paper
checklist go as empty lists, `TaiLieuNop` always, `MaDoiTuong` empty; every push is followed
by a progress step, intake's too. And `portal-emulator --reserve` for the motcua offline
block."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime

import pytest
import requests

from counter_app.core.clock import VN_TZ
from counter_app.services import dossiers as service
from sync.dialects import make_engine
from sync.dialects.dvcqg import DvcqgDialect
from sync.dialects.settings import save_settings
from sync.emulator_dvcqg import DEFAULT_ACCOUNT, DvcqgEmulator
from sync.emulator_dvcqg_catalogue import seed
from sync.engine import SyncConfig
from sync.portal_port import DIALECT_PORTAL
from tests.conftest import AGENCY

FAST = SyncConfig(max_tries=3, backoff_base=0.01, backoff_cap=0.02, pause_base=0.01)
CITIZEN_ID = "001090000123"


@pytest.fixture
def emulator(tmp_path):
    emu = DvcqgEmulator(tmp_path / "dvcqg").start()
    yield emu
    emu.stop()


def admin(url: str, name: str, body: dict | None = None) -> dict:
    if body is None:
        return requests.get(f"{url}/_emulator/{name}", timeout=10).json()
    return requests.post(f"{url}/_emulator/{name}", json=body, timeout=10).json()


def receive(ctx) -> str:
    applicant = service.ApplicantInput("Lê Văn Cường", citizen_id=CITIZEN_ID)
    return service.receive_dossier(ctx, procedure_code="1.001193", applicant=applicant).code


def engine_for(store, tmp_path, url, clock):
    with store.transaction():
        save_settings(store, portal_url=url, dialect="dvcqg", credentials=DEFAULT_ACCOUNT)
    return make_engine(store, tmp_path, url, config=FAST, clock=clock)


def test_the_pushed_record_follows_the_public_integration(store, ctx, clock, emulator, tmp_path):
    engine = engine_for(store, tmp_path, emulator.url, clock)
    codes = [receive(ctx), receive(ctx)]
    report = engine.run_once()
    assert report.ok and report.pushed == 2
    national = next(p for p in seed() if p["MATTHC"] == "1.001193")
    held = admin(emulator.url, "dossiers")
    for record in held["dossiers"]:
        assert record["TenTTHC"] == national["TENTTHC"]
        assert record["MaLinhVuc"] == national["LINHVUCTHUCHIEN"][0]["MALINHVUC"]
        assert record["DanhSachLePhi"] == record["DanhSachTepDinhKemKhac"] == []
        assert record["TaiLieuNop"] == [] and record["MaDoiTuong"] == ""
    assert CITIZEN_ID not in str(held["dossiers"])  # the citizen id is not the portal's id
    # intake's own progress step, one per dossier
    assert sorted(p["MaHoSo"] for p in held["progress"]) == sorted(codes)
    assert {p["TrangThai"] for p in held["progress"]} == {"2"}
    assert admin(emulator.url, "stats")["catalogue_reads"] == 1  # asked once, then kept


def test_a_catalogue_pull_keeps_the_names_so_a_push_asks_for_none(
    store, ctx, clock, emulator, tmp_path
):
    from counter_app.core.roles import Role
    from counter_app.services.catalogue_pull import pull_catalogue
    from tests.conftest import make_ctx

    engine = engine_for(store, tmp_path, emulator.url, clock)
    pull_catalogue(make_ctx(store, clock, ctx.station, Role.ADMIN, "admin"), portal=DIALECT_PORTAL)
    reads = admin(emulator.url, "stats")["catalogue_reads"]
    receive(ctx)
    assert engine.run_once().pushed == 1
    assert admin(emulator.url, "stats")["catalogue_reads"] == reads


def test_a_non_success_answer_is_tried_once_more_under_a_fresh_login(
    store, ctx, clock, emulator, tmp_path
):
    engine = engine_for(store, tmp_path, emulator.url, clock)
    receive(ctx)
    assert engine.run_once().pushed == 1  # names kept, one login
    logins = admin(emulator.url, "stats")["logins"]
    code = receive(ctx)
    admin(emulator.url, "refuse-next", {"codes": ["-9"]})
    report = engine.run_once()
    assert report.pushed == 1 and report.set_aside == 0
    assert admin(emulator.url, "stats")["logins"] == logins + 1
    assert code in {d["MaHoSo"] for d in admin(emulator.url, "dossiers")["dossiers"]}
    # refused again under the fresh login: now a refusal, in our words
    receive(ctx)
    admin(emulator.url, "refuse-next", {"codes": ["-9", "-9"]})
    report = engine.run_once()
    assert report.set_aside == 1
    assert store.outbox.attention()[0].last_error == "Cổng từ chối bản ghi (mã lỗi -9)."


def test_any_non_empty_lookup_answer_means_held(store, ctx, clock, emulator, tmp_path):
    engine = engine_for(store, tmp_path, emulator.url, clock)
    code = receive(ctx)
    assert engine.run_once().pushed == 1
    admin(emulator.url, "bare-lookup", {"on": True})  # entries without their MaHoSo
    upstream = DvcqgDialect(store, emulator.url, DEFAULT_ACCOUNT)
    assert upstream.lookup(code) is not None
    assert upstream.lookup("000.00.01.H22-260429-9999") is None
    # a station that lost what it knew (an answer lost) updates instead of creating again
    with store.transaction():
        store.sync_state.delete("dvcqg.known:" + code)
    service.change_status(ctx, code=code, to=service.DossierStatus.PROCESSING)
    item = store.outbox.due_waiting(9e12, 1)[0]
    upstream.send(item, unsure=True)
    stats = admin(emulator.url, "stats")
    assert stats["creates"] == 1 and stats["updates"] == 1 and stats["refused"] == 0


def test_portal_emulator_reserves_an_offline_block_from_the_command_line(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "counter_app", "portal-emulator", "--dialect", "motcua",
         "--port", "0", "--data", str(tmp_path / "emu"), "--reserve", f"{AGENCY}=9000-9999"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+", proc.stdout.readline()).group(0)
        proc.stdout.readline()  # the account
        assert proc.stdout.readline().strip() == f"Dải số dự phòng của {AGENCY}: 0009000-0009999"
        from sync.dialects.motcua_fields import dossier_record
        from sync.emulator_motcua import DEFAULT_CLIENT

        token = requests.post(f"{url}/token", data={"grant_type": "client_credentials",
                              **DEFAULT_CLIENT}, timeout=10).json()["access_token"]  # fmt: skip
        auth = {"Authorization": f"Bearer {token}"}
        day = datetime.now(VN_TZ).strftime("%Y%m%d")
        issued = requests.get(f"{url}/GetNextValue", params={"code": AGENCY}, headers=auth,
                              timeout=10).json()["value"]  # fmt: skip
        assert issued.endswith("-0000001")  # the server never issues from the block
        offline = f"{AGENCY}-{day}-0009000"
        outside = f"{AGENCY}-{day}-0008999"
        record = {"MaHoSo": offline, "MaTTHC": "1.001193", "MaDichVuCong": "1.001193",
                  "ChuHoSo": "A", "LoaiDoiTuong": 1, "MaDonViTiepNhan": AGENCY,
                  "NgayNop": "2026-01-31 09:00:00", "NgayTiepNhan": "2026-01-31 09:00:00",
                  "ThanhPhanHoSo": [], "ThongTinNguoiNop": {"LoaiDoiTuong": 1,
                  "ThongTinChiTiet": {"TenNguoiNop": "A"}}}  # fmt: skip
        assert dossier_record  # the same shape the dialect sends (tests/test_sync_motcua.py)
        create = f"{url}/CreateDossier"
        assert requests.post(create, json=record, headers=auth, timeout=10).status_code == 200
        record["MaHoSo"] = outside
        assert requests.post(create, json=record, headers=auth, timeout=10).status_code == 404
    finally:
        proc.terminate()
        proc.wait(10)


def test_portal_emulator_refuses_a_malformed_block_in_vietnamese(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "counter_app", "portal-emulator", "--dialect", "motcua",
         "--data", str(tmp_path / "emu"), "--reserve", "9000-9999"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "cần dạng MÃ_ĐƠN_VỊ=ĐẦU-CUỐI" in done.stderr and "Traceback" not in done.stderr
