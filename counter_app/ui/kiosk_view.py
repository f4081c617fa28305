"""Layout of the kiosk: touch-sized buttons and text a citizen reads from a step away.

The kiosk runs full screen on whatever the commune has: a 1366x768 PC, a 1920x1080 TV, a
1080x1920 portrait totem or a 1024x600 tablet. Fixed sizes made it taller than 768 (tiles
overlapped, the bottom row fell off the screen) and left half a portrait screen empty. So
`fit` sizes text and touch targets from the screen: text scales with it, a touch target is
never under TOUCH_MIN_PX (15 mm at 120 dpi, the densest of those screens), and a portrait
screen stacks the tiles in one column.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0", "-", "H")
TOUCH_MIN_PX = 72  # 15 mm at 120 dpi (a 10" 1024x600 tablet); more on larger screens
DESIGN = (1366, 768)  # the size the base font sizes below were chosen for


def _big(text: str, role: str = "kiosk") -> QPushButton:
    btn = QPushButton(text)
    btn.setProperty("role", role)
    btn.setFocusPolicy(Qt.StrongFocus)
    return btn


class KioskView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WA_StyledBackground, True)
        self._texts: dict[QLabel, tuple[int, bool, str]] = {}  # base pt size, bold, colour
        self.scale = 1.0
        self.center = self._label("", 22, True, "#0b5cad")
        self.clock = self._label("", 22)
        self.pages = QStackedWidget()
        self.group_tiles: list[QPushButton] = []
        self.priority_tiles: list[QPushButton] = []

        # home: one button per service group, the priority button, the look-up button
        self.home = QWidget()
        self.welcome = self._label(
            self.tr("Xin mời Quý khách chạm vào lĩnh vực cần giải quyết"), 30, True
        )
        self.priority_banner = self._label("", 22, True, "#b3261e")
        self.priority_banner.hide()
        self.group_grid = QGridLayout()
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
        self.priority_title = self._label(self.tr("Quý khách thuộc diện ưu tiên nào?"), 30, True)
        self.priority_grid = QGridLayout()
        self.priority_back = _big(self.tr("Quay lại"), "kiosk-alt")
        pp = QVBoxLayout(self.priority_page)
        pp.addWidget(self.priority_title)
        pp.addLayout(self.priority_grid, 1)
        pp.addWidget(self.priority_back)

        # the ticket just taken, in the middle of the screen whatever its height
        self.ticket_page = QWidget()
        self.ticket_intro = self._label(self.tr("Số thứ tự của Quý khách"), 30)
        self.ticket_number = self._label("", 150, True, "#0b5cad")
        self.ticket_group = self._label("", 30, True)
        self.ticket_ahead = self._label("", 30)
        self.ticket_hint = self._label("", 24, False, "#3c4043")
        self.ticket_done = _big(self.tr("Xong"))
        tp = QVBoxLayout(self.ticket_page)
        tp.addStretch(1)
        for w in (self.ticket_intro, self.ticket_number, self.ticket_group, self.ticket_ahead,
                  self.ticket_hint):  # fmt: skip
            tp.addWidget(w)
        tp.addStretch(1)
        tp.addWidget(self.ticket_done)

        # dossier look-up
        self.lookup_page = QWidget()
        self.lookup_title = self._label(
            self.tr("Nhập hoặc quét mã hồ sơ ghi trên giấy hẹn"), 28, True
        )
        self.code = QLineEdit()
        self.code.setAlignment(Qt.AlignCenter)
        self.keys = {k: _big(k, "kiosk-alt") for k in KEYS}
        self.backspace = _big("⌫", "kiosk-alt")
        for key in (*self.keys.values(), self.backspace):  # keys grow into a tall screen
            key.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)
        self.search = _big(self.tr("Tra cứu"))
        self.lookup_back = _big(self.tr("Quay lại"), "kiosk-alt")
        self.result = self._label("", 26)
        self.result.setTextFormat(Qt.RichText)
        self.keypad = QGridLayout()
        lp = QVBoxLayout(self.lookup_page)
        lp.addWidget(self.lookup_title)
        lp.addWidget(self.code)
        lp.addLayout(self.keypad, 2)
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
        self.root = QVBoxLayout(self)
        self.root.addLayout(top)
        self.root.addWidget(self.pages, 1)
        self.fit(*DESIGN)

    def _label(self, text: str, size: int, bold: bool = False, color: str = "") -> QLabel:
        label = QLabel(text)
        label.setAlignment(Qt.AlignCenter)
        label.setWordWrap(True)
        self._texts[label] = (size, bold, color)
        return label

    def fit(self, width: int, height: int) -> None:
        """Size text, touch targets and columns for a screen of width x height."""
        portrait = height > width
        # A portrait screen is read like a landscape one as wide as it is: its width limits.
        scale = width / DESIGN[0] * 1.5 if portrait else min(width / DESIGN[0], height / DESIGN[1])
        scale = max(0.7, min(scale, 1.8))
        columns = 1 if portrait else 2
        if (scale, columns) == (self.scale, getattr(self, "_columns", None)):
            return
        self.scale, self._columns = scale, columns
        touch = max(TOUCH_MIN_PX, round(96 * scale))
        pad = round(24 * scale)
        self.root.setContentsMargins(round(40 * scale), pad, round(40 * scale), pad)
        self.setStyleSheet(
            f"KioskView {{ background: #eef3f9; }}"
            f'QPushButton[role="kiosk"] {{ font-size: {round(24 * scale)}pt;'
            f" min-height: {touch}px; padding: 4px 10px; }}"
            f'QPushButton[role="kiosk-alt"] {{ font-size: {round(22 * scale)}pt;'
            f" min-height: {touch}px; padding: 4px 10px; }}"
            f"QLineEdit {{ font-size: {round(28 * scale)}pt; padding: {round(8 * scale)}px; }}"
        )
        for label, (size, bold, color) in self._texts.items():
            style = f"font-size: {round(size * scale)}pt;" + (" font-weight: 700;" if bold else "")
            label.setStyleSheet(style + (f" color: {color};" if color else ""))
        for grid in (self.group_grid, self.priority_grid, self.keypad):
            grid.setSpacing(round(16 * scale))
        self._place(self.group_grid, self.group_tiles, columns)
        self._place(self.priority_grid, self.priority_tiles, columns)
        keys = [*(self.keys[k] for k in KEYS), self.backspace]
        self._place(self.keypad, keys, 3 if portrait else 7)  # portrait: a phone's keypad

    def set_tiles(self, grid: QGridLayout, tiles: list[QPushButton]) -> None:
        """Put the group (or priority) buttons made from the catalogue into their grid."""
        target = self.group_tiles if grid is self.group_grid else self.priority_tiles
        target[:] = tiles
        for tile in tiles:  # tiles share the screen's height: no empty half on a tall screen
            tile.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)
        self._place(grid, tiles, getattr(self, "_columns", 2))

    @staticmethod
    def _place(grid: QGridLayout, buttons: list[QPushButton], columns: int) -> None:
        for btn in buttons:
            grid.removeWidget(btn)
        for i, btn in enumerate(buttons):
            grid.addWidget(btn, i // columns, i % columns)
        rows = (len(buttons) + columns - 1) // columns
        for r in range(grid.rowCount()):
            grid.setRowStretch(r, 1 if r < rows else 0)
