"""Questions the counter asks before a key changes what happened to a citizen.

F2 on a citizen who was called but never started being served used to count them served.
The clerk now says which it was, with the same keys the counter page uses (F6 served, F4
absent); Esc or Enter on the default button changes nothing. A citizen marked absent who
comes back is picked from today's absent tickets and goes back to the queue. A call out of
turn asks for its reason, a pause for its own, a transfer where to: a group, a counter or a
clerk. Arrows and Enter answer every one of them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QVBoxLayout,
)

from counter_app.core.counter_desk import CALL_REASONS, NOTE_MAX, PAUSE_REASONS, check_call_reason
from counter_app.core.errors import ValidationError
from counter_app.core.queue import Ticket, TicketState
from counter_app.ui.i18n import error_text, pick
from counter_app.ui.widgets import button, field_error_label, show_field_error


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


def _choice_list(choices: list[tuple[str, object]]) -> QListWidget:
    """A list answered with arrows and Enter; each row carries its value."""
    box = QListWidget()
    for text, value in choices:
        item = QListWidgetItem(text)
        item.setData(Qt.UserRole, value)
        box.addItem(item)
    box.setCurrentRow(0)
    return box


def _ok_cancel(dialog: QDialog, ok_text: str, cancel_text: str) -> QHBoxLayout:
    dialog.ok = button(ok_text, role="primary")
    dialog.cancel = button(cancel_text)
    dialog.ok.setDefault(True)  # Enter from a list answers; it never lands on "Hủy"
    dialog.ok.clicked.connect(dialog.accept)
    dialog.cancel.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(dialog.cancel)
    row.addWidget(dialog.ok)
    return row


class CallReasonDialog(QDialog):
    """Why this ticket goes before its turn: a reason from the short list (kept and counted
    in reports), and for «Khác» a short note. The core checks the note (no ID, no phone)."""

    def __init__(self, label: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Gọi số {label} trước lượt").format(label=label))
        self.reasons = _choice_list([(pick(vi, en), key) for key, (vi, en) in
                                     CALL_REASONS.items()])  # fmt: skip
        self.reasons.itemActivated.connect(lambda _item: self._chosen())
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText(self.tr("Ghi chú ngắn (bắt buộc khi chọn «Khác»)"))
        self.note.returnPressed.connect(self.accept)
        self.error = field_error_label()
        question = QLabel(
            self.tr("Vì sao gọi số {label} trước những người đang chờ?").format(label=label)
        )
        question.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.reasons)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addLayout(_ok_cancel(self, self.tr("Gọi số này"), self.tr("Hủy")))
        self.resize(480, 340)
        self.reasons.setFocus()
        self.reason, self.note_text = "", ""

    def _chosen(self) -> None:
        if self.reasons.currentItem().data(Qt.UserRole) == "other" and not self.note.text():
            self.note.setFocus()  # «Khác» needs its note: Enter moves there first
            return
        self.accept()

    def accept(self) -> None:
        reason = self.reasons.currentItem().data(Qt.UserRole)
        try:
            self.reason, self.note_text = check_call_reason(reason, self.note.text())
        except ValidationError as error:
            show_field_error(self.error, error_text(error))
            self.note.setFocus()
            return
        super().accept()


class PauseDialog(QDialog):
    """Why the counter stops calling: the board shows it and the report counts its minutes."""

    def __init__(self, counter: int, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tạm nghỉ quầy số {n}").format(n=counter))
        self.reasons = _choice_list([(pick(vi, en), key) for key, (vi, en) in
                                     PAUSE_REASONS.items()])  # fmt: skip
        self.reasons.itemActivated.connect(lambda _item: self.accept())
        hint = QLabel(self.tr("Trong lúc tạm nghỉ, quầy không gọi số. Nhấn F9 để làm việc lại."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.reasons)
        layout.addLayout(_ok_cancel(self, self.tr("Tạm nghỉ"), self.tr("Hủy")))
        self.resize(420, 280)
        self.reasons.setFocus()

    def chosen(self) -> str:
        return self.reasons.currentItem().data(Qt.UserRole)


class TransferDialog(QDialog):
    """Where the citizen goes next: another group's queue, a named counter, or a named clerk
    (Ctrl+Tab changes the kind; arrows and Enter pick). A named counter or clerk calls the
    ticket first; after a while any counter of its group may (core.queue.RESERVED_MINUTES)."""

    KINDS = ("group", "counter", "clerk")

    def __init__(self, groups: dict[str, str], counters: list[int], clerks: list, *,
                 exclude_group: str, parent=None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chuyển công dân"))
        self.tabs = QTabWidget()
        self.lists: list[QListWidget] = []
        for title, choices in (
            (self.tr("Nhóm dịch vụ"), [(f"{k} – {name}", k) for k, name in groups.items()
                                       if k != exclude_group]),
            (self.tr("Quầy"), [(self.tr("Quầy số {n}").format(n=n), n) for n in counters]),
            (self.tr("Cán bộ"), [(clerk.name, clerk.username) for clerk in clerks]),
        ):  # fmt: skip
            box = _choice_list(choices)
            box.itemActivated.connect(lambda _item: self.accept())
            self.lists.append(box)
            self.tabs.addTab(box, title)
        self.tabs.currentChanged.connect(lambda i: self.lists[i].setFocus())
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("Ctrl+Tab: nhóm, quầy hay cán bộ. Chọn rồi nhấn Enter."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.tabs)
        layout.addLayout(_ok_cancel(self, self.tr("Chuyển"), self.tr("Hủy")))
        self.resize(460, 380)
        self.lists[0].setFocus()

    def chosen(self) -> tuple[str, object] | None:
        """("group", "B"), ("counter", 2) or ("clerk", "canbo2"); None when the list is empty."""
        index = self.tabs.currentIndex()
        item = self.lists[index].currentItem()
        return (self.KINDS[index], item.data(Qt.UserRole)) if item else None
