"""Layouts that follow the window's shape: 1366x768, 1920x1080 and a portrait 1080x1920.

A page laid out once for a landscape screen breaks on a portrait one in two ways: its fixed
rows and columns add up to a minimum width wider than the screen (the window cannot be made
that narrow, so its right edge falls off the screen), and two halves side by side are each
squeezed until columns and text are cut while the height stays empty. These helpers keep the
minimum narrow and rearrange what does not fit; tests/test_ui_window_layouts.py checks the
result at each size.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLayout,
    QLineEdit,
    QSplitter,
    QWidget,
)

LINE_EDIT_PADDING = 24  # the style's padding and border plus Qt's own margin around the text


class PortraitTurn(QObject):
    """Lays two halves side by side while their page is wider than tall, one above the other
    on a tall page (a portrait screen), where side by side both would be squeezed.

    A hidden page goes back to side by side: a stack of pages is as tall as its tallest
    page's minimum, and a page left turned (never resized while hidden) held the window
    992 pixels tall on a 768 screen. Side by side, each page's minimum fits all three sizes.
    """

    def __init__(self, page: QWidget, halves: QBoxLayout | QSplitter) -> None:
        super().__init__(page)
        self._halves = halves
        page.installEventFilter(self)

    def eventFilter(self, page, event) -> bool:  # noqa: N802 (Qt name)
        if event.type() in (QEvent.Resize, QEvent.Show):
            self._turn(page, page.height() > page.width())
        elif event.type() == QEvent.Hide:
            self._turn(page, False)
        return False

    def _turn(self, page: QWidget, tall: bool) -> None:
        halves = self._halves
        if isinstance(halves, QSplitter):
            wanted = Qt.Vertical if tall else Qt.Horizontal
            if halves.orientation() != wanted:
                halves.setOrientation(wanted)
        else:
            wanted = QBoxLayout.TopToBottom if tall else QBoxLayout.LeftToRight
            if halves.direction() == wanted:
                return
            halves.setDirection(wanted)
        # Qt leaves a hidden page's cached minimum as it was: recompute it now, or the
        # window keeps the turned page's minimum.
        if page.layout() is not None:
            page.layout().invalidate()
        page.updateGeometry()


class WrapRow(QWidget):
    """Groups of controls in one row where they fit, else each group on a row of its own.

    The reports' period, dates and export buttons fit one row at 1366 but, kept in one row,
    held the window 1207 pixels wide on a 1080 one. The first group starts each row, the
    others keep to the right while they share its row."""

    def __init__(self, *groups: QLayout, parent=None) -> None:
        super().__init__(parent)
        self._row = QBoxLayout(QBoxLayout.LeftToRight, self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self.groups: list[QWidget] = []
        for i, group in enumerate(groups):
            box = QWidget()
            group.setContentsMargins(0, 0, 0, 0)
            box.setLayout(group)
            if i:
                self._row.addStretch(1)
            self._row.addWidget(box, 0, Qt.AlignLeft)
            self.groups.append(box)

    def _one_row_width(self) -> int:
        spacing = max(self._row.spacing(), 0)
        return sum(g.sizeHint().width() for g in self.groups) + spacing * (len(self.groups) - 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        widest = max(g.minimumSizeHint().width() for g in self.groups)
        return QSize(widest, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        one_row = self.width() >= self._one_row_width()
        direction = QBoxLayout.LeftToRight if one_row else QBoxLayout.TopToBottom
        if self._row.direction() != direction:
            self._row.setDirection(direction)


class ButtonGrid(QWidget):
    """Buttons two a row where two fit the width, else one a row, chosen again at each resize.

    Chosen once when a dossier was opened, two columns stayed after the window was narrowed:
    the buttons overlapped and held the window wider than a portrait screen."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)

    def buttons(self) -> list[QWidget]:
        placed = []
        for i in range(self.grid.count()):
            widget = self.grid.itemAt(i).widget()
            if widget is not None:
                row, column, _rows, _columns = self.grid.getItemPosition(i)
                placed.append(((row, column), widget))
        return [widget for _at, widget in sorted(placed, key=lambda p: p[0])]

    def _widest(self) -> int:
        return max((b.minimumSizeHint().width() for b in self.buttons()), default=0)

    def columns_for(self, width: int) -> int:
        return 2 if 2 * self._widest() + self.grid.horizontalSpacing() <= width else 1

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        buttons = self.buttons()
        columns = self.columns_for(self.width())
        placed = {self.grid.getItemPosition(self.grid.indexOf(b))[1] for b in buttons}
        if len(buttons) > 1 and len(placed) != columns:
            for button in buttons:
                self.grid.removeWidget(button)
            for n, button in enumerate(buttons):
                self.grid.addWidget(button, n // columns, n % columns)


def fit_placeholder(field: QLineEdit) -> None:
    """Never narrower than its placeholder: the hint says what goes in the field, and cut it
    says nothing."""
    needed = field.fontMetrics().horizontalAdvance(field.placeholderText()) + LINE_EDIT_PADDING
    field.setMinimumWidth(needed)
