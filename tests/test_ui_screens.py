"""Kiosk, display board announcements (with and without sound), login and the idle lock."""

from __future__ import annotations

import importlib
import logging
import sys
import types

import pytest
from PySide6.QtCore import Qt

from counter_app.core.roles import Actor, Role
from counter_app.services.accounts import add_user
from counter_app.ui import gateway
from counter_app.ui.announcer import Announcer
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.conftest import make_ctx


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    return Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))


def test_announcer_without_audio_libraries_is_silent_with_one_log_line(monkeypatch, caplog):
    real = importlib.import_module

    def no_audio(name, *args):
        if name in ("PySide6.QtMultimedia", "PySide6.QtTextToSpeech"):
            raise ImportError("libpulse.so.0: cannot open shared object file")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_audio)
    announcer = Announcer()
    with caplog.at_level(logging.INFO, logger="counter_app.ui.announcer"):
        assert announcer.announce("Mời số A012 đến quầy số 2") == "silent"
        assert announcer.announce("Mời số A013 đến quầy số 2") == "silent"
    assert len(caplog.records) == 1 and "libpulse" in caplog.records[0].getMessage()
    assert announcer.spoken[-1] == "Mời số A013 đến quầy số 2"


def test_announcer_speaks_in_vietnamese_when_a_voice_exists(monkeypatch, qtbot):
    said: list[str] = []

    class FakeSpeech:
        def __init__(self) -> None:
            self.locale = None

        def availableLocales(self):  # noqa: N802 (Qt name)
            from PySide6.QtCore import QLocale

            return [QLocale(QLocale.English), QLocale(QLocale.Vietnamese)]

        def setLocale(self, locale) -> None:  # noqa: N802
            self.locale = locale

        def say(self, text: str) -> None:
            said.append(text)

    class FakeEffect:
        played = 0

        def setSource(self, url) -> None:  # noqa: N802
            self.url = url

        def play(self) -> None:
            FakeEffect.played += 1

    monkeypatch.setitem(sys.modules, "PySide6.QtTextToSpeech",
                        types.SimpleNamespace(QTextToSpeech=FakeSpeech))  # fmt: skip
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia",
                        types.SimpleNamespace(QSoundEffect=FakeEffect))  # fmt: skip
    announcer = Announcer(language="vi")
    assert announcer.announce("Mời số A012 đến quầy số 2") == "speech"
    assert FakeEffect.played == 1  # the chime, then the voice once it has rung
    qtbot.waitUntil(lambda: said == ["Mời số A012 đến quầy số 2"], timeout=3000)
    from PySide6.QtCore import QLocale

    assert announcer._speech.locale.language() == QLocale.Vietnamese


def test_display_announces_each_call_once_and_recall_again(qtbot, session, store, clock, station):
    from counter_app.ui.display import DisplayWidget

    spoken: list[str] = []
    announcer = types.SimpleNamespace(announce=lambda text, **_call: spoken.append(text))
    board = DisplayWidget(session, announcer=announcer)
    qtbot.addWidget(board)
    board.show()
    kiosk, clerk = session.kiosk_ctx(), make_ctx(store, clock, station)
    gateway.take_ticket(kiosk, group="B")
    gateway.call_next(clerk, counter=2)
    board.refresh()
    board.refresh()
    assert spoken == ["Mời số B001 đến quầy số 2"]
    assert board.call.text() == "Mời số B001 đến quầy số 2"
    gateway.recall(clerk, counter=2)
    board.refresh()
    assert spoken[-1] == "Mời số B001 đến quầy số 2" and len(spoken) == 2


def test_kiosk_priority_lookup_and_reset(qtbot, session, store, clock, station):
    from counter_app.ui.kiosk import KioskWidget

    kiosk = KioskWidget(session, idle_ms=100, ticket_ms=100)
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.mouseClick(kiosk.priority_buttons["elderly"], Qt.LeftButton)
    assert "Người cao tuổi" in kiosk.view.priority_banner.text()
    qtbot.mouseClick(kiosk.group_buttons["A"], Qt.LeftButton)
    assert store.tickets.get(1).priority == "elderly"
    qtbot.waitUntil(lambda: kiosk.view.pages.currentWidget() is kiosk.view.home, timeout=2000)
    assert kiosk.priority == ""

    clerk = make_ctx(store, clock, station)
    dossier = gateway.receive_dossier(
        clerk, procedure_code="1.001193",
        applicant=gateway.ApplicantInput(full_name="Lò Văn Páo", phone="0912345678"),
    )  # fmt: skip
    qtbot.mouseClick(kiosk.view.lookup, Qt.LeftButton)
    assert kiosk.view.code.text() == "000.00.01.H22-"
    for key in dossier.code.split("-", 1)[1]:
        qtbot.mouseClick(kiosk.view.keys[key], Qt.LeftButton)
    qtbot.mouseClick(kiosk.view.search, Qt.LeftButton)
    shown = kiosk.view.result.text()
    assert dossier.code in shown and "Được tiếp nhận" in shown
    assert "Páo" not in shown and "0912345678" not in shown  # no personal data at the kiosk


