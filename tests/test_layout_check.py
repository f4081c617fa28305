"""The layout checker itself: a window broken on purpose is caught, one fault kind per test,
and a sound window passes (else every window test could pass by checking nothing)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tests.layout_check import layout_faults

SCREEN = (800, 600)


@pytest.fixture
def window(qtbot, qapp):
    top = QWidget()
    qtbot.addWidget(top)
    return top


def shown(top: QWidget, size=SCREEN) -> QWidget:
    top.resize(*size)
    top.show()
    for _ in range(3):
        QApplication.processEvents()
    return top


def kinds(top: QWidget, **options) -> list[str]:
    return sorted({f.kind for f in layout_faults(top, screen=SCREEN, **options)})


def sound(top: QWidget) -> None:
    """A window as the program builds them: a title, a form line, buttons in a row."""
    title = QLabel("Tiếp nhận hồ sơ")
    field = QLineEdit()
    field.setPlaceholderText("Họ và tên")
    row = QHBoxLayout()
    row.addWidget(QPushButton("Làm mới"))
    row.addStretch(1)
    row.addWidget(QPushButton("Tiếp nhận"))
    layout = QVBoxLayout(top)
    layout.addWidget(title)
    layout.addWidget(field)
    layout.addStretch(1)
    layout.addLayout(row)
    for button in top.findChildren(QPushButton):
        button.setMinimumHeight(36)


def test_a_sound_window_has_no_fault(window):
    sound(window)
    assert layout_faults(shown(window), screen=SCREEN) == []


def test_a_window_larger_than_the_screen_is_off_screen(window):
    sound(window)
    window.setMinimumSize(900, 500)  # minimum sizes hold the window past the screen
    assert kinds(shown(window)) == ["offscreen"]


def test_a_widget_outside_the_window_is_off_screen_and_clipped(window):
    sound(window)
    lost = QPushButton("Gọi lại", window)
    lost.setMinimumHeight(36)
    lost.setGeometry(760, 300, 120, 36)  # its right half past the window's edge
    assert kinds(shown(window)) == ["clipped", "offscreen"]


def test_a_widget_sticking_out_of_its_parent_is_clipped(window):
    sound(window)
    box = QWidget(window)
    box.setGeometry(100, 100, 200, 100)
    inner = QLabel("Số", box)
    inner.setGeometry(150, 20, 100, 30)  # in the window, but half outside its box
    faults = layout_faults(shown(window), screen=SCREEN)
    assert [(f.kind, f.widget) for f in faults] == [("clipped", "QLabel('Số')")]


def test_two_siblings_on_top_of_each_other_overlap(window):
    sound(window)
    a = QPushButton("Yêu cầu nộp phí, thuế", window)
    b = QPushButton("Rút hồ sơ", window)
    for button, x in ((a, 100), (b, 250)):
        button.setGeometry(x, 200, 200, 40)
    faults = layout_faults(shown(window), screen=SCREEN)
    assert [f.kind for f in faults] == ["overlap"]
    assert "Rút hồ sơ" in faults[0].detail


def test_an_overlay_named_with_its_reason_may_overlap(window):
    sound(window)
    badge = QLabel("3", window)
    badge.setObjectName("badge")
    badge.setGeometry(10, 10, 30, 30)  # over the title on purpose
    assert kinds(shown(window)) == ["overlap"]
    assert kinds(window, overlays={"badge": "a count drawn over the title"}) == []


def test_the_pages_a_stack_hides_never_overlap(window):
    stack = QStackedWidget(window)
    stack.addWidget(QLabel("Trang một"))
    stack.addWidget(QLabel("Trang hai"))
    stack.setGeometry(0, 0, 400, 300)
    assert layout_faults(shown(window), screen=SCREEN) == []


def test_a_label_narrower_than_its_text_is_elided(window):
    sound(window)
    cut = QLabel("Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con", window)
    cut.setGeometry(100, 300, 120, 30)
    faults = layout_faults(shown(window), screen=SCREEN)
    assert [f.kind for f in faults] == ["elided"]
    assert faults[0].widget.startswith("QLabel('Thủ tục đăng ký")
    cut.setObjectName("decoration")
    assert kinds(window, unread=["decoration"]) == []  # a label that need not be read


def test_a_wrapped_label_shorter_than_its_lines_is_elided(window):
    sound(window)
    cut = QLabel("Giấy chứng sinh hoặc giấy tờ thay thế giấy chứng sinh, văn bản xác nhận "
                 "của người làm chứng", window)  # fmt: skip
    cut.setWordWrap(True)
    cut.setGeometry(100, 300, 150, 30)  # room for one line of four
    assert kinds(shown(window)) == ["elided"]
    cut.setGeometry(100, 300, 150, 200)
    assert kinds(window) == []


def test_a_button_narrower_than_its_text_is_elided(window):
    sound(window)
    cut = QPushButton("Tiếp nhận và in giấy hẹn", window)
    cut.setGeometry(100, 300, 80, 40)
    assert kinds(shown(window)) == ["elided"]


def test_a_placeholder_cut_by_its_field_is_elided(window):
    sound(window)
    field = QLineEdit(window)
    field.setPlaceholderText("Đặt con trỏ ở đây rồi quét mã QR trên thẻ căn cước")
    field.setGeometry(100, 300, 150, 30)
    assert kinds(shown(window)) == ["elided"]
    field.setText("001190012345")  # typed text scrolls in its field: not a fault
    assert kinds(window) == []


def test_a_low_button_is_small(window):
    sound(window)
    low = QPushButton("Xong", window)
    low.setGeometry(100, 300, 120, 22)
    low.setStyleSheet("padding: 0; min-height: 0;")
    assert kinds(shown(window)) == ["small"]
    assert kinds(window, min_button_px=20) == []  # a desktop window asks less than a kiosk
    low.setFlat(True)  # drawn as text among text (the status bar's printer state)
    assert kinds(window) == []


def test_a_table_column_beyond_a_table_that_cannot_scroll_is_unreachable(window):
    from PySide6.QtWidgets import QTableWidget

    sound(window)
    table = QTableWidget(3, 6, window)
    table.setGeometry(10, 150, 300, 200)
    for column in range(6):
        table.setColumnWidth(column, 100)  # 600 pixels of columns in 300
    assert kinds(shown(window)) == []  # it scrolls
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    assert kinds(window) == ["unreachable"]


def test_content_bigger_than_a_scroll_area_must_scroll(window):
    sound(window)
    area = QScrollArea(window)
    area.setGeometry(10, 150, 300, 200)
    content = QWidget()
    content.setMinimumSize(280, 900)
    area.setWidget(content)
    assert kinds(shown(window)) == []  # content outside the viewport is not "clipped"
    area.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    assert kinds(window) == ["unreachable"]


def test_a_wrapping_table_row_lower_than_its_lines_is_elided(window):
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    sound(window)
    table = QTableWidget(1, 1, window)
    table.setWordWrap(True)
    table.setGeometry(10, 150, 300, 200)
    table.setColumnWidth(0, 150)
    table.setItem(0, 0, QTableWidgetItem("Giấy chứng sinh hoặc giấy tờ thay thế giấy chứng "
                                         "sinh, văn bản xác nhận của người làm chứng"))  # fmt: skip
    table.setRowHeight(0, 30)
    assert kinds(shown(window)) == ["elided"]
    table.resizeRowsToContents()
    assert kinds(window) == []


def test_a_list_item_wider_than_its_list_is_elided(window):
    from PySide6.QtWidgets import QListWidget

    sound(window)
    pages = QListWidget(window)
    pages.addItem("Hướng dẫn, soạn hồ sơ (Ctrl+1)")
    pages.setGeometry(10, 150, 120, 200)
    assert kinds(shown(window)) == ["elided"]
    pages.setWordWrap(True)  # the item wraps to the list's width
    assert kinds(window) == []
