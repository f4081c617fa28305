"""A layout checker from widget geometry: what a user would see as broken in a window.

Screenshots show a cut label or two buttons on top of each other only to someone who looks.
This walks the visible widget tree of a window shown at a given size and reports, per widget:

- offscreen: the window is bigger than the screen (minimum sizes held it open), or a widget
  lies partly outside the window;
- clipped: a widget sticks out of its parent (inside a scroll area's viewport the content may
  be bigger, but then the scroll area must be able to scroll to it: else "unreachable");
- overlap: two visible siblings cover each other (a QStackedWidget shows one page, so its
  hidden pages never count; intentional overlays are allowed by name, with a reason);
- elided: a label's or a button's text, an empty field's placeholder, a wrapping table's
  row or a list's item needs more room than it has;
- small: a push button lower than the minimum height (a touch screen asks for more); a flat
  button is drawn as text among text (the status bar's printer state) and is not held to it;
- unreachable: table columns past the edge of a table that cannot scroll sideways.

Qt's composite widgets (item views, combo and spin boxes, tab bars, scroll bars) draw their
own insides and are checked as one widget, not descended into.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's namespace
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QSizeGrip,
    QStyle,
    QStyleOptionFrame,
    QTabBar,
    QTableView,
    QTextEdit,
    QTreeView,
    QWidget,
)

MIN_BUTTON_PX = 30  # a desktop button a clerk hits without aiming (the style asks for ~40)
LINE_EDIT_MARGIN = 2  # QLineEdit's own horizontal margin around its text (qlineedit_p.h)

# Composite widgets: their children are their own business (a QComboBox's line edit, a
# table's viewport and headers, a tab bar's scroll arrows).
OPAQUE = (
    QAbstractItemView,
    QComboBox,
    QAbstractSpinBox,
    QTabBar,
    QScrollBar,
    QTextEdit,
    QPlainTextEdit,
    QCalendarWidget,
)


@dataclass(frozen=True)
class Fault:
    kind: str  # offscreen | clipped | unreachable | overlap | elided | small
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.widget}: {self.detail}"


def name(widget: QWidget) -> str:
    """How a fault names a widget: its object name, else its class and its text."""
    if widget.objectName():
        return widget.objectName()
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    text = " ".join(text.split())
    return f"{type(widget).__name__}({text[:40]!r})" if text else type(widget).__name__


def _rect(widget: QWidget) -> str:
    g = widget.geometry()
    return f"{g.width()}x{g.height()}+{g.x()}+{g.y()}"


def _in_top(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())


def visible_tree(top: QWidget) -> list[QWidget]:
    """Every visible widget under `top` that the checker looks at, parents before children."""
    found: list[QWidget] = []

    def walk(parent: QWidget) -> None:
        if isinstance(parent, OPAQUE):
            return
        for child in parent.children():
            if isinstance(child, QWidget) and not child.isWindow() and child.isVisible():
                found.append(child)
                walk(child)

    walk(top)
    return found


def _scroll_viewport(widget: QWidget) -> QAbstractScrollArea | None:
    """The scroll area whose viewport `widget` is, if it is one."""
    area = widget.parentWidget()
    if isinstance(area, QAbstractScrollArea) and area.viewport() is widget:
        return area
    return None


def _inside_scrolled_content(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if _scroll_viewport(parent) is not None:
            return True
        parent = parent.parentWidget()
    return False


def _scrollable(area: QAbstractScrollArea, content: QRect, viewport: QRect) -> list[str]:
    """Which way a content bigger than its viewport cannot be scrolled to."""
    stuck = []
    bars = (
        ("wide", content.width() > viewport.width(), area.horizontalScrollBarPolicy(),
         area.horizontalScrollBar()),
        ("tall", content.height() > viewport.height(), area.verticalScrollBarPolicy(),
         area.verticalScrollBar()),
    )  # fmt: skip
    for way, bigger, policy, bar in bars:
        if bigger and (policy == Qt.ScrollBarAlwaysOff or bar.maximum() <= 0):
            stuck.append(way)
    return stuck


def _geometry_faults(widget: QWidget, top: QWidget) -> list[Fault]:
    faults: list[Fault] = []
    parent = widget.parentWidget()
    area = _scroll_viewport(parent) if parent is not None else None
    if area is not None:
        if isinstance(area, QScrollArea) and area.widget() is widget:
            stuck = _scrollable(area, widget.geometry(), parent.rect())
            if stuck:
                faults.append(Fault("unreachable", name(widget),
                                    f"{' and '.join(stuck)}er than its scroll area "
                                    f"({_rect(widget)} in {parent.width()}x{parent.height()}) "
                                    "and it cannot scroll there"))  # fmt: skip
        return faults
    if parent is not None and not parent.rect().contains(widget.geometry()):
        faults.append(Fault("clipped", name(widget), f"{_rect(widget)} sticks out of "
                            f"{name(parent)} {parent.width()}x{parent.height()}"))  # fmt: skip
    if not _inside_scrolled_content(widget, top):
        where = _in_top(widget, top)
        if not top.rect().contains(where):
            faults.append(Fault("offscreen", name(widget), f"at {where.x()},{where.y()} size "
                                f"{where.width()}x{where.height()} outside the window "
                                f"{top.width()}x{top.height()}"))  # fmt: skip
    return faults


def _columns_faults(view: QAbstractItemView) -> list[Fault]:
    """Columns past the right edge of a table that cannot scroll sideways are never seen."""
    header = view.horizontalHeader() if isinstance(view, QTableView) else None
    if isinstance(view, QTreeView):
        header = view.header()
    if header is None or header.isHidden():
        return []
    room = view.viewport().width()
    if header.length() > room and view.horizontalScrollBarPolicy() == Qt.ScrollBarAlwaysOff:
        return [Fault("unreachable", name(view), f"its columns take {header.length()}px, "
                      f"it shows {room}px and cannot scroll sideways")]  # fmt: skip
    return []


def _row_faults(view: QAbstractItemView) -> list[Fault]:
    """A table that wraps its text (the checklist's document names) must give each row the
    height of its lines: a row left at the height of a wider window cuts the text."""
    if not isinstance(view, QTableView) or not view.wordWrap():
        return []
    faults = []
    for row in range(view.model().rowCount()):
        top = view.rowViewportPosition(row)
        if view.isRowHidden(row) or top < 0 or top > view.viewport().height():
            continue
        needed = view.sizeHintForRow(row)
        if needed > view.rowHeight(row):
            faults.append(Fault("elided", name(view), f"row {row + 1} needs {needed}px, has "
                                f"{view.rowHeight(row)}"))  # fmt: skip
    return faults


def _item_faults(view: QAbstractItemView) -> list[Fault]:
    """A list's item wider than the list is cut, or read only by scrolling sideways (the
    side bar's page names are such a list)."""
    if not isinstance(view, QListView):
        return []
    room = view.viewport().width()
    model = view.model()
    for row in range(model.rowCount()):
        rect = view.visualRect(model.index(row, 0))
        if rect.width() > room:
            text = " ".join(str(model.index(row, 0).data() or "").split())
            return [Fault("elided", name(view), f"item {text[:40]!r} needs {rect.width()}px, "
                          f"the list shows {room}")]  # fmt: skip
    return []


def _placeholder_faults(field: QLineEdit) -> list[Fault]:
    """An empty field's placeholder tells what goes in it: cut, it tells nothing."""
    hint = field.placeholderText()
    if field.text() or not hint:
        return []
    option = QStyleOptionFrame()
    field.initStyleOption(option)
    room = field.style().subElementRect(QStyle.SE_LineEditContents, option, field)
    margins = field.textMargins()
    width = room.width() - margins.left() - margins.right() - 2 * LINE_EDIT_MARGIN
    needed = field.fontMetrics().horizontalAdvance(hint)
    if needed > width:
        return [Fault("elided", name(field), f"its placeholder {hint[:40]!r} needs {needed}px, "
                      f"has {width}")]  # fmt: skip
    return []


def _text_faults(widget: QWidget) -> list[Fault]:
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        return _label_faults(widget)
    if isinstance(widget, QLineEdit):
        return _placeholder_faults(widget)
    if isinstance(widget, QAbstractButton) and widget.text():
        hint = widget.sizeHint()
        if hint.width() > widget.width() or hint.height() > widget.height():
            return [Fault("elided", name(widget), f"the button needs {hint.width()}x"
                          f"{hint.height()}, has {widget.width()}x{widget.height()}")]  # fmt: skip
    return []


def _label_faults(label: QLabel) -> list[Fault]:
    room = label.contentsRect()
    if label.wordWrap():
        # Rich or plain, the label's own layout says how tall it must be at this width.
        needed = label.heightForWidth(label.width())
        if needed > label.height():
            return [Fault("elided", name(label), f"wrapped it needs {needed}px high at "
                          f"width {label.width()}, has {label.height()}")]  # fmt: skip
        return []
    if label.textFormat() == Qt.RichText or (
        label.textFormat() == Qt.AutoText and GuiQt.mightBeRichText(label.text())
    ):
        needed = label.sizeHint()
        if needed.width() > label.width() or needed.height() > label.height():
            return [Fault("elided", name(label), f"needs {needed.width()}x{needed.height()}, "
                          f"has {label.width()}x{label.height()}")]  # fmt: skip
        return []
    text = label.text()
    metrics = label.fontMetrics()
    width = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    height = metrics.height() * (text.count("\n") + 1)
    room = room.adjusted(label.margin(), label.margin(), -label.margin(), -label.margin())
    if width > room.width() or height > room.height():
        return [Fault("elided", name(label), f"text needs {width}x{height}, has "
                      f"{room.width()}x{room.height()}")]  # fmt: skip
    return []


def _overlap_faults(widgets: list[QWidget], allowed: Mapping[str, str]) -> list[Fault]:
    by_parent: dict[int, list[QWidget]] = {}
    for w in widgets:
        if isinstance(w, QSizeGrip) or w.objectName() in allowed:
            continue
        if _scroll_viewport(w) is not None:
            continue  # a viewport shares its scroll area with the bars by design
        if isinstance(w, QScrollBar) or isinstance(w.parentWidget(), QAbstractScrollArea):
            continue  # scroll bars' containers and corner widgets of a scroll area
        by_parent.setdefault(id(w.parentWidget()), []).append(w)
    faults = []
    for siblings in by_parent.values():
        for i, a in enumerate(siblings):
            for b in siblings[i + 1 :]:
                both = a.geometry().intersected(b.geometry())
                if not both.isEmpty():
                    faults.append(Fault("overlap", name(a), f"covers {name(b)} over "
                                        f"{both.width()}x{both.height()}"))  # fmt: skip
    return faults


def layout_faults(
    top: QWidget,
    *,
    screen: tuple[int, int] | None = None,
    min_button_px: int = MIN_BUTTON_PX,
    overlays: Mapping[str, str] | None = None,
    unread: Iterable[str] = (),
) -> list[Fault]:
    """Every fault of the window `top` as it is laid out now.

    `screen`: the size the window was given; the window must not have grown past it.
    `overlays`: object names of widgets that lie over others on purpose, each with the reason.
    `unread`: object names of labels whose text may be cut (decoration, not information).
    """
    allowed = dict(overlays or {})
    skip_text = set(unread)
    faults: list[Fault] = []
    if screen is not None and (top.width() > screen[0] or top.height() > screen[1]):
        faults.append(Fault("offscreen", name(top), f"the window is {top.width()}x"
                            f"{top.height()} on a {screen[0]}x{screen[1]} screen"))  # fmt: skip
    widgets = visible_tree(top)
    for w in widgets:
        faults += _geometry_faults(w, top)
        if w.objectName() not in skip_text:
            faults += _text_faults(w)
        if isinstance(w, QAbstractItemView):
            faults += _columns_faults(w) + _row_faults(w) + _item_faults(w)
        if isinstance(w, QPushButton) and not w.isFlat() and w.height() < min_button_px:
            faults.append(Fault("small", name(w), f"{w.height()}px high, under "
                                f"{min_button_px}px"))  # fmt: skip
    faults += _overlap_faults(widgets, allowed)
    return faults
