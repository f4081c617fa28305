"""The digitised paper of each checklist row: scan or import, a thumbnail, what is held.

Pages are scanned and converted on a worker thread (a flatbed takes seconds, a PDF a
second): the window keeps answering. Until the dossier is saved they stay in memory only,
never on disk in clear; the intake then attaches them in the transaction that receives it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.ui import gateway
from counter_app.ui.ops import failure_text

THUMB = (30, 42)
FILE_FILTER = "PDF, JPEG, PNG (*.pdf *.jpg *.jpeg *.png)"


class PaperCell(QWidget):
    """One row's paper: thumbnail, state, and the scan and import buttons; takes files
    dropped on it too."""

    files_dropped = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.thumb = QLabel()
        self.thumb.setFixedSize(*THUMB)
        self.thumb.setAlignment(Qt.AlignCenter)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.scan = QToolButton()
        self.scan.setText(self.tr("Quét"))
        self.scan.setToolTip(self.tr("Quét thêm một trang từ máy quét (xám, 200 dpi)"))
        # colour when asked (a photo, a red seal): the arrow beside Quét
        self.scan.setPopupMode(QToolButton.MenuButtonPopup)
        self.scan_colour = QAction(self.tr("Quét màu (ảnh, con dấu đỏ)"), self)
        menu = QMenu(self)
        menu.addAction(self.scan_colour)
        self.scan.setMenu(menu)
        self.import_files = QToolButton()
        self.import_files.setText(self.tr("Tệp…"))
        self.import_files.setToolTip(
            self.tr("Nhập tệp PDF, JPEG hoặc PNG đã quét (hoặc kéo thả tệp vào đây)")
        )
        self.clear = QToolButton()
        self.clear.setText("×")
        self.clear.setToolTip(self.tr("Bỏ các trang đã số hóa của giấy tờ này"))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.scan, self.import_files, self.clear):
            buttons.addWidget(button)
        buttons.addStretch(1)
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(1)
        text.addWidget(self.state)
        text.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 1, 2, 1)
        layout.addWidget(self.thumb)
        layout.addLayout(text, 1)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt name)
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)


class IntakePapers(QObject):
    """The papers of the checklist in `table`'s `column`, by row (paper number = row + 1)."""

    _finished = Signal(int, int, object, object)  # generation, row, result, error
    changed = Signal()

    def __init__(
        self, session, table: QTableWidget, column: int, box_of: Callable[[int], QCheckBox]
    ) -> None:
        super().__init__(table)
        self._session = session
        self._table = table
        self._column = column
        self._box_of = box_of
        self._pages: dict[int, list[bytes]] = {}
        self._pdfs: dict = {}
        self._busy: set[int] = set()
        self._errors: dict[int, str] = {}
        self._colour: set[int] = set()  # rows whose paper is kept in colour
        self._generation = 0  # a new dossier drops what an older scan brings back
        self._finished.connect(self._on_finished)

    # ---- rows ----
    def add_row(self, row: int) -> None:
        cell = PaperCell()
        cell.scan.clicked.connect(lambda: self.scan(row))
        cell.scan_colour.triggered.connect(lambda: self.scan(row, colour=True))
        cell.import_files.clicked.connect(lambda: self._choose_files(row))
        cell.files_dropped.connect(lambda paths: self.import_files(row, paths))
        cell.clear.clicked.connect(lambda: self._clear_row(row))
        self._table.setCellWidget(row, self._column, cell)
        self._box_of(row).toggled.connect(lambda _on: self._show(row))
        self._show(row)

    def cell(self, row: int) -> PaperCell:
        return self._table.cellWidget(row, self._column)

    def reset(self) -> None:
        self._generation += 1
        self._pages.clear()
        self._pdfs.clear()
        self._busy.clear()
        self._errors.clear()
        self._colour.clear()

    def prepared(self) -> dict:
        """Paper number -> its PDF, for the papers digitised so far."""
        return {row + 1: pdf for row, pdf in self._pdfs.items()}

    def busy(self) -> bool:
        return bool(self._busy)

    def missing(self) -> list[int]:
        """Rows ticked as received but not digitised."""
        return [
            row
            for row in range(self._table.rowCount())
            if self._box_of(row).isChecked() and row not in self._pdfs
        ]

    # ---- work, off the UI thread ----
    def scan(self, row: int, *, colour: bool = False) -> None:
        """One more page; a colour page makes the whole paper colour (one PDF, one mode)."""
        if colour:
            self._colour.add(row)
        device = gateway.scanner_device(self._session.ctx())
        earlier, colour = list(self._pages.get(row, [])), row in self._colour
        self._start(row, lambda: gateway.prepare_scan(device, colour=colour, earlier=earlier))

    def import_files(self, row: int, paths: list[str]) -> None:
        earlier, colour = list(self._pages.get(row, [])), row in self._colour
        self._start(row, lambda: gateway.prepare_files(paths, colour=colour, earlier=earlier))

    def _choose_files(self, row: int) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self._table, self.tr("Chọn tệp giấy tờ đã quét"), "", FILE_FILTER
        )
        if paths:
            self.import_files(row, paths)

    def _start(self, row: int, job: Callable) -> None:
        if row in self._busy:
            return
        self._busy.add(row)
        self._errors.pop(row, None)
        self._show(row)
        generation = self._generation

        def work() -> None:
            try:
                result, error = job(), None
            except Exception as failure:  # noqa: BLE001 - shown as one sentence on the row
                result, error = None, failure
            self._finished.emit(generation, row, result, error)

        threading.Thread(target=work, name="counter-app-paper", daemon=True).start()

    def _on_finished(self, generation: int, row: int, result, error) -> None:
        if generation != self._generation:
            return
        self._busy.discard(row)
        if error is not None:
            self._errors[row] = failure_text(error)
        else:
            self._pages[row], self._pdfs[row], thumbnail = result
            self._set_thumbnail(row, thumbnail)
        self._show(row)
        self.changed.emit()

    def _clear_row(self, row: int) -> None:
        self._colour.discard(row)
        self._pages.pop(row, None)
        self._pdfs.pop(row, None)
        self._errors.pop(row, None)
        self._set_thumbnail(row, None)
        self._show(row)
        self.changed.emit()

    # ---- what the row shows ----
    def _set_thumbnail(self, row: int, data: bytes | None) -> None:
        cell = self.cell(row)
        if cell is None:
            return
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            cell.thumb.setPixmap(pixmap.scaled(*THUMB, Qt.KeepAspectRatio, Qt.SmoothTransformation))
        else:
            cell.thumb.clear()
            cell.thumb.setText("▯" if row in self._pdfs else "")

    def _show(self, row: int) -> None:
        cell = self.cell(row)
        if cell is None:
            return
        pdf = self._pdfs.get(row)
        warn = False
        if row in self._busy:
            text = self.tr("Đang số hóa…")
        elif row in self._errors:
            text, warn = self._errors[row], True
        elif pdf is not None:
            text = self.tr("đã số hóa · {n} trang").format(n=pdf.pages)
        elif self._box_of(row).isChecked():
            text, warn = self.tr("⚠ Đã nhận nhưng chưa số hóa"), True
        else:
            text = self.tr("Chưa số hóa")
        cell.state.setText(text)
        cell.state.setProperty("role", "error" if warn else "hint")
        cell.state.style().unpolish(cell.state)
        cell.state.style().polish(cell.state)
        cell.clear.setVisible(pdf is not None)
        cell.scan.setEnabled(row not in self._busy)
        cell.import_files.setEnabled(row not in self._busy)


