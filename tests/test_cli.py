"""The command line as a user runs it: Vietnamese, --json, exit codes, nothing half-written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import click
import pytest

from counter_app.cli import main
from counter_app.cli.app import cli
from counter_app.store import open_store

INIT = [
    "init", "--agency-code", "000.00.01.H22", "--center-name", "Trung tâm xã Tân Lập",
    "--admin-password", "mat-khau-dai",
]  # fmt: skip


RECEIVE_BARE = ["dossier", "receive", "--procedure", "1.001193", "--name", "Lê Văn An"]
RECEIVE_AN = ["dossier", "receive", "--documents", "all", "--procedure", "1.001193", "--name", "An"]


def run(capsys, data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def logged_in(monkeypatch) -> None:
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")


@pytest.fixture
def data(tmp_path, capsys) -> Path:
    folder = tmp_path / "data"
    assert run(capsys, folder, *INIT)[0] == 0
    return folder


def table_counts(folder: Path) -> dict[str, int]:
    store = open_store(folder)
    try:
        counts = {
            t: store.query_one(f"SELECT count(*) FROM {t}")[0]
            for t in ("tickets", "dossiers", "outbox")
        }
        # Logging in is itself audited; everything else must stay as it was.
        counts["audit"] = store.query_one(
            "SELECT count(*) FROM audit WHERE action NOT LIKE 'auth.%'"
        )[0]
        return counts
    finally:
        store.close()


def test_version_from_the_installed_script() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from counter_app.cli import main; main()", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.fullmatch(r"counter-app \d+\.\d+\.\d+\n", out)


def appointment(capsys, data: Path, procedure: str, at: str) -> str:
    code, out, _ = run(capsys, data, "appointment", "--procedure", procedure, "--at", at, "--json")
    assert code == 0
    return json.loads(out)["due_at"]


def test_a_counter_day(capsys, data) -> None:
    code, out, _ = run(capsys, data, "ticket", "take", "--group", "A", "--json")
    assert code == 0 and json.loads(out)["label"] == "A001"
    code, out, _ = run(capsys, data, "queue", "call-next", "--counter", "1")
    assert out.strip() == "Mời số A001 đến quầy số 1."
    code, out, _ = run(
        capsys, data, "dossier", "receive", "--documents", "all", "--procedure", "1.001193",
        "--name", "Nguyễn Thị Đường", "--citizen-id", "001190012345",
        "--phone", "0912345678", "--address", "Thôn 3", "--ticket", "A001", "--json",
    )  # fmt: skip
    assert code == 0
    received = json.loads(out)
    # received now (a receipt may not be dated before the store began): today's code, and
    # the due time the appointment command gives for the same moment
    day = received["received_at"][2:10].replace("-", "")
    assert received["code"] == f"000.00.01.H22-{day}-0001"
    assert received["due_at"] == appointment(capsys, data, "1.001193", received["received_at"])
    code, out, _ = run(capsys, data, "search", "nguyen duong")
    assert "Nguyễn Thị Đường" in out and received["code"] in out
    code, out, _ = run(capsys, data, "dossier", "status", received["code"], "--to", "4")
    assert out.strip() == f"Hồ sơ {received['code']}: Đang xử lý."
    code, out, _ = run(capsys, data, "dossier", "show", received["code"], "--json")
    shown = json.loads(out)
    assert [e["to_status"] for e in shown["events"]] == [2, 4]
    code, out, _ = run(capsys, data, "queue", "finish", "--counter", "1")
    assert out.strip() == "Đã phục vụ xong số A001."
    code, out, _ = run(capsys, data, "queue", "list", "--json")
    assert json.loads(out)["served_today"] == 1


def test_receive_prints_code_and_due_in_vietnamese(capsys, data) -> None:
    code, out, _ = run(
        capsys, data, "dossier", "receive", "--documents", "all", "--procedure", "1.003583",
        "--name", "Lê Văn An",
    )  # fmt: skip
    assert code == 0
    dossier_code = re.search(r"Mã hồ sơ: (000\.00\.01\.H22-\d{6}-0001)\n", out).group(1)
    shown = json.loads(run(capsys, data, "dossier", "show", dossier_code, "--json")[1])
    due = datetime.fromisoformat(appointment(capsys, data, "1.003583", shown["received_at"]))
    assert f"Hẹn trả kết quả: {due:%H} giờ {due:%M} phút, ngày {due:%d/%m/%Y}" in out, out


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["ticket", "take", "--group", "Z"], "Không tìm thấy"),
        (["ticket", "take"], "Thiếu --group"),
        ([*RECEIVE_AN, "--citizen-id", "1"],
         "Số căn cước"),
        ([*RECEIVE_AN, "--phone", "12"],
         "điện thoại"),
        ([*RECEIVE_AN, "--at", "hôm qua"],
         "YYYY-MM-DDTHH:MM"),
        (["dossier", "status", "000.00.01.H22-260429-0009", "--to", "4"], "Không tìm thấy hồ sơ"),
        (["appointment", "--procedure", "1.001193", "--at", "29/4"], "YYYY-MM-DDTHH:MM"),
        (["queue", "call-next", "--counter", "1", "--bogus"], "Không có tùy chọn --bogus"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_in_vietnamese_and_writes_nothing(capsys, data, args, fragment) -> None:
    before = table_counts(data)
    code, out, err = run(capsys, data, *args)
    assert code == 2
    assert fragment in err
    assert err.startswith("Lỗi: ")
    assert table_counts(data) == before


def test_english_messages_when_asked(capsys, data) -> None:
    code, _, err = run(capsys, data, "--lang", "en", "ticket", "take", "--group", "Z")
    assert code == 2 and err == "Error: No service group Z in the catalogue.\n"


def test_refused_action_exits_1(capsys, data) -> None:
    code, _, err = run(capsys, data, "queue", "call-next", "--counter", "1")
    assert code == 1
    assert "Không còn ai đang chờ" in err


def test_init_twice_is_refused(capsys, data) -> None:
    code, _, err = run(capsys, data, *INIT)
    assert code == 1 and "đã được khởi tạo" in err


def test_uninitialised_store_says_what_to_do(capsys, tmp_path) -> None:
    code, _, err = run(capsys, tmp_path / "empty", "queue", "list")
    assert code == 2 and "counter-app init" in err


def test_data_dir_from_the_environment(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COUNTER_APP_DATA", str(tmp_path / "env-data"))
    assert main(INIT) == 0
    assert (tmp_path / "env-data" / "counter.db").exists()


def test_appointment_writes_nothing(capsys, data) -> None:
    before = table_counts(data)
    code, out, _ = run(
        capsys, data, "appointment", "--procedure", "1.001193", "--at", "2026-04-29T16:00"
    )
    assert code == 0 and "16 giờ 00 phút, ngày 04/05/2026" in out
    assert table_counts(data) == before


def test_catalogue_list_json_has_the_procedures(capsys, data) -> None:
    code, out, _ = run(capsys, data, "catalogue", "list", "--json")
    codes = {p["code"] for p in json.loads(out)["procedures"]}
    assert {"1.001193", "2.000815"} <= codes and len(codes) >= 25


def test_demo_makes_a_store_with_every_dossier_status(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, tmp_path / "demo", "demo")
    assert code == 0 and "Mời số" in out and "Nguyễn Thị Đường" in out
    store = open_store(tmp_path / "demo")
    statuses = set(store.dossiers.count_by_status())
    store.close()
    assert {2, 3, 4, 7, 8, 9, 10} <= statuses


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{prefix}{name} is listed but cannot be loaded"
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for name, command in _commands(cli):
        assert command.help, f"{name} has no help text"
        assert name.split()[0] in readme, f"{name} is not in README.md"


def test_wrong_password_exits_non_zero_and_writes_nothing(capsys, data, monkeypatch) -> None:
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "sai-mat-khau")
    before = table_counts(data)
    code, _, err = run(capsys, data, "ticket", "take", "--group", "A")
    assert code == 1 and "Tên đăng nhập hoặc mật khẩu không đúng" in err
    assert table_counts(data) == before


def test_no_terminal_and_no_password_is_a_clear_error(capsys, data, monkeypatch) -> None:
    monkeypatch.delenv("COUNTER_APP_PASSWORD")
    monkeypatch.setattr("sys.stdin", None)
    code, _, err = run(capsys, data, "queue", "list")
    assert code == 2 and "COUNTER_APP_PASSWORD" in err


def test_users_and_roles_hold_in_the_cli(capsys, data, monkeypatch) -> None:
    monkeypatch.setenv("COUNTER_APP_NEW_PASSWORD", "tinh-nguyen-1")
    code, out, _ = run(capsys, data, "users", "add", "tnv", "--role", "volunteer")
    assert code == 0 and "Đã tạo tài khoản tnv (tình nguyện viên)" in out
    monkeypatch.setenv("COUNTER_APP_USER", "tnv")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "tinh-nguyen-1")
    assert run(capsys, data, "ticket", "take", "--group", "A")[0] == 0
    before = table_counts(data)
    code, _, err = run(capsys, data, *RECEIVE_BARE, "--documents", "all")
    assert code == 1 and "không được phép tiếp nhận hồ sơ" in err
    code, _, err = run(capsys, data, "users", "add", "x2", "--role", "admin")
    assert code == 1 and "không được phép thay đổi cài đặt" in err
    assert table_counts(data) == before
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    assert run(capsys, data, "users", "lock", "tnv")[0] == 0
    code, out, _ = run(capsys, data, "users", "list", "--json")
    assert {u["username"]: u["locked"] for u in json.loads(out)} == {"admin": False, "tnv": True}


def test_audit_verify_names_the_first_broken_entry(capsys, data) -> None:
    run(capsys, data, "ticket", "take", "--group", "A")
    code, out, _ = run(capsys, data, "audit", "verify")
    assert code == 0 and out.startswith("Nhật ký toàn vẹn")
    store = open_store(data)
    store.conn.execute("UPDATE audit SET detail = '{}' WHERE action = 'ticket.waiting'")
    broken = store.query_one("SELECT id FROM audit WHERE action = 'ticket.waiting'")[0]
    store.close()
    code, out, _ = run(capsys, data, "audit", "verify")
    assert code == 1 and f"từ mục số {broken}" in out


def test_every_command_module_is_reachable() -> None:
    """A command added to a module's COMMANDS must also be named in LAZY_COMMANDS."""
    import importlib

    from counter_app.cli.app import LAZY_COMMANDS

    for module in set(LAZY_COMMANDS.values()):
        for command in importlib.import_module(f"counter_app.cli.{module}").COMMANDS:
            assert LAZY_COMMANDS.get(command.name) == module, command.name


