"""Work done behind the login while the clerk types, one short step per turn of the event loop.

The login takes keys from its first paint, and a clerk types for a second or more. What
signing in shows and that does not depend on who signs in (the side bar, the status bar, the
counter page, hidden) is made meanwhile, on the window's thread (PySide types may not be made
on two threads at once: see launcher._prefetch_store), so each step is kept short: a key
pressed meanwhile waits for at most one step (bench/ui_startup.py reports the longest wait).
Someone who signs in before the end gets the rest at once (`finish`), while their password is
checked on its own thread.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer


class Preparation:
    def __init__(self, owner: QObject, steps: Iterable[Callable[[], object]]) -> None:
        self._owner = owner  # no step runs once it is gone (a window closed meanwhile)
        self._steps = list(steps)

    @property
    def done(self) -> bool:
        return not self._steps

    def start(self) -> None:
        self._next_turn()

    def _next_turn(self) -> None:
        if self._steps:
            QTimer.singleShot(0, self._owner, self._step)

    def _step(self) -> None:
        if self._steps:
            step = self._steps.pop(0)
            self._next_turn()  # first: a step that fails leaves the others to run
            step()

    def finish(self) -> None:
        """Everything left, now (someone is signing in)."""
        while self._steps:
            self._steps.pop(0)()


def importing(module: str) -> Callable[[], object]:
    """A step that imports one module (with what it imports that is not loaded yet)."""
    return lambda: importlib.import_module(module)


def make_qt_enums() -> None:
    """PySide makes the `Qt` namespace's 94 Python enums the first time it is read (~40 ms,
    more on a loaded machine), all at once: a step of its own, before the widgets that read
    it."""
    from PySide6.QtCore import Qt

    Qt.AlignmentFlag  # noqa: B018 (the read makes them)
