"""Dialect `dvcqg` against its emulator on 127.0.0.1: every dossier, progress step and monthly
satisfaction summary arrives exactly once in the portal's field formats through faults, a
record the strict emulator refuses is set aside with a Vietnamese reason while the others
go on, and the emulator refuses a wrong type with the dialect's envelope."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

import pytest
import requests

from counter_app.core.dossier import DossierStatus
from counter_app.core.roles import Role
from counter_app.services import dossiers as service
from counter_app.services.queue import take_ticket
from counter_app.services.ratings import rate_service
from sync.dialects import make_engine
from sync.dialects.settings import save_settings
from sync.emulator_dvcqg import DEFAULT_ACCOUNT, DvcqgEmulator
from sync.engine import SyncConfig
from sync.testing_dialects import sent_as
from tests.conftest import make_ctx

FAULTS = "5xx=0.1,drop_after=0.15,drop_before=0.05,seed=7"
DATE = re.compile(r"^(\d{14})?$")
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")
DATE_FIELDS = ("NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy")
STEP_DATES = ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh")
FAST = SyncConfig(max_tries=1000, backoff_base=0.01, backoff_cap=0.05, pause_base=0.01)


@pytest.fixture
def emulator(tmp_path):
    emu = DvcqgEmulator(tmp_path / "dvcqg", faults=FAULTS).start()
    yield emu
    emu.stop()


def back_to(store, clock, station, when) -> None:
    """Last month again, as an admin confirms it: the store was set up "today"."""
    from counter_app.services.setup import confirm_clock

    clock.now = when
    confirm_clock(make_ctx(store, clock, station, Role.ADMIN, "admin"))


def rate_last_month(kiosk, score: int) -> None:
    """A citizen served then rates then (the clock guard wants it in time order)."""
    ticket = take_ticket(kiosk, group="A").ticket
    rate_service(kiosk, score=score, ticket_id=ticket.id)


LONG_NOTE = "Ghi chú dài. " * 153  # 1,989 characters: under intake's 2,000


def configure(store, url: str) -> None:
    with store.transaction():
        save_settings(store, portal_url=url, dialect="dvcqg", credentials=DEFAULT_ACCOUNT)


def held(url: str) -> dict:
    return requests.get(f"{url}/_emulator/dossiers", timeout=10).json()


def stats(url: str) -> dict:
    return requests.get(f"{url}/_emulator/stats", timeout=10).json()


def drain(engine, store, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report = engine.run_until_idle(max_rounds=10, horizon=0.5)
        if report.ok and report.waiting == 0:
            return
    raise AssertionError(f"still waiting: {store.outbox.counts()}")


def a_day(ctx, clock) -> tuple[list[str], int]:
    """Twelve dossiers, some moved on (one step a minute), ratings last month."""
    codes, steps = [], 0
    for i in range(12):
        d = service.receive_dossier(
            ctx,
            procedure_code="1.001193",
            applicant=service.ApplicantInput(
                full_name=NAMES[i % 4], phone="0912345678", email=f"dan{i}@example.vn"
            ),
            note=LONG_NOTE if i == 0 else "",
        )
        codes.append(d.code)
        clock.now += timedelta(minutes=1)
    for code in codes[:6]:
        for target in (DossierStatus.PROCESSING, DossierStatus.DONE, DossierStatus.RETURNED):
            service.change_status(ctx, code=code, to=target, note="Đã xử lý")
            clock.now += timedelta(minutes=1)
            steps += 1
    return codes, steps


def test_every_dossier_step_and_summary_arrives_once_in_dvcqg_fields(
    store, ctx, clock, station, emulator, tmp_path
):
    configure(store, emulator.url)
    kiosk = make_ctx(store, clock, station, Role.VOLUNTEER, "kiosk")
    today = clock.now
    back_to(store, clock, station, today.replace(month=3, day=31, hour=16))  # last month's
    for score in (5, 5, 4, 3, 1, 5, 4):
        rate_last_month(kiosk, score)
    clock.now = today
    codes, steps = a_day(ctx, clock)
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    drain(engine, store)

    portal = held(emulator.url)
    by_code = {d["MaHoSo"]: d for d in portal["dossiers"]}
    assert len(portal["dossiers"]) == len(by_code) == len(codes) == 12
    for code in codes:
        local = store.dossiers.get(code)
        assert by_code[code] == sent_as(local, by_code[code], station.center_name)
        record = by_code[code]
        assert all(isinstance(v, (str, list)) for v in record.values())
        assert all(DATE.match(record[f]) for f in DATE_FIELDS)
        assert record["NgayTiepNhan"] == local.received_at.strftime("%Y%m%d%H%M%S")
        assert len(record["GhiChu"]) <= 2000
    # the longest note intake allows arrives whole, inside the portal's own bound
    assert by_code[codes[0]]["GhiChu"] == LONG_NOTE.strip()
    progress = portal["progress"]
    keys = [(p["MaHoSo"], p["ThoiDiemXuLy"], p["TrangThai"]) for p in progress]
    # every step once, and intake's own step per dossier (as the public integration sends)
    assert len(keys) == len(set(keys)) == steps + len(codes) == 30
    for p in progress:
        assert all(DATE.match(p[f]) for f in STEP_DATES) and p["TrangThai"] in {"2", "4", "9", "10"}
    figures = stats(emulator.url)
    assert figures["creates"] == 12 and figures["dossiers_stored"] == 12
    assert figures["progress_stored"] == 30
    assert figures["refused"] == 0  # never a blind create of a dossier the portal holds
    assert figures["faults_drop_after"] > 0 and figures["faults_5xx"] > 0
    assert store.outbox.counts() == {"synced": len(store.outbox.all_items())}
    # the month's satisfaction, once, on the portal's three levels (docs/dialects.md)
    assert portal["summaries"] == [
        {
            "NgayTongHop": "3-2026",
            "TongSoNguoiDanhGia": "7",
            "RatHaiLong": "43%",
            "HaiLong": "29%",
            "ChuaHaiLong": "28%",
        }
    ]
    # a lost answer may bring the month again (the portal keeps one per month); once taken,
    # a month whose ratings did not change is not sent again
    received = stats(emulator.url)["summaries_received"]
    engine.run_once()
    assert stats(emulator.url)["summaries_received"] == received
    print(f"dvcqg: {figures}")


def test_a_refused_field_is_set_aside_in_vietnamese_and_the_others_go_on(
    store, ctx, clock, station, emulator, tmp_path
):
    """Our intake takes an address with Vietnamese letters; the strict portal takes only
    ASCII addresses: that dossier (and its later step) is set aside, the rest arrive."""
    configure(store, emulator.url)
    codes = []
    for i, email in enumerate(("an@example.vn", "bình@bưuđiện.vn", "cuong@example.vn")):
        d = service.receive_dossier(
            ctx,
            procedure_code="1.001193",
            applicant=service.ApplicantInput(full_name=NAMES[i], email=email),
        )
        codes.append(d.code)
        clock.now += timedelta(minutes=1)
    service.change_status(ctx, code=codes[1], to=DossierStatus.PROCESSING)
    service.change_status(ctx, code=codes[2], to=DossierStatus.PROCESSING)
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    report = engine.run_until_idle(max_rounds=50, horizon=0.5)
    for _ in range(10):
        if report.waiting == 0:
            break
        report = engine.run_until_idle(max_rounds=50, horizon=0.5)
    assert report.waiting == 0
    aside = store.outbox.attention()
    assert {i.entity_id for i in aside} == {codes[1]} and len(aside) == 2
    for item in aside:
        assert item.last_error == (
            "Cổng từ chối bản ghi: trường «Email» sai kiểu hoặc sai định dạng."
        )
    assert "bưuđiện" not in json.dumps([i.last_error for i in aside])
    portal = held(emulator.url)
    assert sorted(d["MaHoSo"] for d in portal["dossiers"]) == sorted([codes[0], codes[2]])
    # intake's step for the two held, then the later step of the third
    assert [p["MaHoSo"] for p in portal["progress"]] == [codes[0], codes[2], codes[2]]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("LoaiDoiTuong", 1),
        ("TrangThaiHoSo", 2),
        ("NgayTiepNhan", "2026-04-29 09:00"),
        ("NgayHenTra", "20260231090000"),
        ("NgayHenTra", "2026429090000"),  # 13 digits a lenient parser would read
        ("HinhThuc", "2"),
        ("TrichYeuHoSo", "x" * 2001),
        ("DanhSachLePhi", [{"Gia": 50000}]),
        ("TaiLieuNop", None),  # always sent, an empty list at least
        (
            "TaiLieuNop",
            [
                {
                    "TenTepDinhKem": "Tờ khai",
                    "TepDinhKemId": "0" * 32,
                    "DuongDanTaiTepTin": "/files/" + "0" * 32,
                }
            ],
        ),  # never uploaded
    ],
)
def test_emulator_refuses_a_wrong_type_with_the_dialect_envelope(emulator, field, value):
    emulator.state.set_faults(emulator.state.faults.__class__())
    headers = {"dstcode": DEFAULT_ACCOUNT["dstcode"]}
    login = requests.post(
        f"{emulator.url}/auth",
        json={k: DEFAULT_ACCOUNT[k] for k in ("username", "password")},
        headers=headers,
        timeout=10,
    ).json()
    assert login["error_code"] == 0 and login["session"]
    record = {
        "MaHoSo": "000.00.01.H22-260429-0001",
        "MaTTHC": "1.001193",
        "LoaiDoiTuong": "1",
        "NgayTiepNhan": "20260429090000",
        "TrangThaiHoSo": "2",
        "TaiLieuNop": [],
        field: value,
    }
    if value is None:
        del record[field]
    body = {
        "session": login["session"],
        "madonvi": DEFAULT_ACCOUNT["madonvi"],
        "service": "DongBoHoSoMC",
        "isUpdating": "False",
        "data": [record],
    }
    answer = requests.post(f"{emulator.url}/integration", json=body, headers=headers, timeout=10)
    envelope = answer.json()
    assert answer.status_code == 200 and set(envelope) == {"error_code", "message", "result"}
    inside = {"DanhSachLePhi": "Gia", "TaiLieuNop": "TepDinhKemId" if value else "TaiLieuNop"}
    named = inside.get(field, field)  # the wrong field inside the list
    assert envelope["error_code"] == "-1" and named in envelope["message"]
    assert stats(emulator.url)["dossiers_stored"] == 0


def test_cli_configure_test_and_sync_a_day_through_the_emulator(
    store, ctx, clock, station, emulator, tmp_path, capsys
):
    from counter_app.cli.app import main

    emulator.state.set_faults(emulator.state.faults.__class__())
    codes, _ = a_day(ctx, clock)
    data = str(tmp_path / "data")
    account = DEFAULT_ACCOUNT
    common = ["--data-dir", data, "sync"]
    configure_args = [
        *common,
        "configure",
        "--portal",
        emulator.url,
        "--dialect",
        "dvcqg",
        "--username",
        account["username"],
        "--madonvi",
        account["madonvi"],
        "--dstcode",
        account["dstcode"],
        "--password",
        account["password"],
    ]
    assert main(configure_args) == 0
    raw = json.dumps(store.settings.get("sync"))
    assert account["password"] not in raw  # sealed, never in clear
    assert main([*common, "test"]) == 0
    assert "Kết nối Cổng: tốt." in capsys.readouterr().out
    assert main([*common, "--once", "--json"]) == 0  # address and dialect from the settings
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["waiting"] == 0 and report["set_aside"] == 0
    assert len(held(emulator.url)["dossiers"]) == len(codes)
    # a wrong password: a clear Vietnamese refusal, no traceback
    assert main([*configure_args[:-1], "sai-mat-khau"]) == 0
    assert main([*common, "test"]) == 1
    err = capsys.readouterr().err
    assert "Cổng không chấp nhận tài khoản kết nối" in err and "Traceback" not in err
    assert main([*common, "--dialect", "motcua", "--once"]) == 2  # no motcua account yet
    assert "Chưa có tài khoản kết nối Cổng (client_id, client_secret)" in capsys.readouterr().err


def test_cli_portal_emulator_speaks_the_chosen_dialect(tmp_path):
    import os
    import subprocess
    import sys

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "counter_app",
            "portal-emulator",
            "--dialect",
            "dvcqg",
            "--port",
            "0",
            "--data",
            str(tmp_path / "emu"),
            "--faults",
            "5xx=0.5,seed=1",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        first = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", first).group(0)
        figures = stats(url)
        assert figures["dossiers_stored"] == 0
        assert held(url) == {"dossiers": [], "progress": [], "summaries": []}
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_failing_link_sets_nothing_aside_and_a_wrong_clock_is_reported(
    store, ctx, clock, station, emulator, tmp_path
):
    from sync.emulator_state import Faults

    configure(store, emulator.url)
    a_day(ctx, clock)
    emulator.state.set_faults(Faults(error_5xx=1.0))
    engine = make_engine(
        store, tmp_path, emulator.url, config=SyncConfig(max_tries=2, pause_base=0.01), clock=clock
    )
    for _ in range(3):
        report = engine.run_once()
        with store.transaction():
            store.conn.execute("UPDATE outbox SET next_try_epoch = 0")
    assert not report.ok and report.error == "Cổng dịch vụ công đang gặp sự cố (HTTP 503)"
    assert store.outbox.counts().get("attention", 0) == 0  # the link's fault, not the records'
    emulator.state.set_faults(Faults(clock_skew=900.0))
    report = engine.run_until_idle(max_rounds=20, horizon=0.5)
    assert report.ok and report.waiting == 0
    assert report.clock_warning and 890 <= report.clock_offset <= 910
    assert store.sync_state.get("clock_offset") == report.clock_offset
    assert store.sync_state.local_clock_behind()  # no new codes until the clock is set


def test_a_session_the_portal_forgot_is_renewed(store, ctx, clock, station, emulator, tmp_path):
    from sync.emulator_state import Faults

    configure(store, emulator.url)
    emulator.state.set_faults(Faults())
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    a_day(ctx, clock)
    assert engine.run_until_idle(max_rounds=5, horizon=0.5).waiting == 0
    requests.post(f"{emulator.url}/_emulator/expire-sessions", timeout=10)
    service.receive_dossier(
        ctx, procedure_code="1.001193", applicant=service.ApplicantInput(full_name=NAMES[0])
    )
    report = engine.run_until_idle(max_rounds=5, horizon=0.5)
    assert report.ok and report.waiting == 0 and report.pushed == 1
    assert len(held(emulator.url)["dossiers"]) == 13


def call(url: str, session: str, service: str, **fields) -> dict:
    body = {"session": session, "madonvi": DEFAULT_ACCOUNT["madonvi"], "service": service}
    headers = {"dstcode": DEFAULT_ACCOUNT["dstcode"]}
    return requests.post(
        f"{url}/integration", json={**body, **fields}, headers=headers, timeout=10
    ).json()


def test_emulator_has_no_idempotency_key_and_refuses_blind_creates(emulator):
    """Like the real wire: creating a dossier it holds, or updating or moving on one it does
    not hold, is refused (which is why our side looks up before it creates)."""
    emulator.state.set_faults(emulator.state.faults.__class__())
    session = requests.post(
        f"{emulator.url}/auth",
        json={k: DEFAULT_ACCOUNT[k] for k in ("username", "password")},
        headers={"dstcode": DEFAULT_ACCOUNT["dstcode"]},
        timeout=10,
    ).json()["session"]
    record = {
        "MaHoSo": "H22-1",
        "MaTTHC": "1.001193",
        "LoaiDoiTuong": "1",
        "NgayTiepNhan": "20260429090000",
        "TrangThaiHoSo": "2",
        "TaiLieuNop": [],
    }
    step = {
        "MaHoSo": "H22-2",
        "ThoiDiemXuLy": "20260429100000",
        "TrangThaiTruoc": "2",
        "TrangThai": "4",
    }
    url = emulator.url
    assert (
        call(url, session, "DongBoHoSoMC", isUpdating="True", data=[record])["error_code"] == "-3"
    )
    assert call(url, session, "DongBoHoSoMC", isUpdating="False", data=[record])["error_code"] == 0
    assert (
        call(url, session, "DongBoHoSoMC", isUpdating="False", data=[record])["error_code"] == "-4"
    )
    assert call(url, session, "CapNhatTienDoHoSoMC", data=[step])["error_code"] == "-3"
    assert call(url, session, "TraCuuHoSo", mahoso="H22-2")["result"] == []
    assert stats(url)["creates"] == 1 and stats(url)["dossiers_stored"] == 1
    assert call(url, "not-a-session", "TraCuuHoSo", mahoso="H22-1")["error_code"] == "-2"


def test_a_refused_monthly_summary_is_set_aside_once_and_this_month_waits(
    store, ctx, clock, station, emulator, tmp_path
):
    from sync.emulator_state import Faults

    configure(store, emulator.url)
    emulator.state.set_faults(Faults())
    kiosk = make_ctx(store, clock, station, Role.VOLUNTEER, "kiosk")
    today = clock.now
    back_to(store, clock, station, today.replace(month=3, day=16))
    rate_last_month(kiosk, 4)
    clock.now = today
    codes, _ = a_day(ctx, clock)
    rate_service(kiosk, score=5, dossier_code=codes[0])  # this month: not summarised yet
    requests.post(f"{emulator.url}/_emulator/poison", json={"service": "DongBoDanhGia"}, timeout=10)
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    report = engine.run_until_idle(max_rounds=10, horizon=0.5)
    assert report.ok and report.waiting == 0  # the dossiers went; the round is fine
    assert report.set_aside_keys == ["DongBoDanhGia:3-2026"]
    assert store.sync_state.get("dvcqg.summary_refused:3-2026") == (
        "Cổng từ chối bản ghi: trường «NgayTongHop» sai kiểu hoặc sai định dạng."
    )
    again = engine.run_once()
    assert again.ok and again.set_aside == 0  # not sent again every round
    assert len(held(emulator.url)["dossiers"]) == 12
    assert held(emulator.url)["summaries"] == []
