"""The idle lock's watcher, apart from the login form. It reads `QEvent` only once its filter
is in, after the page shown on signing in has painted: PySide makes QEvent's Python enum
(every event type, ~180 of them) the first time the name is read."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

IDLE_LOCK_MINUTES = 10


@cache
def _input_events() -> frozenset:
    """The events that mean someone is at the keyboard or the mouse."""
    from PySide6.QtCore import QEvent

    return frozenset((QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.Wheel, QEvent.TouchBegin))


class IdleWatcher(QObject):
    """Emits `idle` after minutes without a key or a mouse click anywhere in the program."""

    idle = Signal()

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
        if event.type() in _input_events() and self.timer.isActive():
            self.timer.start()
        return False
