"""Small widgets every window uses: a message bar, labelled buttons, a form error label.

The login form, the first window's content, uses this module: the Qt types only other
widgets need (the `Qt` namespace, shortcuts, date fields) are imported where they are used,
since PySide makes a type's Python enums when the name is first read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDateEdit

from counter_app.ui.style import set_role


class MessageBar(QFrame):
    """A line of feedback above the work area: errors stay, successes fade after a while."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        from PySide6.QtCore import Qt

        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label)
        self._timer = QTimer(self, singleShot=True, interval=8000)
        self._timer.timeout.connect(self.clear)
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.label.setText(text)
        set_role(self, f"message-{kind}")
        self.show()
        if kind in ("error", "notice"):
            self._timer.stop()
        else:
            self._timer.start()

    def error(self, text: str) -> None:
        self.show_message(text, "error")

    def ok(self, text: str) -> None:
        self.show_message(text, "ok")

    def notice(self, text: str) -> None:
        """Something the clerk must act on or tell the citizen: stays until replaced."""
        self.show_message(text, "notice")

    def clear(self) -> None:
        self.label.clear()
        self.hide()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


def button(text: str, *, role: str = "", shortcut: str = "", parent=None) -> QPushButton:
    """A push button; the shortcut key is shown on the button so nobody has to guess it,
    named as the keyboard prints it ("Ctrl+Enter", not Qt's "Ctrl+Return": the key names
    come through qtbase_vi.qm)."""
    shown = f"{text}  [{key_text(shortcut)}]" if shortcut else text
    btn = QPushButton(shown, parent)
    if role:
        btn.setProperty("role", role)
    if shortcut:
        from PySide6.QtGui import QKeySequence, QShortcut

        # A QShortcut on the button (not QPushButton.setShortcut): it fires from anywhere in
        # the window, and not while the button is hidden (another page) or disabled.
        btn.key = QShortcut(QKeySequence(shortcut), btn)
        btn.key.activated.connect(btn.click)
    return btn


def key_text(shortcut: str) -> str:
    """A shortcut as the user's language names its keys."""
    from PySide6.QtGui import QKeySequence

    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


def field_error_label() -> QLabel:
    label = QLabel()
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.hide()
    return label


def show_field_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", "true" if invalid else "false")
    widget.style().unpolish(widget)
    widget.style().polish(widget)


CALENDAR_ROW_SLACK_PX = 2  # how much taller than Qt's estimate a styled month row is drawn


def date_edit() -> QDateEdit:
    """A date field with its month popup tall enough for every week. Qt sizes the popup from
    the font alone; rows drawn a pixel taller scrolled the month, and its last week was cut."""
    from PySide6.QtWidgets import QDateEdit, QTableView

    edit = QDateEdit(calendarPopup=True)
    month = edit.calendarWidget()
    view = month.findChild(QTableView)
    rows = view.model().rowCount() if view is not None else 7  # weekday names, six weeks
    month.setMinimumHeight(month.sizeHint().height() + CALENDAR_ROW_SLACK_PX * rows)
    return edit
