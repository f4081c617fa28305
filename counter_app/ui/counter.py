"""The clerk's counter page: call, recall, no-show, transfer, finish, all from the keyboard."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QTreeWidgetItem, QVBoxLayout, QWidget

from counter_app.core.counter_desk import PAUSE_REASONS, wait_level
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.queue import Ticket, TicketState
from counter_app.ui import gateway
from counter_app.ui.confirm import confirm
from counter_app.ui.counter_dialogs import (
    CallReasonDialog,
    OutcomeDialog,
    PauseDialog,
    RestoreDialog,
    TransferDialog,
)
from counter_app.ui.counter_view import CounterView
from counter_app.ui.i18n import error_text, pick
from counter_app.ui.ops import TICKETS, run_op
from counter_app.ui.session import Session

REFRESH_MS = 5000
TICK_MS = 1000  # the visit timer's second hand
UNDO_MS = 10_000  # how long "Hoàn tác" stays after a citizen is marked absent
# Long waits in the waiting list (thresholds: core.counter_desk.WAIT_*_MINUTES): a light
# background with dark text, readable in either theme and without colour vision.
WAIT_COLOURS = {"long": ("#FFE7A3", "#5C4300"), "very_long": ("#F8C4C4", "#7A0E0E")}


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
        for desk in session.station.own_desks:
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
        v.call_selected.clicked.connect(self._on_call_selected)
        v.pause.clicked.connect(self._on_pause)
        self.paused = None  # this counter's open pause (core.counter_desk.Pause)
        self._primed_at: float | None = None  # see prime()

        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self._show_visit_time)
        session.queue_changed.connect(self.refresh)
        session.dossiers_changed.connect(self.refresh)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._timer.start()
        self._tick.start()
        primed, self._primed_at = self._primed_at, None
        if primed is not None and time.monotonic() - primed < REFRESH_MS / 1000:
            self._show_received()  # the rest was read while the password was checked
        else:
            QTimer.singleShot(0, self.refresh)

    def prime(self) -> None:
        """The queue read while a password is checked (it does not depend on who signs in),
        for the page, shown next, to paint once with it: the clerk's own count is read on
        showing. Read again on showing if that comes later than a refresh would."""
        if self._show_queue():
            self._primed_at = time.monotonic()

    def hideEvent(self, event) -> None:  # noqa: N802
        self._timer.stop()
        self._tick.stop()
        super().hideEvent(event)

    def timers_running(self) -> bool:
        return self._timer.isActive() or self._tick.isActive()

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

    def _ask_outcome(self) -> tuple[bool, TicketState | None]:
        """(go on, outcome of the citizen only called): asked before any new call."""
        if self.current is None or self.current.state is not TicketState.CALLED:
            return True, None
        dialog = OutcomeDialog(self.current, parent=self)
        if dialog.exec() != QDialog.Accepted or dialog.outcome is None:
            return False, None
        return True, dialog.outcome

    def _on_call_next(self) -> None:
        go, outcome = self._ask_outcome()
        if not go:
            return
        absent = self.current if outcome is TicketState.NO_SHOW else None
        called = self._act(gateway.call_next, announce=True, current_outcome=outcome)
        if called is not None and absent is not None:
            self._offer_undo(absent)

    def _on_call_selected(self) -> None:
        """Ctrl+F2: the ticket selected in the waiting list, out of turn, with a reason."""
        item = self.view.queue.currentItem()
        label = item.data(0, Qt.UserRole + 1) if item is not None else None
        if not label:
            self.view.message.error(self.tr(
                "Chọn một số trong hàng chờ (mũi tên lên, xuống) rồi nhấn Ctrl+F2."))  # fmt: skip
            return
        dialog = CallReasonDialog(label, parent=self)
        if dialog.exec() != QDialog.Accepted:
            return
        go, outcome = self._ask_outcome()
        if not go:
            return
        absent = self.current if outcome is TicketState.NO_SHOW else None
        called = self._act(gateway.call_ticket, announce=True, label=label,
                           reason=dialog.reason, note=dialog.note_text,
                           current_outcome=outcome)  # fmt: skip
        if called is not None and absent is not None:
            self._offer_undo(absent)

    def _on_pause(self) -> None:
        """F9: pause with a reason, or, when paused, resume."""
        counter = self._session.counter
        if self.paused is not None:
            self._write(lambda ctx: gateway.resume_counter(ctx, counter=counter),
                        self.tr("Quầy số {n} làm việc trở lại.").format(n=counter))  # fmt: skip
            return
        dialog = PauseDialog(counter, parent=self)
        if dialog.exec() != QDialog.Accepted:
            return
        reason = dialog.chosen()
        self._write(lambda ctx: gateway.pause_counter(ctx, counter=counter, reason=reason),
                    self.tr("Quầy số {n} đang tạm nghỉ.").format(n=counter))  # fmt: skip

    def _write(self, call: Callable, done: str = ""):
        """Every change the counter makes goes through the one operation helper: a refusal
        or an unexpected failure is one Vietnamese line here, a success refreshes every
        window. Returns the service's answer, or None when it said no."""
        result = run_op(self._session, call, changes=TICKETS, done=done,
                        report=self.view.message.show_message)  # fmt: skip
        if isinstance(result.error, ValidationError):  # no field to show it beside
            self.view.message.error(result.text)
        return result.value if result.ok else None

    def _act(self, service: Callable, *, announce: bool = False, **args) -> Ticket | None:
        counter = self._session.counter
        ticket = self._write(lambda ctx: service(ctx, counter=counter, **args))
        if ticket is None:
            return None
        self.view.message.clear()
        if ticket.state is TicketState.NO_SHOW:  # F4, or F3 past the recall limit
            self._offer_undo(ticket)
        if announce and ticket.state is TicketState.CALLED:
            self._session.ticket_called.emit(ticket)  # the board: the refresh went already
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
        counter = self._session.counter
        ticket = self._write(lambda ctx: gateway.restore_no_show(ctx, label=label, counter=counter))
        if ticket is None:
            return
        self.view.message.ok(
            self.tr("Số {label} đã trở lại hàng chờ nhóm {group}, trước những người đến sau.")
            .format(label=ticket.label, group=ticket.group)
        )  # fmt: skip

    def _on_finish(self) -> None:
        ticket = self._act(gateway.finish)
        if ticket is not None:
            self.view.message.ok(self.tr("Đã xong số {label}.").format(label=ticket.label))
            self._session.service_finished.emit(ticket)

    def _on_transfer(self) -> None:
        if self.current is None:
            self.view.message.error(self.tr("Chưa có số nào đang phục vụ để chuyển."))
            return
        session = self._session
        try:
            me = session.actor.username
            clerks = [c for c in gateway.clerks(session.ctx()) if c.username != me]
        except DomainError as error:
            self.view.message.error(error_text(error))
            return
        counters = [d.number for d in session.station.counters if d.number != session.counter]
        dialog = TransferDialog(self._groups, counters, clerks, exclude_group=self.current.group,
                                parent=self)  # fmt: skip
        if dialog.exec() != QDialog.Accepted or not dialog.chosen():
            return
        kind, target = dialog.chosen()
        where = {"group": {"to_group": target}, "counter": {"to_counter": target},
                 "clerk": {"to_clerk": target}}[kind]  # fmt: skip
        moved = self._write(lambda ctx: gateway.transfer(ctx, counter=session.counter, **where))
        if moved is None:
            return
        text = {
            "group": self.tr("Đã chuyển số {label} sang nhóm {target}."),
            "counter": self.tr("Đã chuyển số {label} đến quầy số {target}."),
            "clerk": self.tr("Đã chuyển số {label} đến cán bộ {target}."),
        }[kind]
        names = {clerk.username: clerk.name for clerk in clerks}
        self.view.message.ok(text.format(label=moved.label, target=names.get(target, target)))

    # --- what is shown
    def refresh(self) -> None:
        if self._show_queue():
            self._show_received()

    def _show_queue(self) -> bool:
        """The called ticket, the pause, today's counts and the waiting list; False when the
        queue could not be read (the page says why)."""
        session = self._session
        ctx = session.ctx()
        try:
            snap = gateway.snapshot(ctx)
            self._groups = {g.letter: g.name for g in ctx.catalogue().groups}
        except DomainError as error:
            self.view.message.error(error_text(error))
            return False
        now = session.now()
        self.current = next((t for t in snap.active if t.counter == session.counter), None)
        self.paused = gateway.open_pause(ctx, session.counter)
        self._show_current(now)
        self._show_visit_time()
        desk = session.station.counter(session.counter)
        mine = [t for g in desk.groups for t in snap.waiting.get(g, [])]
        v = self.view
        v.served.setText(str(snap.served_today))
        v.absent.setText(str(snap.no_show_today))
        v.waiting_count.setText(str(len(mine)))
        self._fill_queue(snap.waiting, desk.groups, now)
        return True

    def _show_received(self) -> None:
        """The signed-in clerk's dossiers received today."""
        try:
            self.view.received.setText(str(gateway.dossiers_received_today(self._session.ctx())))
        except DomainError:
            self.view.received.setText("—")

    def _show_current(self, now) -> None:
        v, t = self.view, self.current
        has = t is not None
        for btn in (v.recall, v.no_show, v.transfer, v.finish):
            btn.setEnabled(has)
        paused = self.paused
        v.pause.setText((self.tr("Tiếp tục") if paused else self.tr("Tạm nghỉ")) + "  [F9]")
        if t is None:
            v.ticket_label.setText(self.tr("Tạm nghỉ", "state") if paused is not None else "—")
            if paused is not None:
                vi, en = PAUSE_REASONS.get(paused.reason, (paused.reason, paused.reason))
                v.ticket_state.setText(
                    self.tr("Quầy đang tạm nghỉ ({reason}) từ {time}. Nhấn F9 để làm việc lại.")
                    .format(reason=pick(vi, en), time=f"{paused.started_at:%H:%M}")
                )  # fmt: skip
            else:
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
        if t.call_reason:
            parts.append(self.tr("gọi trước lượt"))
        v.ticket_detail.setText(" · ".join(parts))

    def _show_visit_time(self) -> None:
        """mm:ss since the citizen was called here (since served, once served)."""
        t = self.current
        if t is None:
            self.view.visit_timer.setText("")
            return
        since = t.serving_at if t.state is TicketState.SERVING and t.serving_at else t.called_at
        seconds = max(0, int((self._session.now() - since).total_seconds())) if since else 0
        self.view.visit_timer.setText(
            self.tr("Thời gian tiếp công dân: {mm:02d}:{ss:02d}").format(
                mm=seconds // 60, ss=seconds % 60
            )
        )

    def _fill_queue(self, waiting: dict[str, list[Ticket]], groups, now) -> None:
        """Update the waiting list in place: rebuilding it every REFRESH_MS lost the clerk's
        selection (arrow keys started again from the top, Ctrl+F2 found nothing chosen).
        Rows are kept by ticket, new tickets inserted where they are called, gone ones
        removed; the selected row stays selected and current."""
        tree = self.view.queue
        chosen = tree.currentItem()
        chosen_id = chosen.data(0, Qt.UserRole) if chosen is not None else None
        letters = [tree.topLevelItem(i).data(0, Qt.UserRole + 2)
                   for i in range(tree.topLevelItemCount())]  # fmt: skip
        if letters != list(groups):  # another counter's groups: another list
            tree.clear()
            for letter in groups:
                top = QTreeWidgetItem(["", "", ""])
                top.setData(0, Qt.UserRole + 2, letter)
                font = top.font(0)
                font.setBold(True)
                for column in (0, 2):
                    top.setFont(column, font)
                tree.addTopLevelItem(top)
                top.setExpanded(True)
        # No setFirstColumnSpanned: in PySide6 6.12 it drops a reference to None on every
        # call, which crashes the program after a few thousand refreshes.
        for i, letter in enumerate(groups):
            top = tree.topLevelItem(i)
            tickets = waiting.get(letter, [])
            name = self._groups.get(letter, letter)
            top.setText(0, f"{letter} – {name}")
            top.setText(2, self.tr("{n} người").format(n=len(tickets)))
            top.setToolTip(0, f"{letter} – {name}")
            self._fill_group(top, tickets, now)
        current = tree.currentItem()
        if chosen_id is not None and (current is None or current.data(0, Qt.UserRole) != chosen_id):
            self._select_ticket(chosen_id)

    def _fill_group(self, top: QTreeWidgetItem, tickets: list[Ticket], now) -> None:
        rows = {top.child(j).data(0, Qt.UserRole): top.child(j) for j in range(top.childCount())}
        wanted = {t.id for t in tickets}
        for ticket_id, item in rows.items():
            if ticket_id not in wanted:
                top.removeChild(item)
        for position, t in enumerate(tickets):
            item = rows.get(t.id)
            if item is None:
                item = QTreeWidgetItem(["", "", ""])
                item.setData(0, Qt.UserRole, t.id)
                top.insertChild(position, item)
            elif top.indexOfChild(item) != position:  # moved up (a priority, a restored one)
                top.insertChild(position, top.takeChild(top.indexOfChild(item)))
            self._show_waiting(item, t, now)

    def _show_waiting(self, item: QTreeWidgetItem, t: Ticket, now) -> None:
        minutes = max(int((now - t.arrived_at).total_seconds() // 60), 0)
        item.setText(0, t.label + self._reserved_text(t))
        item.setText(1, priority_name(self._session, t.priority) if t.priority else "")
        item.setText(2, self.tr("{n} phút").format(n=minutes))
        item.setData(0, Qt.UserRole + 1, t.label)
        if t.priority:
            item.setForeground(1, Qt.darkRed)
        colours = WAIT_COLOURS.get(wait_level(minutes))
        if colours is not None:
            item.setBackground(2, QBrush(QColor(colours[0])))
            item.setForeground(2, QBrush(QColor(colours[1])))

    def _select_ticket(self, ticket_id: int) -> None:
        """Make the row of this ticket current and selected again, if it is still waiting."""
        tree = self.view.queue
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, Qt.UserRole) == ticket_id:
                    tree.setCurrentItem(top.child(j))
                    return

    def _reserved_text(self, t: Ticket) -> str:
        """Who a transferred ticket waits for, so F2 passing it over is no surprise."""
        if t.target_counter is not None:
            return self.tr(" → quầy {n}").format(n=t.target_counter)
        if t.target_clerk:
            return self.tr(" → cán bộ {name}").format(name=t.target_clerk)
        return ""

    def waiting_labels(self) -> list[str]:
        """The ticket numbers in the waiting lists, as a clerk reads them (tests use it)."""
        tree, found = self.view.queue, []
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            found += [top.child(j).data(0, Qt.UserRole + 1) for j in range(top.childCount())]
        return found