def _stored_papers(data: Path) -> list[list]:
    store = open_store(data)
    try:
        return [json.loads(r[0]) for r in store.db.execute("SELECT documents FROM dossiers")]
    finally:
        store.close()


def test_receive_on_the_command_line_never_certifies_papers_by_default(capsys, data) -> None:
    """No boxes to tick on the command line: it must be told which papers were checked."""
    code, _, err = run(capsys, data, *RECEIVE_BARE)
    assert code == 2 and "--documents all" in err
    for bad in ("9", "0", "1,x", "1;2"):
        code, _, err = run(capsys, data, *RECEIVE_BARE, "--documents", bad)
        assert code == 2 and "không có trong danh mục" in err, bad
    assert _stored_papers(data) == []


def test_receive_marks_exactly_the_papers_named(capsys, data) -> None:
    assert run(capsys, data, *RECEIVE_BARE, "--documents", "1,3")[0] == 0
    assert run(capsys, data, *RECEIVE_BARE, "--documents", "all")[0] == 0
    numbered, everything = _stored_papers(data)
    assert [received for *_, received in numbered] == [True, False, True, False, False]
    assert [received for *_, received in everything] == [True, True, True, False, False]


def test_every_vietnamese_help_ends_in_vietnamese(capsys, tmp_path) -> None:
    """Issue 20: each `--help` ended with click's English "Show this message and exit."."""
    import importlib

    import click

    from counter_app.cli.app import LAZY_COMMANDS

    paths: list[list[str]] = [[]]
    for name, module in sorted(LAZY_COMMANDS.items()):
        commands = importlib.import_module(f"counter_app.cli.{module}").COMMANDS
        command = next(c for c in commands if c.name == name)
        paths.append([name])
        if isinstance(command, click.Group):
            paths += [[name, sub] for sub in sorted(command.commands)]
    assert len(paths) > 30
    for path in paths:
        code, out, _ = run(capsys, tmp_path, *path, "--help")
        assert code == 0 and "Hiện hướng dẫn này rồi thoát." in out, path
        assert "Show this message" not in out, path
    code, out, _ = run(capsys, tmp_path, "--lang", "en", "queue", "--help")
    assert "Show this message and exit." in out  # English asked for, English said
