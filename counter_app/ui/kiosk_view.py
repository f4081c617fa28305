"""Layout of the kiosk: touch-sized buttons and text a citizen reads from a step away.

The kiosk runs full screen on whatever the commune has: a 1366x768 PC, a 1920x1080 TV, a
1080x1920 portrait totem or a 1024x600 tablet. Fixed sizes made it taller than 768 (tiles
overlapped, the bottom row fell off the screen) and left half a portrait screen empty. So
`fit` sizes text and touch targets from the screen: text scales with it, a touch target is
never under TOUCH_MIN_PX (15 mm at 120 dpi, the densest of those screens), and a portrait
screen stacks the tiles in one column.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter
from PySide6.QtWidgets import (
    QBoxLayout,
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
# A phone's keypad, the one every citizen knows: 1-2-3 on top, 0 under 8; the letter H (of a
# dossier code) and the erase key beside it. "" is an empty cell.
PHONE_ROWS = (("1", "2", "3", "⌫"), ("4", "5", "6", "H"), ("7", "8", "9", ""), (".", "0", "-", ""))
TOUCH_MIN_PX = 72  # 15 mm at 120 dpi (a 10" 1024x600 tablet); more on larger screens
DESIGN = (1366, 768)  # the size the base font sizes below were chosen for
ICON_PX = 54  # a group picture at the DESIGN size: seen before the words are read


class Tile(QPushButton):
    """A touch tile whose text wraps: a group (picture, name, everyday words, people
    waiting) or a priority choice. QPushButton cannot wrap its own text, so the lines are
    labels inside it that let touches through to the button."""

    def __init__(self, view: KioskView, role: str, icon: QIcon | None = None) -> None:
        super().__init__()
        self.setProperty("role", role)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)
        self.icon_label = QLabel()
        self.icon_label.setVisible(icon is not None)
        self._icon = icon
        on_blue = role == "kiosk"  # the group tiles: white on the centre's blue
        self._icon_color = QColor("#ffffff" if on_blue else "#0b5cad")
        self.title = view.label("", 22, True, "#ffffff" if on_blue else "")
        self.words = view.label("", 18, False, "#e3edf9" if on_blue else "#3c4043")
        box = QVBoxLayout(self)
        box.setSpacing(0)
        box.setContentsMargins(6, 4, 6, 4)
        box.addStretch(1)
        for part in (self.icon_label, self.title, self.words):
            part.setAttribute(Qt.WA_TransparentForMouseEvents)
            part.setAlignment(Qt.AlignCenter)
            box.addWidget(part)
        box.addStretch(1)
        self.words.hide()

    def set_lines(self, title: str, words: str = "") -> None:
        self.title.setText(title)
        self.words.setText(words)
        self.words.setVisible(bool(words))
        self.setAccessibleName(self.text_of())  # the button itself has no text to read out

    def text_of(self) -> str:
        """Everything the tile says, as a citizen reads it."""
        return "\n".join(lb.text() for lb in (self.title, self.words) if lb.text())

    def size_icon(self, px: int) -> None:
        """Draw the picture px high in the tile's ink colour (the SVGs are one colour)."""
        if self._icon is None:
            return
        pixmap = self._icon.pixmap(QSize(px, px))
        painter = QPainter(pixmap)
        painter.setCompositionMode(QPainter.CompositionMode_SourceIn)
        painter.fillRect(pixmap.rect(), self._icon_color)
        painter.end()
        self.icon_label.setPixmap(pixmap)


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
        self.group_tiles: list[Tile] = []
        self.priority_tiles: list[Tile] = []

        # home: one tile per service group (and the look-up), the priority choices below
        self.home = QWidget()
        self.welcome = self._label(
            self.tr("Xin mời Quý khách chạm vào lĩnh vực cần giải quyết để lấy số"), 28, True
        )
        self.group_grid = QGridLayout()
        self.lookup = Tile(self, "kiosk-alt")
        self.lookup.set_lines(self.tr("Tra cứu hồ sơ"), self.tr("Xem hồ sơ đã nộp đến đâu"))
        # Always shown (no jump when a choice is made): says what to do, then what is chosen.
        self.priority_banner = self._label("", 20, True)
        self.priority_grid = QGridLayout()
        home = QVBoxLayout(self.home)
        home.addWidget(self.welcome)
        home.addLayout(self.group_grid, 1)
        home.addWidget(self.priority_banner)
        home.addLayout(self.priority_grid)

        # a group touched with no priority chosen: asked here, so whoever chose the group
        # first (an elderly citizen reading the groups first) still gets a priority number
        self.ask_page = QWidget()
        self.ask_group = self._label("", 26, True, "#0b5cad")
        self.ask_title = self._label(self.tr("Quý khách có thuộc diện ưu tiên không?"), 28, True)
        self.ask_grid = QGridLayout()
        self.ask_tiles: list[Tile] = []
        self.ask_none = _big(self.tr("Không, lấy số thường"))
        self.ask_back = _big(self.tr("Quay lại"), "kiosk-alt")
        ap = QVBoxLayout(self.ask_page)
        ap.addWidget(self.ask_group)
        ap.addWidget(self.ask_title)
        ap.addLayout(self.ask_grid, 1)
        ask_row = QHBoxLayout()
        ask_row.addWidget(self.ask_back, 1)
        ask_row.addWidget(self.ask_none, 2)
        ap.addLayout(ask_row)

        # the ticket just taken, in the middle of the screen whatever its height
        self.ticket_page = QWidget()
        self.ticket_intro = self._label(self.tr("Số thứ tự của Quý khách"), 26)
        self.ticket_number = self._label("", 120, True, "#0b5cad")
        self.ticket_group = self._label("", 30, True)
        self.ticket_ahead = self._label("", 30)
        self.ticket_wait = self._label("", 30, True)
        self.ticket_hint = self._label("", 24, False, "#3c4043")
        self.ticket_done = _big(self.tr("Xong"))
        tp = QVBoxLayout(self.ticket_page)
        tp.addStretch(1)
        for w in (self.ticket_intro, self.ticket_number, self.ticket_group, self.ticket_ahead,
                  self.ticket_wait, self.ticket_hint):  # fmt: skip
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
        self._place_keypad()
        lp = QVBoxLayout(self.lookup_page)
        lp.addWidget(self.lookup_title)
        lp.addWidget(self.code)
        # A phone's keypad is four rows high: beside the answer on a landscape screen, so
        # a 1024x600 tablet still has room for both; above it on a portrait one.
        self.lookup_body = QBoxLayout(QBoxLayout.LeftToRight)
        self.lookup_body.addLayout(self.keypad, 1)
        side = QVBoxLayout()
        side.addWidget(self.result, 1)
        row = QHBoxLayout()
        row.addWidget(self.lookup_back)
        row.addWidget(self.search)
        side.addLayout(row)
        self.lookup_body.addLayout(side, 1)
        lp.addLayout(self.lookup_body, 1)

        for page in (self.home, self.ask_page, self.ticket_page, self.lookup_page):
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
        self._style(label)
        return label

    label = _label  # tiles make their lines here, so that `fit` scales them too

    def recolor(self, label: QLabel, color: str) -> None:
        """Change a label's colour (a chosen priority turns white on blue), keeping its size."""
        size, bold, _ = self._texts[label]
        self._texts[label] = (size, bold, color)
        self._style(label)

    def _style(self, label: QLabel) -> None:
        size, bold, color = self._texts[label]
        style = f"font-size: {round(size * self.scale)}pt;" + (" font-weight: 700;" if bold else "")
        label.setStyleSheet(style + (f" color: {color};" if color else ""))

    def fit(self, width: int, height: int) -> None:
        """Size text, touch targets and columns for a screen of width x height."""
        portrait = height > width
        # A portrait screen is read like a landscape one as wide as it is: its width limits.
        scale = width / DESIGN[0] * 1.5 if portrait else min(width / DESIGN[0], height / DESIGN[1])
        scale = max(0.7, min(scale, 1.8))
        columns = 1 if portrait else 4
        if (scale, columns) == (self.scale, getattr(self, "_columns", None)):
            return
        self.scale, self._columns = scale, columns
        self.lookup_body.setDirection(
            QBoxLayout.TopToBottom if portrait else QBoxLayout.LeftToRight
        )
        touch = max(TOUCH_MIN_PX, round(96 * scale))
        pad = round(24 * scale)
        self.root.setContentsMargins(round(40 * scale), pad, round(40 * scale), pad)
        self.setStyleSheet(
            f"KioskView {{ background: #eef3f9; }}"
            f'QPushButton[role="kiosk"] {{ font-size: {round(24 * scale)}pt;'
            f" min-height: {touch}px; padding: 4px 10px; }}"
            f'QPushButton[role="kiosk-alt"] {{ font-size: {round(22 * scale)}pt;'
            f" min-height: {touch}px; padding: 4px 10px; }}"
            f'QPushButton[role="kiosk-choice"] {{ min-height: {touch}px; padding: 2px 6px;'
            " background: #fff4e0; border: 3px solid #b26a00; border-radius: 12px; }"
            'QPushButton[role="kiosk-choice"]:checked { background: #b3261e;'
            " border: 5px solid #5c0f0a; }"
            # a touch shows at once, before the next page: nobody taps twice
            'QPushButton[role="kiosk"]:pressed { background: #083f78; }'
            'QPushButton[role="kiosk-alt"]:pressed { background: #dbe8f7; }'
            'QPushButton[role="kiosk-choice"]:pressed { background: #f3d9a8; }'
            f"QLineEdit {{ font-size: {round(28 * scale)}pt; padding: {round(8 * scale)}px; }}"
        )
        for label in self._texts:
            self._style(label)
        for tile in self.group_tiles:
            tile.size_icon(round(ICON_PX * scale))
        for grid in (self.group_grid, self.priority_grid, self.ask_grid, self.keypad):
            grid.setSpacing(round(14 * scale))
        self._place(self.group_grid, [*self.group_tiles, self.lookup], columns)
        self._place(self.priority_grid, self.priority_tiles, 3 if portrait else 5)
        self._place(self.ask_grid, self.ask_tiles, 1 if portrait else 3)

    def set_tiles(self, grid: QGridLayout, tiles: list[Tile]) -> None:
        """Put the group (or priority) tiles made from the catalogue into their grid."""
        if grid is self.group_grid:
            self.group_tiles[:] = tiles
            for tile in tiles:
                tile.size_icon(round(ICON_PX * self.scale))
            self._place(grid, [*tiles, self.lookup], getattr(self, "_columns", 4))
        elif grid is self.ask_grid:
            self.ask_tiles[:] = tiles
            self._place(grid, tiles, 1 if getattr(self, "_columns", 4) == 1 else 3)
        else:
            self.priority_tiles[:] = tiles
            self._place(grid, tiles, 3 if getattr(self, "_columns", 4) == 1 else 5)

    def _place_keypad(self) -> None:
        keys = {**self.keys, "⌫": self.backspace}
        for r, row in enumerate(PHONE_ROWS):
            for c, key in enumerate(row):
                if key:
                    self.keypad.addWidget(keys[key], r, c)
            self.keypad.setRowStretch(r, 1)

    @staticmethod
    def _place(grid: QGridLayout, buttons: list[QPushButton], columns: int) -> None:
        for btn in buttons:
            grid.removeWidget(btn)
        for i, btn in enumerate(buttons):
            grid.addWidget(btn, i // columns, i % columns)
        rows = (len(buttons) + columns - 1) // columns
        for r in range(grid.rowCount()):
            grid.setRowStretch(r, 1 if r < rows else 0)
