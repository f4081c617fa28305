"""The rating screen a citizen touches when they leave the counter: anonymous, and it times out.

The rating goes in under the station's kiosk account with the ticket, never the clerk's name.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from counter_app.core.errors import DomainError
from counter_app.core.queue import Ticket
from counter_app.ui import gateway
from counter_app.ui.i18n import error_text, pick
from counter_app.ui.session import Session

TIMEOUT_MS = 30_000
THANKS_MS = 4_000
COLOURS = {5: "#1b7f3b", 4: "#4c9a2a", 3: "#8a8f98", 2: "#c26a00", 1: "#b3261e"}


class SatisfactionWidget(QWidget):
    rated = Signal(object)

    def __init__(self, session: Session, parent=None, *, timeout_ms: int = TIMEOUT_MS) -> None:
        super().__init__(parent)
        self._session = session
        self.ticket: Ticket | None = None
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet("SatisfactionWidget { background: #eef3f9; }")
        self.title = QLabel(self.tr("Xin cảm ơn quý khách!"))
        self.title.setAlignment(Qt.AlignCenter)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 30pt; font-weight: 700; color: #0b5cad;")
        self.question = QLabel()
        self.question.setAlignment(Qt.AlignCenter)
        self.question.setWordWrap(True)
        self.question.setStyleSheet("font-size: 22pt;")
        self.note = QLabel(self.tr("Đánh giá không ghi tên quý khách và cán bộ không xem được "
                                   "ai đã đánh giá."))  # fmt: skip
        self.note.setAlignment(Qt.AlignCenter)
        self.note.setStyleSheet("font-size: 14pt; color: #5f6368;")
        self.grid = QGridLayout()
        self.grid.setSpacing(16)
        self.buttons: dict[int, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addWidget(self.title)
        layout.addWidget(self.question)
        layout.addLayout(self.grid, 1)
        layout.addWidget(self.note)
        self._timeout = QTimer(self, singleShot=True, interval=timeout_ms)
        self._timeout.timeout.connect(self.idle)
        session.service_finished.connect(self.ask)
        self._build()
        self.idle()

    def _build(self) -> None:
        try:
            levels = gateway.rating_scale(self._session.kiosk_ctx())
        except (DomainError, ImportError):
            levels = []
        for i, (score, name_vi, name_en) in enumerate(levels):
            btn = QPushButton(pick(name_vi, name_en))
            btn.setProperty("role", "rating")
            colour = COLOURS.get(score, "#0b5cad")
            btn.setStyleSheet(f"background: {colour}; color: white; font-weight: 600;")
            btn.clicked.connect(lambda _c=False, s=score: self.rate(s))
            self.grid.addWidget(btn, 0, i)
            self.buttons[score] = btn

    def ask(self, ticket: Ticket) -> None:
        self.ticket = ticket
        self.title.setText(self.tr("Quý khách số {label} vừa được phục vụ").format(
            label=ticket.label))  # fmt: skip
        self.question.setText(self.tr("Quý khách có hài lòng với cách phục vụ hôm nay không?"))
        for btn in self.buttons.values():
            btn.setEnabled(True)
            btn.show()
        self._timeout.start()

    def idle(self) -> None:
        self.ticket = None
        self.title.setText(self.tr("Xin cảm ơn quý khách!"))
        self.question.setText(self.tr("Màn hình đánh giá sẽ hiện khi quý khách được phục vụ xong."))
        for btn in self.buttons.values():
            btn.hide()

    def rate(self, score: int) -> None:
        if self.ticket is None:
            return
        try:
            rating = gateway.rate_service(self._session.kiosk_ctx(), score=score,
                                          ticket_id=self.ticket.id)  # fmt: skip
        except DomainError as error:
            self.question.setText(error_text(error))
            return
        self.ticket = None
        for btn in self.buttons.values():
            btn.hide()
        self.title.setText(self.tr("Cảm ơn quý khách đã đánh giá!"))
        self.question.setText("")
        self._timeout.start(THANKS_MS)
        self.rated.emit(rating)
