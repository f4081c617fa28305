"""The cycle collector runs on the window's thread only (ui/collector.py).

A collection on a worker thread that frees a PySide wrapper deletes a Qt object off its
thread: the busy-day bench died once so (SIGSEGV). Each check runs in a fresh process,
since switching Python's collector off would change every other test of this worker.
"""

from __future__ import annotations

import json
import subprocess
import sys

WORKER_MAKES_CYCLES = """
import gc, json, threading, time
from PySide6.QtWidgets import QApplication
from counter_app.ui.collector import WindowThreadCollector

app = QApplication(["x", "-platform", "offscreen"])
WindowThreadCollector(app).start()
where = []
gc.callbacks.append(lambda phase, info: phase == "start" and where.append(
    threading.current_thread().name))


def make_cycles():
    for _ in range(300_000):
        a = []
        a.append(a)
        if _ % 1000 == 0:
            time.sleep(0.001)  # lets the window's thread run its timer meanwhile


worker = threading.Thread(target=make_cycles, name="printing")
worker.start()
while worker.is_alive():
    app.processEvents()
    time.sleep(0.005)
ends = time.monotonic() + 0.5
while time.monotonic() < ends:
    app.processEvents()
    time.sleep(0.005)
print(json.dumps({"threads": sorted(set(where)), "collections": len(where),
                  "pending": gc.get_count()[0], "enabled": gc.isenabled()}))
"""

PROGRAM_RESUMES = """
import gc, json
from PySide6.QtCore import QCoreApplication
from counter_app.ui.launcher import _hold_collection
from counter_app.ui.collector import WindowThreadCollector

resume = _hold_collection()
held = not gc.isenabled()
from PySide6.QtWidgets import QApplication

app = QApplication(["x", "-platform", "offscreen"])
resume()
for _ in range(5):
    app.processEvents()
collectors = app.findChildren(WindowThreadCollector)
print(json.dumps({"held": held, "collectors": len(collectors),
                  "ticking": bool(collectors) and collectors[0].timer.isActive(),
                  "automatic": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def _run(script: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_worker_thread_making_cycles_never_collects_and_the_window_thread_does() -> None:
    seen = _run(WORKER_MAKES_CYCLES)
    assert seen["threads"] == ["MainThread"], seen
    assert seen["collections"] >= 3, seen  # one a tick while the cycles keep coming
    assert seen["pending"] < 5_000, seen  # kept up: not left to pile up
    assert seen["enabled"] is False


def test_the_program_holds_the_collector_while_starting_then_runs_it_on_its_thread() -> None:
    seen = _run(PROGRAM_RESUMES)
    assert seen["held"] is True
    assert seen == {**seen, "collectors": 1, "ticking": True, "automatic": False}
    assert seen["frozen"] > 0  # what the start made is out of later collections
