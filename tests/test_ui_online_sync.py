"""The online page after a real sync: the clerk presses "Đồng bộ ngay", the motcua emulator on
127.0.0.1 hands over its inbox, and the page and the status bar show the new dossiers without
being asked again; F7 then goes back upstream once, with the next sync."""

from __future__ import annotations

import pytest
import requests
from PySide6.QtCore import Qt

from counter_app.core.dossier import DossierStatus
from sync.emulator_motcua import MotcuaEmulator
from sync.testing_dialects import OFFLINE_BLOCK, configure_motcua
from tests.conftest import AGENCY
from tests.test_ui_online import people, press, sign_in, status_of  # noqa: F401 (fixture)


@pytest.fixture
def emulator(tmp_path):
    emu = MotcuaEmulator(tmp_path / "motcua", reserved={AGENCY: OFFLINE_BLOCK}, online=2).start()
    yield emu
    emu.stop()


def sync_now(qtbot, window) -> None:
    bar = window.statusBar()
    with qtbot.waitSignal(window.session.housekeeping().sync_done, timeout=60_000) as done:
        qtbot.mouseClick(bar.sync_button, Qt.LeftButton)
    assert done.args[0].ok, done.args[0]


@pytest.mark.usefixtures("people", "station")
def test_a_sync_fills_the_page_and_f7_goes_upstream_once(qtbot, store, clock, emulator):
    configure_motcua(store, emulator.url)
    window = sign_in(qtbot, store, clock, "canbo")
    press(qtbot, window, Qt.Key_5, Qt.ControlModifier)
    page = window.pages["online"]
    qtbot.waitUntil(lambda: page.view.list_or_empty.currentWidget() is page.view.empty)
    bar = window.statusBar()
    assert not bar.online.isVisible()

    sync_now(qtbot, window)  # the inbox comes in: the page reads it again by itself
    qtbot.waitUntil(lambda: page.view.table.rowCount() == 2)
    assert bar.online.text() == "2 hồ sơ trực tuyến chờ kiểm tra"
    first = page.selected.upstream_code
    assert page.view.papers.count() >= 1

    press(qtbot, window, Qt.Key_F7)
    assert status_of(window, first) is DossierStatus.RECEIVED
    assert bar.online.text() == "1 hồ sơ trực tuyến chờ kiểm tra"
    sync_now(qtbot, window)
    sync_now(qtbot, window)  # a second round sends nothing more
    seen = requests.get(f"{emulator.url}/_emulator/online-decisions", timeout=10).json()
    assert seen[first] == {"2": 1}
