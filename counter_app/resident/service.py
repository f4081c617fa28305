"""`counter-app station serve`: the resident station service (see the package's docstring).

It runs on the main thread, one request at a time: each request is a whole command run by
the command line's own code (cli/app.main) with this process's open store and link lent
to it, its output captured, so what the client prints is what the command prints in
process, refusals and warnings included. Between requests the link turns as the windows'
does (ui/center_watch.py): followed by push, a turn every POLL_S as a safety net, every
RETRY_S while cut off or not followed.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import queue
import secrets
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.resident import wire
from counter_app.resident.client import served_command
from counter_app.resident.logins import VerifiedLogins

if TYPE_CHECKING:
    from counter_app.center.link import CenterLink, LinkReport
    from counter_app.services.context import ServiceContext
    from counter_app.store import Store

log = logging.getLogger(__name__)

POLL_S = 15.0  # linked and followed: a turn only as a safety net
RETRY_S = 1.5  # cut off, or the push stopped
MAX_REQUEST = 1 << 20
ANSWER_SEND_S = 10.0  # a client that stops reading its answer does not hold the service
CLIENT_ENV = {"lang": "COUNTER_APP_LANG", "data": "COUNTER_APP_DATA"}

register(
    {
        "resident.already": {
            "vi": "Thư mục dữ liệu này đã có một trạm thường trú đang chạy.",
            "en": "This data folder already has a resident station service running.",
        },
    }
)


@dataclass(frozen=True)
class ServedRequest:
    """What a command run for a client gets instead of opening its own: the service's
    store and link, and the client's credentials with the service's password check."""

    store: Store
    link: CenterLink | None
    username: str
    password: str
    verify: Callable[[str, str], bool]


class StationState(Protocol):
    """What the service needs of the command line's state (cli/app.CliState), which it
    is handed: this package does not import the command line, the command line uses it."""

    data_dir: Any
    link: CenterLink | None

    def store(self) -> Store: ...
    def context(self) -> ServiceContext: ...
    def center_sync(self) -> LinkReport: ...


# The command line's own main(argv, served=...): runs a command, returns its exit status.
RunCommand = Callable[..., int]


class _Stop(BaseException):
    """SIGTERM or Ctrl+C: the service stops, also in the middle of a command (which rolls
    back; its client says it may not have been done). Not an Exception, which the command
    line would turn into a message and go on; not KeyboardInterrupt, which it calls
    "Đã hủy" and goes on."""


class Resident:
    def __init__(self, state: StationState, run: RunCommand) -> None:
        self.state = state
        self.command_line = run
        self.folder = os.path.abspath(state.data_dir)
        self.family, self.address = wire.address(self.folder)
        self.key_path = os.path.join(self.folder, wire.KEY_NAME)
        self.logins = VerifiedLogins()
        self.key = b""
        self.listener: Any = None
        self._last_turn = float("-inf")

    # ---- start and stop ----
    def open(self) -> None:
        """Refuse a second service for the folder; write a new secret; listen."""
        if self._answering():
            raise DomainError("resident.already")
        self.key = secrets.token_hex(32).encode("ascii")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.key_path)
        fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(self.key)
        if self.family == "AF_PIPE":
            from multiprocessing.connection import Listener

            self.listener = Listener(self.address, self.family)
            return
        import socket

        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.address)  # a service killed before it could remove it
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        mask = os.umask(0o177)  # the socket is born 0600: nobody else may even connect
        try:
            wire.reach(sock, self.address, "bind")
        finally:
            os.umask(mask)
        os.chmod(self.address, 0o600)
        sock.listen(16)
        self.listener = sock

    def _answering(self) -> bool:
        if self.family == "AF_PIPE":
            from multiprocessing.connection import Client

            try:
                Client(self.address, self.family).close()
                return True
            except OSError:
                return False
        import socket

        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            try:
                wire.reach(sock, self.address, "connect")
                return True
            except OSError:
                return False

    def close(self) -> None:
        if self.listener is None:
            return
        listener, self.listener = self.listener, None
        if self.family != "AF_PIPE":
            with contextlib.suppress(OSError):
                listener.shutdown(2)  # wakes the accepting thread
        listener.close()
        for path in (self.key_path, self.address if self.family == "AF_UNIX" else None):
            if path is not None:
                with contextlib.suppress(OSError):
                    os.unlink(path)

    # ---- the loop ----
    def run(self, ready: Callable[[], None]) -> None:
        """Answer requests until Ctrl+C or SIGTERM; turn the link between them."""
        arrived: queue.Queue = queue.Queue()
        threading.Thread(target=self._accept, args=(arrived,), daemon=True).start()
        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._turn_safely()
            ready()
            while True:
                try:
                    conn = arrived.get(timeout=min(POLL_S, max(0.05, self._turn_due())))
                except queue.Empty:
                    self._turn_safely()
                    continue
                try:
                    self.answer(conn)
                finally:
                    conn.close()
        except _Stop:
            return
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _accept(self, arrived: queue.Queue) -> None:
        while self.listener is not None:
            try:
                if self.family == "AF_PIPE":
                    arrived.put(wire.PipeFrames(self.listener.accept()))
                    continue
                sock, _ = self.listener.accept()
            except OSError:
                return  # closed: the service is stopping
            arrived.put(wire.SocketFrames(sock))

    def _turn_due(self) -> float:
        link = self.state.link
        every = POLL_S if link is not None and link.following() else RETRY_S
        return self._last_turn + every - time.monotonic()

    def _turn_safely(self) -> None:
        try:
            self.turn()
        except Exception as error:  # the store busy or closing: the next turn tries again
            log.warning("resident turn failed: %s", type(error).__name__)

    def turn(self) -> None:
        """Publish what waits and apply what is new; follow by push once linked."""
        self._last_turn = time.monotonic()
        station = self.state.context().station
        if not station.in_center or station.role == "hub":
            self._last_turn = float("inf")  # alone: nothing to turn, ever
            return
        if self.state.store().center.get_state("revoked_at"):
            return  # revoked: no more contact (each command says so)
        report = self.state.center_sync()
        if report.reachable and self.state.link is not None:
            self.state.link.follow(lambda _changed: None)

    # ---- one request ----
    def answer(self, frames) -> None:
        """One client: the handshake and its request within HANDSHAKE_S, the command,
        its answer (wire.py says why each step is there)."""
        try:
            frames.within(wire.HANDSHAKE_S)
            request = _checked(json.loads(wire.service_checks(frames, self.key, MAX_REQUEST)))
            frames.within(ANSWER_SEND_S)
        except wire.TooBig as error:
            log.warning("a local client's frame was refused: %s", error)
            return
        except wire.Refused:
            log.warning("a local client without the station's secret was refused")
            return
        except (OSError, EOFError, ValueError) as error:
            log.info("a local client's request was not read: %s", type(error).__name__)
            return
        log.info("answering a command")
        started = time.perf_counter()
        try:
            reply = self.run_command(request)
        except Exception as error:  # no answer: the client says it may have been done
            log.error("a command failed in the resident service", exc_info=error)
            return
        log.info("answered in %.0f ms", (time.perf_counter() - started) * 1e3)
        try:
            frames.send(json.dumps(reply).encode("utf-8"))
        except OSError:
            log.warning("the client left before its command's answer")

    def run_command(self, request: dict) -> dict:
        if os.path.normcase(request["folder"]) != os.path.normcase(self.folder):
            return {"declined": "folder"}
        if served_command(request["argv"]) is None:
            return {"declined": "command"}
        served = ServedRequest(
            store=self.state.store(),
            link=self.state.link,
            username=request["user"],
            password=request["password"],
            verify=self.logins.verifier(request["user"]),
        )
        out, err = io.StringIO(), io.StringIO()
        with _client_env(request), contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err), _no_terminal():  # fmt: skip
            code = self.command_line(request["argv"], served=served)
        if code != 0:  # a refusal of any kind: this account's next login checks in full
            self.logins.forget(request["user"])
        return {"stdout": out.getvalue(), "stderr": err.getvalue(), "code": code}


def _checked(request: Any) -> dict:
    texts = ("folder", "user", "password")
    if not isinstance(request, dict) or not all(isinstance(request.get(k), str) for k in texts):
        raise ValueError("not a request")
    argv = request.get("argv")
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        raise ValueError("not a request")
    if not all(request.get(k) is None or isinstance(request[k], str) for k in CLIENT_ENV):
        raise ValueError("not a request")
    return request


@contextlib.contextmanager
def _client_env(request: dict) -> Iterator[None]:
    """The client's language and data-folder variables, for the command's own defaults."""
    saved = {name: os.environ.get(name) for name in CLIENT_ENV.values()}
    try:
        for key, name in CLIENT_ENV.items():
            _set_env(name, request.get(key))
        yield
    finally:
        for name, value in saved.items():
            _set_env(name, value)


def _set_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


@contextlib.contextmanager
def _no_terminal() -> Iterator[None]:
    """No prompt can reach whoever started the service: a command asks nothing."""
    stdin, sys.stdin = sys.stdin, io.StringIO("")
    try:
        yield
    finally:
        sys.stdin = stdin


def _stop(_signum, _frame) -> None:
    raise _Stop


def serve(state: StationState, run: RunCommand, say: Callable[[str], None]) -> None:
    """Log in, open the folder's service and answer until stopped; `run` is the command
    line's main(argv, served=...)."""
    state.context()  # the account that starts it; in a center: a first turn
    resident = Resident(state, run)
    resident.open()
    try:
        resident.run(lambda: say(resident.folder))
    finally:
        resident.close()
