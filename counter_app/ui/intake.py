"""The intake page: a clerk receives a dossier, or a volunteer pre-fills one as a draft.

Each citizen field is checked by the core's own validator when the clerk leaves it, and
again as they type once it shows an error, so the message disappears the moment it is fixed.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.core import citizen
from counter_app.core.catalogue import DocumentForm, Procedure, ReturnMethod
from counter_app.core.dossier import STATUS_NAMES, Dossier, ReceivedDocument
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.queue import Ticket
from counter_app.ui import gateway
from counter_app.ui.i18n import error_text, message_text, pick
from counter_app.ui.intake_view import CITIZEN_FIELDS, PAPER_COLUMN, IntakeView
from counter_app.ui.ops import DOSSIERS, TICKETS, run_op
from counter_app.ui.papers import IntakePapers
from counter_app.ui.session import Session
from counter_app.ui.widgets import mark_invalid, show_field_error

_DATE = re.compile(
    r"^\s*(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})\s*$|^\s*(\d{2})(\d{2})(\d{4})\s*$"
)


def parse_birth_date(text: str) -> date | None:
    """dd/mm/yyyy as a clerk types it; None for an empty field; ValueError when unreadable."""
    if not text.strip():
        return None
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    d, m, y = (match[1], match[2], match[3]) if match[1] else (match[4], match[5], match[6])
    return date(int(y), int(m), int(d))


class IntakeWidget(QWidget):
    received = Signal(object)  # the Dossier, once written
    decided = Signal(object)  # a refused or supplement-requested Dossier

    def __init__(self, session: Session, *, draft: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self._draft = draft
        self.view = IntakeView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.procedure: Procedure | None = None
        self.ticket: Ticket | None = None
        self.last_dossier: Dossier | None = None
        self._results: list[Procedure] = []
        self._uses: dict[str, int] | None = None  # this center's use of each procedure
        # Fields the clerk typed in since the form was last cleared: leaving a field checks it
        # only then, so a field emptied by "Làm mới" or a saved dossier is not "required" red
        # on the next citizen's blank form.
        self._typed: set[str] = set()
        v = self.view
        if draft:
            v.title.setText(self.tr("Soạn trước hồ sơ (tình nguyện viên)"))
            v.accept.setText(self.tr("Lưu bản nháp cho cán bộ kiểm tra  [Ctrl+Enter]"))
            v.refuse.hide()
            v.supplement.hide()
            v.reason.hide()
            v.verification.hide()
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self._search)
        self._qr_timer = QTimer(self, singleShot=True, interval=250)
        self._qr_timer.timeout.connect(self._read_qr)

        v.procedure_search.textChanged.connect(lambda _t: self._search_timer.start())
        v.procedure_search.returnPressed.connect(self._choose_first)
        v.procedure_results.itemActivated.connect(lambda _i: self._choose_current())
        v.procedure_results.itemClicked.connect(lambda _i: self._choose_current())
        v.qr.returnPressed.connect(self._read_qr)
        v.qr.textChanged.connect(self._on_qr_typed)
        for name in CITIZEN_FIELDS:
            widget = getattr(v, name)
            if name == "sex":
                widget.currentIndexChanged.connect(lambda _i: self._check("citizen_id"))
                continue
            widget.textEdited.connect(lambda _t, n=name: self._typed.add(n))
            widget.editingFinished.connect(lambda n=name: self._left(n))
            widget.textChanged.connect(lambda _t, n=name: self._recheck(n))
        v.verification.toggled.connect(lambda _on: self._update_due())
        v.accept.clicked.connect(self._on_accept)
        v.supplement.clicked.connect(lambda: self._on_decide(gateway.supplement_at_intake))
        v.refuse.clicked.connect(lambda: self._on_decide(gateway.refuse_at_intake))
        v.clear.clicked.connect(self.reset)
        v.checklist.installEventFilter(self)
        self.papers = IntakePapers(session, v.checklist, PAPER_COLUMN, self.document_box)
        self._tick = QTimer(self, interval=30_000)
        self._tick.timeout.connect(self._update_due)
        self._method_names = {
            ReturnMethod.COUNTER: self.tr("Tại Bộ phận Một cửa"),
            ReturnMethod.POST: self.tr("Qua dịch vụ bưu chính"),
            ReturnMethod.ONLINE: self.tr("Trực tuyến"),
        }
        self._form_names = {
            DocumentForm.ORIGINAL: self.tr("Bản chính"),
            DocumentForm.COPY: self.tr("Bản sao"),
            DocumentForm.CERTIFIED_COPY: self.tr("Bản sao có chứng thực"),
            DocumentForm.ORIGINAL_OR_COPY: self.tr("Bản chính hoặc bản sao"),
            DocumentForm.PRESENT: self.tr("Xuất trình bản chính"),
        }

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        """Space on a row of the checklist ticks (or unticks) that paper: no mouse needed."""
        table = self.view.checklist
        if (
            obj is table
            and event.type() == QEvent.KeyPress
            and event.key() == Qt.Key_Space
            and table.currentRow() >= 0
        ):
            box = self.document_box(table.currentRow())
            box.setChecked(not box.isChecked())
            return True
        return super().eventFilter(obj, event)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt name)
        for timer in (self._search_timer, self._qr_timer, self._tick):
            timer.stop()
        super().hideEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._tick.start()

    # --- starting a dossier
    def start(self, ticket: Ticket | None) -> None:
        self.reset()
        self._uses = None  # counted again on the next search: new dossiers change them
        self.ticket = ticket
        self.view.ticket_info.setText(
            self.tr("Công dân số {label}").format(label=ticket.label) if ticket else ""
        )
        self.view.procedure_search.setFocus()

    def reset(self) -> None:
        v = self.view
        for name in CITIZEN_FIELDS:
            widget = getattr(v, name)
            widget.setCurrentIndex(0) if name == "sex" else widget.clear()
        v.qr.clear()
        v.reason.clear()
        v.procedure_search.clear()
        v.procedure_results.clear()
        v.sets.setValue(1)
        v.verification.setChecked(False)
        self._set_procedure(None)
        self._clear_errors()
        self._typed.clear()

    # --- 1. procedure
    def _search(self) -> None:
        v = self.view
        ctx = self._session.ctx()
        try:
            if self._uses is None:
                self._uses = gateway.procedure_uses(ctx)
            found = gateway.search_procedures(
                ctx, v.procedure_search.text(), limit=8, uses=self._uses
            )
        except DomainError as error:
            v.message.error(error_text(error))
            return
        self._results = [ranked.procedure for ranked in found]
        v.procedure_results.clear()
        for proc in self._results:
            v.procedure_results.addItem(f"{proc.code} – {proc.name}")
        if self._results:
            v.procedure_results.setCurrentRow(0)
            show_field_error(v.procedure_error, "")
        elif v.procedure_search.text().strip():
            self._nothing_found(v.procedure_search.text().strip())

    def _nothing_found(self, text: str) -> None:
        """The search names no procedure: the one chosen before is dropped with its papers,
        so Ctrl+Enter cannot receive a birth registration as a certification."""
        dropped = self.procedure is not None
        self._set_procedure(None)
        message = (
            self.tr("Không tìm thấy thủ tục nào cho «{text}»: đã bỏ thủ tục đã chọn trước đó. "
                    "Hãy gõ cách gọi khác hoặc mã thủ tục.")
            if dropped
            else self.tr("Không tìm thấy thủ tục nào cho «{text}». "
                         "Hãy gõ cách gọi khác hoặc mã thủ tục.")
        )  # fmt: skip
        show_field_error(self.view.procedure_error, message.format(text=text))

    def _choose_first(self) -> None:
        self._search_timer.stop()
        self._search()
        if self._results:
            self._set_procedure(self._results[0])
            self.view.checklist.setFocus()  # on the first paper: Space ticks, arrows move

    def _choose_current(self) -> None:
        row = self.view.procedure_results.currentRow()
        if 0 <= row < len(self._results):
            self._set_procedure(self._results[row])

    def _set_procedure(self, procedure: Procedure | None) -> None:
        v = self.view
        self.procedure = procedure
        show_field_error(v.procedure_error, "")
        v.checklist.setRowCount(0)
        self.papers.reset()
        v.return_method.clear()
        if procedure is None:
            v.procedure_chosen.setText(self.tr("Chưa chọn thủ tục."))
            v.fee.setText("—")
            v.due.setText("—")
            return
        days = procedure.processing.working_days
        time_text = (
            self.tr("trong ngày") if days == 0 else self.tr("{n} ngày làm việc").format(n=days)
        )
        v.procedure_chosen.setText(
            self.tr("<b>{name}</b><br>Mã {code} · {sector} · thời hạn giải quyết: {time}").format(
                name=procedure.name, code=procedure.code, sector=procedure.sector, time=time_text
            )
        )
        for doc, listed in zip(gateway.checklist(procedure), procedure.documents, strict=True):
            self._add_document_row(doc, optional=listed.optional)
        v.checklist.resizeRowsToContents()
        for method in procedure.return_methods:
            v.return_method.addItem(self._method_names.get(method, str(method)), method)
        fee = gateway.default_fee(procedure)
        v.fee.setText(self.tr("Không thu") if fee <= 0 else f"{fee:,}".replace(",", ".") + " đ")
        self._update_due()

    def _add_document_row(self, doc: ReceivedDocument, *, optional: bool) -> None:
        table = self.view.checklist
        row = table.rowCount()
        table.insertRow(row)
        box = QCheckBox()
        box.setChecked(doc.received)  # unticked from the checklist: the clerk ticks
        holder = QWidget()
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(box)
        layout.addStretch(1)  # the box keeps its own size, so a click on it lands on the tick
        table.setCellWidget(row, 0, holder)
        shown = doc.name
        if optional and "nếu có" not in doc.name.lower():
            shown = self.tr("{paper} (nếu có)").format(paper=doc.name)
        name = QTableWidgetItem(shown)
        name.setData(Qt.UserRole, doc.name)  # the dossier keeps the catalogue's name
        name.setFlags(Qt.ItemIsEnabled)
        table.setItem(row, 1, name)
        form = QComboBox()
        for value, text in self._form_names.items():
            form.addItem(text, value)
        form.setCurrentIndex(max(0, form.findData(doc.form)))
        table.setCellWidget(row, 2, form)
        count = QSpinBox()
        count.setRange(0, 99)
        count.setValue(doc.count)
        table.setCellWidget(row, 3, count)
        self.papers.add_row(row)

    def documents(self) -> tuple[ReceivedDocument, ...]:
        table, docs = self.view.checklist, []
        for row in range(table.rowCount()):
            box = table.cellWidget(row, 0).findChild(QCheckBox)
            docs.append(
                ReceivedDocument(
                    table.item(row, 1).data(Qt.UserRole),
                    DocumentForm(table.cellWidget(row, 2).currentData()),
                    table.cellWidget(row, 3).value(),
                    box.isChecked(),
                )
            )
        return tuple(docs)

    def document_box(self, row: int) -> QCheckBox:
        return self.view.checklist.cellWidget(row, 0).findChild(QCheckBox)

    def _update_due(self) -> None:
        if self.procedure is None or self._draft:
            self.view.due.setText("—" if not self._draft else self.tr("Cán bộ tính khi tiếp nhận"))
            return
        session = self._session
        try:
            due = gateway.appointment(
                session.ctx(),
                procedure_code=self.procedure.code,
                at=session.now(),
                with_verification=self.view.verification.isChecked(),
            )
        except DomainError as error:
            self.view.due.setText(error_text(error))
            return
        self.view.due.setText(self.due_text(due))

    def due_text(self, due) -> str:
        days = [self.tr("thứ Hai"), self.tr("thứ Ba"), self.tr("thứ Tư"), self.tr("thứ Năm"),
                self.tr("thứ Sáu"), self.tr("thứ Bảy"), self.tr("Chủ nhật")]  # fmt: skip
        return self.tr("{hh} giờ {mm} phút, {weekday} ngày {day}").format(
            hh=f"{due:%H}", mm=f"{due:%M}", weekday=days[due.weekday()], day=f"{due:%d/%m/%Y}"
        )

    # --- 3. citizen: the QR code and each field
    def _on_qr_typed(self, text: str) -> None:
        if text.count("|") >= 4:  # scanners that send no Enter: read once typing stops
            self._qr_timer.start()

    def _read_qr(self) -> None:
        self._qr_timer.stop()
        v = self.view
        text = v.qr.text()
        if not text.strip():
            return
        try:
            card = citizen.parse_chip_qr(text)
        except ValidationError as error:
            show_field_error(v.qr_error, error_text(error))
            mark_invalid(v.qr, True)
            return
        show_field_error(v.qr_error, "")
        mark_invalid(v.qr, False)
        v.full_name.setText(card.full_name)
        v.citizen_id.setText(card.citizen_id)
        v.birth_date.setText(f"{card.birth_date:%d/%m/%Y}")
        v.sex.setCurrentIndex(max(0, v.sex.findData(str(card.sex))))
        v.address.setText(card.address)
        v.qr.clear()
        for name in CITIZEN_FIELDS:
            self._check(name)
        v.phone.setFocus()

    def _left(self, name: str) -> None:
        if name in self._typed:
            self._check(name)

    def _recheck(self, name: str) -> None:
        if self.view.errors[name].isVisible():
            self._check(name)

    def _field_message(self, name: str) -> str:
        """The message for one field, empty when it is fine (empty optional fields are fine)."""
        v = self.view
        try:
            if name == "full_name":
                citizen.normalize_name(v.full_name.text())
            elif name == "citizen_id" and v.citizen_id.text().strip():
                try:
                    birth = parse_birth_date(v.birth_date.text())
                except ValueError:
                    birth = None
                sex = v.sex.currentData() or None
                citizen.validate_citizen_id(v.citizen_id.text(), birth_date=birth, sex=sex)
            elif name == "birth_date":
                try:
                    birth = parse_birth_date(v.birth_date.text())
                except ValueError:
                    return self.tr("Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 05/03/1990.")
                citizen.check_birth_date(birth, today=self._session.now().date())
            elif name == "phone" and v.phone.text().strip():
                citizen.normalize_phone(v.phone.text())
            elif name in ("address", "email"):
                gateway.validate_applicant(
                    gateway.ApplicantInput(
                        full_name="A", address=v.address.text(), email=v.email.text()
                    )  # fmt: skip
                )
        except ValidationError as error:
            return error_text(error) if error.field in (None, name) else ""
        return ""

    def _check(self, name: str) -> bool:
        message = self._field_message(name)
        self._show_error(name, message)
        if name == "birth_date" and self.view.citizen_id.text().strip():
            self._show_error("citizen_id", self._field_message("citizen_id"))
        return not message

    def _show_error(self, name: str, message: str) -> None:
        v = self.view
        errors = {**v.errors, "qr": v.qr_error, "documents": v.checklist_error,
                  "sets": v.sets_error, "note": v.reason_error,
                  "procedure": v.procedure_error}  # fmt: skip
        label = errors.get(name)
        if label is None:
            v.message.error(message)
            return
        show_field_error(label, message)
        widget = getattr(v, name, None)
        if widget is not None and hasattr(widget, "setProperty"):
            mark_invalid(widget, bool(message))

    def _clear_errors(self) -> None:
        for name in (*CITIZEN_FIELDS, "qr", "documents", "sets", "note", "procedure"):
            self._show_error(name, "")
        self.view.message.clear()

    def error_texts(self) -> dict[str, str]:
        """Every message shown next to a field, by field name (tests read it like a person)."""
        v = self.view
        labels = {**v.errors, "qr": v.qr_error, "documents": v.checklist_error,
                  "sets": v.sets_error, "note": v.reason_error,
                  "procedure": v.procedure_error}  # fmt: skip
        return {name: label.text() for name, label in labels.items() if label.isVisibleTo(self)}

    # --- 4. decision
    def _collect(self) -> dict | None:
        """The arguments of the service call, or None after showing what is wrong."""
        if self._search_timer.isActive():  # typed but not yet searched: search first
            self._search_timer.stop()
            self._search()
        self._clear_errors()
        v = self.view
        ok = all([self._check(name) for name in CITIZEN_FIELDS])
        if self.procedure is None:
            self._show_error("procedure", self.tr("Hãy chọn thủ tục trước."))
            ok = False
        if not ok:
            v.message.error(self.tr("Hồ sơ chưa được lưu: hãy sửa các ô có thông báo đỏ."))
            return None
        applicant = gateway.ApplicantInput(
            full_name=v.full_name.text(),
            citizen_id=v.citizen_id.text(),
            phone=v.phone.text(),
            address=v.address.text(),
            email=v.email.text(),
            birth_date=parse_birth_date(v.birth_date.text()),
            sex=v.sex.currentData() or "",
        )
        return {
            "procedure_code": self.procedure.code,
            "applicant": applicant,
            "documents": self.documents(),
            "sets": v.sets.value(),
            "return_method": ReturnMethod(v.return_method.currentData() or "counter"),
            "ticket_id": self.ticket.id if self.ticket else None,
        }

    def _on_accept(self) -> None:
        args = self._collect()
        if args is None:
            return
        if not self._draft:
            args["with_verification"] = self.view.verification.isChecked()
        if self.papers.busy():
            self.view.message.error(self.tr("Đang số hóa giấy tờ: chờ xong rồi lưu hồ sơ."))
            return
        draft, prepared = self._draft, self.papers.prepared()
        dossier = self._write(
            lambda ctx: gateway.receive_with_papers(ctx, prepared, draft=draft, **args)
        )
        if dossier is None:
            return
        self._done(dossier, self.received)
        text = (
            self.tr("Đã lưu bản nháp {code}; cán bộ sẽ kiểm tra và tiếp nhận.")
            if self._draft
            else self.tr("Đã tiếp nhận hồ sơ {code}.")
        ).format(code=dossier.code)
        if gateway.is_offline_code(self._session.ctx(), dossier.code):
            # stays until the next message: the clerk must see the code is an offline one
            notice = message_text("code_pool.offline_notice")
            self.view.message.notice(text + " " + notice)
        else:
            self.view.message.ok(text)

    def _on_decide(self, service) -> None:
        args = self._collect()
        if args is None:
            return
        reasons = self.view.reason.toPlainText()
        dossier = self._write(lambda ctx: service(ctx, reasons=reasons, **args))
        if dossier is None:
            return
        self._done(dossier, self.decided)
        status = pick(*STATUS_NAMES[dossier.status])
        self.view.message.ok(
            self.tr("Đã ghi hồ sơ {code}: {status}.").format(code=dossier.code, status=status)
        )

    def _write(self, call) -> Dossier | None:
        """Intake's writes through the one operation helper: a field's refusal is shown
        beside the field, anything else as one Vietnamese line; None when nothing was saved.
        A dossier (and the ticket it closes) refreshes every window."""
        result = run_op(self._session, call, changes=TICKETS | DOSSIERS)
        if result.ok:
            return result.value
        if isinstance(result.error, ValidationError):
            self._show_error(result.error.field or "", result.text)
            self.view.message.error(self.tr("Hồ sơ chưa được lưu: hãy sửa các ô có thông báo đỏ."))
        else:
            self.view.message.error(result.text)
        return None

    def _done(self, dossier: Dossier, signal) -> None:
        self.last_dossier = dossier
        reasons = self.view.reason.toPlainText()
        self.reset()
        self.ticket = None
        self.view.ticket_info.setText("")
        self.last_reasons = reasons
        signal.emit(dossier)
