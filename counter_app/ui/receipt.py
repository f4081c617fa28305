"""Preview of what goes on paper: the receipt slip, the refusal or the supplement request.

The documents come from printers/ (data), drawn by its raster renderer exactly as the
thermal printer will print them; from here they go to any printer of the station, or to a
PDF file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
)

from counter_app.core.dossier import Dossier, DossierStatus
from counter_app.core.errors import DomainError
from counter_app.ui.i18n import error_text
from counter_app.ui.widgets import MessageBar, button

log = logging.getLogger(__name__)


def dossier_document(ctx, dossier: Dossier, *, reasons: str = ""):
    """The printers document that goes with this dossier's state (Form 01, 02, 03 or 05)."""
    from printers import documents, service

    if dossier.status is DossierStatus.REFUSED:
        return service.form_doc(ctx, "form03", dossier.code)
    if dossier.status is DossierStatus.SUPPLEMENT:
        return service.form_doc(ctx, "form02", dossier.code)
    if dossier.status is DossierStatus.STOPPED:
        return service.form_doc(ctx, "form05", dossier.code)
    if dossier.status is DossierStatus.NEW:  # a volunteer's draft: nothing official yet
        return documents.Document(
            kind="draft",
            key=dossier.code,
            title=dossier.code,
            blocks=(documents.Text(dossier.procedure_name), documents.QR(dossier.code)),
        )
    return service.receipt_docs(ctx, dossier.code, copies=2)[-1]


def intake_documents(ctx, dossier: Dossier) -> list:
    """What goes on paper when a dossier is decided at the counter: Form 03 for a refusal,
    Form 02 for a supplement request, else Form 01 in its two copies."""
    from printers import service

    if dossier.status is DossierStatus.REFUSED:
        return [service.form_doc(ctx, "form03", dossier.code)]
    if dossier.status is DossierStatus.SUPPLEMENT:
        return [service.form_doc(ctx, "form02", dossier.code)]
    return service.receipt_docs(ctx, dossier.code, copies=2)


def document_image(document) -> QImage | None:
    try:
        from printers.raster import render_raster

        picture = render_raster(document).convert("L")
    except Exception as error:  # a missing font or a renderer change: fall back to text
        log.warning("receipt preview drawn as text: %s", error)
        return None
    data = picture.tobytes()
    image = QImage(data, picture.width, picture.height, picture.width, QImage.Format_Grayscale8)
    return image.copy()  # own the pixels: `data` goes away


class ReceiptPreview(QDialog):
    """The slip as the thermal printer draws it, with "In" to a printer from the station's
    list and "Lưu PDF" (the official form's A5 page, drawn as the office printer would)."""

    def __init__(
        self, document, parent=None, *, session=None, reprint: bool = False, notice: str = ""
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._session = session
        # A form printed before (from the dossier page): what leaves this window, on paper
        # or as PDF, is marked "BẢN IN LẠI" and recorded as a reprint.
        self.reprint = reprint
        self.request = f"preview:{document.kind}:{document.key}"
        self.setWindowTitle(self.tr("Xem trước phiếu in: {title}").format(title=document.title))
        title = QLabel(document.title)
        title.setProperty("role", "title")
        note = QLabel(self.tr("Bản xem trước, đúng như khi in ra giấy 80 mm."))
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        # Shown as it will leave: a reprint's marks drawn on the preview as on paper and PDF.
        shown = document.as_reprint() if reprint and not document.reprint else document
        image = document_image(shown)
        if image is not None:
            self.picture = QLabel()
            self.picture.setPixmap(QPixmap.fromImage(image))
            self.picture.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
            body = QScrollArea()
            body.setWidget(self.picture)
            body.setAlignment(Qt.AlignHCenter)
            body.setWidgetResizable(False)
        else:
            body = QPlainTextEdit(shown.all_text())
            body.setReadOnly(True)
        self.text = shown.all_text()
        self.message = MessageBar()
        self.printer = QComboBox()
        self.print_button = button(self.tr("In"), role="primary", shortcut="Ctrl+P")
        self.pdf_button = button(self.tr("Lưu PDF"))
        self.close_button = button(self.tr("Đóng"), shortcut="Esc")
        self.close_button.clicked.connect(self.accept)
        self.print_button.clicked.connect(self.print_now)
        self.pdf_button.clicked.connect(self.ask_pdf)
        self.file_dialog: QFileDialog | None = None
        if session is not None:
            from counter_app.ui import printing

            for destination in printing.destinations(session):
                self.printer.addItem(destination.label, destination)
            session.printing().printed.connect(self._printed)
        if self.printer.count() == 0:
            self.printer.addItem(self.tr("Chưa cài máy in (xem Cài đặt › Máy in)"), None)
        self.print_button.setEnabled(self.printer.currentData() is not None)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("Máy in:")))
        buttons.addWidget(self.printer, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(note)
        self.notice = QLabel(notice)  # an offline dossier code: the clerk tells the citizen
        self.notice.setProperty("role", "notice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(notice))
        layout.addWidget(self.notice)
        layout.addWidget(body, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(760, 720)

    def print_now(self) -> None:
        from counter_app.ui import printing

        destination = self.printer.currentData()
        if destination is None or self._session is None:
            return
        try:
            done = printing.send(self._session, self._outgoing(), destination,
                                 title=self.document.title, request=self.request)  # fmt: skip
        except DomainError as error:
            self.message.error(error_text(error))
            return
        if done:
            self.message.ok(self.tr("Đã in: {title}").format(title=self.document.title))
        else:
            self.message.show_message(self.tr("Đang gửi tới máy in…"))

    def _outgoing(self) -> list:
        if not self.reprint or self._session is None:
            return [self.document]
        from printers.service import mark_reprint

        return mark_reprint(self._session.ctx(), [self.document])

    def _printed(self, printed) -> None:
        if printed.request != self.request:
            return
        if printed.ok:
            self.message.ok(self.tr("Đã in: {title}").format(title=self.document.title))
            return
        reason = printed.error or next((j.reason for j in printed.jobs if j.reason), "")
        self.message.error(self.tr("Chưa in được: {reason}").format(reason=reason))

    def ask_pdf(self) -> None:
        """Qt's own save dialog (not the system's), opened without blocking."""
        name = f"{self.document.kind}-{self.document.key}".replace("/", "-") + ".pdf"
        dialog = QFileDialog(self, self.tr("Lưu phiếu thành PDF"), str(Path.home() / name),
                             self.tr("Tệp PDF (*.pdf)"))  # fmt: skip
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setOption(QFileDialog.DontUseNativeDialog)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(self.save_pdf)
        self.file_dialog = dialog
        dialog.open()

    def save_pdf(self, path: str) -> None:
        from counter_app.ui.system_print import save_pdf

        try:
            save_pdf(self._outgoing()[0], Path(path))
        except DomainError as error:
            self.message.error(error_text(error))
            return
        self.message.ok(self.tr("Đã lưu PDF: {path}").format(path=path))
