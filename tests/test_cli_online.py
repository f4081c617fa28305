"""`dossier inbox`, `accept-online`, `supplement-online` and `refuse-online` run as a clerk and a
volunteer would, after `sync --once` pulled the motcua emulator's inbox over HTTP: the same
permission as the window's page, Vietnamese answers, each decision upstream once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from sync.emulator_motcua import DEFAULT_CLIENT, MotcuaEmulator
from tests.test_cli import INIT, run


@pytest.fixture(autouse=True)
def logged_in(monkeypatch) -> None:
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")


@pytest.fixture
def emulator(tmp_path):
    emu = MotcuaEmulator(tmp_path / "motcua", online=3).start()
    yield emu
    emu.stop()


@pytest.fixture
def data(tmp_path, capsys, emulator, monkeypatch) -> Path:
    folder = tmp_path / "data"
    assert run(capsys, folder, *INIT)[0] == 0
    monkeypatch.setenv("COUNTER_APP_PORTAL_PASSWORD", DEFAULT_CLIENT["client_secret"])
    configure = ["sync", "configure", "--portal", emulator.url, "--dialect", "motcua",
                 "--client-id", DEFAULT_CLIENT["client_id"]]  # fmt: skip
    rc, _, err = run(capsys, folder, *configure)
    assert rc == 0, err
    return folder


def sync_once(capsys, data: Path) -> None:
    rc, out, err = run(capsys, data, "sync", "--once", "--json")
    assert rc == 0, err + out


def inbox(capsys, data: Path) -> list[dict]:
    rc, out, err = run(capsys, data, "dossier", "inbox", "--json")
    assert rc == 0, err
    return json.loads(out)


def test_the_inbox_and_the_three_decisions_on_the_command_line(data, capsys, emulator):
    sync_once(capsys, data)
    rows = inbox(capsys, data)
    assert len(rows) == 3
    for row in rows:
        assert row["upstream_code"] and row["round"] == 1 and row["status"] == 1
        assert row["level"] in ("ok", "amber", "red") and isinstance(row["time_left_minutes"], int)
        assert row["papers"] and all(len(p["paper_id"]) == 32 for p in row["papers"])
    rc, out, _ = run(capsys, data, "dossier", "inbox")
    assert rc == 0 and "3 hồ sơ trực tuyến chờ kiểm tra:" in out and "Hạn kiểm tra:" in out
    accepted, asked, refused = sorted(r["upstream_code"] for r in rows)

    rc, out, err = run(capsys, data, "dossier", "accept-online", accepted)
    assert rc == 0, err
    assert f"Hồ sơ trực tuyến {accepted}: Được tiếp nhận." in out and "Hẹn trả kết quả:" in out
    assert f"counter-app print form01 {accepted}" in out  # no printer chosen: how to print
    rc, _, err = run(capsys, data, "dossier", "supplement-online", asked, "--reason", " ")
    assert rc == 2 and "Cần ghi rõ những giấy tờ cần bổ sung" in err
    rc, out, err = run(capsys, data, "dossier", "supplement-online", asked,
                       "--reason", "Bổ sung giấy chứng sinh.")  # fmt: skip
    assert rc == 0 and "Yêu cầu bổ sung giấy tờ" in out and "print form02" in out, err
    rc, out, err = run(capsys, data, "dossier", "refuse-online", refused, "--json",
                       "--reason", "Không thuộc thẩm quyền của xã.")  # fmt: skip
    assert rc == 0 and json.loads(out)["status"] == 3, err
    rc, _, err = run(capsys, data, "dossier", "accept-online", refused)
    assert rc == 1 and f"Hồ sơ trực tuyến {refused} đã được xử lý" in err
    rc, _, err = run(capsys, data, "dossier", "accept-online", "KHONG-CO-MA-NAY")
    assert rc != 0 and "Không có hồ sơ trực tuyến mã KHONG-CO-MA-NAY" in err
    assert inbox(capsys, data) == []

    sync_once(capsys, data)
    seen = requests.get(f"{emulator.url}/_emulator/online-decisions", timeout=10).json()
    assert seen == {accepted: {"2": 1}, asked: {"5": 1}, refused: {"3": 1}}


def test_a_volunteer_cannot_open_the_inbox_nor_decide(data, capsys, monkeypatch):
    sync_once(capsys, data)
    code = inbox(capsys, data)[0]["upstream_code"]
    monkeypatch.setenv("COUNTER_APP_NEW_PASSWORD", "mat-khau-tnv")
    assert run(capsys, data, "users", "add", "tnv1", "--role", "volunteer")[0] == 0
    monkeypatch.setenv("COUNTER_APP_USER", "tnv1")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-tnv")
    for args in (
        ("dossier", "inbox"),
        ("dossier", "inbox", "--json"),
        ("dossier", "accept-online", code),
        ("dossier", "supplement-online", code, "--reason", "Thiếu giấy tờ."),
        ("dossier", "refuse-online", code, "--reason", "Sai thẩm quyền."),
    ):
        rc, out, err = run(capsys, data, *args)
        assert rc != 0 and out == ""
        assert "Tài khoản tình nguyện viên không được phép kiểm tra hồ sơ trực tuyến" in err


def test_sync_says_how_many_online_dossiers_came_in(data, capsys):
    rc, out, err = run(capsys, data, "sync", "--once")
    assert rc == 0, err
    assert "Hồ sơ trực tuyến mới hoặc nộp bổ sung: 3" in out
