"""Dialect `motcua` against its emulator on 127.0.0.1: every dossier, progress step and
status arrives exactly once in the system's formats through faults (its wire has no key for
steps), a field the strict system refuses is set aside in Vietnamese, a wrong type is
refused with 400, and the server issues dated dossier codes (`GetNextValue`)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import requests

from counter_app.core.dossier import DossierStatus
from counter_app.services import dossiers as service
from sync.dialects import make_engine
from sync.dialects.motcua_fields import dossier_record
from sync.emulator_motcua import DEFAULT_CLIENT, MotcuaEmulator
from sync.engine import SyncConfig
from sync.testing_dialects import OFFLINE_BLOCK, configure_motcua
from tests.conftest import AGENCY

FAULTS = "5xx=0.1,drop_after=0.15,drop_before=0.05,seed=11"
FAST = SyncConfig(max_tries=1000, backoff_base=0.01, backoff_cap=0.05, pause_base=0.01)
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")
STEPS = (DossierStatus.PROCESSING, DossierStatus.DONE, DossierStatus.RETURNED)


@pytest.fixture
def emulator(tmp_path):
    emu = MotcuaEmulator(
        tmp_path / "motcua", faults=FAULTS, reserved={AGENCY: OFFLINE_BLOCK}
    ).start()
    yield emu
    emu.stop()


def configure(store, url: str) -> None:
    configure_motcua(store, url)


def emulator_get(url: str, name: str) -> dict:
    return requests.get(f"{url}/_emulator/{name}", timeout=10).json()


def sync_all(engine) -> object:
    for _ in range(30):
        report = engine.run_until_idle(max_rounds=10, horizon=0.5)
        if report.ok and report.waiting == 0:
            break
    return report


def test_every_dossier_step_and_status_arrives_once_in_motcua_fields(
    store, ctx, clock, station, emulator, tmp_path
):
    configure(store, emulator.url)
    codes = []
    for i in range(10):
        d = service.receive_dossier(
            ctx,
            procedure_code="1.001193",
            applicant=service.ApplicantInput(full_name=NAMES[i % 3], email=f"dan{i}@example.vn"),
        )
        codes.append(d.code)
        clock.now += timedelta(minutes=1)
    for code in codes[:5]:
        for target in STEPS:
            service.change_status(ctx, code=code, to=target)
            clock.now += timedelta(minutes=1)
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    report = sync_all(engine)
    assert report.ok and report.waiting == 0, report
    held = emulator_get(emulator.url, "dossiers")
    by_code = {d["record"]["MaHoSo"]: d for d in held["dossiers"]}
    assert sorted(by_code) == sorted(codes)
    for code in codes:
        local = store.dossiers.get(code)
        first = dossier_record(local, agency_code=station.agency_code)
        sent = by_code[code]["record"]
        # the dossier as received (created once), then its status as it stands now
        assert sent == {**first, "NgayHenTra": sent["NgayHenTra"]}
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", sent["NgayTiepNhan"])
        assert type(sent["LoaiDoiTuong"]) is int
        assert by_code[code]["TrangThai"] == int(local.status)
    steps = [(s["MaHoSo"], s["ThoiDiemXuLy"], s["TrangThai"]) for s in held["steps"]]
    assert len(steps) == len(set(steps)) == 15
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", s[1]) for s in steps)
    stats = emulator_get(emulator.url, "stats")
    assert stats["creates"] == 10 and stats["faults_drop_after"] > 0 and stats["faults_5xx"] > 0
    assert set(store.outbox.counts()) == {"synced"}
    print(f"motcua: {stats}")


def test_a_refused_field_is_set_aside_in_vietnamese_and_the_others_go_on(
    store, ctx, clock, station, emulator, tmp_path
):
    configure(store, emulator.url)
    emulator.state.set_faults(emulator.state.faults.__class__())
    codes = []
    for i, email in enumerate(("an@example.vn", "bình@bưuđiện.vn", "cuong@example.vn")):
        d = service.receive_dossier(
            ctx,
            procedure_code="1.001193",
            applicant=service.ApplicantInput(full_name=NAMES[i], email=email),
        )
        codes.append(d.code)
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    report = sync_all(engine)
    assert report.waiting == 0 and report.set_aside == 1
    (aside,) = store.outbox.attention()
    assert aside.entity_id == codes[1]
    assert aside.last_error == "Hệ thống một cửa từ chối bản ghi: trường «Email» không hợp lệ."
    held = emulator_get(emulator.url, "dossiers")
    assert sorted(d["record"]["MaHoSo"] for d in held["dossiers"]) == sorted([codes[0], codes[2]])


def test_wrong_types_get_400_and_codes_are_issued_by_the_server(emulator):
    emulator.state.set_faults(emulator.state.faults.__class__())
    token = requests.post(
        f"{emulator.url}/token",
        data={"grant_type": "client_credentials", **DEFAULT_CLIENT},
        timeout=10,
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    first = requests.get(
        f"{emulator.url}/GetNextValue", params={"code": "G09.20"}, headers=auth, timeout=10
    ).json()["value"]
    second = requests.get(
        f"{emulator.url}/GetNextValue", params={"code": "G09.20"}, headers=auth, timeout=10
    ).json()["value"]
    assert re.fullmatch(r"G09\.20-\d{8}-\d{7}", first) and first != second
    step = {
        "MaHoSo": "X",
        "ThoiDiemXuLy": "2026-04-29T09:00:00",
        "TrangThaiTruoc": 2,
        "TrangThai": "4",
    }
    answer = requests.post(
        f"{emulator.url}/CapNhatTienTrinh", json=[step], headers=auth, timeout=10
    )
    assert answer.status_code == 400 and "TrangThai" in answer.json()["message"]
    answer = requests.post(
        f"{emulator.url}/CapNhatTienTrinh",
        json=[{**step, "TrangThai": 4}],
        headers=auth,
        timeout=10,
    )
    assert answer.status_code == 404  # not held: our side tries again later
    assert requests.get(f"{emulator.url}/TraCuuHoSo", timeout=10).status_code == 401


def test_emulator_refuses_a_second_create_of_a_held_dossier(store, ctx, station, emulator):
    from sync.dialects.motcua_fields import dossier_record

    configure(store, emulator.url)
    emulator.state.set_faults(emulator.state.faults.__class__())
    d = service.receive_dossier(
        ctx, procedure_code="1.001193", applicant=service.ApplicantInput(full_name=NAMES[0])
    )
    token = requests.post(
        f"{emulator.url}/token",
        data={"grant_type": "client_credentials", **DEFAULT_CLIENT},
        timeout=10,
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    body = dossier_record(d, agency_code=station.agency_code)
    url = f"{emulator.url}/CreateDossier"
    assert requests.post(url, json=body, headers=auth, timeout=10).status_code == 200
    assert requests.post(url, json=body, headers=auth, timeout=10).status_code == 409
    assert emulator_get(emulator.url, "stats")["creates"] == 1


def test_a_token_the_system_forgot_is_renewed(store, ctx, clock, station, emulator, tmp_path):
    configure(store, emulator.url)
    emulator.state.set_faults(emulator.state.faults.__class__())
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    service.receive_dossier(
        ctx, procedure_code="1.001193", applicant=service.ApplicantInput(full_name=NAMES[0])
    )
    assert sync_all(engine).waiting == 0
    requests.post(f"{emulator.url}/_emulator/expire-tokens", timeout=10)
    service.receive_dossier(
        ctx, procedure_code="1.001193", applicant=service.ApplicantInput(full_name=NAMES[1])
    )
    report = engine.run_until_idle(max_rounds=5, horizon=0.5)
    assert report.ok and report.waiting == 0 and report.pushed == 1
    assert emulator_get(emulator.url, "stats")["dossiers_stored"] == 2
