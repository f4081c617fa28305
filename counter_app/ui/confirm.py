"""A yes/no question with our own Vietnamese buttons (Qt's standard ones would be English).

The safe answer is the default, so Enter pressed from habit changes nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from counter_app.ui.widgets import button


class ConfirmDialog(QDialog):
    def __init__(self, title: str, text: str, *, yes: str, no: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        question = QLabel(text)
        question.setWordWrap(True)
        self.yes = button(yes, role="danger")
        self.no = button(no, role="primary")
        self.yes.clicked.connect(self.accept)
        self.no.clicked.connect(self.reject)
        self.no.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.yes)
        buttons.addWidget(self.no)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)
        self.no.setFocus()


def confirm(parent: QWidget, title: str, text: str, *, yes: str, no: str) -> bool:
    """True only when the user chose `yes`."""
    return ConfirmDialog(title, text, yes=yes, no=no, parent=parent).exec() == QDialog.Accepted
