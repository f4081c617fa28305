"""Every command acts as an account: without credentials, each one refuses before acting.

The list of commands is read from the command line itself, so a command added later without
a login fails here. Only these need none: `init` makes the store (and its first admin),
`demo` and `portal-emulator` touch no real store, and `ui` asks in its own login window.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from counter_app.cli import main
from counter_app.cli.app import cli
from counter_app.store import open_store
from tests.conftest import AGENCY

# Commands that make a new store (no account exists yet), run a server as a service, or draw
# on a demo store of their own.
NO_LOGIN = {
    ("init",), ("demo",), ("portal-emulator",), ("ui",), ("screenshots",),
    ("hub", "init"), ("hub", "join"), ("hub", "start"), ("center", "join"),
}  # fmt: skip
# Values a command accepts, so that only the missing login can stop it.
VALUES = {
    "procedure": "1.001193", "name": "Nguyễn Thị Đường", "at": "2026-04-29T09:00",
    "from": "2026-04-01", "to_date": "2026-04-30", "day": "2026-05-02", "code": "X",
    "citizen_id": "001190012345", "group": "A", "to_group": "B", "text": "duong",
    "username": "canbo1", "number": "A001",
}  # fmt: skip


def all_commands(group: click.Group, ctx: click.Context, path=()) -> list[tuple[str, ...]]:
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            if command.invoke_without_command:  # `sync` runs a round by itself
                found.append((*path, name))
            found += all_commands(command, ctx, (*path, name))
        else:
            found.append((*path, name))
    return found


def command_of(path: tuple[str, ...]) -> click.Command:
    ctx = click.Context(cli)
    command: click.Command = cli
    for name in path:
        command = command.get_command(ctx, name)  # type: ignore[attr-defined]
    return command


def arguments(command: click.Command, path: tuple[str, ...], tmp: Path) -> list[str]:
    """The command's required parameters, filled with values it accepts."""
    args: list[str] = []
    if path == ("sync",):
        return ["--once", "--portal", "http://127.0.0.1:9"]
    for param in command.params:
        if not param.required:
            continue
        if isinstance(param.type, click.Choice):
            value = param.type.choices[0]
        elif param.type.name == "integer":
            value = "1"
        elif isinstance(param.type, click.Path) and param.type.file_okay:
            value = str(tmp / "any-file")
            (tmp / "any-file").write_bytes(b"\0")
        elif isinstance(param.type, click.Path):
            value = str(tmp / "any-folder")
        elif param.name == "end":
            value = VALUES["to_date"]
        elif param.name == "start":
            value = VALUES["from"]
        else:
            value = VALUES.get(param.name, "x")
        if isinstance(param, click.Option):
            args.append(param.opts[0])
        args.append(value)
    return args


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("auth") / "data"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
        assert main(["--data-dir", str(folder), "init", "--agency-code", AGENCY,
                     "--center-name", "Trung tâm xã Tân Lập"]) == 0  # fmt: skip
    return folder


COMMANDS = all_commands(cli, click.Context(cli))


def test_the_list_of_commands_is_complete() -> None:
    assert len(COMMANDS) > 40
    for known in (("restore",), ("demo-data",), ("sync",), ("sync", "status"),
                  ("sync", "conflicts"), ("sync", "requeue"), ("printers", "jobs"),
                  ("printers", "retry"), ("printers", "cancel"), ("screenshots",)):  # fmt: skip
        assert known in COMMANDS


