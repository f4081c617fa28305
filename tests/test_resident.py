"""The resident station service (`counter-app station serve`) answers one-shot queue
commands for `counter-app` processes: the same output as the command run in its own
process, as the account of the request's credentials, over a socket only the owner can
open, and never a command done twice when the service dies. Real nats-server under `hub
start`, real station processes; the service's log says which commands it answered."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time

import pytest

from counter_app.center.lab import ADMIN, Center, cli
from counter_app.resident import wire
from counter_app.store import open_store

SERVE = ("station", "serve")
ANSWERED = "answering a command"
AS_VOLUNTEER = {"COUNTER_APP_USER": "tnv1", "COUNTER_APP_PASSWORD": "mat-khau-tnv-2026"}
WRONG = {"COUNTER_APP_PASSWORD": "khong-phai-mat-khau"}
CALL = ("queue", "call-next", "--counter", "1", "--current", "served")


@pytest.fixture(scope="module")
def center(tmp_path_factory):
    """One hub, a kiosk, a counter (counter 1) and a volunteer account known everywhere."""
    c = Center(tmp_path_factory.mktemp("resident"))
    c.start_hub()
    c.kiosk = c.join("kiosk", "kiosk")
    c.counter = c.join("c1", "counter")
    new = {"COUNTER_APP_NEW_PASSWORD": AS_VOLUNTEER["COUNTER_APP_PASSWORD"]}
    cli(c.hub_dir, "users", "add", "tnv1", "--role", "volunteer", env=new)
    cli(c.hub_dir, "center", "sync")
    cli(c.counter, "center", "sync")
    yield c
    c.close()


@pytest.fixture
def service(center):
    process = start_service(center.counter)
    yield process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(20)


def start_service(folder) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "counter_app", "--data-dir", str(folder), *SERVE],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **ADMIN},
        text=True,
    )
    ready, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline() if ready else ""
    assert "Trạm thường trú đang chạy" in line, line
    return process


def in_process(folder, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The command run by the command line's own code, never sent to a service."""
    run = "from counter_app.cli.app import main; raise SystemExit(main())"
    return subprocess.run(
        [sys.executable, "-c", run, "--data-dir", str(folder), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **ADMIN, **(env or {})},
        timeout=60,
    )


def answered(folder) -> int:
    log = folder / "logs" / "counter-app.log"
    return log.read_text(encoding="utf-8").count(ANSWERED) if log.exists() else 0


