"""Whatever a person types, the CLI answers with a message and an exit code, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter_app.cli import main
from counter_app.store import open_store
from tests.conftest import RECEIVE

COMMANDS = [
    ["ticket", "take"], ["queue", "call-next"], ["queue", "recall"], ["queue", "finish"],
    ["queue", "transfer"], ["queue", "list"], ["dossier", "receive"], ["dossier", "show"],
    ["dossier", "status"], ["search"], ["appointment"], ["catalogue", "list"],
    ["catalogue", "show"], ["users", "list"], ["audit", "verify"], ["calendar", "set"],
    ["printers", "cancel"], ["printers", "retry"], ["citizen", "retention"],
    ["print", "ticket"], ["print", "test"],
]  # fmt: skip
OPTIONS = [
    "--group", "--priority", "--counter", "--to", "--procedure", "--name", "--citizen-id",
    "--phone", "--address", "--at", "--note", "--sets", "--json", "--kind", "--ticket", "--fee",
    "--days", "--printer", "--email",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(["A", "Z", "1", "-1", "0", "9999999", "1.001193", "2026-04-29T09:00",
                     "Nguyễn Thị Đường", "001190012345", "0912345678", "", "off", "elderly",
                     "9" * 30, "-9" * 20, "9999-12-31T16:00", "10000-01-01", "tcp://[::1",
                     "file:///dev/full", "file:///proc/x", "\udcff", "a\x00b", "x" * 3000]),
    st.text(max_size=30),
)  # fmt: skip


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COUNTER_APP_USER", "admin")
        env.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
        assert main(["--data-dir", str(folder), "init", "--agency-code", "000.00.01.H22",
                     "--center-name", "Trung tâm xã Tân Lập"]) == 0  # fmt: skip
        yield folder


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    command=st.sampled_from(COMMANDS),
    rest=st.lists(st.one_of(st.sampled_from(OPTIONS), VALUES), max_size=6),
)
def test_random_arguments_never_crash(data, capsys, command, rest) -> None:
    code = main(["--data-dir", str(data), *command, *rest])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "Traceback" not in out + err and "Lỗi không mong đợi" not in err
    if code == 2:
        assert err.startswith("Lỗi: ")


# Hostile command lines found by fuzzing: each gets a message and exit 1 or 2, the store
# stays as it was, and none reaches the last-resort handler (each has its narrow fix).
BIG = "9" * 30
HOSTILE = [
    ["search", "\udcff"], ["search", "a\x00b"], ["dossier", "show", "\udcff"],
    [*RECEIVE, "--note", "x\x00y"], ["--data-dir", "a\x00b", "queue", "list"],
    [*RECEIVE, "--fee", BIG], [*RECEIVE, "--fee", "-5"], ["printers", "cancel", BIG],
    ["printers", "retry", BIG], ["citizen", "retention", "--days", BIG],
    ["citizen", "retention", "--days", "-5"], ["queue", "call-next", "--counter", BIG],
    ["appointment", "--procedure", "1.001193", "--at", "9999-12-31T16:00"],
    ["appointment", "--procedure", "1.001193", "--at", "9999-12-31T23:00-07:00"],
    [*RECEIVE, "--at", "0001-01-01T01:00+09:00"],
    ["calendar", "set", "9999-12-31", "--kind", "work"],
    ["print", "tracking-book", "--from", "9999-12-01", "--to", "9999-12-31", "--out", "/proc/a"],
    ["print", "ticket", "A001", "--printer", "tcp://[::1"],
    ["print", "test", "--printer", "tcp://[::1"],
    ["citizen", "export", "--citizen-id", "001190012345", "--out", "/dev/full"],
    ["citizen", "export", "--citizen-id", "001190012345", "--out", "/proc/x.json"],
    ["backup", "--to", "/proc"], ["backup", "--to", "/dev/full"],
    ["print", "tracking-book", "--from", "2026-01-01", "--to", "2026-12-31", "--out", "/dev/full"],
    ["--data-dir", "/proc/x", "queue", "list"], ["--data-dir", "/dev/full", "queue", "list"],
    ["--lang", "xx", "queue", "list"], ["--data-dir", "", "queue", "list"],
]  # fmt: skip


def table_counts(folder) -> dict[str, int]:
    store = open_store(folder)
    try:
        tables = ("tickets", "dossiers", "dossier_events", "outbox", "calendar_overrides")
        return {t: store.query_one(f"SELECT count(*) FROM {t}")[0] for t in tables}
    finally:
        store.close()


@pytest.fixture(scope="module")
def citizen(data):
    """One dossier of the citizen whose data the export commands try to write."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COUNTER_APP_USER", "admin")
        env.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
        assert main(["--data-dir", str(data), "ticket", "take", "--group", "A"]) == 0
        assert main(["--data-dir", str(data), *RECEIVE, "--citizen-id", "001190012345"]) == 0
    return data