@pytest.mark.parametrize("path", [p for p in COMMANDS if p not in NO_LOGIN], ids=" ".join)
def test_every_command_refuses_without_credentials(data, tmp_path, capsys, monkeypatch, path):
    for name in ("COUNTER_APP_USER", "COUNTER_APP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    before = dump(data)
    code = main(["--data-dir", str(data), *path, *arguments(command_of(path), path, tmp_path)])
    err = capsys.readouterr().err
    assert code != 0
    assert "Cần đăng nhập" in err, err
    assert dump(data) == before


def test_a_wrong_password_is_refused_too(data, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "sai-mat-khau")
    backup = tmp_path / "any.backup"
    backup.write_bytes(b"x")
    for args in (["restore", str(backup)], ["sync", "requeue"], ["printers", "retry"]):
        assert main(["--data-dir", str(data), *args]) == 1
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in capsys.readouterr().err


def test_sync_and_printer_commands_need_the_windows_permissions(data, capsys, monkeypatch):
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    monkeypatch.setenv("COUNTER_APP_NEW_PASSWORD", "mat-khau-tnv")
    assert main(["--data-dir", str(data), "users", "add", "tnv1", "--role", "volunteer"]) == 0
    monkeypatch.setenv("COUNTER_APP_USER", "tnv1")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-tnv")
    for args in (["sync", "status"], ["sync", "conflicts"], ["sync", "requeue"],
                 ["sync", "--once", "--portal", "http://127.0.0.1:9"], ["printers", "jobs"],
                 ["printers", "retry"], ["printers", "cancel", "1"], ["demo-data"]):  # fmt: skip
        assert main(["--data-dir", str(data), *args]) == 1
        assert "Tài khoản tình nguyện viên không được phép" in capsys.readouterr().err


def test_demo_data_refuses_a_real_store(data, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    before = dump(data)
    assert main(["--data-dir", str(data), "demo-data", "--days", "1"]) == 1
    assert "không phải kho dữ liệu mẫu" in capsys.readouterr().err
    assert dump(data) == before


def test_demo_data_adds_days_to_a_demo_store_in_use(tmp_path, capsys, monkeypatch) -> None:
    folder = tmp_path / "demo"
    assert main(["--data-dir", str(folder), "demo", "--no-gui"]) == 0  # used "today" too
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "quantri2026")
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "demo-data", "--days", "1"]) == 0
    assert "Đã tạo" in capsys.readouterr().out
    monkeypatch.setenv("COUNTER_APP_USER", "canbo")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "canbo2026")
    assert main(["--data-dir", str(folder), "ticket", "take", "--group", "A"]) == 0


def test_restore_needs_an_admin_of_the_store_it_replaces(data, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    assert main(["--data-dir", str(data), "backup", "--to", str(tmp_path / "b")]) == 0
    saved = next((tmp_path / "b").iterdir())
    monkeypatch.setenv("COUNTER_APP_NEW_PASSWORD", "mat-khau-can-bo")
    assert main(["--data-dir", str(data), "users", "add", "canbo9", "--role", "clerk"]) == 0
    monkeypatch.setenv("COUNTER_APP_USER", "canbo9")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-can-bo")
    capsys.readouterr()
    assert main(["--data-dir", str(data), "restore", str(saved)]) == 1
    assert "không được phép thay đổi cài đặt" in capsys.readouterr().err
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    assert main(["--data-dir", str(data), "restore", str(saved)]) == 0
    assert "canbo9" not in dump(data)["users"]  # the store from before the account


def test_a_damaged_store_can_still_be_restored(tmp_path, capsys, monkeypatch) -> None:
    """Its accounts cannot be read: the backup's key (passphrase or recovery code) decides."""
    folder = tmp_path / "data"
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    assert main(["--data-dir", str(folder), "init", "--agency-code", AGENCY,
                 "--center-name", "Trung tâm xã Tân Lập"]) == 0  # fmt: skip
    assert main(["--data-dir", str(folder), "backup", "--to", str(tmp_path / "b")]) == 0
    saved = next((tmp_path / "b").iterdir())
    for leftover in ("counter.db-wal", "counter.db-shm"):
        (folder / leftover).unlink(missing_ok=True)
    raw = bytearray((folder / "counter.db").read_bytes())
    raw[:100] = b"\0" * 100  # the disk failed
    (folder / "counter.db").write_bytes(bytes(raw))
    assert main(["--data-dir", str(folder), "restore", str(saved)]) == 0
    assert "Đã khôi phục kho dữ liệu" in capsys.readouterr().out
    assert open_store(folder).users.count() == 1


def dump(folder: Path) -> dict[str, str]:
    store = open_store(folder)
    try:
        tables = ("tickets", "dossiers", "outbox", "settings", "sync_meta")
        found = {
            t: json.dumps([tuple(r) for r in store.query(f"SELECT * FROM {t}")]) for t in tables
        }
        # A login stamps its account; which accounts exist is what must not change.
        found["users"] = json.dumps([tuple(r) for r in store.query("SELECT username FROM users")])
        return found
    finally:
        store.close()


def test_demo_never_plays_its_scene_in_a_real_store(data, capsys, monkeypatch) -> None:
    """COUNTER_APP_DATA pointing at a center's real store must not get the demo's tickets."""
    monkeypatch.setenv("COUNTER_APP_DATA", str(data))
    before = dump(data)
    assert main(["demo", "--no-gui"]) == 1
    assert "không phải kho dữ liệu mẫu" in capsys.readouterr().err
    assert dump(data) == before
