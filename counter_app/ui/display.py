"""The display board for a TV: numbers being served, the last calls, a clock, a notice.

It polls the queue (the board may run on another machine) and, in an all-in-one station,
also hears calls at once through the session. A new call is highlighted and announced.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.errors import DomainError
from counter_app.core.queue import Ticket, TicketState
from counter_app.ui import gateway
from counter_app.ui.announcer import Announcer
from counter_app.ui.i18n import current_language
from counter_app.ui.session import Session

POLL_MS = 2000
HIGHLIGHT_MS = 8000
BOARD_STYLE = """
DisplayWidget { background: #0d1b2a; }
QLabel { color: #e8eef5; }
QLabel#call { background: #f2b705; color: #0d1b2a; border-radius: 16px; font-size: 46pt;
              font-weight: 700; padding: 18px; }
QLabel#callIdle { background: #1b2f45; color: #9fb3c8; border-radius: 16px; font-size: 32pt;
                  padding: 18px; }
QFrame#row { background: #1b2f45; border-radius: 12px; }
QListWidget { background: #13263a; color: #e8eef5; border: none; font-size: 28pt; }
"""


class Marquee(QWidget):
    """A notice scrolling from right to left, as on every hall's LED strip."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.text = ""
        self._offset: int | None = None
        self.setMinimumHeight(64)
        font = QFont(self.font())
        font.setPointSize(24)
        self.setFont(font)
        self._timer = QTimer(self, interval=30)
        self._timer.timeout.connect(self._step)
        self._timer.start()

    def set_text(self, text: str) -> None:
        self.text = text
        self._offset = None

    def _step(self) -> None:
        if self._offset is not None:
            self._offset += 2
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.black)
        painter.setPen(Qt.yellow)
        width = painter.fontMetrics().horizontalAdvance(self.text) + self.width()
        if self._offset is None:  # first frame: start with the text readable, near the left
            self._offset = self.width() - 40
        x = self.width() - (self._offset % max(width, 1))
        painter.drawText(x, 0, width, self.height(), Qt.AlignVCenter, self.text)


class DisplayWidget(QWidget):
    def __init__(self, session: Session, parent=None, *, announcer: Announcer | None = None):
        super().__init__(parent)
        self._session = session
        self.announcer = announcer or Announcer(language=current_language())
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet(BOARD_STYLE)
        self._seen: set[tuple] = set()
        self._first = True
        self.center = QLabel(session.station.center_name)
        self.center.setStyleSheet("font-size: 26pt; font-weight: 700;")
        self.clock = QLabel()
        self.clock.setStyleSheet("font-size: 30pt; font-weight: 700;")
        self.call = QLabel(self.tr("Xin mời quý khách lấy số thứ tự và chờ đến lượt"))
        self.call.setObjectName("callIdle")
        self.call.setAlignment(Qt.AlignCenter)
        self.call.setWordWrap(True)
        self.serving_title = QLabel(self.tr("ĐANG PHỤC VỤ"))
        self.serving_title.setStyleSheet("font-size: 24pt; font-weight: 700; color: #f2b705;")
        self.rows = QGridLayout()
        self.rows.setSpacing(14)
        self.recent_title = QLabel(self.tr("VỪA GỌI"))
        self.recent_title.setStyleSheet("font-size: 24pt; font-weight: 700; color: #f2b705;")
        self.recent = QListWidget()
        self.recent.setFocusPolicy(Qt.NoFocus)
        self.notice = Marquee()
        self.notice.set_text(
            self.tr("Giờ làm việc: sáng 7 giờ 30 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ. "
                    "Công dân tra cứu tình trạng hồ sơ tại kiosk hoặc trên Cổng Dịch vụ công.")
        )  # fmt: skip
        self.counter_labels: dict[int, QLabel] = {}
        for i, desk in enumerate(session.station.counters):
            frame = QFrame()
            frame.setObjectName("row")
            row = QHBoxLayout(frame)
            name = QLabel(self.tr("Quầy {n}").format(n=desk.number))
            name.setStyleSheet("font-size: 34pt;")
            number = QLabel("—")
            number.setStyleSheet("font-size: 54pt; font-weight: 700; color: #ffffff;")
            number.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            row.addWidget(name)
            row.addWidget(number, 1)
            self.rows.addWidget(frame, i, 0)
            self.counter_labels[desk.number] = number

        top = QHBoxLayout()
        top.addWidget(self.center, 1)
        top.addWidget(self.clock)
        left = QVBoxLayout()
        left.addWidget(self.serving_title)
        left.addLayout(self.rows)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.recent_title)
        right.addWidget(self.recent, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addSpacing(30)
        body.addLayout(right, 2)
        root = QVBoxLayout(self)
        root.setContentsMargins(40, 24, 40, 16)
        root.addLayout(top)
        root.addWidget(self.call)
        root.addLayout(body, 1)
        root.addWidget(self.notice)

        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self.refresh)
        self._calm = QTimer(self, singleShot=True, interval=HIGHLIGHT_MS)
        self._calm.timeout.connect(self._end_highlight)
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        session.ticket_called.connect(lambda _t: self.refresh())
        session.queue_changed.connect(self.refresh)  # calls made at other PCs of a center
        self._tick()
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._poll.start()

    def hideEvent(self, event) -> None:  # noqa: N802
        self._poll.stop()
        super().hideEvent(event)

    def _tick(self) -> None:
        self.clock.setText(f"{self._session.now():%H:%M:%S}")

    def call_text(self, ticket: Ticket) -> str:
        return self.tr("Mời số {label} đến quầy số {counter}").format(
            label=ticket.label, counter=ticket.counter
        )

    def refresh(self) -> None:
        try:
            snap = gateway.snapshot(self._session.kiosk_ctx())
        except DomainError:
            return
        for label in self.counter_labels.values():
            label.setText("—")
        new_calls = []
        for ticket in snap.active:
            if ticket.counter in self.counter_labels:
                self.counter_labels[ticket.counter].setText(ticket.label)
            key = (ticket.id, ticket.called_at, ticket.recalls)
            if ticket.state is TicketState.CALLED and key not in self._seen:
                self._seen.add(key)
                new_calls.append(ticket)
        new_calls.sort(key=lambda t: t.called_at)
        if self._first:  # what was called before the board started is shown, not announced
            self._first = False
            for ticket in new_calls[-6:]:
                self.recent.insertItem(0, self.call_text(ticket))
            return
        for ticket in new_calls:
            self._announce(ticket)

    def _announce(self, ticket: Ticket) -> None:
        text = self.call_text(ticket)
        self.recent.insertItem(0, text)
        while self.recent.count() > 8:
            self.recent.takeItem(self.recent.count() - 1)
        self.call.setText(text)
        self.call.setObjectName("call")
        self.call.setStyleSheet(self.call.styleSheet())  # re-polish with the new name
        self.style().unpolish(self.call)
        self.style().polish(self.call)
        self.announcer.announce(text)
        self._calm.start()

    def _end_highlight(self) -> None:
        self.call.setObjectName("callIdle")
        self.style().unpolish(self.call)
        self.style().polish(self.call)
