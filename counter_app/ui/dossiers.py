"""The dossier page: find a dossier, read its history, move it on as its status allows."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from counter_app.core.dossier import STATUS_NAMES, TRANSITIONS, Dossier, DossierStatus
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.roles import ROLE_PERMISSIONS, Permission
from counter_app.ui import gateway
from counter_app.ui.dossiers_view import DossiersView
from counter_app.ui.i18n import error_text, pick
from counter_app.ui.session import Session
from counter_app.ui.widgets import show_field_error


def _when(value) -> str:
    return f"{value:%H:%M %d/%m/%Y}" if value else "—"


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


def _short_when(value) -> str:
    """For the list's narrow columns; the detail shows the full year."""
    return f"{value:%d/%m/%y %H:%M}" if value else "—"


class DossiersWidget(QWidget):
    preview_requested = Signal(object, str)  # Dossier, reasons

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self.view = DossiersView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.found: list[Dossier] = []
        self.selected: Dossier | None = None
        self.action_buttons: dict[int, QPushButton] = {}
        v = self.view
        v.status.addItem(self.tr("Tất cả"), None)
        for status in DossierStatus:
            v.status.addItem(f"{int(status)}. {pick(*STATUS_NAMES[status])}", status)
        v.procedure.addItem(self.tr("Tất cả thủ tục"), None)
        today = QDate.currentDate()
        v.since.setDate(today.addDays(-30))
        v.until.setDate(today)
        v.search.clicked.connect(self.run_search)
        v.query.returnPressed.connect(self.run_search)
        v.table.itemSelectionChanged.connect(self._on_selected)
        v.print_button.clicked.connect(self._on_print)
        self._loaded = False
        session.dossiers_changed.connect(lambda: self._loaded and self.run_search())

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            QTimer.singleShot(0, self._first_load)

    def _first_load(self) -> None:
        try:
            for proc in self._session.ctx().catalogue().procedures:
                self.view.procedure.addItem(f"{proc.code} – {proc.name}", proc.code)
        except DomainError:
            pass
        today = self._session.now().date()
        self.view.since.setDate(QDate(today - timedelta(days=30)))
        self.view.until.setDate(QDate(today))
        self.run_search()

    def run_search(self) -> None:
        v, ctx = self.view, self._session.ctx()
        try:
            if v.query.text().strip():
                found = gateway.search_dossiers(ctx, v.query.text(), limit=200)
            else:
                status = v.status.currentData()
                found = gateway.list_dossiers(
                    ctx,
                    statuses=[status] if status else None,
                    procedure_code=v.procedure.currentData(),
                    since=v.since.date().toPython(),
                    until=v.until.date().toPython(),
                    overdue=v.overdue.isChecked(),
                )
        except DomainError as error:
            v.message.error(error_text(error))
            return
        v.message.clear()
        self.found = found
        self._fill(found)

    def _fill(self, found: list[Dossier]) -> None:
        table, now = self.view.table, self._session.now()
        table.setRowCount(len(found))
        for row, d in enumerate(found):
            status = pick(*STATUS_NAMES[d.status])
            cells = [d.code, d.applicant.full_name, d.procedure_name, status,
                     _day(d.received_at), _short_when(d.due_at)]  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (1, 2, 3):  # may be cut with "…": the whole text on hover
                    item.setToolTip(text)
                if column == 5 and d.is_overdue(now):
                    item.setForeground(Qt.red)
                    item.setToolTip(self.tr("Quá hạn"))
                table.setItem(row, column, item)
        self.view.count.setText(self.tr("{n} hồ sơ").format(n=len(found)))
        self._show(None)

    def _on_selected(self) -> None:
        rows = self.view.table.selectionModel().selectedRows()
        self._show(self.found[rows[0].row()] if rows else None)

    def _show(self, dossier: Dossier | None) -> None:
        v = self.view
        self.selected = dossier
        v.history.clear()
        v.note.clear()
        show_field_error(v.note_error, "")
        for btn in self.action_buttons.values():
            btn.deleteLater()
        self.action_buttons.clear()
        v.print_button.setEnabled(dossier is not None)
        if dossier is None:
            v.detail.setText(self.tr("Chọn một hồ sơ để xem chi tiết."))
            return
        try:
            detail = gateway.show_dossier(self._session.ctx(), dossier.code)
        except DomainError as error:
            v.message.error(error_text(error))
            return
        d, a = detail.dossier, detail.dossier.applicant
        lines = [
            f"<b>{d.code}</b> – {pick(*STATUS_NAMES[d.status])}",
            d.procedure_name,
            self.tr("Người nộp: {name} · {phone}").format(name=a.full_name,
                                                          phone=a.phone or "—"),
            self.tr("Nhận: {r} · hẹn trả: {due}").format(r=_when(d.received_at),
                                                         due=_when(d.due_at)),
        ]  # fmt: skip
        if detail.overdue:
            overdue = self.tr("Quá hạn")
            lines.append(f"<span style='color:#b3261e'>{overdue}</span>")
        v.detail.setText("<br>".join(lines))
        for event in detail.events:
            status = pick(*STATUS_NAMES[event.to_status]) if event.to_status else event.kind
            note = f" – {event.note}" if event.note else ""
            v.history.addItem(f"{_when(event.at)}  {status}  ({event.actor}){note}")
        self._add_actions(d)

    def _add_actions(self, d: Dossier) -> None:
        allowed = ROLE_PERMISSIONS[self._session.actor.role]
        targets = sorted(TRANSITIONS[d.status]) if Permission.CHANGE_STATUS in allowed else []
        if d.status is DossierStatus.NEW and Permission.RECEIVE_DOSSIER in allowed:
            targets = [t for t in targets if t is not DossierStatus.RECEIVED]
            self._action_button(0, self.tr("Kiểm tra xong, tiếp nhận"), self._accept_draft)
        for target in targets:
            self._action_button(int(target), pick(*STATUS_NAMES[target]),
                                lambda _c=False, t=target: self._change(t))  # fmt: skip

    def _action_button(self, key: int, text: str, slot) -> None:
        btn = QPushButton(text)
        btn.clicked.connect(slot)
        n = len(self.action_buttons)
        self.view.actions.addWidget(btn, n // 2, n % 2)
        self.action_buttons[key] = btn

    def _change(self, target: DossierStatus) -> None:
        self._run(lambda ctx: gateway.change_status(ctx, code=self.selected.code, to=target,
                                                    note=self.view.note.toPlainText()))  # fmt: skip

    def _accept_draft(self) -> None:
        self._run(lambda ctx: gateway.accept_draft(ctx, code=self.selected.code))

    def _run(self, action) -> None:
        if self.selected is None:
            return
        reasons = self.view.note.toPlainText()
        try:
            changed = action(self._session.ctx())
        except ValidationError as error:
            show_field_error(self.view.note_error, error_text(error))
            return
        except DomainError as error:
            self.view.message.error(error_text(error))
            return
        self.view.message.ok(self.tr("Hồ sơ {code}: {status}.").format(
            code=changed.code, status=pick(*STATUS_NAMES[changed.status])))  # fmt: skip
        self._session.dossiers_changed.emit()
        self.select_code(changed.code)
        if changed.status in (DossierStatus.RECEIVED, DossierStatus.REFUSED,
                              DossierStatus.SUPPLEMENT):  # fmt: skip
            self.preview_requested.emit(changed, reasons)

    def select_code(self, code: str) -> None:
        for row, d in enumerate(self.found):
            if d.code == code:
                self.view.table.selectRow(row)
                return

    def _on_print(self) -> None:
        if self.selected is not None:
            self.preview_requested.emit(self.selected, "")
