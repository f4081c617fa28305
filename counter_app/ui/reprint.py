"""Printing a dossier's form again from the dossier page: any form it has had a reason to
print, on any printer of the station, marked "BẢN IN LẠI" with the time of the reprint.

The reprint is recorded in the audit when it is asked for (printers.service.mark_reprint,
through the services' one write path): what was printed again, not who it was for.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout

from counter_app.core.errors import DomainError
from counter_app.ui import printing
from counter_app.ui.i18n import error_text
from counter_app.ui.session import Session
from counter_app.ui.widgets import MessageBar, button


class ReprintDialog(QDialog):
    def __init__(self, session: Session, code: str, parent=None) -> None:
        from printers.service import dossier_forms

        super().__init__(parent)
        self.setWindowTitle(self.tr("In lại phiếu của hồ sơ {code}").format(code=code))
        self.setWindowModality(Qt.WindowModal)
        self._session = session
        self.code = code
        self.request = f"reprint:{code}"
        self.preview = None
        names = {
            "form01": self.tr("Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả (2 liên)"),
            "form02": self.tr("Mẫu 02 – Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
            "form03": self.tr("Mẫu 03 – Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
            "form04": self.tr("Mẫu 04 – Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
            "form05": self.tr("Mẫu 05 – Thông báo dừng giải quyết hồ sơ"),
            "form06": self.tr("Mẫu 06 – Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        }
        self.form = QComboBox()
        for form in dossier_forms(session.ctx(), code):
            self.form.addItem(names[form], form)
        self.printer = QComboBox()
        for destination in printing.destinations(session):
            self.printer.addItem(destination.label, destination)
        note = QLabel(self.tr("Bản in lại ghi «BẢN IN LẠI» và giờ in lại ở đầu và cuối phiếu; "
                              "việc in lại được ghi vào nhật ký."))  # fmt: skip
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        self.message = MessageBar()
        self.print_button = button(self.tr("In lại"), role="primary")
        self.preview_button = button(self.tr("Xem trước"))
        self.close_button = button(self.tr("Đóng"), shortcut="Esc")
        self.print_button.setEnabled(self.form.count() > 0 and self.printer.count() > 0)
        self.preview_button.setEnabled(self.form.count() > 0)
        if self.form.count() == 0:
            self.message.error(self.tr("Hồ sơ này chưa có phiếu nào để in."))
        elif self.printer.count() == 0:
            self.message.error(self.tr("Chưa cài máy in: chọn máy in trong Cài đặt › Máy in, "
                                       "hoặc Xem trước rồi Lưu PDF."))  # fmt: skip
        form = QFormLayout()
        form.addRow(self.tr("Phiếu:"), self.form)
        form.addRow(self.tr("Máy in:"), self.printer)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_again)
        self.preview_button.clicked.connect(self.show_preview)
        self.close_button.clicked.connect(self.reject)
        session.printing().printed.connect(self._printed)
        self.resize(620, 260)

    def _documents(self, *, reprint: bool) -> list:
        from printers import service

        ctx = self._session.ctx()
        documents = service.form_docs(ctx, self.form.currentData(), self.code)
        return service.mark_reprint(ctx, documents) if reprint else documents

    def print_again(self) -> None:
        destination = self.printer.currentData()
        if destination is None or self.form.currentData() is None:
            return
        try:
            documents = self._documents(reprint=True)
            done = printing.send(self._session, documents, destination,
                                 title=documents[0].title, request=self.request)  # fmt: skip
        except DomainError as error:
            self.message.error(error_text(error))
            return
        if done:
            self.message.ok(self.tr("Đã in lại: {form}").format(form=self.form.currentText()))
        else:
            self.message.show_message(self.tr("Đang gửi tới máy in…"))

    def _printed(self, printed) -> None:
        if printed.request != self.request:
            return
        if printed.ok:
            self.message.ok(self.tr("Đã in lại: {form}").format(form=self.form.currentText()))
            return
        reason = printed.error or next((j.reason for j in printed.jobs if j.reason), "")
        self.message.error(self.tr("Chưa in được: {reason}").format(reason=reason))

    def show_preview(self) -> None:
        """The form as it would print; what the preview prints or saves is a reprint too."""
        from counter_app.ui.receipt import ReceiptPreview

        try:
            documents = self._documents(reprint=False)
        except DomainError as error:
            self.message.error(error_text(error))
            return
        self.preview = ReceiptPreview(documents[-1], self, session=self._session, reprint=True)
        self.preview.show()
