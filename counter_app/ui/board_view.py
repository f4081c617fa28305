"""The calling board's layout, sized for a 43" TV read from 5 m, on whatever screen it gets.

Every font is a fraction of the board's height (set in resizeEvent), so the called number
stays the same share of the screen on a 1366x768 TV, a 1920x1080 one or a portrait screen:
its line is a third of a landscape screen's height and a sixth of a portrait one's, where
the width limits it; its capitals are 9 cm tall on a 43" TV, where sign makers' rule of thumb
asks 4 cm at 5 m. Landscape puts the call on the left and the recent calls on the right;
portrait stacks them, so neither leaves half the screen empty.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

RECENT_ROWS = 8  # most rows the recent-call list has; fewer are shown when they do not fit
NUMBER_SHARE = 0.26  # the called number's font, as a share of the board's height
WIDEST_NUMBER = "A888"  # the width the big number must fit, so its size does not jump
WIDEST_COUNTER = "88"
WEIGHTS = {"caption": QFont.Bold, "head": QFont.Bold, "big": QFont.ExtraBold, "cell": QFont.Bold}
BOARD_STYLE = """
BoardView { background: #0d1b2a; }
QLabel { color: #e8eef5; }
QLabel[role="caption"] { color: #f2b705; }
QLabel[role="head"] { color: #9fb3c8; }
QLabel[role="big"], QLabel[role="cell"] { color: #ffffff; }
QLabel#states { color: #ffd27a; }
QFrame#panel { background: #1b2f45; border-radius: 24px; }
QFrame#panelHot { background: #f2b705; border-radius: 24px; }
QFrame#panelHot QLabel { color: #0d1b2a; }
QFrame#recentBox { background: #13263a; border-radius: 16px; }
"""


def board_screen(geometries: list[tuple[int, int, int, int]], primary: int) -> int | None:
    """Which screen the board takes: the last one that is not the primary, or None when the
    PC has one screen (the board then opens as asked, beside the counter's windows)."""
    others = [i for i in range(len(geometries)) if i != primary]
    return others[-1] if others else None


def _label(text: str = "", role: str | None = None, align=Qt.AlignCenter) -> QLabel:
    label = QLabel(text)
    label.setAlignment(align)
    if role:
        label.setProperty("role", role)
        font = QFont(label.font())
        font.setWeight(WEIGHTS[role])  # weights here, not in the style sheet: it would reset sizes
        label.setFont(font)
    return label


class Marquee(QWidget):
    """A notice scrolling from right to left, as on every hall's LED strip.

    Its timer runs only while it is shown: a hidden board costs no CPU."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.message = ""
        self._offset: int | None = None
        self._timer = QTimer(self, interval=30)
        self._timer.timeout.connect(self._step)

    def set_text(self, text: str) -> None:
        self.message = text
        self._offset = None

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802
        self._timer.stop()
        super().hideEvent(event)

    def _step(self) -> None:
        if self._offset is not None:
            self._offset += max(2, self.height() // 30)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.black)
        painter.setPen(Qt.yellow)
        width = painter.fontMetrics().horizontalAdvance(self.message) + self.width()
        if self._offset is None:  # first frame: start with the text readable, near the left
            self._offset = self.width() - 40
        x = self.width() - (self._offset % max(width, 1))
        painter.drawText(x, 0, width, self.height(), Qt.AlignVCenter, self.message)


class BoardView(QWidget):
    """Only the board's widgets and their sizes; DisplayWidget fills them."""

    def __init__(self, center_name: str, parent=None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet(BOARD_STYLE)
        self.center = _label(center_name, "caption", Qt.AlignLeft | Qt.AlignVCenter)
        self.clock = _label("", "caption", Qt.AlignRight | Qt.AlignVCenter)
        self.call = _label()  # the whole sentence, also the idle invitation
        self.call.setWordWrap(True)
        self.panel = QFrame()
        self.panel.setObjectName("panel")
        self.number_caption = _label(self.tr("SỐ"), "caption")
        self.counter_caption = _label(self.tr("QUẦY"), "caption")
        self.number = _label("—", "big")
        self.counter = _label("—", "big")
        grid = QGridLayout(self.panel)
        grid.addWidget(self.number_caption, 1, 0)
        grid.addWidget(self.counter_caption, 1, 1)
        grid.addWidget(self.number, 2, 0)
        grid.addWidget(self.counter, 2, 1)
        self.welcome = _label("", "caption")  # before the first call of the day
        self.welcome.setWordWrap(True)
        grid.addWidget(self.welcome, 1, 0, 2, 2)
        self.welcome.hide()
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 1)  # the pair sits in the middle of the panel
        grid.setRowStretch(3, 1)
        self.states = _label("", None, Qt.AlignLeft | Qt.AlignVCenter)
        self.states.setObjectName("states")
        self.states.setWordWrap(True)
        self.states.hide()
        self.recent_title = _label(self.tr("VỪA GỌI"), "caption")
        self.recent_box = QFrame()
        self.recent_box.setObjectName("recentBox")
        self.recent_grid = QGridLayout(self.recent_box)
        self.recent_head = (_label(self.tr("Số"), "head"), _label(self.tr("Quầy"), "head"))
        self.recent_grid.addWidget(self.recent_head[0], 0, 0)
        self.recent_grid.addWidget(self.recent_head[1], 0, 1)
        self.recent_rows: list[tuple[QLabel, QLabel]] = []
        for i in range(RECENT_ROWS):
            pair = (_label("", "cell"), _label("", "cell"))
            self.recent_grid.addWidget(pair[0], i + 1, 0)
            self.recent_grid.addWidget(pair[1], i + 1, 1)
            self.recent_rows.append(pair)
        self.recent_grid.setColumnStretch(0, 3)
        self.recent_grid.setColumnStretch(1, 2)
        self.recent_grid.setRowStretch(RECENT_ROWS + 1, 1)
        self.notice = Marquee()
        self.recent_box.installEventFilter(self)  # rows are fitted to the box once laid out
        for widget in (self.panel, self.recent_box):
            widget.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)
        # Text sized for a big screen must not hold the window at that width on a smaller or
        # turned one: the sizes follow the window (scale_to), not the other way round.
        self.center.setWordWrap(True)  # a long commune name takes two lines on a turned screen
        for label in (
            self.center,
            self.number,
            self.counter,
            self.recent_title,
            *self.recent_head,
            *(cell for row in self.recent_rows for cell in row),
        ):
            label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # fmt: skip

        self.clock.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Preferred)
        top = QHBoxLayout()
        top.addWidget(self.center, 1)
        top.addWidget(self.clock)
        self.left = QVBoxLayout()
        self.left.addWidget(self.call)
        self.left.addWidget(self.panel, 1)
        self.left.addWidget(self.states)
        right = QVBoxLayout()
        right.addWidget(self.recent_title)
        right.addWidget(self.recent_box, 1)
        self.body = QBoxLayout(QBoxLayout.LeftToRight)
        self.body.addLayout(self.left, 3)
        self.body.addLayout(right, 2)
        self.root = QVBoxLayout(self)
        self.root.addLayout(top)
        self.root.addLayout(self.body, 1)
        self.root.addWidget(self.notice)
        self._scaled_for: tuple[int, int] | None = None
        self.visible_rows = RECENT_ROWS
        # An explicit minimum: otherwise the layout's minimum, from the fonts of the last
        # screen, would hold the window at that size when it moves to a smaller screen.
        self.setMinimumSize(320, 240)

    def set_hot(self, hot: bool) -> None:
        """The panel turns yellow while a call is new, as the eye catches colour before text."""
        self.panel.setObjectName("panelHot" if hot else "panel")
        for widget in (self.panel, *self.panel.findChildren(QLabel)):
            self.style().unpolish(widget)
            self.style().polish(widget)

    def set_waiting(self, text: str | None) -> None:
        """Before the first call, the panel invites citizens instead of showing two dashes."""
        waiting = text is not None
        self.welcome.setText(text or "")
        self.welcome.setVisible(waiting)
        self.call.setVisible(not waiting)
        for label in (self.number_caption, self.counter_caption, self.number, self.counter):
            label.setVisible(not waiting)

    def set_states(self, text: str) -> None:
        """The line of paused counters; the recent list gives up rows to make room for it."""
        if text == self.states.text() and self.states.isVisibleTo(self) == bool(text):
            return  # every refresh says it again: re-measure the board only when it changed
        self.states.setText(text)
        self.states.setVisible(bool(text))
        self._scaled_for = None
        self.scale_to(self.width(), self.height())

    def set_recent(self, calls: list[tuple[str, int]]) -> None:
        for i, (number, counter) in enumerate(self.recent_rows):
            shown = i < len(calls)  # rows that do not fit the screen are hidden (_fit_rows)
            number.setText(calls[i][0] if shown else "")
            counter.setText(str(calls[i][1]) if shown else "")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self.scale_to(self.width(), self.height())

    def scale_to(self, width: int, height: int) -> None:
        """Fonts and spacing from the screen's size; recomputed only when the size changes."""
        if self._scaled_for == (width, height):
            return
        self._scaled_for = (width, height)
        portrait = height > width
        unit = height / 100  # one per cent of the screen's height
        if portrait:
            unit = min(unit, width / 56)  # a portrait screen's text is limited by its width
        self.body.setDirection(QBoxLayout.TopToBottom if portrait else QBoxLayout.LeftToRight)
        self.body.setStretch(0, 5 if portrait else 3)
        self.body.setStretch(1, 5 if portrait else 2)
        margin = round(2 * unit)
        self.root.setContentsMargins(margin, round(unit), margin, round(unit))
        self.root.setSpacing(round(1.2 * unit))
        self.body.setSpacing(round(2 * unit))
        self.left.setSpacing(round(1.2 * unit))
        self.recent_grid.setContentsMargins(margin, round(unit), margin, round(unit))
        self.recent_grid.setVerticalSpacing(round(0.6 * unit))
        for label, share in (
            (self.center, 3.6 if portrait else 4.2), (self.clock, 4.6), (self.call, 4.4),
            (self.welcome, 7.0),
            (self.number_caption, 3.6), (self.counter_caption, 3.6), (self.recent_title, 4.2),
            (self.recent_head[0], 3.6), (self.recent_head[1], 3.6),
        ):  # fmt: skip
            _set_px(label, share * unit)
        self._size_states(width * (0.92 if portrait else 0.56), unit)
        self.notice.setFixedHeight(round(6 * unit))
        _set_px(self.notice, 3.8 * unit)
        self._size_big(width, height, portrait)
        self._size_rows(unit, portrait)

    def _size_states(self, width: float, unit: float) -> None:
        """One line as large as the call line where it fits (read from across the lobby: a
        caption's size was missed), else at most two lines: the font shrinks for a long list
        rather than squeeze the call."""
        share = 4.6
        while share > 4.1:
            _set_px(self.states, share * unit)
            if QFontMetrics(self.states.font()).horizontalAdvance(self.states.text()) <= width:
                return
            share -= 0.2
        share = 3.6
        while share > 2.0:
            _set_px(self.states, share * unit)
            lines = QFontMetrics(self.states.font()).boundingRect(
                0, 0, int(width), 10_000, Qt.TextWordWrap, self.states.text()
            )
            if lines.height() <= 2.6 * share * unit:
                break
            share -= 0.4

    def _size_big(self, width: int, height: int, portrait: bool) -> None:
        """As big as the screen's height allows, unless the panel's width is narrower."""
        panel_width = width * (0.92 if portrait else 0.56)
        px = NUMBER_SHARE * height
        probe = QFont(self.number.font())
        probe.setPixelSize(round(px))
        probe.setWeight(QFont.ExtraBold)
        needed = 1.15 * QFontMetrics(probe).horizontalAdvance(f"{WIDEST_NUMBER} {WIDEST_COUNTER}")
        px = min(px, px * panel_width / needed)
        for label in (self.number, self.counter):
            _set_px(label, px)

    def _size_rows(self, unit: float, portrait: bool) -> None:
        row_px = (4.4 if portrait else 7.6) * unit
        for number, counter in self.recent_rows:
            _set_px(number, row_px)
            _set_px(counter, row_px)
        self._fit_rows()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if watched is self.recent_box and event.type() == QEvent.Resize:
            self._fit_rows()
        return super().eventFilter(watched, event)

    def _fit_rows(self) -> None:
        """As many recent rows as the list's box holds once laid out: never a cut row."""
        margins = self.recent_grid.contentsMargins()
        spacing = self.recent_grid.verticalSpacing()
        head = QFontMetrics(self.recent_head[0].font()).height() + spacing
        room = self.recent_box.height() - margins.top() - margins.bottom() - head
        line = QFontMetrics(self.recent_rows[0][0].font()).height() + spacing
        self.visible_rows = max(1, min(RECENT_ROWS, int((room + spacing) // line)))
        for i, pair in enumerate(self.recent_rows):
            for label in pair:
                label.setVisible(i < self.visible_rows)


def _set_px(widget: QWidget, px: float) -> None:
    font = QFont(widget.font())
    font.setPixelSize(max(8, round(px)))
    widget.setFont(font)
