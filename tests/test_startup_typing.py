"""The clerk types from the login's first paint while the program prepares behind it (issue 19).

The store opens on a thread and the rest of what signing in shows is made in short steps
(StationWindow.prepare). Real keys on the real login, pressed before the store is open, during
the preparation and after it: what was typed lands, an early Enter signs in once the store is
there and only once, a wrong password is refused and counted once, and a volunteer never gets
the counter page made for a clerk.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app.core.roles import Role
from counter_app.services.accounts import add_user
from counter_app.ui import gateway
from counter_app.ui.session import Session
from tests.conftest import make_ctx
from tests.helpers.login import CLERK, PASSWORD, clerk_login_window


def _logins(store, action: str) -> int:
    return store.query_one("SELECT COUNT(*) AS n FROM audit WHERE action = ?", (action,))["n"]


def _failures(store) -> int:
    return store.users.get(CLERK).failed_logins


def _type(qtbot, window, password: str, *, enters: int = 1, between=None) -> None:
    """The name, Enter (to the password), the password and Enter, a key at a time; `between`
    runs after every key (a turn of the event loop: the preparation's next step)."""
    keys = [(window.login.username, ch) for ch in CLERK]
    keys += [(window.login.username, Qt.Key_Return)]
    keys += [(window.login.password, ch) for ch in password]
    keys += [(window.login.password, Qt.Key_Return)] * enters
    for field, key in keys:
        if isinstance(key, str):
            qtbot.keyClicks(field, key)
        else:
            qtbot.keyClick(field, key)
        if between is not None:
            between()


def _store_arrives(window, store, clock) -> None:
    """What the launcher does once its thread has opened the store."""
    window.attach_login(Session(store, clock=clock))
    window.prepare()


def test_keys_typed_before_the_store_is_open_land_and_sign_in_once(qtbot, store, clock, station):
    window = clerk_login_window(qtbot, store, clock, station)
    _type(qtbot, window, PASSWORD, enters=2)  # Enter twice while the store is still opening
    assert window.login.username.text() == CLERK
    assert window.login.password.text() == PASSWORD
    assert window.stack.currentWidget() is window.login and _logins(store, "auth.login") == 0
    _store_arrives(window, store, clock)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.pages.get("counter"))
    qtbot.waitUntil(lambda: window._preparation.done)
    QApplication.processEvents()  # anything still queued has run
    assert _logins(store, "auth.login") == 1
    assert _logins(store, "auth.failed") == 0
    window.close()


def test_keys_typed_during_the_preparation_land(qtbot, store, clock, station):
    """A key between every step of the preparation: each one lands where it was typed."""
    window = clerk_login_window(qtbot, store, clock, station)
    _store_arrives(window, store, clock)
    steps_left = []

    def a_turn() -> None:
        QApplication.processEvents()
        steps_left.append(len(window._preparation._steps))

    _type(qtbot, window, PASSWORD, enters=0, between=a_turn)
    assert steps_left[0] > 0 and steps_left[-1] == 0  # typed across the whole preparation
    assert window.login.username.text() == CLERK
    assert window.login.password.text() == PASSWORD
    assert "counter" in window._prebuilt and not window._prebuilt["counter"].isVisible()
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    assert window.stack.currentWidget() is window.pages["counter"]
    window.close()


def test_a_wrong_password_before_the_store_is_open_is_refused_and_counted_once(
    qtbot, store, clock, station
):
    window = clerk_login_window(qtbot, store, clock, station)
    _type(qtbot, window, "sai-mat-khau", enters=3)
    _store_arrives(window, store, clock)
    qtbot.waitUntil(lambda: "không đúng" in window.login.error.text())
    qtbot.waitUntil(lambda: window._preparation.done)
    QApplication.processEvents()
    assert _failures(store) == 1 and _logins(store, "auth.failed") == 1
    assert window.stack.currentWidget() is window.login and "counter" not in window.pages
    window.close()


def test_a_wrong_password_during_and_after_the_preparation_is_counted_once_each(
    qtbot, store, clock, station
):
    window = clerk_login_window(qtbot, store, clock, station)
    _store_arrives(window, store, clock)
    _type(qtbot, window, "sai-mat-khau")  # at once: the rest is made while it is checked
    assert "không đúng" in window.login.error.text()
    assert _failures(store) == 1
    assert window._preparation.done and "counter" in window._prebuilt
    window.login.password.clear()
    qtbot.keyClicks(window.login.password, "sai-lan-nua")
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    QApplication.processEvents()
    assert _failures(store) == 2 and _logins(store, "auth.failed") == 2
    assert window.stack.currentWidget() is window.login and "counter" not in window.pages
    assert not window._prebuilt["counter"].isVisible()
    window.close()


def test_a_volunteer_after_the_counter_page_was_made_sees_the_volunteer_page(
    qtbot, store, clock, station
):
    window = clerk_login_window(qtbot, store, clock, station)
    add_user(make_ctx(store, clock, station, Role.ADMIN, "admin"), username="tnv",
             role=Role.VOLUNTEER, password="tinhnguyen-2026")  # fmt: skip
    _store_arrives(window, store, clock)
    qtbot.waitUntil(lambda: window._preparation.done)
    prebuilt = window._prebuilt["counter"]
    qtbot.keyClicks(window.login.username, "tnv")
    qtbot.keyClicks(window.login.password, "tinhnguyen-2026")
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    assert window.stack.currentWidget() is window.pages["volunteer"]
    assert "counter" not in window.pages and not prebuilt.isVisible()
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "Hướng dẫn, soạn hồ sơ (Ctrl+1)"
    ]
    window.close()


def test_the_counter_page_shows_its_data_with_its_first_paint(qtbot, store, clock, station):
    """The queue is read while the password is checked and the clerk's own count on showing:
    the page has them the moment it is shown, before the event loop could paint it."""
    window = clerk_login_window(qtbot, store, clock, station)
    session = Session(store, clock=clock)
    for group in ("A", "A"):
        gateway.take_ticket(session.kiosk_ctx(), group=group)
    window.attach_login(session)
    window.prepare()
    qtbot.waitUntil(lambda: window._preparation.done)
    page = window._prebuilt["counter"]
    assert page.view.waiting_count.text() == "0"  # made before the tickets were read
    _type(qtbot, window, PASSWORD)  # no turn of the event loop from Enter to here
    assert window.stack.currentWidget() is page
    assert page.view.waiting_count.text() == "2"
    window.close()
