"""The clerk's counter page: call, recall, no-show, transfer, finish, all from the keyboard."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.errors import DomainError
from counter_app.core.queue import Ticket, TicketState
from counter_app.ui import gateway
from counter_app.ui.confirm import confirm
from counter_app.ui.counter_dialogs import OutcomeDialog, RestoreDialog
from counter_app.ui.counter_view import CounterView
from counter_app.ui.i18n import error_text, pick
from counter_app.ui.session import Session
from counter_app.ui.widgets import button

REFRESH_MS = 5000
UNDO_MS = 10_000  # how long "Hoàn tác" stays after a citizen is marked absent


def priority_name(session: Session, key: str) -> str:
    for category in session.station.priorities:
        if category.key == key:
            return pick(category.name_vi, category.name_en)
    return key


class CounterWidget(QWidget):
    receive_requested = Signal(object)  # the Ticket being served, or None

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self.view = CounterView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.current: Ticket | None = None
        self._groups: dict[str, str] = {}
        self._undoable: Ticket | None = None  # the ticket just marked absent
        self._undo_timer = QTimer(self, singleShot=True, interval=UNDO_MS)
        self._undo_timer.timeout.connect(self._end_undo)

        v = self.view
        for desk in session.station.counters:
            v.counter_picker.addItem(self.tr("Quầy số {n}").format(n=desk.number), desk.number)
        v.counter_picker.setCurrentIndex(max(0, v.counter_picker.findData(session.counter)))
        v.counter_picker.currentIndexChanged.connect(self._on_counter_picked)
        v.call_next.clicked.connect(self._on_call_next)
        v.recall.clicked.connect(lambda: self._act(gateway.recall, announce=True))
        v.no_show.clicked.connect(lambda: self._act(gateway.no_show))
        v.undo.clicked.connect(self._on_undo)
        v.restore.clicked.connect(self._on_restore)
        v.finish.clicked.connect(self._on_finish)
        v.transfer.clicked.connect(self._on_transfer)
        v.receive.clicked.connect(lambda: self.receive_requested.emit(self.current))

        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        session.queue_changed.connect(self.refresh)
        session.dossiers_changed.connect(self.refresh)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._timer.start()
        QTimer.singleShot(0, self.refresh)

    def hideEvent(self, event) -> None:  # noqa: N802
        self._timer.stop()
        super().hideEvent(event)

    # --- behaviour
    def _on_counter_picked(self) -> None:
        picker = self.view.counter_picker
        if self.current is not None and picker.currentData() != self._session.counter:
            moving = confirm(
                self,
                self.tr("Đổi quầy"),
                self.tr(
                    "Số {label} đang được gọi đến quầy số {n}. Vẫn chuyển sang quầy khác?"
                ).format(label=self.current.label, n=self._session.counter),
                yes=self.tr("Chuyển quầy"),
                no=self.tr("Ở lại quầy số {n}").format(n=self._session.counter),
            )
            if not moving:
                with QSignalBlocker(picker):
                    picker.setCurrentIndex(picker.findData(self._session.counter))
                return
        self._session.set_counter(picker.currentData())
        self.view.message.clear()
        self.refresh()

    def _on_call_next(self) -> None:
        outcome = None
        if self.current is not None and self.current.state is TicketState.CALLED:
            dialog = OutcomeDialog(self.current, parent=self)
            if dialog.exec() != QDialog.Accepted or dialog.outcome is None:
                return
            outcome = dialog.outcome
        absent = self.current if outcome is TicketState.NO_SHOW else None
        called = self._act(gateway.call_next, announce=True, current_outcome=outcome)
        if called is not None and absent is not None:
            self._offer_undo(absent)

    def _act(self, service: Callable, *, announce: bool = False, **args) -> Ticket | None:
        try:
            ticket = service(self._session.ctx(), counter=self._session.counter, **args)
        except DomainError as error:
            self.view.message.error(error_text(error))
            return None
        self.view.message.clear()
        if ticket.state is TicketState.NO_SHOW:  # F4, or F3 past the recall limit
            self._offer_undo(ticket)
        if announce and ticket.state is TicketState.CALLED:
            self._session.announce_call(ticket)
        else:
            self._session.queue_changed.emit()
        return ticket

    # --- absent, and back again
    def _offer_undo(self, ticket: Ticket) -> None:
        self._undoable = ticket
        self.view.message.ok(
            self.tr("Đã ghi vắng mặt số {label}. Nhấn Hoàn tác nếu nhầm.").format(
                label=ticket.label
            )
        )
        self.view.undo.show()
        self._undo_timer.start()

    def _end_undo(self) -> None:
        self._undoable = None
        self._undo_timer.stop()
        self.view.undo.hide()

    def _on_undo(self) -> None:
        ticket = self._undoable
        self._end_undo()
        if ticket is not None:
            self._restore(ticket.label)

    def _on_restore(self) -> None:
        try:
            absent = gateway.absent_today(self._session.ctx())
        except DomainError as error:
            self.view.message.error(error_text(error))
            return
        if not absent:
            self.view.message.error(self.tr("Hôm nay chưa có số nào bị ghi vắng mặt."))
            return
        dialog = RestoreDialog(absent, parent=self)
        if dialog.exec() == QDialog.Accepted and dialog.chosen():
            self._restore(dialog.chosen())

    def _restore(self, label: str) -> None:
        try:
            ticket = gateway.restore_no_show(
                self._session.ctx(), label=label, counter=self._session.counter
            )
        except DomainError as error:
            self.view.message.error(error_text(error))
            return
        self.view.message.ok(
            self.tr("Số {label} đã trở lại hàng chờ nhóm {group}, trước những người đến sau.")
            .format(label=ticket.label, group=ticket.group)
        )  # fmt: skip
        self._session.queue_changed.emit()

    def _on_finish(self) -> None:
        ticket = self._act(gateway.finish)
        if ticket is not None:
            self.view.message.ok(self.tr("Đã xong số {label}.").format(label=ticket.label))
            self._session.service_finished.emit(ticket)

    def _on_transfer(self) -> None:
        if self.current is None:
            self.view.message.error(self.tr("Chưa có số nào đang phục vụ để chuyển."))
            return
        dialog = TransferDialog(self._groups, exclude=self.current.group, parent=self)
        if dialog.exec() != QDialog.Accepted or not dialog.chosen():
            return
        group = dialog.chosen()
        try:
            moved = gateway.transfer(self._session.ctx(), counter=self._session.counter,
                                     to_group=group)  # fmt: skip
        except DomainError as error:
            self.view.message.error(error_text(error))
            return
        self.view.message.ok(
            self.tr("Đã chuyển số {label} sang nhóm {group}.").format(
                label=moved.label, group=group
            )  # fmt: skip
        )
        self._session.queue_changed.emit()

    # --- what is shown
    def refresh(self) -> None:
        session = self._session
        ctx = session.ctx()
        try:
            snap = gateway.snapshot(ctx)
            self._groups = {g.letter: g.name for g in ctx.catalogue().groups}
        except DomainError as error:
            self.view.message.error(error_text(error))
            return
        now = session.now()
        self.current = next((t for t in snap.active if t.counter == session.counter), None)
        self._show_current(now)
        desk = session.station.counter(session.counter)
        mine = [t for g in desk.groups for t in snap.waiting.get(g, [])]
        v = self.view
        v.served.setText(str(snap.served_today))
        v.absent.setText(str(snap.no_show_today))
        v.waiting_count.setText(str(len(mine)))
        try:
            v.received.setText(str(gateway.dossiers_received_today(ctx)))
        except DomainError:
            v.received.setText("—")
        self._fill_queue(snap.waiting, desk.groups, now)

    def _show_current(self, now) -> None:
        v, t = self.view, self.current
        has = t is not None
        for btn in (v.recall, v.no_show, v.transfer, v.finish):
            btn.setEnabled(has)
        if t is None:
            v.ticket_label.setText("—")
            v.ticket_state.setText(self.tr("Chưa gọi số nào. Nhấn F2 để gọi số tiếp theo."))
            v.ticket_detail.setText("")
            return
        v.ticket_label.setText(t.label)
        group = self._groups.get(t.group, t.group)
        state = (
            self.tr("Đã gọi lúc {time}, chờ công dân đến quầy")
            if t.state is TicketState.CALLED
            else self.tr("Đang phục vụ từ {time}")
        )
        at = t.serving_at if t.state is TicketState.SERVING and t.serving_at else t.called_at
        v.ticket_state.setText(state.format(time=f"{at:%H:%M}" if at else "—"))
        waited = int((((t.called_at or now) - t.arrived_at).total_seconds()) // 60)
        parts = [self.tr("Nhóm {letter} – {name}").format(letter=t.group, name=group),
                 self.tr("đã chờ {n} phút").format(n=waited)]  # fmt: skip
        if t.priority:
            parts.insert(1, self.tr("ưu tiên: {p}").format(p=priority_name(self._session,
                                                                          t.priority)))  # fmt: skip
        if t.recalls:
            parts.append(self.tr("đã gọi lại {n} lần").format(n=t.recalls))
        v.ticket_detail.setText(" · ".join(parts))

    def _fill_queue(self, waiting: dict[str, list[Ticket]], groups, now) -> None:
        tree = self.view.queue
        tree.clear()
        for letter in groups:
            tickets = waiting.get(letter, [])
            name = self._groups.get(letter, letter)
            # No setFirstColumnSpanned: in PySide6 6.12 it drops a reference to None on every
            # call, which crashes the program after a few thousand refreshes.
            top = QTreeWidgetItem(
                [f"{letter} – {name}", "", self.tr("{n} người").format(n=len(tickets))]
            )
            font = top.font(0)
            font.setBold(True)
            for column in (0, 2):
                top.setFont(column, font)
            top.setToolTip(0, f"{letter} – {name}")
            tree.addTopLevelItem(top)
            for t in tickets:
                minutes = int((now - t.arrived_at).total_seconds() // 60)
                item = QTreeWidgetItem([
                    t.label,
                    priority_name(self._session, t.priority) if t.priority else "",
                    self.tr("{n} phút").format(n=max(minutes, 0)),
                ])  # fmt: skip
                item.setData(0, Qt.UserRole, t.id)
                if t.priority:
                    item.setForeground(1, Qt.darkRed)
                top.addChild(item)
            top.setExpanded(True)

    def waiting_labels(self) -> list[str]:
        """The ticket numbers in the waiting lists, as a clerk reads them (tests use it)."""
        tree, found = self.view.queue, []
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            found += [top.child(j).text(0) for j in range(top.childCount())]
        return found


class TransferDialog(QDialog):
    """Pick the service group to send the citizen to: arrows and Enter are enough."""

    def __init__(self, groups: dict[str, str], *, exclude: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chuyển sang nhóm dịch vụ khác"))
        self.groups = QListWidget()
        for letter, name in groups.items():
            if letter != exclude:
                item = QListWidgetItem(f"{letter} – {name}")
                item.setData(Qt.UserRole, letter)
                self.groups.addItem(item)
        self.groups.setCurrentRow(0)
        self.groups.itemActivated.connect(lambda _item: self.accept())
        self.ok = button(self.tr("Chuyển"), role="primary")
        self.cancel = button(self.tr("Hủy"))
        self.ok.clicked.connect(self.accept)
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Chọn nhóm rồi nhấn Enter:")))
        layout.addWidget(self.groups)
        layout.addLayout(buttons)
        self.resize(420, 360)

    def chosen(self) -> str | None:
        item = self.groups.currentItem()
        return item.data(Qt.UserRole) if item else None
