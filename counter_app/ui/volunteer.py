"""Volunteer mode: look up what a procedure needs and pre-fill a draft attached to a ticket.

The draft waits in status 1 ("Mới đăng ký") until a clerk checks and accepts it. Volunteers
never see other citizens' dossiers: this page only writes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from counter_app.core.errors import DomainError
from counter_app.ui import gateway
from counter_app.ui.i18n import error_text
from counter_app.ui.intake import IntakeWidget
from counter_app.ui.reflow import fit_placeholder
from counter_app.ui.session import Session
from counter_app.ui.widgets import button, field_error_label, show_field_error


class VolunteerWidget(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self.ticket_field = QLineEdit()
        self.ticket_field.setPlaceholderText(self.tr("Số thứ tự trên phiếu, ví dụ A012"))
        self.ticket_field.setMaximumWidth(260)
        fit_placeholder(self.ticket_field)
        self.attach = button(self.tr("Gắn với số này"))
        self.ticket_error = field_error_label()
        self.intake = IntakeWidget(session, draft=True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Công dân mang số:")))
        row.addWidget(self.ticket_field)
        row.addWidget(self.attach)
        row.addWidget(self.ticket_error, 1)
        row.addStretch(1)  # the field and its button keep their size while no error shows
        layout = QVBoxLayout(self)
        # The intake inside keeps its own margins: two more held a 1024 screen's page too wide
        layout.setContentsMargins(0, 0, 0, 0)
        row.setContentsMargins(9, 9, 9, 0)
        layout.addLayout(row)
        layout.addWidget(self.intake, 1)
        self.ticket_field.returnPressed.connect(self._attach)
        self.attach.clicked.connect(self._attach)

    def _attach(self) -> None:
        try:
            ticket = gateway.find_ticket(self._session.ctx(), self.ticket_field.text())
        except DomainError as error:
            show_field_error(self.ticket_error, error_text(error))
            return
        show_field_error(self.ticket_error, "")
        self.intake.start(ticket)
