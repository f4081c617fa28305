"""Questions the counter asks before a key changes what happened to a citizen.

F2 on a citizen who was called but never started being served used to count them served.
The clerk now says which it was, with the same keys the counter page uses (F6 served, F4
absent); Esc or Enter on the default button changes nothing. A citizen marked absent who
comes back is picked from today's absent tickets and goes back to the queue.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from counter_app.core.queue import Ticket, TicketState
from counter_app.ui.widgets import button


class OutcomeDialog(QDialog):
    """Was the called citizen served, or absent? Nothing happens until the clerk says."""

    def __init__(self, ticket: Ticket, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Số đang gọi chưa kết thúc"))
        self.outcome: TicketState | None = None
        question = QLabel(
            self.tr(
                "Số {label} đã được gọi nhưng chưa bắt đầu phục vụ. Công dân đã được phục vụ "
                "xong, hay vắng mặt? Sau đó sẽ gọi số tiếp theo."
            ).format(label=ticket.label)
        )
        question.setWordWrap(True)
        self.served = button(self.tr("Đã phục vụ xong"), shortcut="F6")
        self.absent = button(self.tr("Vắng mặt"), shortcut="F4")
        self.cancel = button(self.tr("Chưa gọi số mới"), role="primary", shortcut="Esc")
        self.served.clicked.connect(lambda: self._choose(TicketState.DONE))
        self.absent.clicked.connect(lambda: self._choose(TicketState.NO_SHOW))
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.served)
        buttons.addWidget(self.absent)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.cancel.setFocus()  # Enter from habit changes nothing

    def _choose(self, outcome: TicketState) -> None:
        self.outcome = outcome
        self.accept()


class RestoreDialog(QDialog):
    """Today's absent tickets, latest first: arrows and Enter bring one back to the queue."""

    def __init__(self, tickets: list[Ticket], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Công dân vắng mặt đã quay lại"))
        self.tickets = QListWidget()
        for ticket in tickets:
            at = ticket.finished_at
            text = self.tr("{label} – ghi vắng mặt lúc {time}").format(
                label=ticket.label, time=f"{at:%H:%M}" if at else "—"
            )
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, ticket.label)
            self.tickets.addItem(item)
        self.tickets.setCurrentRow(0)
        self.tickets.itemActivated.connect(lambda _item: self.accept())
        self.ok = button(self.tr("Đưa lại vào hàng chờ"), role="primary")
        self.close_button = button(self.tr("Đóng"))
        self.ok.clicked.connect(self.accept)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr("Chọn số của công dân rồi nhấn Enter: số đó được gọi trước người đến sau.")
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.tickets)
        layout.addLayout(buttons)
        self.resize(460, 360)
        self.ok.setDefault(True)
        self.tickets.setFocus()

    def chosen(self) -> str | None:
        item = self.tickets.currentItem()
        return item.data(Qt.UserRole) if item else None
