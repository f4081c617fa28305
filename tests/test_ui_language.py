"""The language setting and Qt's own texts.

Settings stores the language with the center's settings; the window and the command line
start in it (`--lang` still wins), and the page says a restart applies it. Qt's own context
menus, standard buttons, file dialog, key names and calendar speak Vietnamese through
resources/translations/qtbase_vi.qm and the default QLocale.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QWidget,
)

from counter_app.cli import main
from counter_app.core.clock import system_now
from counter_app.core.roles import Actor, Role
from counter_app.preferences import STORE_FILE, stored_language
from counter_app.ui.i18n import install_language
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session

INIT = [
    "init", "--agency-code", "000.00.01.H22", "--center-name", "Trung tâm xã Tân Lập",
    "--admin-password", "mat-khau-dai",
]  # fmt: skip


@pytest.fixture
def vietnamese(qapp):
    make_app("vi")
    yield
    install_language("vi")


def test_the_preferences_module_names_the_store_file_as_the_store_does() -> None:
    from counter_app.store import STORE_FILE as STORE

    assert STORE_FILE == STORE


def _language_page(qtbot, store, clock, station):
    from counter_app.ui.settings import LanguagePage, SettingsWidget

    widget = SettingsWidget(Session(store, clock=clock, actor=Actor("admin", Role.ADMIN)))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    page = next(p for p in widget.pages if isinstance(p, LanguagePage))
    widget.tabs.setCurrentWidget(page)
    return widget, page


def test_choosing_english_is_stored_and_says_a_restart_applies_it(
    qtbot, vietnamese, store, clock, station
) -> None:
    widget, page = _language_page(qtbot, store, clock, station)
    assert page.language.currentData() == "vi" and not page.pending.isVisible()
    page.language.setFocus()
    qtbot.keyClick(page.language, Qt.Key_Down)  # Tiếng Việt -> English, as a user would
    assert page.language.currentData() == "en"
    qtbot.mouseClick(page.apply, Qt.LeftButton)
    assert store.settings.get("language") == "en"
    assert "khởi động lại chương trình" in widget.message.text()
    assert page.pending.isVisible() and "khởi động lại" in page.pending.text()
    # what the next start reads, before it opens the store
    folder = Path(store.path).parent
    assert stored_language(folder) == "en"
    from counter_app.ui.launcher import _language

    assert _language(None, folder) == "en"
    assert _language("vi", folder) == "vi"  # --lang / COUNTER_APP_LANG still win
    # back to Vietnamese: nothing waits for a restart any more
    qtbot.keyClick(page.language, Qt.Key_Up)
    qtbot.mouseClick(page.apply, Qt.LeftButton)
    assert store.settings.get("language") == "vi" and not page.pending.isVisible()
    assert widget.message.text() == "Đã lưu ngôn ngữ giao diện."


def test_an_unreadable_or_missing_store_falls_back_to_vietnamese(tmp_path) -> None:
    assert stored_language(tmp_path) is None
    (tmp_path / STORE_FILE).write_bytes(b"not a database at all")
    assert stored_language(tmp_path) is None


def test_the_command_line_follows_the_stored_language_and_lang_wins(
    tmp_path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    monkeypatch.delenv("COUNTER_APP_LANG", raising=False)
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, *INIT]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "sync", "status"]) == 0
    assert "Chờ gửi: 0" in capsys.readouterr().out  # nothing chosen: Vietnamese

    from counter_app.store import open_store

    store = open_store(Path(data))
    try:
        from counter_app.services import admin
        from counter_app.services.setup import open_context

        admin.save_settings(
            open_context(store, clock=system_now, actor=Actor("admin", Role.ADMIN)),
            language="en",
        )
    finally:
        store.close()
    assert main(["--data-dir", data, "sync", "status"]) == 0
    assert "Waiting: 0" in capsys.readouterr().out  # the command's own output
    assert main(["--data-dir", data, "queue", "call-next", "--counter", "abc"]) == 2
    assert capsys.readouterr().err.startswith("Error:")  # click's usage error too
    assert main(["--data-dir", data, "--lang", "vi", "sync", "status"]) == 0
    assert "Chờ gửi: 0" in capsys.readouterr().out
    monkeypatch.setenv("COUNTER_APP_LANG", "vi")
    assert main(["--data-dir", data, "queue", "call-next", "--counter", "abc"]) == 2
    assert capsys.readouterr().err.startswith("Lỗi:")


# --- Qt's own texts -------------------------------------------------------------------------


def _context_menu_texts(qtbot, line: QLineEdit) -> list[str]:
    """Right-click the field (a real context-menu event) and read the menu Qt opens."""
    seen: list[str] = []

    def read_and_close() -> None:
        menus = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu)]
        menu = next(m for m in menus if m.isVisible())
        seen.extend(a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator())
        menu.close()

    QTimer.singleShot(200, read_and_close)
    event = QContextMenuEvent(QContextMenuEvent.Mouse, QPoint(5, 5), line.mapToGlobal(QPoint(5, 5)))
    QApplication.sendEvent(line, event)
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    return seen


def test_a_line_edit_context_menu_speaks_vietnamese(qtbot, vietnamese) -> None:
    line = QLineEdit("Nguyễn Văn An")
    qtbot.addWidget(line)
    line.show()
    texts = _context_menu_texts(qtbot, line)
    assert texts == ["&Hoàn tác", "&Làm lại", "&Cắt", "&Sao chép", "&Dán", "Xóa", "Chọn tất cả"]


def test_the_context_menu_is_english_in_english(qtbot, qapp) -> None:
    try:
        make_app("en")
        line = QLineEdit("An")
        qtbot.addWidget(line)
        line.show()
        assert _context_menu_texts(qtbot, line)[:2] == ["&Undo", "&Redo"]
    finally:
        install_language("vi")


def test_message_box_buttons_are_vietnamese(qtbot, vietnamese) -> None:
    box = QMessageBox(
        QMessageBox.Question, "counter-app", "Xóa?",
        QMessageBox.Yes | QMessageBox.No | QMessageBox.Ok | QMessageBox.Cancel
        | QMessageBox.Save | QMessageBox.Close,
    )  # fmt: skip
    qtbot.addWidget(box)
    box.show()
    shown = {box.button(b).text() for b in (QMessageBox.Yes, QMessageBox.No, QMessageBox.Ok,
                                             QMessageBox.Cancel, QMessageBox.Save,
                                             QMessageBox.Close)}  # fmt: skip
    assert shown == {"&Có", "&Không", "Đồng ý", "Hủy", "Lưu", "Đóng"}
    box.close()


def test_the_file_dialog_is_vietnamese(qtbot, vietnamese, tmp_path) -> None:
    dialog = QFileDialog(None, "Chọn thư mục sao lưu", str(tmp_path))
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)  # Qt's own, as on Linux
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {w.text() for w in dialog.findChildren(QLabel) if w.text()}
    assert {"&Tìm trong:", "&Tên tệp:", "&Loại tệp:"} <= labels
    tips = {b.toolTip() for b in dialog.findChildren(QToolButton)}
    assert "Tạo thư mục mới" in tips and "Quay lại" in tips
    assert {b.text() for b in dialog.findChildren(QPushButton)} >= {"&Mở", "Hủy"}
    dialog.close()


def test_the_calendar_and_numbers_follow_the_vietnamese_locale(qtbot, vietnamese) -> None:
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.setCurrentPage(2026, 4)
    calendar.show()
    month = calendar.findChild(QToolButton, "qt_calendar_monthbutton")
    assert month.text() == "Tháng 4"
    assert calendar.locale().dayName(1) == "Thứ Hai"
    from counter_app.ui.i18n import number

    assert number(4975) == "4.975"


def test_shortcuts_are_named_as_the_keyboard_prints_them(qtbot, vietnamese) -> None:
    from counter_app.ui.widgets import button, key_text

    assert key_text("Ctrl+Return") == "Ctrl+Enter"
    assert QKeySequence("Ctrl+Return").toString(QKeySequence.NativeText) == "Ctrl+Enter"
    accept = button("Tiếp nhận và in giấy hẹn", shortcut="Ctrl+Return")
    qtbot.addWidget(accept)
    assert accept.text().endswith("[Ctrl+Enter]") and "Return" not in accept.text()


def test_no_english_role_name_in_settings(qtbot, vietnamese, store, clock, station) -> None:
    from counter_app.ui.settings import CenterPage

    widget, _ = _language_page(qtbot, store, clock, station)
    page = next(p for p in widget.pages if isinstance(p, CenterPage))
    texts = [w.text() for w in page.findChildren(QLineEdit)]
    assert any("trạm tất cả trong một" in t for t in texts)
    assert not any("all-in-one" in t for t in texts)


def test_english_counts_agree_with_their_number(qapp) -> None:
    from PySide6.QtCore import QCoreApplication

    try:
        install_language("en")
        text = "Máy in: %Ln lệnh in chưa xong"
        one = QCoreApplication.translate("StationStatusBar", text, "", 1)
        many = QCoreApplication.translate("StationStatusBar", text, "", 2)
        assert one == "Printer: 1 job not printed"
        assert many == "Printer: 2 jobs not printed"
    finally:
        install_language("vi")


ENGLISH = re.compile(
    r"\b(the|and|of|to|is|jobs?|records?|Return|all-in-one|Cancel|Yes|No|Save|Open|Close|"
    r"Undo|Select All|Delete|Printer|Sync|Counter|Kiosk|Display|Settings)\b"
)


def _texts(root) -> list[str]:
    """Every text a user can read in a window: labels, buttons, titles, placeholders,
    tabs, headers, list and combo items, tooltips."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QTableWidget,
        QTabWidget,
        QTreeWidget,
    )

    found = []
    for w in [root, *root.findChildren(QWidget)]:
        found.append(w.toolTip())
        if isinstance(w, (QLabel, QAbstractButton)):
            found.append(w.text())
        elif isinstance(w, QGroupBox):
            found.append(w.title())
        elif isinstance(w, QLineEdit):
            found += [w.placeholderText(), w.text() if w.isReadOnly() else ""]
        elif isinstance(w, QComboBox):
            found += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QTabWidget):
            found += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QTableWidget):
            found += [w.horizontalHeaderItem(i).text() for i in range(w.columnCount())
                      if w.horizontalHeaderItem(i) is not None]  # fmt: skip
        elif isinstance(w, QTreeWidget):
            found += [w.headerItem().text(i) for i in range(w.columnCount())]
    return [t for t in found if t and not Path(t).is_absolute()]  # a folder is no sentence