def served(folder, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`counter-app ...`, checked to have been answered by the service."""
    before = answered(folder)
    done = cli(folder, *args, check=False, env=env)
    assert answered(folder) == before + 1, done.stderr
    return done


def same(a: subprocess.CompletedProcess, b: subprocess.CompletedProcess) -> None:
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


def calls(folder) -> int:
    store = open_store(folder)
    try:
        return store.query_one("SELECT COUNT(*) FROM audit WHERE action = 'ticket.called'")[0]
    finally:
        store.close()


def failures(folder, username: str) -> int:
    store = open_store(folder)
    try:
        return store.users.get(username).failed_logins
    finally:
        store.close()


def listing(folder) -> bytes:
    """The request `counter-app queue list` sends, as the admin."""
    request = {"argv": ["--data-dir", str(folder), "queue", "list"], "folder": str(folder),
               "lang": None, "data": None, "user": ADMIN["COUNTER_APP_USER"],
               "password": ADMIN["COUNTER_APP_PASSWORD"]}  # fmt: skip
    return json.dumps(request).encode("utf-8")


def connect(folder) -> wire.SocketFrames:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    wire.reach(sock, str(folder / wire.SOCKET_NAME), "connect")
    frames = wire.SocketFrames(sock)
    frames.within(20)
    return frames


class Recorder(wire.SocketFrames):
    """Frames that keep what they sent, byte for byte."""

    def __init__(self, frames: wire.SocketFrames) -> None:
        super().__init__(frames.sock)
        self.sent: list[bytes] = []

    def send(self, data: bytes) -> None:
        self.sent.append(data)
        super().send(data)


def label(done: subprocess.CompletedProcess) -> str:
    return done.stdout.split("Mời số ")[1].split()[0]


def test_a_served_command_prints_what_the_command_prints_and_calls_once(center, service):
    counter = center.counter
    for _ in range(2):
        cli(center.kiosk, "ticket", "take", "--group", "A")
    before = calls(counter)
    by_service = served(counter, *CALL)
    assert by_service.returncode == 0, by_service.stderr
    assert by_service.stdout == f"Mời số {label(by_service)} đến quầy số 1.\n"
    assert by_service.stderr == ""
    assert calls(counter) == before + 1  # the call happened once, and was seen here once
    by_itself = in_process(counter, *CALL)
    assert by_itself.stdout == f"Mời số {label(by_itself)} đến quầy số 1.\n"
    assert label(by_itself) != label(by_service)
    assert calls(counter) == before + 2
    for args in (
        ("queue", "list"),
        ("--lang", "en", "queue", "list", "--json"),
        ("queue", "call-next", "--counter", "7"),  # not this station's counter: refused
        ("queue", "call-next", "--counter", "abc"),  # bad input, in click's words
        ("--lang", "en", "queue", "recall", "--counter", "2"),
        ("queue", "transfer", "--counter", "1"),
    ):
        same(served(counter, *args), in_process(counter, *args))
    assert calls(counter) == before + 2


def test_a_wrong_password_is_refused_and_counted_even_after_a_right_one(center, service):
    counter = center.counter
    same(served(counter, "queue", "list"), in_process(counter, "queue", "list"))  # remembered
    before = failures(counter, "admin")
    wrong = served(counter, "queue", "list", env=WRONG)
    assert wrong.returncode == 1
    assert wrong.stderr == "Không thực hiện được: Tên đăng nhập hoặc mật khẩu không đúng.\n"
    assert failures(counter, "admin") == before + 1
    same(wrong, in_process(counter, "queue", "list", env=WRONG))
    assert failures(counter, "admin") == before + 2
    right = served(counter, "queue", "list")
    assert right.returncode == 0 and failures(counter, "admin") == 0


def test_a_volunteer_is_refused_a_call_as_in_process(center, service):
    counter = center.counter
    refused = served(counter, *CALL, env=AS_VOLUNTEER)
    assert refused.returncode == 1
    assert "Tài khoản tình nguyện viên không được phép" in refused.stderr
    same(refused, in_process(counter, *CALL, env=AS_VOLUNTEER))


def test_only_the_owner_can_reach_the_service_and_only_with_the_secret(center, service):
    counter = center.counter
    for name in (wire.SOCKET_NAME, wire.KEY_NAME):
        assert stat.S_IMODE(os.stat(counter / name).st_mode) == 0o600, name
    before = answered(counter)
    frames = connect(counter)
    with pytest.raises(wire.Refused):  # the service proves nothing to a wrong key...
        wire.client_proves(frames, b"not the station's secret")
    frames.close()
    frames = connect(counter)
    mine = os.urandom(wire.NONCE)
    frames.send(mine)
    theirs = frames.receive(wire.NONCE + wire.TAG)[: wire.NONCE]
    wire.client_request(frames, b"not the station's secret", mine + theirs, listing(counter))
    with pytest.raises(EOFError):  # ...and answers nothing to a client without it
        frames.receive(1 << 20)
    frames.close()
    assert answered(counter) == before
    assert served(counter, "queue", "list").returncode == 0  # it goes on serving the others


def test_a_replayed_exchange_and_an_oversized_frame_are_refused(center, service):
    counter = center.counter
    key = (counter / wire.KEY_NAME).read_bytes()
    recorded = Recorder(connect(counter))
    nonces = wire.client_proves(recorded, key)
    wire.client_request(recorded, key, nonces, listing(counter))
    assert b"Nh\\u00f3m A" in recorded.receive(1 << 20)  # a whole exchange, answered
    recorded.close()
    before = answered(counter)
    replay = connect(counter)
    for frame in recorded.sent:  # the same bytes again: the service's nonce is new
        replay.send(frame)
    replay.receive(wire.NONCE + wire.TAG)
    with pytest.raises(EOFError):
        replay.receive(1 << 20)
    replay.close()
    big = connect(counter)
    nonces = wire.client_proves(big, key)
    big.sock.sendall((2 << 20).to_bytes(wire.HEADER, "big") + b"x" * 4096)  # 2 MiB claimed
    with pytest.raises((EOFError, ConnectionResetError)):
        big.receive(1 << 20)
    big.close()
    assert answered(counter) == before
    log = (counter / "logs" / "counter-app.log").read_text(encoding="utf-8")
    assert "a local client's frame was refused" in log
    assert served(counter, "queue", "list").returncode == 0  # it goes on serving the others


def test_a_service_without_the_secret_is_not_trusted(center):
    """A process posing as the service (the socket, and a station.key that is not its
    own): the client sends it no request and runs the command in its own process."""
    counter = center.counter
    (counter / wire.KEY_NAME).write_bytes(b"the secret the client reads")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    wire.reach(listener, str(counter / wire.SOCKET_NAME), "bind")
    listener.listen(1)
    heard: list[bytes] = []

    def pose() -> None:
        sock, _ = listener.accept()
        frames = wire.SocketFrames(sock)
        frames.within(10)
        try:
            heard.append(frames.receive(wire.NONCE))
            frames.send(os.urandom(wire.NONCE) + b"\0" * wire.TAG)  # no proof of the key
            heard.append(frames.receive(1 << 20))  # the request: it must never come
        except (EOFError, OSError):
            pass
        frames.close()

    poser = threading.Thread(target=pose)
    poser.start()
    try:
        done = cli(counter, "queue", "list", check=False)
        poser.join(20)
    finally:
        listener.close()
        (counter / wire.SOCKET_NAME).unlink()
        (counter / wire.KEY_NAME).unlink()
    assert len(heard) == 1 and len(heard[0]) == wire.NONCE  # the nonce, nothing else
    same(done, in_process(counter, "queue", "list"))


def test_a_killed_service_leaves_the_commands_to_run_in_their_own_process(center, service):
    counter = center.counter
    cli(center.kiosk, "ticket", "take", "--group", "A")
    service.kill()
    service.wait(10)
    before, called = answered(counter), calls(counter)
    done = cli(counter, *CALL, check=False)
    assert done.returncode == 0 and done.stdout.startswith("Mời số "), done.stderr
    assert answered(counter) == before and calls(counter) == called + 1


def test_a_service_killed_during_a_command_never_has_it_done_twice(center, service):
    counter = center.counter
    cli(center.kiosk, "ticket", "take", "--group", "A")
    cli(counter, "center", "sync")
    called, before = calls(counter), answered(counter)
    blocker = sqlite3.connect(counter / "counter.db", timeout=30)
    blocker.execute("BEGIN IMMEDIATE")  # the service's login waits for the write lock
    try:
        client = subprocess.Popen(
            [sys.executable, "-m", "counter_app", "--data-dir", str(counter), *CALL],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **ADMIN},
        )
        deadline = time.monotonic() + 60
        while answered(counter) == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert answered(counter) == before + 1  # the request reached the service
        service.kill()
        service.wait(10)
    finally:
        blocker.rollback()
        blocker.close()
    out, err = client.communicate(timeout=60)
    assert client.returncode == 1, (out, err)
    assert out == ""
    assert "không biết lệnh đã được thực hiện hay chưa" in err
    assert "Traceback" not in err
    assert calls(counter) == called  # not run again in the client's process


def test_a_remembered_login_never_admits_a_changed_or_wrong_password():
    from counter_app.core import passwords
    from counter_app.resident.logins import KEEP_S, VerifiedLogins

    now = [0.0]
    logins = VerifiedLogins(clock=lambda: now[0])
    first = passwords.hash_password("mat-khau-cu-2026")
    check = logins.verifier("Canbo1")
    assert check("mat-khau-cu-2026", first)
    assert check("mat-khau-cu-2026", first)  # remembered
    assert not check("mat-khau-sai", first)  # a wrong one is checked in full, and refused
    assert check("mat-khau-cu-2026", first)  # the refusal forgot it: checked in full again
    changed = passwords.hash_password("mat-khau-moi-2026")
    assert not check("mat-khau-cu-2026", changed)  # the old password after a change
    assert [name for name, _ in logins._marks.values()] == []  # the refusal forgot canbo1
    assert logins.verifier("canbo2")("mat-khau-cu-2026", first)  # marks are per account
    now[0] += KEEP_S + 1
    assert check("mat-khau-cu-2026", first)  # canbo2's lapsed: gone as canbo1's is kept
    assert [name for name, _ in logins._marks.values()] == ["canbo1"]


def test_a_served_command_loads_neither_click_nor_the_store(center, service):
    """The fast path's point: the client process imports a handful of small modules."""
    before = answered(center.counter)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "counter_app", "--data-dir",
         str(center.counter), "queue", "list"],
        capture_output=True, text=True, env={**os.environ, **ADMIN}, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and "Nhóm A" in done.stdout
    assert answered(center.counter) == before + 1
    loaded = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "counter_app.resident.wire" in loaded  # the walk sees the imports
    for heavy in ("click", "counter_app.store", "counter_app.services", "sqlite3", "nats",
                  "multiprocessing", "tempfile"):  # fmt: skip
        assert heavy not in loaded, heavy


def test_one_service_a_folder_and_a_stopped_one_leaves_no_socket_or_secret(center, service):
    counter = center.counter
    second = cli(counter, *SERVE, check=False)
    assert second.returncode == 1
    assert "đã có một trạm thường trú đang chạy" in second.stderr
    service.send_signal(signal.SIGTERM)
    out, _ = service.communicate(timeout=30)
    assert service.returncode == 0 and "Đã dừng trạm thường trú." in out
    assert not (counter / wire.SOCKET_NAME).exists() and not (counter / wire.KEY_NAME).exists()
