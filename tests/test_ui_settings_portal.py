"""Settings › Cổng DVC as an admin uses it: choose the interface, type the account, press
"Kiểm tra kết nối" and read a Vietnamese answer, against real emulators on 127.0.0.1."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt

from counter_app.core.roles import Actor, Role
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from counter_app.ui.settings import SettingsWidget
from sync.dialects.settings import load_settings
from sync.emulator_dvcqg import DEFAULT_ACCOUNT, DvcqgEmulator


@pytest.fixture
def emulator(tmp_path):
    emu = DvcqgEmulator(tmp_path / "dvcqg").start()
    yield emu
    emu.stop()


@pytest.fixture
def portal(qtbot, qapp, store, clock, station):
    make_app("vi")
    session = Session(store, clock=clock, actor=Actor("admin", Role.ADMIN))
    widget = SettingsWidget(session)
    qtbot.addWidget(widget)
    widget.resize(1156, 708)
    widget.show()
    page = next(p for p in widget.pages if type(p).__name__ == "PortalPage")
    widget.tabs.setCurrentWidget(page)
    yield page
    session.close()


def dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill(qtbot, page, url: str, password: str) -> None:
    page.dialect.setCurrentIndex(page.dialect.findData("dvcqg"))
    for field, text in (
        (page.portal, url),
        (page.username, DEFAULT_ACCOUNT["username"]),
        (page.secret, password),
        (page.madonvi, DEFAULT_ACCOUNT["madonvi"]),
        (page.dstcode, DEFAULT_ACCOUNT["dstcode"]),
    ):
        field.clear()
        qtbot.keyClicks(field, text)


def press_check(qtbot, page) -> str:
    with qtbot.waitSignal(page.session.housekeeping().portal_checked, timeout=20_000):
        qtbot.mouseClick(page.check, Qt.LeftButton)
    assert page.check.isEnabled()
    return page.check_result.text()


def test_the_account_fields_follow_the_dialect(qtbot, portal):
    assert portal.dialect.currentData() == "reference" and not portal.username.isVisible()
    portal.dialect.setCurrentIndex(portal.dialect.findData("dvcqg"))
    assert portal.username.isVisible() and portal.madonvi.isVisible()
    assert portal.auth_endpoint.isVisible() and portal.integration_endpoint.isVisible()
    assert not portal.client_id.isVisible()
    portal.dialect.setCurrentIndex(portal.dialect.findData("motcua"))
    assert portal.client_id.isVisible() and not portal.username.isVisible()


def test_connection_check_ok_wrong_password_and_dead_port(qtbot, portal, emulator, store):
    fill(qtbot, portal, emulator.url, DEFAULT_ACCOUNT["password"])
    assert "Kết nối tốt" in press_check(qtbot, portal)
    assert load_settings(store).portal_url == ""  # a check saves nothing

    fill(qtbot, portal, emulator.url, "sai-mat-khau")
    assert "không nhận tài khoản" in press_check(qtbot, portal)

    fill(qtbot, portal, f"http://127.0.0.1:{dead_port()}", DEFAULT_ACCOUNT["password"])
    assert "Không có gì trả lời" in press_check(qtbot, portal)

    # a missing field: said next to it, nothing sent
    fill(qtbot, portal, emulator.url, DEFAULT_ACCOUNT["password"])
    portal.madonvi.clear()
    press_check(qtbot, portal)
    assert "mã đơn vị" in portal.errors["madonvi"].text()


def test_saved_account_is_sealed_and_the_empty_password_keeps_it(qtbot, portal, emulator, store):
    fill(qtbot, portal, emulator.url, DEFAULT_ACCOUNT["password"])
    qtbot.mouseClick(portal.save_button, Qt.LeftButton)
    assert "Đã lưu kết nối Cổng" in portal.message.text()
    saved = load_settings(store)
    assert (saved.dialect, saved.portal_url) == ("dvcqg", emulator.url)
    assert saved.credentials["password"] == DEFAULT_ACCOUNT["password"]
    assert portal.secret.text() == "" and "giữ mật khẩu đã lưu" in portal.secret.placeholderText()
    assert "Kết nối tốt" in press_check(qtbot, portal)  # with the stored password