def test_no_english_word_in_the_vietnamese_windows(qtbot, vietnamese, store, clock, station):
    """Every clerk and admin page, the status bar and the citizen screens, as built: the
    words a user reads are Vietnamese ("English" in the language list excepted)."""
    from counter_app.ui.shell import StationWindow, make_screen

    session = Session(store, clock=clock, actor=Actor("admin", Role.ADMIN))
    window = StationWindow()
    qtbot.addWidget(window)
    window.attach(session)
    window.resize(1366, 768)
    window.show()
    window._signed_in(Actor("admin", Role.ADMIN))  # the login's own signal, already checked
    leaks = []
    for key in ("counter", "intake", "dossiers", "reports", "settings"):
        page = window.show_page(key)
        QApplication.processEvents()
        leaks += [(key, t) for t in _texts(page) if ENGLISH.search(t) and t != "English"]
    leaks += [("status", t) for t in _texts(window.statusBar()) if ENGLISH.search(t)]
    for key in ("kiosk", "display", "satisfaction"):
        screen = make_screen(key, session)
        qtbot.addWidget(screen)
        leaks += [(key, t) for t in _texts(screen) if ENGLISH.search(t)]
        screen.close()
    assert not leaks, leaks
    window.close()
    for timer in window.findChildren(QTimer):
        timer.stop()
