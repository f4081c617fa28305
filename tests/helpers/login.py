"""The station's window at its login with a clerk to sign in, as the start-up tests need it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from counter_app.core.roles import Role
from counter_app.services.accounts import add_user
from counter_app.ui.qtapp import make_app
from tests.conftest import make_ctx

CLERK, PASSWORD = "canbo", "matkhau-dai-2026"


def clerk_login_window(qtbot, store, clock, station):
    """A shown StationWindow, not yet attached to a session, and a clerk CLERK/PASSWORD."""
    from counter_app.ui.shell import StationWindow

    make_app("vi")
    add_user(make_ctx(store, clock, station, Role.ADMIN, "admin"), username=CLERK,
             role=Role.CLERK, password=PASSWORD)  # fmt: skip
    window = StationWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def sign_in(qtbot, window, password: str = PASSWORD) -> None:
    """The clerk types the name and the password and presses Enter."""
    qtbot.keyClicks(window.login.username, CLERK)
    qtbot.keyClicks(window.login.password, password)
    qtbot.keyClick(window.login.password, Qt.Key_Return)
