"""One program window per data folder.

A clerk who double-clicks the shortcut again, or a kiosk's logon start racing a manual start,
must not get a second writer on the same store. The first start holds a lock file in the data
folder (QLockFile: a dead holder's lock is taken over, by its process id; a live holder's is
kept however old, by the OS file lock under it) and listens on a local socket named from a
hash of the folder's path. A second start finds the lock taken, asks the holder through the
socket to bring its window forward, waits for the answer that it did, and exits.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer
    from PySide6.QtWidgets import QWidget

LOCK_FILE = "counter-app.window.lock"
_ASK, _DONE = b"forward\n", b"ok\n"


def server_name(data_dir: Path) -> str:
    """The same name for every spelling of one folder (relative, symlinked, case on Windows)."""
    import hashlib  # not before the window: the lock alone decides who opens the store

    path = os.path.normcase(str(Path(data_dir).expanduser().resolve()))
    return "counter-app-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:20]


class InstanceGuard(QObject):
    """Held by the running program for its whole life; brings `window` forward when another
    start asks, and answers only once it has. The socket (QtNetwork) is made when the window
    is attached, after its first paint: the lock alone decides who opens the store."""

    def __init__(self, lock: QLockFile, folder: Path) -> None:
        super().__init__()
        self._lock, self._folder = lock, folder
        self._window: QWidget | None = None
        self._server: QLocalServer | None = None

    def attach(self, window: QWidget) -> None:
        """Listen from now on: a start that asks earlier finds no one yet and retries.
        Once: the window's preparation and a timer both ask (whichever comes first)."""
        if self._server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        self._window = window
        self._server = QLocalServer(self)
        # Only this user may connect; and on Unix, Qt then binds in a private folder and
        # renames over the name, replacing the socket file a killed holder left behind.
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._answer)
        self._server.listen(server_name(self._folder))

    def _answer(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            asked = socket.waitForReadyRead(1000) and socket.readLine().data() == _ASK
            if asked and bring_forward(self._window):
                socket.write(_DONE)
                socket.waitForBytesWritten(1000)
            socket.disconnectFromServer()
            socket.deleteLater()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
        self._lock.unlock()


def claim(data_dir: Path) -> InstanceGuard | bool:
    """The guard when this start may open the store; otherwise whether the running window
    answered the request to come forward (False: it holds the store but does not answer)."""
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(folder / LOCK_FILE))
    if lock.tryLock(0):
        return InstanceGuard(lock, folder)
    return _ask_forward(server_name(folder))


def _ask_forward(name: str, attempts: int = 20) -> bool:
    """The holder may be between taking the lock and listening: try for a few seconds."""
    import time

    from PySide6.QtNetwork import QLocalSocket

    if sys.platform == "win32":  # this start was clicked, so it may hand the foreground on
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY

    for _ in range(attempts):
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(250):
            socket.write(_ASK)
            socket.waitForBytesWritten(1000)
            answered = socket.waitForReadyRead(3000) and socket.readLine().data() == _DONE
            socket.disconnectFromServer()
            return answered
        time.sleep(0.25)
    return False


def bring_forward(window: QWidget) -> bool:
    """Restore, raise and focus the window; whether it is now shown (what the asker is told)."""
    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()
    return window.isVisible() and not window.isMinimized()
