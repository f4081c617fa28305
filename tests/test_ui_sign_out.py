"""Signing out: a clerk serving a citizen is warned first, and the status bar then names no
officer (issue 20: it kept the name after sign-out, and said "kiosk" before a login)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from counter_app.core.roles import Role
from counter_app.services.accounts import add_user
from counter_app.ui import gateway
from counter_app.ui.confirm import ConfirmDialog
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.conftest import make_ctx

OFFICER = "Nguyễn Thị Đường"


def answer(qtbot, choice: str) -> list:
    """Click `choice` ("yes" or "no") on the next confirmation shown."""
    seen = []

    def click() -> None:
        shown = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, ConfirmDialog) and w.isVisible()]  # fmt: skip
        if not shown:
            QTimer.singleShot(20, click)
            return
        seen.append(" ".join(label.text() for label in shown[-1].findChildren(QLabel)))
        qtbot.mouseClick(getattr(shown[-1], choice), Qt.LeftButton)

    QTimer.singleShot(20, click)
    return seen


def test_signing_out_while_serving_warns_and_the_bar_forgets_the_officer(
    qtbot, qapp, store, clock, station
):
    from counter_app.ui.shell import StationWindow

    make_app("vi")
    add_user(make_ctx(store, clock, station, Role.ADMIN, "admin"), username="canbo",
             role=Role.CLERK, password="matkhau-dai-2026", full_name=OFFICER)  # fmt: skip
    session = Session(store, clock=clock)
    window = StationWindow()
    qtbot.addWidget(window)
    window.attach(session)
    window.resize(1366, 768)
    window.show()
    bar = window.statusBar()
    bar.refresh()
    assert "kiosk" not in bar.user.text()  # nobody signed in yet
    gateway.take_ticket(session.kiosk_ctx(), group="A")
    qtbot.keyClicks(window.login.username, "canbo")
    qtbot.keyClicks(window.login.password, "matkhau-dai-2026")
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    assert OFFICER in bar.user.text()
    counter = window.show_page("counter")
    qtbot.mouseClick(counter.view.call_next, Qt.LeftButton)
    assert counter.current is not None

    asked = answer(qtbot, "no")
    qtbot.mouseClick(window.logout_button, Qt.LeftButton)
    assert asked and "đang phục vụ công dân số A001" in asked[0]
    assert window.side.isVisible() and window.stack.currentWidget() is counter  # stayed

    asked = answer(qtbot, "yes")
    qtbot.mouseClick(window.logout_button, Qt.LeftButton)
    assert asked and window.stack.currentWidget() is window.login
    assert OFFICER not in bar.user.text() and "canbo" not in bar.user.text()
    assert "kiosk" not in bar.user.text()
    window.close()


def test_signing_out_with_no_one_at_the_counter_asks_nothing(qtbot, qapp, store, clock, station):
    from counter_app.ui.shell import StationWindow

    make_app("vi")
    add_user(make_ctx(store, clock, station, Role.ADMIN, "admin"), username="canbo",
             role=Role.CLERK, password="matkhau-dai-2026", full_name=OFFICER)  # fmt: skip
    session = Session(store, clock=clock)
    window = StationWindow()
    qtbot.addWidget(window)
    window.attach(session)
    window.show()
    qtbot.keyClicks(window.login.username, "canbo")
    qtbot.keyClicks(window.login.password, "matkhau-dai-2026")
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    qtbot.mouseClick(window.logout_button, Qt.LeftButton)  # no dialog: it would block here
    assert window.stack.currentWidget() is window.login
    assert OFFICER not in window.statusBar().user.text()
    window.close()
