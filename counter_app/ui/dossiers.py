"""The dossier page: find a dossier, read its history, move it on as its status allows."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from counter_app.core.dossier import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    STATUS_NAMES,
    TRANSITIONS,
    Dossier,
    DossierStatus,
)
from counter_app.core.dossier_notices import EXTENDED_KIND, read_extension
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.roles import ROLE_PERMISSIONS, Permission
from counter_app.ui import gateway
from counter_app.ui.confirm import confirm
from counter_app.ui.dossiers_view import DossiersView
from counter_app.ui.i18n import error_text, pick
from counter_app.ui.ops import DOSSIERS, run_op
from counter_app.ui.papers import ResultPapers
from counter_app.ui.session import Session
from counter_app.ui.widgets import show_field_error

LIST_LIMIT = 200
# Moves that end a dossier for good are asked about first; returning the result is the
# everyday last step and is not.
CONFIRMED = FINAL_STATUSES - {DossierStatus.RETURNED}
EXTEND = 100  # key of the extension's button among the status moves (keyed by status)
RESULT_SCAN, RESULT_FILE = 101, 102  # result papers (ui/papers.py)


def _when(value) -> str:
    return f"{value:%H:%M %d/%m/%Y}" if value else "—"


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


def _short_when(value) -> str:
    """For the list's narrow columns; the detail shows the full year."""
    return f"{value:%d/%m/%y %H:%M}" if value else "—"