@pytest.mark.parametrize("args", HOSTILE, ids=lambda a: " ".join(a)[:60])
def test_hostile_command_lines_get_a_message(citizen, capsys, monkeypatch, args) -> None:
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    before = table_counts(citizen)
    code = main(
        args if args[0] in ("--data-dir", "--lang") else ["--data-dir", str(citizen), *args]
    )
    out, err = capsys.readouterr()
    assert code in (1, 2), (out, err)
    assert err.startswith("Lỗi: ") or err.startswith("Không thực hiện được: "), err
    assert "Traceback" not in out + err and "Lỗi không mong đợi" not in err
    assert table_counts(citizen) == before


def test_bytes_that_are_not_utf8_from_a_real_shell(citizen) -> None:
    """A real process, as a shell passes raw bytes (a Windows-1258 name typed in a terminal)."""
    env = dict(os.environ, COUNTER_APP_USER="admin", COUNTER_APP_PASSWORD="mat-khau-dai")
    done = subprocess.run(
        [sys.executable, "-c", "from counter_app.cli import main; main()",
         "--data-dir", str(citizen), "search", b"Nguy\xd2n"],
        capture_output=True, env=env, timeout=60,
    )  # fmt: skip
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert "đối số thứ 4 chứa ký tự không đọc được" in err and "Traceback" not in err


def test_the_last_resort_turns_an_unexpected_error_into_a_message(tmp_path) -> None:
    """A store whose settings were edited by hand (a real fault, not a mock): the station's
    settings are a list where an object belongs. A real process, with its own log."""
    folder = tmp_path / "data"
    env = dict(os.environ, COUNTER_APP_USER="admin", COUNTER_APP_PASSWORD="mat-khau-dai")
    cli = [
        sys.executable,
        "-c",
        "from counter_app.cli import main; main()",
        "--data-dir",
        str(folder),
    ]
    init = ["init", "--agency-code", "000.00.01.H22", "--center-name", "Trung tâm xã Tân Lập"]
    subprocess.run([*cli, *init], env=env, check=True, capture_output=True, timeout=60)
    store = open_store(folder)
    store.conn.execute("UPDATE settings SET value = '[\"0912345678\"]' WHERE key = 'station'")
    store.close()
    done = subprocess.run(
        [*cli, "queue", "list"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("Lỗi không mong đợi (")
    assert "không có gì bị ghi dở" in done.stderr and "Traceback" not in done.stderr
    log = (folder / "logs" / "counter-app.log").read_text(encoding="utf-8")
    assert "unexpected error" in log and "(message withheld)" in log
    assert "0912345678" not in log


def test_a_tracking_book_that_could_not_be_written_is_not_reported_done(citizen) -> None:
    """In a real process: the PDF is drawn by Qt, whose application must not stay behind
    in the test process. Qt reports a failed write nowhere; the command checks the file."""
    env = dict(os.environ, COUNTER_APP_USER="admin", COUNTER_APP_PASSWORD="mat-khau-dai")
    done = subprocess.run(
        [sys.executable, "-c", "from counter_app.cli import main; main()",
         "--data-dir", str(citizen), "print", "tracking-book", "--from", "2026-01-01",
         "--to", "2026-12-31", "--out", "/proc/sach.pdf"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Không ghi được vào /proc/sach.pdf: tệp không được tạo ra" in done.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["citizen", "export", "--citizen-id", "001190012345", "--out"],
        ["print", "tracking-book", "--from", "2026-01-01", "--to", "2026-12-31", "--out"],
    ],
)
def test_a_pipe_as_target_is_refused_instead_of_waiting_forever(citizen, tmp_path, command):
    """Writing into a named pipe nobody reads blocks for ever: a real process, so a hang
    fails the test instead of stopping the suite."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    env = dict(os.environ, COUNTER_APP_USER="admin", COUNTER_APP_PASSWORD="mat-khau-dai")
    done = subprocess.run(
        [sys.executable, "-c", "from counter_app.cli import main; main()",
         "--data-dir", str(citizen), *command, str(fifo)],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert f"Không ghi được vào {fifo}: đó không phải một tệp thường" in done.stderr
