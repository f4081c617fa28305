"""The idle lock's watcher, apart from the login form: it reads `QEvent`, whose Python enums
(every event type) need not be made before the first window; it starts at the first sign-in."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

IDLE_LOCK_MINUTES = 10


class IdleWatcher(QObject):
    """Emits `idle` after minutes without a key or a mouse click anywhere in the program."""

    idle = Signal()
    _INPUT = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.Wheel, QEvent.TouchBegin}

    def __init__(self, minutes: float = IDLE_LOCK_MINUTES, parent=None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True, interval=int(minutes * 60_000))
        self.timer.timeout.connect(self.idle)
        self._watching = False

    # The application-wide filter goes in only once the page shown on signing in has
    # painted: a Python filter sees every event, and each widget class it sees for the first
    # time is set up for Python then (its enums made one by one: about 100 ms for the
    # counter page). Before the next turn of the event loop no key or click can arrive.
    def watch(self) -> None:
        if not self._watching:
            QApplication.instance().installEventFilter(self)
            self._watching = True

    def start(self) -> None:
        self.timer.start()
        QTimer.singleShot(0, self, self._watch_if_started)

    def _watch_if_started(self) -> None:
        if self.timer.isActive():  # not stopped (locked, signed out) in between
            self.watch()

    def stop(self) -> None:
        self.timer.stop()
        if self._watching:
            QApplication.instance().removeEventFilter(self)
            self._watching = False

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() in self._INPUT and self.timer.isActive():
            self.timer.start()
        return False
