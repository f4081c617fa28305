"""Layout of the kiosk: touch-sized buttons and text a citizen reads from a step away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0", "-", "H")


def _label(text: str = "", size: int = 24, bold: bool = False, color: str = "") -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignCenter)
    label.setWordWrap(True)
    style = f"font-size: {size}pt;" + (" font-weight: 700;" if bold else "")
    label.setStyleSheet(style + (f" color: {color};" if color else ""))
    return label


def _big(text: str, role: str = "kiosk") -> QPushButton:
    btn = QPushButton(text)
    btn.setProperty("role", role)
    btn.setFocusPolicy(Qt.StrongFocus)
    return btn


class KioskView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setStyleSheet("KioskView { background: #eef3f9; }")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.center = _label("", 22, True, "#0b5cad")
        self.clock = _label("", 22)
        self.pages = QStackedWidget()

        # home: one button per service group, the priority button, the look-up button
        self.home = QWidget()
        self.welcome = _label(self.tr("Xin mời chạm vào lĩnh vực bạn cần giải quyết"), 30, True)
        self.priority_banner = _label("", 22, True, "#b3261e")
        self.priority_banner.hide()
        self.group_grid = QGridLayout()
        self.group_grid.setSpacing(18)
        self.priority = _big(self.tr("Tôi thuộc diện ưu tiên"), "kiosk-alt")
        self.lookup = _big(self.tr("Tra cứu hồ sơ"), "kiosk-alt")
        home = QVBoxLayout(self.home)
        home.addWidget(self.welcome)
        home.addWidget(self.priority_banner)
        home.addLayout(self.group_grid, 1)
        row = QHBoxLayout()
        row.addWidget(self.priority)
        row.addWidget(self.lookup)
        home.addLayout(row)

        # priority categories
        self.priority_page = QWidget()
        self.priority_title = _label(self.tr("Bạn thuộc diện ưu tiên nào?"), 30, True)
        self.priority_grid = QGridLayout()
        self.priority_grid.setSpacing(18)
        self.priority_back = _big(self.tr("Quay lại"), "kiosk-alt")
        pp = QVBoxLayout(self.priority_page)
        pp.addWidget(self.priority_title)
        pp.addLayout(self.priority_grid, 1)
        pp.addWidget(self.priority_back)

        # the ticket just taken
        self.ticket_page = QWidget()
        self.ticket_intro = _label(self.tr("Số thứ tự của bạn"), 30)
        self.ticket_number = _label("", 150, True, "#0b5cad")
        self.ticket_group = _label("", 30, True)
        self.ticket_ahead = _label("", 30)
        self.ticket_hint = _label(self.tr("Vui lòng nhận phiếu và chờ đến khi số của bạn được "
                                          "gọi trên màn hình."), 22, False, "#5f6368")  # fmt: skip
        self.ticket_done = _big(self.tr("Xong"))
        tp = QVBoxLayout(self.ticket_page)
        for w in (self.ticket_intro, self.ticket_number, self.ticket_group, self.ticket_ahead,
                  self.ticket_hint):  # fmt: skip
            tp.addWidget(w)
        tp.addStretch(1)
        tp.addWidget(self.ticket_done)

        # dossier look-up
        self.lookup_page = QWidget()
        self.lookup_title = _label(self.tr("Nhập hoặc quét mã hồ sơ ghi trên giấy hẹn"), 28, True)
        self.code = QLineEdit()
        self.code.setAlignment(Qt.AlignCenter)
        self.code.setStyleSheet("font-size: 30pt; padding: 10px;")
        self.keys = {k: _big(k, "kiosk-alt") for k in KEYS}
        self.backspace = _big("⌫", "kiosk-alt")
        self.search = _big(self.tr("Tra cứu"))
        self.lookup_back = _big(self.tr("Quay lại"), "kiosk-alt")
        self.result = _label("", 26)
        self.result.setTextFormat(Qt.RichText)
        keypad = QGridLayout()
        keypad.setSpacing(10)
        for i, key in enumerate((*KEYS, "⌫")):
            btn = self.backspace if key == "⌫" else self.keys[key]
            btn.setMinimumHeight(80)
            keypad.addWidget(btn, i // 7, i % 7)
        lp = QVBoxLayout(self.lookup_page)
        lp.addWidget(self.lookup_title)
        lp.addWidget(self.code)
        lp.addLayout(keypad)
        lp.addWidget(self.result, 1)
        row = QHBoxLayout()
        row.addWidget(self.lookup_back)
        row.addWidget(self.search)
        lp.addLayout(row)

        for page in (self.home, self.priority_page, self.ticket_page, self.lookup_page):
            self.pages.addWidget(page)
        top = QHBoxLayout()
        top.addWidget(self.center, 1)
        top.addWidget(self.clock)
        root = QVBoxLayout(self)
        root.setContentsMargins(40, 24, 40, 24)
        root.addLayout(top)
        root.addWidget(self.pages, 1)
