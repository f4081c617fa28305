"""Preview of what goes on paper: the receipt slip, the refusal or the supplement request.

The documents come from printers/ (data), drawn by its raster renderer exactly as the
thermal printer will print them. Until the spool is wired, the clerk sees this preview.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
)

from counter_app.core.dossier import Dossier, DossierStatus
from counter_app.ui.widgets import button

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
    def __init__(self, document, parent=None, *, notice: str = "") -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle(self.tr("Xem trước phiếu in: {title}").format(title=document.title))
        title = QLabel(document.title)
        title.setProperty("role", "title")
        note = QLabel(
            self.tr("Chưa kết nối máy in: đây là bản xem trước đúng như khi in ra giấy 80 mm.")
        )
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        image = document_image(document)
        if image is not None:
            self.picture = QLabel()
            self.picture.setPixmap(QPixmap.fromImage(image))
            self.picture.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
            body = QScrollArea()
            body.setWidget(self.picture)
            body.setAlignment(Qt.AlignHCenter)
            body.setWidgetResizable(False)
        else:
            body = QPlainTextEdit(document.all_text())
            body.setReadOnly(True)
        self.text = document.all_text()
        self.close_button = button(self.tr("Đóng"), role="primary", shortcut="Esc")
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
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
        layout.addLayout(buttons)
        self.resize(640, 720)
