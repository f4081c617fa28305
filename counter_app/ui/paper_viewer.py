"""A digitised paper on screen, page under page, drawn from its bytes in memory.

A citizen's papers are never written to disk in clear to be shown (a temporary file for the
PC's own PDF reader would stay behind on a shared counter PC): Qt's PDF module draws them
from the sealed store's bytes, whatever made the PDF (our scans, or the portal's files).
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from counter_app.ui.widgets import button

PAGE_WIDTH = 820  # pixels a page is drawn at: an A4 line readable on a 1366 screen


class PaperViewer(QDialog):
    def __init__(self, pdf: bytes, title: str, parent=None) -> None:
        super().__init__(parent)
        from PySide6.QtPdf import QPdfDocument  # loaded when a paper is first opened

        self.setWindowTitle(self.tr("Giấy tờ: {title}").format(title=title))
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        heading = QLabel(title)
        heading.setProperty("role", "title")
        heading.setWordWrap(True)
        self.pages: list[QLabel] = []
        body = QWidget()
        column = QVBoxLayout(body)
        column.setAlignment(Qt.AlignHCenter)
        if self.document.status() == QPdfDocument.Status.Ready:
            for n in range(self.document.pageCount()):
                column.addWidget(self._page(n))
        self.count = QLabel(self._count_text())
        self.count.setProperty("role", "hint")
        self.count.setWordWrap(True)
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.close_button = button(self.tr("Đóng"), shortcut="Esc")
        self.close_button.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(row)
        self.resize(PAGE_WIDTH + 60, 760)
        self.scroll.setFocus()  # arrows and Page Up/Down turn the pages

    def _page(self, n: int) -> QLabel:
        points = self.document.pagePointSize(n)
        height = round(PAGE_WIDTH * points.height() / max(points.width(), 1))
        page = QLabel()
        page.setPixmap(QPixmap.fromImage(self.document.render(n, QSize(PAGE_WIDTH, height))))
        page.setFrameShape(QLabel.Box)
        self.pages.append(page)
        return page

    def _count_text(self) -> str:
        if not self.pages:
            return self.tr("Không đọc được tệp này (không phải PDF hoặc tệp hỏng). Hãy yêu cầu "
                           "công dân nộp lại giấy tờ này.")  # fmt: skip
        return self.tr("%n trang · dùng phím mũi tên hoặc Page Up/Page Down để xem", "",
                       len(self.pages))  # fmt: skip
