"""When the forms of a dossier just received do not print: say plainly that the dossier is
saved, what to check, and offer the ways on (try again, another printer, the slip on screen).

Jobs left waiting in the spool for the failed printer are cancelled once the forms printed
elsewhere, so the citizen never gets the same slip twice when that printer comes back.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QVBoxLayout

from counter_app.core.errors import DomainError
from counter_app.ui import printing
from counter_app.ui.i18n import error_text
from counter_app.ui.session import Session
from counter_app.ui.widgets import MessageBar, button


class PrintFailedDialog(QDialog):
    def __init__(
        self,
        session: Session,
        documents: list,
        *,
        code: str,
        reason: str,
        jobs: list | None = None,
        failed_printer: str = "",
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chưa in được phiếu"))
        self.setWindowModality(Qt.WindowModal)
        self._session = session
        self.documents = documents
        self.code = code
        self.job_ids = [job.id for job in jobs or []]
        self.request = f"failed:{code}"
        self.preview = None
        self.printed = False
        heading = QLabel(self.tr("Chưa in được phiếu của hồ sơ {code}").format(code=code))
        heading.setProperty("role", "title")
        heading.setWordWrap(True)
        saved = QLabel(self.tr("Hồ sơ đã được lưu: không cần tiếp nhận lại. Chỉ có phiếu "
                               "chưa in ra giấy."))  # fmt: skip
        saved.setWordWrap(True)
        saved.setStyleSheet("color: #1b7f3b; font-weight: bold;")
        self.reason = QLabel(reason)
        self.reason.setWordWrap(True)
        checks = QLabel(self.tr(
            "Hãy kiểm tra:\n"
            "• Nguồn: máy in đã bật, đèn báo sáng, không nháy lỗi.\n"
            "• Giấy: còn giấy, đặt đúng chiều, nắp máy đã đóng chặt.\n"
            "• Cáp: cáp nguồn và cáp USB hoặc cáp mạng cắm chắc ở cả hai đầu.\n"
            "Rồi bấm «Thử in lại», hoặc in bằng máy in khác, hoặc cho công dân xem phiếu "
            "trên màn hình."))  # fmt: skip
        checks.setWordWrap(True)
        self.message = MessageBar()
        self.others = QComboBox()
        for destination in printing.destinations(session):
            self.others.addItem(destination.label, destination)
        # another printer than the one that failed is offered first
        others = [i for i in range(self.others.count())
                  if self.others.itemData(i).name != failed_printer]  # fmt: skip
        if others:
            self.others.setCurrentIndex(others[0])
        self.retry = button(self.tr("Thử in lại"), role="primary")
        self.elsewhere = button(self.tr("In bằng máy in này"))
        self.elsewhere.setEnabled(self.others.count() > 0)
        self.show_slip = button(self.tr("Xem phiếu trên màn hình"))
        self.close_button = button(self.tr("Đóng"), shortcut="Esc")
        other_row = QHBoxLayout()
        other_row.addWidget(QLabel(self.tr("Máy in khác:")))
        other_row.addWidget(self.others, 1)
        other_row.addWidget(self.elsewhere)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry)
        buttons.addWidget(self.show_slip)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        for widget in (heading, saved, self.reason, checks, self.message):
            layout.addWidget(widget)
        layout.addLayout(other_row)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.retry.clicked.connect(self._retry)
        self.elsewhere.clicked.connect(self._print_elsewhere)
        self.show_slip.clicked.connect(self._show_slip)
        self.close_button.clicked.connect(self.reject)
        session.printing().printed.connect(self._printed)
        self.resize(680, 420)

    def _retry(self) -> None:
        """The same printer again: the spooled jobs when there are some, else the forms."""
        self.message.show_message(self.tr("Đang in lại…"))
        if self.job_ids:
            self._session.printing().retry_now(self.job_ids, title=self.code, request=self.request)
            return
        first = printing.first_destination(self._session)
        if first is not None:
            self._send(first)

    def _print_elsewhere(self) -> None:
        destination = self.others.currentData()
        if destination is not None:
            self.message.show_message(
                self.tr("Đang in bằng {printer}…").format(printer=destination.label)
            )
            self._send(destination)

    def _send(self, destination) -> None:
        try:
            done = printing.send(self._session, self.documents, destination,
                                 title=self.code, request=self.request)  # fmt: skip
        except DomainError as error:
            self.message.error(error_text(error))
            return
        if done:
            self._done()

    def _printed(self, printed) -> None:
        if printed.request != self.request:
            return
        if printed.ok:
            self._done()
            return
        reason = printed.error or next(
            (job.reason for job in printed.jobs if job.reason), self.tr("máy in không trả lời.")
        )
        self.message.error(self.tr("Vẫn chưa in được: {reason}").format(reason=reason))

    def _done(self) -> None:
        """Printed: jobs still held for the failed printer are cancelled (no second slip)."""
        self.printed = True
        for job_id in self.job_ids:
            self._session.printing().cancel_if_waiting(job_id)
        self.message.ok(self.tr("Đã in phiếu của hồ sơ {code}.").format(code=self.code))

    def _show_slip(self) -> None:
        from counter_app.ui.receipt import ReceiptPreview

        self.preview = ReceiptPreview(self.documents[-1], self, session=self._session)
        self.preview.show()


class IntakePrinter(QObject):
    """Prints the forms of each dossier the intake page decides (and Forms 04/05 after the
    dossier page's moves), to the station's first printer, and opens PrintFailedDialog when
    they do not come out."""

    def __init__(self, session: Session, window) -> None:
        super().__init__(window)
        self._session = session
        self._window = window
        self._pending: dict[str, tuple[str, list, str]] = {}  # request: code, documents, printer
        self.dialog: PrintFailedDialog | None = None
        session.printing().printed.connect(self._printed)

    def print_dossier(self, dossier) -> bool:
        """False when no printer is set up (the caller shows the preview instead)."""
        from counter_app.core.dossier import DossierStatus
        from counter_app.ui.receipt import intake_documents

        if printing.first_destination(self._session) is None:
            return False
        if dossier.status is DossierStatus.NEW:
            return False
        try:
            documents = intake_documents(self._session.ctx(), dossier)
        except DomainError as error:
            self._window.statusBar().showMessage(error_text(error), 10_000)
            return True
        return self.print_documents(dossier.code, documents)

    def print_documents(self, code: str, documents: list) -> bool:
        """A dossier's forms to the station's first printer; False when none is set up."""
        destination = printing.first_destination(self._session)
        if destination is None:
            return False
        request = f"intake:{code}"
        self._pending[request] = (code, documents, destination.name)
        try:
            done = printing.send(self._session, documents, destination,
                                 title=documents[0].title, request=request)  # fmt: skip
        except DomainError as error:  # the PC's printer refused at once
            self._pending.pop(request, None)
            self.failed(code, documents, error_text(error), printer=destination.name)
            return True
        if done:
            self._pending.pop(request, None)
            self._window.statusBar().showMessage(
                self.tr("Đã in: {title}").format(title=documents[0].title), 8000
            )
        return True

    def _printed(self, printed) -> None:
        pending = self._pending.pop(printed.request, None)
        if pending is None or printed.ok:
            return
        code, documents, printer = pending
        reason = printed.error or next((j.reason for j in printed.jobs if j.reason), "")
        self.failed(code, documents, reason, printed.jobs, printer=printer)

    def failed(
        self, code: str, documents: list, reason: str, jobs=None, *, printer: str = ""
    ) -> PrintFailedDialog:
        self.dialog = PrintFailedDialog(self._session, documents, code=code, reason=reason,
                                        jobs=jobs, failed_printer=printer,
                                        parent=self._window)  # fmt: skip
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog
