"""The windows' link to the center, off the UI thread: other stations' events pushed and
applied as they arrive, this station's own published as soon as it writes them, and a slow
turn as a safety net.

A turn (publish what waits, catch up from the stored position) runs on the watch's worker
thread; after a turn that reached the center the link follows the stream (center/follow.py)
and tells the watch from its own thread whenever pushed events changed the replica. Qt
carries that to the UI thread as a queued signal, and every window refreshes from it.
Turns come every POLL_MS while linked, every RETRY_MS when cut off or when the push
stopped (the connection dropped: the hub went away, or revoked this station).

A station alone (all-in-one) has none. Cut off from the hub, the station goes on with its
own store and its own number range; the status bar says since when. Revoked by the hub, it
stops making contact and the windows say so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from counter_app.ui.background import Worker

RETRY_MS = 1500  # cut off, or the push stopped: try again this often
POLL_MS = 15_000  # linked and followed: a turn only as a safety net


@dataclass(frozen=True)
class CenterState:
    reachable: bool
    waiting: int
    cut_since: datetime | None
    revoked_at: datetime | None = None  # the hub revoked this station: it stopped


class CenterWatch(QObject):
    changed = Signal(int)  # events from other stations applied (pushed, or by a turn)
    state_changed = Signal(object)  # CenterState
    _pushed = Signal(int)  # emitted on the link's thread, delivered on the UI thread

    def __init__(self, data_dir: Path, *, clock, station, parent=None) -> None:
        super().__init__(parent)
        self.worker = Worker(data_dir, name="center", clock=clock, station=station)
        self.worker.finished.connect(self._finished)
        self._pushed.connect(self.changed, Qt.QueuedConnection)
        self.state: CenterState | None = None
        self.poll_ms = POLL_MS
        self.link = None  # made on the worker thread by the first turn
        self._last_turn = float("-inf")
        self._publish_asked = False
        self.timer = QTimer(self, interval=RETRY_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.turn()

    def tick(self) -> None:
        """A turn when one is due: cut off or not following, or the safety net's time."""
        if self.state is not None and self.state.revoked_at is not None:
            self.timer.stop()  # revoked: no more contact, the windows say why
            return
        followed = self.link is not None and self.link.following()
        since = (time.monotonic() - self._last_turn) * 1000
        if not followed or since >= self.poll_ms:
            self.turn()

    def publish_soon(self) -> None:
        """This station wrote something the center must hear of: send it now, not at the
        next turn (another PC's board shows a call the moment it is made)."""
        if self.state is not None and self.state.revoked_at is not None:
            return
        if self.worker.pending():
            self._publish_asked = True  # after the running turn
            return
        self._publish_asked = False
        self.worker.submit("publish", lambda w: w.link.sync(apply=False) if w.link else None)

    def turn(self) -> None:
        if self.worker.pending():
            return
        self._last_turn = time.monotonic()

        def task(w: Worker):
            if getattr(w, "link", None) is None:
                from counter_app.center.link import CenterLink

                w.link = CenterLink(w.store, w.station, timeout=1.0, clock=w.clock)
                self.link = w.link
            report = w.link.sync()
            if report.reachable:
                w.link.follow(self._pushed.emit)
            cut = w.store.center.get_state("cut_since")
            revoked = w.store.center.get_state("revoked_at")
            return report, *(datetime.fromisoformat(v) if v else None for v in (cut, revoked))

        self.worker.submit("center", task)

    def stop(self) -> None:
        self.timer.stop()

        def close(w: Worker):
            if getattr(w, "link", None) is not None:
                w.link.close()

        self.worker.submit("close", close)
        self.worker.stop()

    def _finished(self, tag: str, result, error) -> None:
        if self._publish_asked:
            self.publish_soon()
        if tag != "center" or error is not None or result is None:
            return
        report, cut_since, revoked_at = result
        if report.applied:
            self.changed.emit(report.applied)
        self.state = CenterState(report.reachable, report.waiting, cut_since, revoked_at)
        self.state_changed.emit(self.state)
