"""Python's cycle collector runs on the window's thread only.

Left automatic, a collection runs on whichever thread happens to make the object that
crosses the threshold: a printing, paper or password-check thread as often as the window's.
When such a collection frees the last reference to a PySide wrapper, Qt deletes that widget
from the worker thread while the window's thread is inside Qt. The busy-day bench died so
once (a layout's wrapper collected on the printing thread during a deferred delete: SIGSEGV;
bench/README.md, "Busy day's SIGABRT under load"). A Qt object must die on its own thread.

So the automatic collector is switched off, and a timer on the window's thread collects when
the allocation counts pass Python's own thresholds: the same generations as often as before,
counted in allocations, only here, at most one tick later. Cycles made by a worker meanwhile
wait for that tick; a tick is short next to the work that made them.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

TICK_MS = 100


class WindowThreadCollector(QObject):
    """Made and started on the window's thread; `stop()` gives collection back to Python."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.collect_due)

    def start(self) -> None:
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()

    def collect_due(self) -> None:
        """The generation Python itself would collect now, if any (its counting rule)."""
        counts = gc.get_count()
        if counts[0] <= self.thresholds[0]:
            return
        generation = 0
        if counts[1] > self.thresholds[1]:
            generation = 2 if counts[2] > self.thresholds[2] else 1
        gc.collect(generation)
