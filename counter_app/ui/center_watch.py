"""The windows' link to the center: publish and apply every second or two, off the UI
thread, and tell the windows when other stations changed the queue or the dossiers.

A station alone (all-in-one) has none. Cut off from the hub, the station goes on with its
own store and its own number range; the status bar says since when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.ui.background import Worker

CENTER_EVERY_MS = 1500


@dataclass(frozen=True)
class CenterState:
    reachable: bool
    waiting: int
    cut_since: datetime | None


class CenterWatch(QObject):
    changed = Signal(int)  # events from other stations applied in this turn
    state_changed = Signal(object)  # CenterState

    def __init__(self, data_dir: Path, *, clock, station, parent=None) -> None:
        super().__init__(parent)
        self.worker = Worker(data_dir, name="center", clock=clock, station=station)
        self.worker.finished.connect(self._finished)
        self.state: CenterState | None = None
        self.timer = QTimer(self, interval=CENTER_EVERY_MS)
        self.timer.timeout.connect(self.turn)
        self.timer.start()
        self.turn()

    def turn(self) -> None:
        if self.worker.pending():
            return

        def task(w: Worker):
            if getattr(w, "link", None) is None:
                from counter_app.center.link import CenterLink

                w.link = CenterLink(w.store, w.station, timeout=1.0, clock=w.clock)
            report = w.link.sync()
            cut = w.store.center.get_state("cut_since")
            return report, datetime.fromisoformat(cut) if cut else None

        self.worker.submit("center", task)

    def stop(self) -> None:
        self.timer.stop()

        def close(w: Worker):
            if getattr(w, "link", None) is not None:
                w.link.close()

        self.worker.submit("close", close)
        self.worker.stop()

    def _finished(self, tag: str, result, error) -> None:
        if tag != "center" or error is not None or result is None:
            return
        report, cut_since = result
        if report.applied:
            self.changed.emit(report.applied)
        self.state = CenterState(report.reachable, report.waiting, cut_since)
        self.state_changed.emit(self.state)
