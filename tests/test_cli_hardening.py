"""Command-line input that used to slip through: a store made by mistake, endless notes,
unknown values, and exit codes that said "done" when nothing was done."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from counter_app.cli import main
from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import ValidationError
from counter_app.services.dossiers import ApplicantInput, decide_at_intake, validate_applicant
from counter_app.store import open_store
from sync.emulator import PortalEmulator
from sync.testing import admin
from tests.conftest import AGENCY, RECEIVE


@pytest.fixture(autouse=True)
def logged_in(monkeypatch) -> None:
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    assert main(["--data-dir", str(folder), "init", "--agency-code", AGENCY,
                 "--center-name", "Trung tâm xã Tân Lập"]) == 0  # fmt: skip
    return folder


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def rows(folder: Path) -> dict[str, int]:
    store = open_store(folder)
    try:
        return {t: store.query_one(f"SELECT count(*) FROM {t}")[0] for t in ("dossiers", "outbox")}
    finally:
        store.close()


@pytest.mark.parametrize("command", [["queue", "list"], ["sync", "status"], RECEIVE])
def test_a_missing_data_dir_is_an_error_not_a_new_store(tmp_path, capsys, command) -> None:
    typo = tmp_path / "dataa"
    code, _, err = run(capsys, "--data-dir", str(typo), *command)
    assert code == 2
    assert f"Chưa có kho dữ liệu tại {typo}" in err and "counter-app init" in err
    assert not typo.exists()


def test_the_data_dir_from_the_environment_is_not_created_either(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COUNTER_APP_DATA", str(tmp_path / "nowhere"))
    assert run(capsys, "queue", "list")[0] == 2
    assert not (tmp_path / "nowhere").exists()


def test_an_empty_data_dir_is_refused(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["queue", "list"], ["init", "--agency-code", AGENCY, "--center-name", "X"]):
        code, _, err = run(capsys, "--data-dir", "", *command)
        assert code == 2 and "--data-dir không được để trống" in err
    assert list(tmp_path.iterdir()) == []


def test_notes_and_emails_have_a_length_limit(data, capsys) -> None:
    code, _, err = run(capsys, "--data-dir", str(data), *RECEIVE, "--note", "x" * 2001)
    assert code == 2 and "Ghi chú dài quá 2000 ký tự" in err
    email = "a" * 247 + "@mail.vn"  # 255 characters
    code, _, err = run(capsys, "--data-dir", str(data), *RECEIVE, "--email", email)
    assert code == 2 and "Địa chỉ thư điện tử dài quá 254 ký tự" in err
    assert rows(data) == {"dossiers": 0, "outbox": 0}
    assert run(capsys, "--data-dir", str(data), *RECEIVE, "--note", "x" * 2000,
               "--email", email[1:])[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "--data-dir", str(data), "search", "Đường")
    dossier_code = out.split()[0]
    before = rows(data)
    code, _, err = run(capsys, "--data-dir", str(data), "dossier", "status", dossier_code,
                       "--to", "5", "--note", "y" * 2001)  # fmt: skip
    assert code == 2 and "Ghi chú dài quá 2000 ký tự" in err
    assert rows(data) == before


def test_an_unknown_sex_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as err:
        validate_applicant(ApplicantInput(full_name="Nguyễn Văn An", sex="khác"))
    assert err.value.field == "sex" and "nam (male) hoặc nữ (female)" in err.value.message()


@pytest.mark.parametrize("args", [["--lang", "xx"], ["--lang=fr"]])
def test_an_unknown_language_is_refused(data, capsys, args) -> None:
    code, out, err = run(capsys, *args, "--data-dir", str(data), "queue", "list")
    assert code == 2 and out == ""
    assert "Lỗi: không có ngôn ngữ" in err and "chọn vi (tiếng Việt) hoặc en" in err


def test_an_unknown_language_from_the_environment_is_refused(data, capsys, monkeypatch):
    monkeypatch.setenv("COUNTER_APP_LANG", "xx")
    assert run(capsys, "--data-dir", str(data), "queue", "list")[0] == 2


def test_sync_once_fails_when_items_stay_behind(data, tmp_path, capsys) -> None:
    run(capsys, "--data-dir", str(data), *RECEIVE, "--json")
    code = run(capsys, "--data-dir", str(data), "search", "Đường")[1].split()[0]
    emulator = PortalEmulator(tmp_path / "portal").start()
    try:
        admin(emulator.url, "poison", {"entity_id": code, "mode": "permanent"})
        status, out, err = run(capsys, "--data-dir", str(data), "sync", "--once",
                               "--portal", emulator.url)  # fmt: skip
    finally:
        emulator.stop()
    assert "Để riêng (cần xử lý): 1" in out
    assert status == 1 and "chưa gửi được hết: 0 mục còn chờ, 1 mục bị Cổng từ chối" in err


def test_sync_once_succeeds_when_everything_went(data, tmp_path, capsys) -> None:
    run(capsys, "--data-dir", str(data), *RECEIVE)
    emulator = PortalEmulator(tmp_path / "portal").start()
    try:
        status, out, _ = run(capsys, "--data-dir", str(data), "sync", "--once",
                             "--portal", emulator.url)  # fmt: skip
    finally:
        emulator.stop()
    assert status == 0 and "Đã gửi: 1" in out


def test_printers_retry_fails_when_nothing_printed(data, capsys) -> None:
    with socket.socket() as s:  # a port nobody listens on: the printer is off
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run(capsys, "--data-dir", str(data), "ticket", "take", "--group", "A")
    printer = f"tcp://127.0.0.1:{port}"
    assert run(capsys, "--data-dir", str(data), "print", "ticket", "A001",
               "--printer", printer)[0] == 1  # fmt: skip
    code, out, err = run(capsys, "--data-dir", str(data), "printers", "retry")
    assert "Lệnh in số 1" in out
    assert code == 1 and "Chưa in xong mọi phiếu" in err


def test_a_reason_given_at_intake_has_the_same_limit(ctx, store) -> None:
    with pytest.raises(ValidationError) as err:
        decide_at_intake(
            ctx, decision=DossierStatus.SUPPLEMENT, reasons="Thiếu giấy tờ. " * 200,
            procedure_code="1.001193", applicant=ApplicantInput(full_name="Nguyễn Văn An"),
        )  # fmt: skip
    assert err.value.code == "dossier.note_too_long"
    assert store.dossiers.count() == 0


@pytest.mark.parametrize("given", ["nan", "inf", "-inf", "0", "-5", "1e9"])
def test_sync_refuses_an_interval_that_would_spin_or_never_wake(data, capsys, given) -> None:
    args = ["--data-dir", str(data), "sync", "--portal", "http://127.0.0.1:9", "--interval"]
    code, _, err = run(capsys, *args, given)
    assert code == 2 and "--interval là số giây giữa hai lượt" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_backup_folder_is_refused_not_the_current_one(
    data, capsys, tmp_path, monkeypatch, blank
) -> None:
    """Issue 20 #11: `backup --to ""` wrote into the folder the command ran in, exit 0."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    code, out, err = run(capsys, "--data-dir", str(data), "backup", "--to", blank)
    assert code == 2, (out, err)
    assert "Thư mục sao lưu để trống" in err and "Traceback" not in err
    assert list(here.iterdir()) == []
    assert run(capsys, "--data-dir", str(data), "backup", "--to", str(tmp_path / "usb"))[0] == 0
    assert list((tmp_path / "usb").iterdir())
