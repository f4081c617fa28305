"""Layout of the clerk's counter page: the ticket being served, actions, counts, queues."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.ui.reflow import PortraitTurn
from counter_app.ui.widgets import MessageBar, button

SHORTCUTS = {
    "call_next": "F2",
    "recall": "F3",
    "no_show": "F4",
    "transfer": "F5",
    "finish": "F6",
    "receive": "F7",
    "restore": "F8",
    "pause": "F9",
    "call_selected": "Ctrl+F2",
    "undo": "Ctrl+Z",
}


def _count_box(title: str) -> tuple[QFrame, QLabel]:
    box = QFrame()
    box.setProperty("role", "card")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(10, 3, 10, 3)
    value = QLabel("0")
    value.setProperty("role", "count")
    value.setAlignment(Qt.AlignCenter)
    caption = QLabel(title)
    caption.setAlignment(Qt.AlignCenter)
    caption.setProperty("role", "hint")
    caption.setWordWrap(True)
    layout.addWidget(value)
    layout.addWidget(caption)
    return box, value


class CounterView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Quầy tiếp nhận"))
        self.title.setProperty("role", "title")
        self.counter_picker = QComboBox()
        self.counter_picker.setMinimumWidth(140)
        self.counter_picker.setToolTip(self.tr("Quầy bạn đang làm việc"))
        # Never focused by the keyboard: one arrow key must not move the clerk to another
        # counter and strand the citizen just called to this one.
        self.counter_picker.setFocusPolicy(Qt.NoFocus)
        self.message = MessageBar()
        # Shown for a few seconds after a citizen is marked absent: one key puts it right.
        self.undo = button(self.tr("Hoàn tác"), shortcut="Ctrl+Z")
        self.undo.hide()
        self.restore = button(self.tr("Số vắng mặt quay lại"), shortcut="F8")

        self.ticket_label = QLabel("—")
        self.ticket_label.setProperty("role", "ticket")
        self.ticket_label.setAlignment(Qt.AlignCenter)
        self.ticket_state = QLabel(self.tr("Chưa gọi số nào. Nhấn F2 để gọi số tiếp theo."))
        self.ticket_state.setAlignment(Qt.AlignCenter)
        self.ticket_state.setWordWrap(True)
        self.ticket_detail = QLabel()
        self.ticket_detail.setAlignment(Qt.AlignCenter)
        self.ticket_detail.setProperty("role", "hint")
        self.ticket_detail.setWordWrap(True)
        # How long the citizen at the counter has been served (mm:ss), ticking each second.
        self.visit_timer = QLabel()
        self.visit_timer.setAlignment(Qt.AlignCenter)
        timer_font = self.visit_timer.font()
        timer_font.setPointSize(15)
        timer_font.setBold(True)
        self.visit_timer.setFont(timer_font)

        self.call_next = button(self.tr("Gọi số tiếp theo"), role="big", shortcut="F2")
        self.call_next.setProperty("role", "primary")
        self.recall = button(self.tr("Gọi lại"), shortcut="F3")
        self.no_show = button(self.tr("Vắng mặt"), shortcut="F4")
        self.transfer = button(self.tr("Chuyển nhóm, quầy"), shortcut="F5")
        self.finish = button(self.tr("Xong"), shortcut="F6")
        self.receive = button(self.tr("Tiếp nhận hồ sơ"), shortcut="F7")
        self.receive.setProperty("role", "primary")
        self.call_selected = button(self.tr("Gọi số đã chọn"), shortcut="Ctrl+F2")
        self.call_selected.setToolTip(self.tr("Gọi trước lượt số đang chọn trong hàng chờ"))
        self.pause = button(self.tr("Tạm nghỉ"), shortcut="F9")
        for btn in (self.call_next, self.recall, self.no_show, self.transfer, self.finish,
                    self.receive, self.call_selected, self.pause):  # fmt: skip
            btn.setMinimumHeight(54)
            font = btn.font()
            font.setPointSize(13)
            font.setBold(True)
            btn.setFont(font)

        served_box, self.served = _count_box(self.tr("đã phục vụ hôm nay"))
        absent_box, self.absent = _count_box(self.tr("vắng mặt"))
        waiting_box, self.waiting_count = _count_box(self.tr("đang chờ quầy này"))
        received_box, self.received = _count_box(self.tr("hồ sơ bạn đã nhận hôm nay"))

        self.queue = QTreeWidget()
        self.queue.setHeaderLabels([self.tr("Số"), self.tr("Ưu tiên"), self.tr("Đã chờ")])
        self.queue.setRootIsDecorated(True)
        self.queue.setAlternatingRowColors(True)
        # The number and group name take what the priority and the wait leave: fixed widths
        # pushed the wait (and its colour) past the edge of the queue at 1366 and in portrait.
        header = self.queue.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.queue.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.queue_title = QLabel(self.tr("Hàng chờ theo nhóm dịch vụ"))
        self.queue_title.setProperty("role", "subtitle")

        # --- layout
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.restore)
        top.addWidget(QLabel(self.tr("Quầy:")))
        top.addWidget(self.counter_picker)

        card = QFrame()
        card.setProperty("role", "card")
        current = QVBoxLayout(card)
        # Tight lines and a 52 pt number (was 64): the page fits a 1024x600 screen's 564 px
        current.setSpacing(2)
        serving = QLabel(self.tr("ĐANG PHỤC VỤ"))
        serving.setAlignment(Qt.AlignCenter)
        serving.setProperty("role", "subtitle")
        current.addWidget(serving)
        current.addWidget(self.ticket_label)
        current.addWidget(self.ticket_state)
        current.addWidget(self.ticket_detail)
        current.addWidget(self.visit_timer)
        current.addStretch(1)

        actions = QGridLayout()
        actions.addWidget(self.call_next, 0, 0, 1, 2)
        actions.addWidget(self.recall, 1, 0)
        actions.addWidget(self.no_show, 1, 1)
        actions.addWidget(self.transfer, 2, 0)
        actions.addWidget(self.finish, 2, 1)
        actions.addWidget(self.receive, 3, 0, 1, 2)
        actions.addWidget(self.call_selected, 4, 0)
        actions.addWidget(self.pause, 4, 1)

        counts = QHBoxLayout()
        for box in (served_box, absent_box, waiting_box, received_box):
            counts.addWidget(box)

        left = QVBoxLayout()
        left.addWidget(card, 1)
        left.addLayout(actions)
        left.addLayout(counts)

        right = QVBoxLayout()
        right.addWidget(self.queue_title)
        right.addWidget(self.queue, 1)

        body = QBoxLayout(QBoxLayout.LeftToRight)
        body.addLayout(left, 5)
        body.addLayout(right, 4)
        PortraitTurn(self, body)  # a portrait screen: the queue under the called number

        root = QVBoxLayout(self)
        feedback = QHBoxLayout()
        feedback.addWidget(self.message, 1)
        feedback.addWidget(self.undo)
        root.addLayout(top)
        root.addLayout(feedback)
        root.addLayout(body, 1)