class ResultPapers(QObject):
    """Result papers attached from the dossier page ("result ready", "returned"): scanned
    or imported on a worker thread, then kept through the one operation helper."""

    _finished = Signal(str, object, object)  # dossier code, PDF, error

    def __init__(self, session, parent, report: Callable[[str, str], None]) -> None:
        super().__init__(parent)
        self._session = session
        self._parent = parent
        self._report = report
        self._finished.connect(self._on_finished)

    def scan(self, code: str) -> None:
        device = gateway.scanner_device(self._session.ctx())
        self._start(code, lambda: gateway.prepare_scan(device, colour=False, earlier=[]))

    def import_files(self, code: str, paths: list[str] | None = None) -> None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                self._parent, self.tr("Chọn tệp giấy tờ kết quả"), "", FILE_FILTER
            )
        if paths:
            self._start(code, lambda: gateway.prepare_files(paths, colour=False, earlier=[]))

    def _start(self, code: str, job: Callable) -> None:
        self._report(self.tr("Đang số hóa giấy tờ kết quả…"), "info")

        def work() -> None:
            try:
                pdf, error = job()[1], None
            except Exception as failure:  # noqa: BLE001 - one sentence on the page
                pdf, error = None, failure
            self._finished.emit(code, pdf, error)

        threading.Thread(target=work, name="counter-app-result", daemon=True).start()

    def _on_finished(self, code: str, pdf, error) -> None:
        from counter_app.ui.ops import DOSSIERS, run_op

        if error is not None:
            self._report(failure_text(error), "error")
            return
        result = run_op(
            self._session,
            lambda ctx: gateway.attach_result(ctx, code, pdf),
            changes=DOSSIERS,
            report=self._report,
        )
        if result.ok:
            self._report(
                self.tr("Đã đính kèm giấy tờ kết quả ({n} trang) vào hồ sơ {code}.").format(
                    n=result.value.pages, code=code
                ),
                "ok",
            )