def test_login_wrong_password_then_idle_lock(qtbot, qapp, store, clock, station):
    make_app("vi")
    add_user(make_ctx(store, clock, station, Role.ADMIN, "admin"), username="canbo",
             role=Role.CLERK, password="matkhau-2026")  # fmt: skip
    from counter_app.ui.shell import StationWindow

    window = StationWindow(idle_minutes=0.002)
    qtbot.addWidget(window)
    window.show()
    window.attach(Session(store, clock=clock))
    qtbot.keyClicks(window.login.username, "canbo")
    qtbot.keyClicks(window.login.password, "sai")
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    assert "không đúng" in window.login.error.text()
    assert not window.side.isVisible()
    window.login.password.clear()
    qtbot.keyClicks(window.login.password, "matkhau-2026")
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    assert window.side.isVisible() and "counter" in window.pages
    qtbot.waitUntil(lambda: window.login.locked_user == "canbo", timeout=3000)
    assert window.stack.currentWidget() is window.login and not window.side.isVisible()
    qtbot.keyClicks(window.login.password, "matkhau-2026")
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    assert window.stack.currentWidget() is window.pages["counter"]


def test_keys_after_signing_in_keep_the_screen_unlocked(qtbot, qapp, store, clock, station):
    """The idle watcher goes in after the counter page is shown (not while it is built):
    each key the clerk presses then starts the idle minutes again."""
    make_app("vi")
    add_user(make_ctx(store, clock, station, Role.ADMIN, "admin"), username="canbo",
             role=Role.CLERK, password="matkhau-2026")  # fmt: skip
    from counter_app.ui.shell import StationWindow

    window = StationWindow(idle_minutes=1)
    qtbot.addWidget(window)
    window.show()
    window.attach(Session(store, clock=clock))
    window.prebuild_pages()
    assert not window.idle._watching  # not while the login waits and the page is built
    timer = window.idle.timer
    timer.setTimerType(Qt.PreciseTimer)  # a coarse one reports its time left loosely
    qtbot.keyClicks(window.login.username, "canbo")
    qtbot.keyClicks(window.login.password, "matkhau-2026")
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    for _ in range(2):
        qtbot.wait(400)
        left = timer.remainingTime()
        assert timer.isActive() and left < 59_700  # running down
        qtbot.keyClick(window.pages["counter"], Qt.Key_Shift)
        assert timer.remainingTime() > left  # the key started it again


def test_ctrl_digits_move_between_pages_and_ctrl_l_locks(qtbot, qapp, store, clock, station):
    """The clerk's keyboard alone: Ctrl+1..5 open the pages the side list names, in its
    order, and Ctrl+L locks the screen at once, keeping the login for the return."""
    make_app("vi")
    add_user(make_ctx(store, clock, station, Role.ADMIN, "admin"), username="quantri",
             role=Role.ADMIN, password="matkhau-2026")  # fmt: skip
    from counter_app.ui.shell import StationWindow

    window = StationWindow()
    qtbot.addWidget(window)
    window.show()
    window.attach(Session(store, clock=clock))
    qtbot.keyClicks(window.login.username, "quantri")
    qtbot.keyClicks(window.login.password, "matkhau-2026")
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    keys = [window.nav.item(row).data(Qt.UserRole) for row in range(window.nav.count())]
    digits = (Qt.Key_1, Qt.Key_2, Qt.Key_3, Qt.Key_4, Qt.Key_5)
    for number, key in zip(digits, keys[:5], strict=True):  # an admin has five pages or more
        press(qtbot, window, number, Qt.ControlModifier)
        assert window.stack.currentWidget() is window.pages[key], key
        assert (
            window.nav.item(keys.index(key))
            .text()
            .endswith("" if key == "counter" else f"(Ctrl+{keys.index(key) + 1})")
        )
    press(qtbot, window, Qt.Key_1, Qt.ControlModifier)
    press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    assert window.stack.currentWidget() is window.login and window.login.locked_user == "quantri"
    assert not window.side.isVisible()
    press(qtbot, window, Qt.Key_2, Qt.ControlModifier)  # locked: no page opens
    assert window.stack.currentWidget() is window.login


def press(qtbot, window, key, modifier) -> None:
    """A shortcut reaches only the active window: bring it to the front first."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, key, modifier)
