"""What every Settings tab builds on (a module of its own, so that the tabs kept in their
own modules and the Settings window that lists them import it without importing each other).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from counter_app.core.errors import ValidationError
from counter_app.ui.ops import SETTINGS, run_op
from counter_app.ui.session import Session
from counter_app.ui.widgets import MessageBar, field_error_label, show_field_error


def _read_only(text: str) -> QLineEdit:
    field = QLineEdit(text)
    field.setReadOnly(True)
    return field


class SettingsPage(QWidget):
    """One tab. `errors` maps a service's field name to the label under that field."""

    def __init__(self, session: Session, message: MessageBar) -> None:
        super().__init__()
        self.session = session
        self.message = message
        self.form = QFormLayout(self)
        self.errors: dict[str, QLabel] = {}

    def load(self) -> None:  # fill the widgets from the services
        raise NotImplementedError

    def row(self, label: str, widget, field: str | None = None) -> None:
        self.form.addRow(label, widget)
        if field:
            self.errors[field] = field_error_label()
            self.form.addRow("", self.errors[field])

    def buttons(self, *buttons, hint: str = "") -> QHBoxLayout:
        """A row of normal-sized buttons on the right (a QFormLayout field would stretch a
        lone button to the whole width), with an optional hint on the left."""
        row = QHBoxLayout()
        if hint:
            label = QLabel(hint)
            label.setProperty("role", "hint")
            row.addWidget(label)
        row.addStretch(1)
        for b in buttons:
            row.addWidget(b)
        self.form.addRow("", row)
        return row

    def save(self, call, done: str) -> bool:
        """Run a saving service through the operation funnel; a ValidationError goes next
        to its field."""
        for label in self.errors.values():
            show_field_error(label, "")
        result = run_op(self.session, call, changes=SETTINGS, done=done,
                        report=self.message.show_message)  # fmt: skip
        error = result.error
        if isinstance(error, ValidationError):
            label = self.errors.get(error.field or "") or next(iter(self.errors.values()), None)
            if label is not None:
                show_field_error(label, result.text)
            self.message.error(self.tr("Chưa lưu: hãy sửa ô có thông báo đỏ."))
        return result.ok
