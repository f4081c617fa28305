"""The officer's full name and title from the windows: Settings › Tài khoản and the first-run
wizard's admin, through the account services (their rules, their audit)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter_app.core.roles import Actor, Role
from counter_app.services import accounts
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.conftest import make_ctx

NAME = "Nguyễn Thị Đường"


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    accounts.add_user(make_ctx(store, clock, station, Role.ADMIN, "admin"), username="canbo1",
                      role=Role.CLERK, password="mat-khau-dai")  # fmt: skip
    s = Session(store, clock=clock, actor=Actor("admin", Role.ADMIN))
    yield s
    s.close()


def accounts_page(qtbot, session):
    from counter_app.ui.settings import SettingsWidget
    from counter_app.ui.settings_accounts import AccountsPage

    widget = SettingsWidget(session)
    qtbot.addWidget(widget)
    widget.resize(1156, 708)
    widget.show()
    page = next(p for p in widget.pages if isinstance(p, AccountsPage))
    widget.tabs.setCurrentWidget(page)
    return widget, page


def test_settings_sets_an_officers_name_and_title(qtbot, session, store) -> None:
    widget, page = accounts_page(qtbot, session)
    row = next(i for i, u in enumerate(page.users) if u.username == "canbo1")
    page.table.selectRow(row)
    assert page.save_button.isEnabled()
    page.full_name.setText("nguyễn  thị đường")  # pasted: QTest types Latin-1 only
    page.title.setText("Công chức Tư pháp - Hộ tịch")
    qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert (store.users.get("canbo1").full_name, store.users.get("canbo1").title) == (
        NAME, "Công chức Tư pháp - Hộ tịch")  # fmt: skip
    assert "Đã lưu họ tên" in widget.message.text()
    assert page.table.item(row, 2).text() == NAME  # written properly, shown as stored

    # a name with a digit is refused next to its field, nothing written
    page.full_name.clear()
    qtbot.keyClicks(page.full_name, "Nguyen 2")
    qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert "chữ cái" in page.errors["full_name"].text()
    assert store.users.get("canbo1").full_name == NAME


def test_settings_creates_an_account_with_its_name(qtbot, session, store) -> None:
    widget, page = accounts_page(qtbot, session)
    qtbot.keyClicks(page.username, "canbo.duong")
    qtbot.keyClicks(page.password, "mat-khau-can-bo")
    page.new_full_name.setText(NAME)
    page.new_title.setText("Phó Chủ tịch UBND xã")
    qtbot.mouseClick(page.add_button, Qt.LeftButton)
    user = store.users.get("canbo.duong")
    assert (user.role, user.full_name, user.title) == (Role.CLERK, NAME, "Phó Chủ tịch UBND xã")
    assert "Đã tạo tài khoản canbo.duong" in widget.message.text()
    # a short password is said under the password
    qtbot.keyClicks(page.username, "canbo.x")
    qtbot.keyClicks(page.password, "ngan")
    qtbot.mouseClick(page.add_button, Qt.LeftButton)
    assert page.errors["password"].text() and store.users.get("canbo.x") is None


def test_a_clerk_cannot_open_the_accounts(qtbot, qapp, store, clock, station) -> None:
    make_app("vi")
    s = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    try:
        widget, _ = accounts_page(qtbot, s)
        assert "không được phép" in widget.message.text()
    finally:
        s.close()


def test_the_first_run_wizard_names_the_admin(qtbot, store, clock) -> None:
    from counter_app.ui.first_run import FirstRunWidget

    make_app("vi")
    wizard = FirstRunWidget(store, clock=clock)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.center_name.setText("Trung tâm PVHCC xã Tân Lập")
    qtbot.keyClicks(wizard.agency_code, "000.00.01.H22")
    qtbot.mouseClick(wizard.next, Qt.LeftButton)
    wizard.admin_full_name.setText("Trần Văn Ẩn 2")
    wizard.admin_title.setText("Chủ tịch UBND xã")
    qtbot.keyClicks(wizard.admin_password, "Quan-tri-2026!")
    qtbot.keyClicks(wizard.admin_repeat, "Quan-tri-2026!")
    if wizard.needs_passphrase:  # no OS keyring under tests
        qtbot.keyClicks(wizard.passphrase, "mat-khau-du-lieu")
        qtbot.keyClicks(wizard.passphrase_repeat, "mat-khau-du-lieu")
    for _ in range(wizard.setup_steps):
        qtbot.mouseClick(wizard.next, Qt.LeftButton)
        if wizard.errors["full_name"].isVisibleTo(wizard):
            break
    # the wrong name sends the clerk back to the admin step, with the reason under it
    assert "chữ cái" in wizard.errors["full_name"].text()
    assert store.settings.get("station") is None
    wizard.admin_full_name.setText("Trần Văn Ẩn")
    wizard.admin_password.setText("Quan-tri-2026!")
    wizard.admin_repeat.setText("Quan-tri-2026!")
    for _ in range(wizard.setup_steps):
        if store.settings.get("station") is not None:
            break
        qtbot.mouseClick(wizard.next, Qt.LeftButton)
    admin = store.users.get("admin")
    assert (admin.full_name, admin.title) == ("Trần Văn Ẩn", "Chủ tịch UBND xã")


def test_settings_choose_the_forms_printer_among_the_installed_ones(qtbot, session, store,
                                                                    clock, station):  # fmt: skip
    from counter_app.services import admin
    from counter_app.ui.settings import PrinterPage, SettingsWidget
    from counter_app.ui.system_print import system_printers

    admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                        form_printer="HP LaserJet phòng một cửa")  # fmt: skip
    widget = SettingsWidget(session)
    qtbot.addWidget(widget)
    widget.show()
    page = next(p for p in widget.pages if isinstance(p, PrinterPage))
    widget.tabs.setCurrentWidget(page)
    listed = [page.forms.itemData(i) for i in range(page.forms.count())]
    assert listed == ["", *system_printers(), "HP LaserJet phòng một cửa"]
    assert "không thấy trên máy này" in page.forms.currentText()  # gone since it was chosen
    page.forms.setFocus()
    qtbot.keyClick(page.forms, Qt.Key_Home)  # "Không dùng": forms go to the thermal printer
    qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert store.settings.get("form_printer") == ""
    assert "Đã lưu máy in" in widget.message.text()
    with pytest.raises(Exception, match="settings.bad_value|không hợp lệ"):
        admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                            form_printer=["không phải tên"])  # fmt: skip
