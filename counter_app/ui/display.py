"""The display board for a TV: the number being called, the last calls, a clock, a notice.

It polls the queue (the board may run on another machine) and, in an all-in-one station,
also hears calls at once through the session. A new call is highlighted and announced.
The layout and its sizes live in board_view.py; this module decides what it shows.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from counter_app.core.errors import DomainError
from counter_app.core.queue import Ticket, TicketState
from counter_app.ui import gateway
from counter_app.ui.announcer import Announcer
from counter_app.ui.board_view import RECENT_ROWS, BoardView, board_screen
from counter_app.ui.i18n import current_language, pick
from counter_app.ui.session import Session

POLL_MS = 2000
HIGHLIGHT_MS = 8000


def show_board(widget: QWidget, *, fullscreen: bool) -> bool:
    """Full screen on the TV when the PC has a second screen; otherwise as asked.

    Returns whether a second screen was taken."""
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    geometries = [s.geometry().getRect() for s in screens]
    index = board_screen(geometries, screens.index(primary) if primary in screens else 0)
    if index is None:
        if fullscreen:
            widget.showFullScreen()
        else:
            widget.show()
        return False
    widget.setGeometry(screens[index].geometry())
    widget.show()  # the window exists on that screen before it fills it
    widget.windowHandle().setScreen(screens[index])
    widget.showFullScreen()
    return True


class DisplayWidget(QWidget):
    def __init__(self, session: Session, parent=None, *, announcer: Announcer | None = None):
        super().__init__(parent)
        self._session = session
        self.announcer = announcer or Announcer(language=current_language())
        self.view = BoardView(session.station.center_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.setMinimumSize(self.view.minimumSize())  # the view's sizes follow the window
        self.call = self.view.call
        self.idle_text = self.tr("Xin mời quý khách lấy số thứ tự và chờ đến lượt")
        self.call.setText(self.idle_text)
        self.view.set_waiting(self.idle_text)
        self.view.notice.set_text(
            self.tr("Giờ làm việc: sáng 7 giờ 30 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ. "
                    "Công dân tra cứu tình trạng hồ sơ tại kiosk hoặc trên Cổng Dịch vụ công.")
        )  # fmt: skip
        self._seen: set[tuple] = set()
        self._first = True
        self._recent: list[tuple[str, int]] = []

        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self.refresh)
        self._calm = QTimer(self, singleShot=True, interval=HIGHLIGHT_MS)
        self._calm.timeout.connect(lambda: self.view.set_hot(False))
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)
        session.ticket_called.connect(lambda _t: self.refresh())
        session.queue_changed.connect(self.refresh)  # calls made at other PCs of a center
        self._revoked = ""  # the hub revoked this PC: said on the board instead of calls
        watch = session.center()  # a board of a center follows the others' calls
        if watch is not None:
            watch.state_changed.connect(self._show_center)
        self._tick()
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._poll.start()
        self._clock.start()

    def hideEvent(self, event) -> None:  # noqa: N802
        self._poll.stop()
        self._clock.stop()
        self._calm.stop()
        super().hideEvent(event)

    def _tick(self) -> None:
        self.view.clock.setText(f"{self._session.now():%H:%M}")

    def call_text(self, ticket: Ticket) -> str:
        return self.tr("Mời số {label} đến quầy số {counter}").format(
            label=ticket.label, counter=ticket.counter
        )

    def recent_calls(self) -> list[tuple[str, int]]:
        """(ticket, counter) of the last calls, newest first, as the board lists them."""
        return list(self._recent)

    def set_counter_states(self, states: list[tuple[int, str]]) -> None:
        """Show counters that are not calling, e.g. [(2, "Tạm nghỉ (Nghỉ trưa)")].

        Fed by the queue service's counter states (paused counters with their reason);
        counters in the same state share one entry ("Quầy 1, 2: Tạm nghỉ (Họp)"), so a
        whole-staff meeting takes one line, not six. An empty list hides the line."""
        grouped: dict[str, list[str]] = {}
        for counter, state in states:
            grouped.setdefault(state, []).append(str(counter))
        text = "   ·   ".join(
            self.tr("Quầy {n}: {state}").format(n=", ".join(counters), state=state)
            for state, counters in grouped.items()
        )
        self.view.set_states(text)

    def _show_center(self, state) -> None:
        """Revoked by the hub, the board hears no more calls: it says so where the calls
        were, so nobody waits for a number it will never show."""
        if state.revoked_at is None or self._revoked:
            return
        self._revoked = self.tr("Màn hình này đã bị thu hồi khỏi trung tâm nên không còn "
                                "hiện số được gọi. Hãy báo quản trị viên.")  # fmt: skip
        self.call.setText(self._revoked)
        self.view.set_waiting(self._revoked)

    def refresh(self) -> None:
        if self._revoked:
            return
        try:
            ctx = self._session.kiosk_ctx()
            snap = gateway.snapshot(ctx)
            states = gateway.counter_states(ctx)
        except DomainError:
            return
        self.set_counter_states(
            [
                (s.counter, self.tr("Tạm nghỉ ({reason})").format(reason=pick(*s.pause_reason)))
                for s in states
                if s.pause_reason is not None
            ]
        )
        new_calls = []
        for ticket in snap.active:
            key = (ticket.id, ticket.called_at, ticket.recalls)
            if ticket.state is TicketState.CALLED and key not in self._seen:
                self._seen.add(key)
                new_calls.append(ticket)
        new_calls.sort(key=lambda t: t.called_at)
        if self._first:  # what was called before the board started is shown, not announced
            self._first = False
            for ticket in new_calls[-RECENT_ROWS:]:
                self._show(ticket)
            return
        for ticket in new_calls:
            self._show(ticket)
            self._announce(ticket)

    def _show(self, ticket: Ticket) -> None:
        call = (ticket.label, ticket.counter)
        self._recent = [call, *(c for c in self._recent if c != call)]  # a recall moves up
        del self._recent[RECENT_ROWS:]
        self.view.set_recent(self._recent)
        self.view.number.setText(ticket.label)
        self.view.counter.setText(str(ticket.counter))
        self.call.setText(self.call_text(ticket))
        self.view.set_waiting(None)

    def _announce(self, ticket: Ticket) -> None:
        self.view.set_hot(True)
        self.announcer.announce(self.call_text(ticket), label=ticket.label, counter=ticket.counter)
        self._calm.start()
