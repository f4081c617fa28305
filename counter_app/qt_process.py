"""The one way a process gets its Qt application: the window, the PDF forms, the screenshots.

Creating it here, and nowhere else, is what guarantees the None guard (see none_guard) is in
place before the first Qt call: printers/pdf.py once built its own application without it
and aborted the interpreter ("none_dealloc") on a tracking book of about 58 dossiers.

Before a window is opened on Linux, `StartProbe` checks in a child process that Qt can start
at all: a missing system library (libxcb-icccm4, libxcb-cursor0...) or an unreachable display
makes Qt abort the whole process (SIGABRT), which no Python code can catch.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import TYPE_CHECKING

from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.none_guard import guard_none

if TYPE_CHECKING:
    import subprocess

register(
    {
        "ui.qt_cannot_start": {
            "vi": "Không mở được cửa sổ chương trình: thư viện đồ họa Qt không khởi động được "
            "({detail}). Trên Linux, cài các gói hệ thống ghi trong README (ví dụ: sudo apt-get "
            "install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1) hoặc kiểm tra biến DISPLAY.",
            "en": "Cannot open the program window: the Qt graphics library did not start "
            "({detail}). On Linux, install the system packages listed in the README (e.g. sudo "
            "apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1) or check DISPLAY.",
        },
    }
)

_PROBE = (
    "import os, sys\n"
    "from PySide6.QtGui import QGuiApplication\n"
    "QGuiApplication(sys.argv[:1])\n"
    "os._exit(0)\n"  # started is all we wanted to know: skip the teardown
)


class StartProbe:
    """Starts Qt once in a child process; `check()` raises when it could not start.

    Started before the window's modules are imported, so the two overlap and the probe
    costs the user little. Windows and macOS always have their platform plugin.
    """

    TIMEOUT_S = 20

    def __init__(self) -> None:
        self.child: subprocess.Popen | None = None
        platform = os.environ.get("QT_QPA_PLATFORM", "")
        if sys.platform.startswith("linux") and platform not in ("offscreen", "minimal"):
            import subprocess  # only here: Windows and off-screen starts skip its import

            self.child = subprocess.Popen(
                [sys.executable, "-c", _PROBE],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )

    def check(self) -> None:
        if self.child is None:
            return
        import subprocess

        try:
            _, err = self.child.communicate(timeout=self.TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.child.kill()
            self.child.communicate()
            raise DomainError(
                "ui.qt_cannot_start", detail=f"no answer in {self.TIMEOUT_S} s"
            ) from None
        if self.child.returncode != 0:
            raise DomainError("ui.qt_cannot_start", detail=_reason(err, self.child.returncode))


def _reason(stderr: str, code: int) -> str:
    """Qt's own line about what failed (it names the missing library), kept short."""
    lines = [line.removeprefix("qt.qpa.plugin: ").strip() for line in stderr.splitlines()]
    lines = [line for line in lines if line]
    for line in lines:
        if "needed" in line or "could not connect" in line.lower():
            return line[:200]
    return lines[0][:200] if lines else f"exit status {code}"


_OWNED: list = []  # the application this module created, shut down before teardown


def qt_application(argv: list[str] | None = None, *, drawing_only: bool = False):
    """The process's QApplication, created on first use with the None guard installed.

    Always a QApplication (never a bare QGuiApplication), so that a PDF made first and a
    window opened later in the same process share one application that can hold widgets.
    A process that only draws (PDF forms from the CLI) starts Qt off screen whatever the
    display: it needs none, and a broken one (no X server, missing xcb libraries) would
    abort it. A window never does: it would open where nobody sees it.
    """
    guard_none()
    if argv is None:
        argv = sys.argv[:1] + (["-platform", "offscreen"] if drawing_only else [])
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        # Fractional scaling passed through (Qt 6's default, kept explicit). Said through the
        # environment, not setHighDpiScaleFactorRoundingPolicy: reaching that enum makes the
        # whole `Qt` namespace's 94 Python enums (~40 ms) before the first window.
        os.environ.setdefault("QT_SCALE_FACTOR_ROUNDING_POLICY", "PassThrough")
        app = QApplication(argv)
        app.setApplicationName("counter-app")
        app.setOrganizationName("counter-app")
        _OWNED.append(app)
        atexit.register(_shutdown)  # an application left to interpreter teardown crashes
    return app


def _shutdown() -> None:
    """Windows still open are deleted first, each with everything in it, then PySide's own
    teardown (`shutdown`) deletes the objects Python still owns.

    That teardown deletes them one at a time in no set order, and Python still owns a widget
    put in a layout made without a parent (`QGridLayout()` filled, then added to the page's
    layout). Deleted before its window, such a button lets go of the lambdas its signals
    hold; when one of them held the window's last reference (`lambda: self...`), the window
    is deleted from inside the button's destructor and deletes the button a second time:
    heap corruption, SIGABRT ("shared QObject was deleted directly") or SIGSEGV at exit. The
    busy-day bench died so; a program closed with its windows alive could as well.
    """
    from PySide6.QtCore import QCoreApplication, QEvent
    from shiboken6 import Shiboken

    while _OWNED:
        app = _OWNED.pop()
        for widget in app.topLevelWidgets():
            # Only what the teardown would delete anyway: Qt's own windows (a combo box's
            # popup, a tooltip) belong to Qt, and a parented window to its parent.
            if widget.parentWidget() is None and Shiboken.ownedByPython(widget):
                widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.shutdown()