class DossiersWidget(QWidget):
    preview_requested = Signal(object, str)  # Dossier, reasons
    reprint_requested = Signal(object)  # Dossier: its current form, printed again if printed
    form_requested = Signal(str, str)  # form (form04, form05), dossier code: print or preview

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
        # What each button does, as a verb: a button named "Đang xử lý" reads like a state.
        self.action_names = {
            DossierStatus.RECEIVED: self.tr("Tiếp nhận hồ sơ"),
            DossierStatus.REFUSED: self.tr("Từ chối tiếp nhận"),
            DossierStatus.PROCESSING: self.tr("Chuyển xử lý"),
            DossierStatus.SUPPLEMENT: self.tr("Yêu cầu bổ sung"),
            DossierStatus.FINANCIAL: self.tr("Yêu cầu nộp phí, thuế"),
            DossierStatus.WITHDRAWN: self.tr("Rút hồ sơ"),
            DossierStatus.STOPPED: self.tr("Dừng xử lý"),
            DossierStatus.DONE: self.tr("Báo đã có kết quả"),
            DossierStatus.RETURNED: self.tr("Trả kết quả"),
        }
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
        # Alt+N lists a name's dossiers of every date, until the name or a date changes.
        self._any_date = False
        v.any_date.clicked.connect(self._show_any_date)
        v.query.textEdited.connect(lambda _t: self._dates_again())
        v.since.dateChanged.connect(lambda _d: self._dates_again())
        v.until.dateChanged.connect(lambda _d: self._dates_again())
        v.table.itemSelectionChanged.connect(self._on_selected)
        v.print_button.clicked.connect(self._on_print)
        v.reprint_button.clicked.connect(self.open_reprint)
        self.reprint = None
        self.results = ResultPapers(session, self, v.message.show_message)
        self._loaded = False
        session.changed.connect(self._changed)

    def _changed(self, changes) -> None:
        """A write here, at another station or from the portal: the list keeps up and the
        dossier on show stays selected."""
        if changes.dossiers and self._loaded:
            self.run_search(keep_message=True)

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

    def run_search(self, *, keep_message: bool = False) -> None:
        """List what was typed AND the filters; keep the dossier shown if it is still listed."""
        v, ctx = self.view, self._session.ctx()
        status = v.status.currentData()
        try:
            page = gateway.find_dossiers(
                ctx,
                text=v.query.text(),
                statuses=[status] if status else None,
                procedure_code=v.procedure.currentData(),
                since=v.since.date().toPython(),
                until=v.until.date().toPython(),
                overdue=v.overdue.isChecked(),
                any_date=self._any_date,
                limit=LIST_LIMIT,
            )
        except DomainError as error:
            v.message.error(error_text(error))
            return
        if not keep_message:
            v.message.clear()
        shown = self.selected
        self.found = page.dossiers
        self._fill(page.dossiers, page.total)
        self._say_dates(page)
        if shown is not None and not self.select_code(shown.code) and keep_message:
            self._show(shown)  # moved out of the filters: its detail stays in view

    def _fill(self, found: list[Dossier], total: int) -> None:
        table, now = self.view.table, self._session.now()
        with QSignalBlocker(table.selectionModel()):
            table.clearSelection()
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
        if total > len(found):
            text = self.tr(
                "{shown} / {total} hồ sơ: đang hiện {shown} hồ sơ nhận gần nhất; "
                "hãy lọc thêm để thấy các hồ sơ khác."
            ).format(shown=len(found), total=total)
        else:
            text = self.tr("%n hồ sơ", "", len(found))
        self.view.count.setText(text)
        self._show(None)

    def _say_dates(self, page) -> None:
        """What the dates left out, or that they were not applied, after the count."""
        v = self.view
        extra = ""
        if page.outside_dates:
            extra = self.tr("còn %n hồ sơ khớp nhưng nhận ngoài khoảng ngày", "",
                            page.outside_dates)  # fmt: skip
        elif page.dates_ignored and v.query.text().strip():
            extra = self.tr("tìm mọi ngày nhận, không theo khoảng ngày")
        if extra:
            v.count.setText(f"{v.count.text()} · {extra}")
        v.any_date.setVisible(page.outside_dates > 0)

    def _show_any_date(self) -> None:
        self._any_date = True
        self.run_search()

    def _dates_again(self) -> None:
        self._any_date = False

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
            self.view.actions.removeWidget(btn)
            btn.hide()
            btn.deleteLater()
        self.action_buttons.clear()
        v.print_button.setEnabled(dossier is not None)
        v.reprint_button.setEnabled(dossier is not None)
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
        ctx = self._session.ctx()
        names = {a: gateway.officer_name(ctx, a) for a in {e.actor for e in detail.events}}
        for event in detail.events:
            status = pick(*STATUS_NAMES[event.to_status]) if event.to_status else event.kind
            note = f" – {event.note}" if event.note else ""
            if event.kind == EXTENDED_KIND:  # the status stayed: say what happened
                status = self.tr("Gia hạn")
                note = self._extension_text(event)
            v.history.addItem(f"{_when(event.at)}  {status}  ({names[event.actor]}){note}")
        self._add_paper_history(ctx, d)
        v.history.show_newest()
        self._add_actions(d)

    def _add_paper_history(self, ctx, d: Dossier) -> None:
        """The digitised papers in the history (a list that scrolls, so the detail keeps
        its height): how many of the checklist on top, and each result paper returned with
        the dossier after the steps (it came with the return): what, when and by whom."""
        held = gateway.papers_of(ctx, d.code)
        intake = [p for p in held if p.kind == "intake"]
        self.view.history.insertItem(  # first: the steps below end with the newest
            0,
            self.tr("Giấy tờ đã số hóa: {k}/{n} ({pages} trang)").format(
                k=len(intake), n=len(d.documents), pages=sum(p.pages for p in intake)
            ),
        )
        for p in (p for p in held if p.kind == "result"):
            self.view.history.addItem(
                self.tr("{when}  Trả kèm kết quả: {title} · {pages} trang ({who})").format(
                    when=_when(p.added_at), title=p.title, pages=p.pages,
                    who=gateway.officer_name(ctx, p.added_by),
                )
            )  # fmt: skip

    def _extension_text(self, event) -> str:
        """The stored note is Vietnamese (it goes upstream as it is): said again in the
        window's language from its parts."""
        extension = read_extension(event.note, event.at.tzinfo)
        if extension is None:
            return f" – {event.note}" if event.note else ""
        return " – " + self.tr("Gia hạn hẹn trả từ {old} đến {new}. Lý do: {reason}").format(
            old=_when(extension.old_due), new=_when(extension.new_due), reason=extension.reason
        )

    def _add_actions(self, d: Dossier) -> None:
        allowed = ROLE_PERMISSIONS[self._session.actor.role]
        targets = sorted(TRANSITIONS[d.status]) if Permission.CHANGE_STATUS in allowed else []
        actions = []
        if d.status is DossierStatus.NEW and Permission.RECEIVE_DOSSIER in allowed:
            targets = [t for t in targets if t is not DossierStatus.RECEIVED]
            actions.append((0, self.tr("Kiểm tra xong, tiếp nhận"), self._accept_draft))
        for target in targets:
            actions.append((int(target), self.action_names[target],
                            lambda _c=False, t=target: self._change(t)))  # fmt: skip
        if d.status in OPEN_STATUSES and Permission.CHANGE_STATUS in allowed:
            actions.append((EXTEND, self.tr("Gia hạn, xin lỗi (Mẫu 04)"), self._extend))
        if d.status in gateway.RESULT_STATUSES and Permission.CHANGE_STATUS in allowed:
            code = d.code
            actions.append((RESULT_SCAN, self.tr("Quét giấy tờ kết quả"),
                            lambda: self.results.scan(code)))  # fmt: skip
            actions.append((RESULT_FILE, self.tr("Nhập tệp kết quả"),
                            lambda: self.results.import_files(code)))  # fmt: skip
        buttons = []
        for key, text, slot in actions:
            btn = QPushButton(text)
            btn.setMinimumWidth(btn.sizeHint().width())  # never squeezed until the text is cut
            btn.clicked.connect(slot)
            self.action_buttons[key] = btn
            buttons.append(btn)
        # Two buttons a row where both fit the detail pane (1366 wide), one a row otherwise.
        grid = self.view.actions
        widest = max((b.minimumWidth() for b in buttons), default=0)
        room = self.view.actions_box.contentsRect().width() - grid.horizontalSpacing()
        columns = 2 if 2 * widest <= room else 1
        for n, btn in enumerate(buttons):
            grid.addWidget(btn, n // columns, n % columns)

    def _change(self, target: DossierStatus) -> None:
        if target in CONFIRMED and not self._confirm_final(target):
            return
        if target is DossierStatus.STOPPED:  # the reason goes on Form 05
            code, reason = self.selected.code, self.view.note.toPlainText()
            self._run(lambda ctx: gateway.stop_dossier(ctx, code=code, reason=reason), "form05")
            return
        self._run(lambda ctx: gateway.change_status(ctx, code=self.selected.code, to=target,
                                                    note=self.view.note.toPlainText()))  # fmt: skip

    def _confirm_final(self, target: DossierStatus) -> bool:
        """Withdrawing, stopping or refusing cannot be undone: say so and ask once."""
        return confirm(
            self,
            self.action_names[target],
            self.tr(
                "Hồ sơ {code} sẽ chuyển sang «{status}». Đây là bước cuối cùng, không thể "
                "quay lại. Tiếp tục?"
            ).format(code=self.selected.code, status=pick(*STATUS_NAMES[target])),
            yes=self.action_names[target],
            no=self.tr("Không, giữ nguyên"),
        )

    def _extend(self) -> None:
        from counter_app.ui.extend_dialog import ExtendDialog

        code = self.selected.code

        def submit(until, reason: str) -> str | None:
            result = run_op(
                self._session,
                lambda ctx: gateway.extend_due(ctx, code=code, until=until, reason=reason),
                changes=DOSSIERS,
            )
            if not result.ok:
                return result.text
            self._done(result.value, "form04")
            return None

        self.extend_dialog = ExtendDialog(self.selected, submit, self.view.note.toPlainText(),
                                          self)  # fmt: skip
        self.extend_dialog.open()

    def _accept_draft(self) -> None:
        self._run(lambda ctx: gateway.accept_draft(ctx, code=self.selected.code))

    def _run(self, action, form: str = "") -> None:
        if self.selected is None:
            return
        reasons = self.view.note.toPlainText()
        result = run_op(self._session, action, changes=DOSSIERS,
                        report=self.view.message.show_message)  # fmt: skip
        if isinstance(result.error, ValidationError):
            show_field_error(self.view.note_error, result.text)
        if not result.ok:
            return
        self._done(result.value, form, reasons)

    def _done(self, changed: Dossier, form: str = "", reasons: str = "") -> None:
        """After a move: say so, keep the dossier shown, and print what goes with it."""
        self.selected = changed
        if form == "form04":
            self.view.message.ok(self.tr("Hồ sơ {code}: đã gia hạn, hẹn trả mới {due}.").format(
                code=changed.code, due=_when(changed.due_at)))  # fmt: skip
        else:
            self.view.message.ok(self.tr("Hồ sơ {code}: {status}.").format(
                code=changed.code, status=pick(*STATUS_NAMES[changed.status])))  # fmt: skip
        if form:
            self.form_requested.emit(form, changed.code)
        elif changed.status in (DossierStatus.RECEIVED, DossierStatus.REFUSED,
                              DossierStatus.SUPPLEMENT):  # fmt: skip
            self.preview_requested.emit(changed, reasons)

    def select_code(self, code: str) -> bool:
        """Select the dossier with this code in the list; False when it is not listed."""
        for row, d in enumerate(self.found):
            if d.code == code:
                self.view.table.selectRow(row)
                return True
        return False

    def open_reprint(self):
        """Any form of this dossier printed again, marked "BẢN IN LẠI" (ui/reprint.py)."""
        if self.selected is None:
            return None
        from counter_app.ui.reprint import ReprintDialog

        try:
            self.reprint = ReprintDialog(self._session, self.selected.code, parent=self)
        except DomainError as error:
            self.view.message.error(error_text(error))
            return None
        self.reprint.show()
        return self.reprint

    def _on_print(self) -> None:
        if self.selected is not None:
            self.reprint_requested.emit(self.selected)
