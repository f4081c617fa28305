"""The one way a process gets its Qt application: the window, the PDF forms, the screenshots.

Creating it here, and nowhere else, is what guarantees the None guard (see none_guard) is in
place before the first Qt call: printers/pdf.py once built its own application without it
and aborted the interpreter ("none_dealloc") on a tracking book of about 58 dossiers.
"""

from __future__ import annotations

import atexit
import os
import sys

from counter_app.ui.none_guard import guard_none

_OWNED: list = []  # the application this module created, shut down before teardown


def qt_application(argv: list[str] | None = None, *, offscreen_fallback: bool = False):
    """The process's QApplication, created on first use with the None guard installed.

    Always a QApplication (never a bare QGuiApplication), so that a PDF made first and a
    window opened later in the same process share one application that can hold widgets.
    With `offscreen_fallback` (drawing PDFs), a process without a display (a CLI run over
    SSH) draws off screen; a window never does, it would open where nobody sees it.
    """
    guard_none()
    if offscreen_fallback and "QT_QPA_PLATFORM" not in os.environ and not _has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("counter-app")
        app.setOrganizationName("counter-app")
        _OWNED.append(app)
        atexit.register(_shutdown)  # an application left to interpreter teardown crashes
    return app


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _shutdown() -> None:
    while _OWNED:
        _OWNED.pop().shutdown()
