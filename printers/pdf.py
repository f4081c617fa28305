"""Official forms for office printers: a document on A5, the tracking book (Form 07) on A4.

Qt is imported here only, and only when a PDF is made. The font is the one the thermal
raster uses, loaded into Qt, so a machine without system fonts still writes Vietnamese.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from counter_app.core.dossier import STATUS_NAMES, Dossier
from printers.documents import QR, Columns, Document, Rule, Space, Text
from printers.fonts import default_fonts

_POINTS = {"small": 8.5, "normal": 10, "large": 12, "huge": 40}


def _qt():
    """The process's Qt application (off screen unless a window made it first) and our font
    family names. The application comes from qt_process, which installs the None guard."""
    from PySide6.QtGui import QFontDatabase

    from counter_app.qt_process import qt_application

    app = qt_application(drawing_only=True)
    fonts = default_fonts()
    families = []
    for path in (fonts.regular, fonts.bold):
        font_id = QFontDatabase.addApplicationFont(str(path))
        names = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        families.append(names[0] if names else "Sans Serif")
    return app, families


class DeviceRefused(Exception):
    """The paint device would not start a page: a printer that is gone, or a file that
    cannot be written."""


class _Page:
    """A QPainter on a paged device (a QPdfWriter, or a QPrinter for the PC's own printer),
    with a cursor that moves down and breaks pages. Lengths are given in 300-dpi dots and
    scaled with `px` to the resolution the device really took."""

    def __init__(self, device, size: str, landscape: bool = False) -> None:
        from PySide6.QtCore import QMarginsF
        from PySide6.QtGui import QPageLayout, QPageSize, QPainter

        _, self.families = _qt()
        self.device = device
        page = QPageSize(QPageSize.PageSizeId.A5 if size == "A5" else QPageSize.PageSizeId.A4)
        orientation = (
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        )
        device.setPageLayout(
            QPageLayout(page, orientation, QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter)
        )
        device.setResolution(300)  # a printer may keep its own: `px` follows what it took
        self.dpi = device.resolution()
        self.painter = QPainter()
        if not self.painter.begin(device):
            raise DeviceRefused("the device would not start a page")
        rect = device.pageLayout().paintRectPixels(self.dpi)
        self.width, self.height = rect.width(), rect.height()
        self.y = 0
        self.pages = 1

    def px(self, dots: float) -> int:
        return round(dots * self.dpi / 300)

    def font(self, size: str, bold: bool):
        from PySide6.QtGui import QFont

        font = QFont(self.families[1 if bold else 0])
        font.setPointSizeF(_POINTS[size])
        font.setBold(bold)
        return font

    def ensure(self, height: int) -> None:
        if self.y + height > self.height:
            self.device.newPage()
            self.pages += 1
            self.y = 0

    def text(
        self, text: str, *, size="normal", bold=False, align="left", x=0, width=None, advance=True
    ) -> int:
        from PySide6.QtCore import QRect, Qt

        width = width or self.width
        self.painter.setFont(self.font(size, bold))
        flags = (
            Qt.TextFlag.TextWordWrap
            | {
                "left": Qt.AlignmentFlag.AlignLeft,
                "center": Qt.AlignmentFlag.AlignHCenter,
                "right": Qt.AlignmentFlag.AlignRight,
            }[align]
        )
        box = self.painter.boundingRect(QRect(x, 0, width, 100000), flags, text)
        self.ensure(box.height())
        self.painter.drawText(QRect(x, self.y, width, box.height()), flags, text)
        if advance:
            self.y += box.height() + self.px(6)
        return box.height()

    def close(self) -> int:
        self.painter.end()
        del self.painter, self.device  # Qt objects must not outlive the application
        return self.pages


def _pdf_writer(path: Path):
    from PySide6.QtGui import QPdfWriter

    _qt()  # the application first: a QPdfWriter needs one
    writer = QPdfWriter(str(path))
    writer.setTitle(path.stem)
    return writer


def document_pdf(document: Document, path: Path, *, size: str = "A5") -> int:
    """Write the document as a PDF page (A5 by default); returns the number of pages."""
    return paint_document(document, _pdf_writer(path), size=size)


def paint_document(document: Document, device, *, size: str = "A5") -> int:
    """Draw the document on a paged device: a QPdfWriter, or a QPrinter (the PC's own
    printer, through CUPS or the Windows spooler). One drawing for both, so what is saved
    as PDF is what the office printer puts on paper. Returns the number of pages."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QImage, QPen

    page = _Page(device, size)
    p = page.painter
    for block in document.printed_blocks():
        if isinstance(block, Text):
            text = f"{block.label}{block.text}"
            page.text(
                text,
                size=block.size,
                bold=block.bold or (bool(block.label) and not block.text),
                align=block.align,
            )
        elif isinstance(block, Columns):
            n = max(len(block.cells), 1)
            w = page.width // n
            heights = [
                page.text(
                    cell,
                    size=block.size,
                    bold=block.bold,
                    align="center",
                    x=i * w,
                    width=w,
                    advance=False,
                )
                for i, cell in enumerate(block.cells)
            ]
            page.y += max(heights) + page.px(6)
        elif isinstance(block, QR):
            strip = _qr_image(block.data)
            image = QImage(
                strip.tobytes(),
                strip.width,
                strip.height,
                strip.width,
                QImage.Format.Format_Grayscale8,
            )
            side = page.px(200)  # 17 mm: scans well, and Form 01 keeps to one A5 page
            page.ensure(side + page.px(10))
            p.drawImage(QRect((page.width - side) // 2, page.y, side, side), image)
            page.y += side + page.px(10)
            if block.caption:
                page.text(block.caption, size="small", align="center")
        elif isinstance(block, Rule):
            page.ensure(page.px(20))
            p.setPen(QPen())
            p.drawLine(0, page.y + page.px(8), page.width, page.y + page.px(8))
            page.y += page.px(20)
        elif isinstance(block, Space):
            page.y += page.px(45 * block.lines)
    return page.close()


def _qr_image(data: str):
    import qrcode
    from PIL import Image

    qr = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    n = len(matrix)
    img = Image.frombytes("L", (n, n), bytes(0 if d else 255 for row in matrix for d in row))
    return img.resize((n * 8, n * 8), Image.Resampling.NEAREST)


def document_pdf_bytes(document: Document, *, size: str = "A5") -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "job.pdf"
        document_pdf(document, path, size=size)
        return path.read_bytes()


def tracking_book_pdf(
    dossiers: Sequence[Dossier], path: Path, *, center_name: str, start: date, end: date
) -> int:
    """Form 07, Sổ theo dõi hồ sơ, for a period: one row per dossier received, on A4."""
    page = _Page(_pdf_writer(path), "A4", landscape=True)
    page.text(center_name.upper(), bold=True, align="center")
    page.text("SỔ THEO DÕI HỒ SƠ", size="large", bold=True, align="center")
    page.text(f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}", align="center")
    columns = (
        ("STT", 0.04),
        ("Mã hồ sơ", 0.17),
        ("Tên thủ tục", 0.20),
        ("Số lượng hồ sơ (bộ)", 0.06),
        ("Tên cá nhân, tổ chức", 0.13),
        ("Địa chỉ, số điện thoại", 0.14),
        ("Nhận lúc", 0.09),
        ("Hẹn trả", 0.09),
        ("Trạng thái / Ký nhận", 0.08),
    )

    def row(cells: Sequence[str], bold: bool) -> None:
        page.ensure(page.px(160))  # keep a row on one page (a row rarely needs more)
        x, heights = 0, []
        pad = page.px(4)
        for (_, share), cell in zip(columns, cells, strict=True):
            w = int(page.width * share)
            heights.append(
                page.text(cell, size="small", bold=bold, x=x + pad, width=w - 2 * pad,
                          advance=False)
            )  # fmt: skip
            x += w
        height = max(heights) + page.px(10)
        page.ensure(height)
        page.painter.drawLine(0, page.y + height, page.width, page.y + height)
        page.y += height + pad

    row([c for c, _ in columns], True)
    for i, d in enumerate(sorted(dossiers, key=lambda d: d.received_at), 1):
        contact = ", ".join(x for x in (d.applicant.address, d.applicant.phone) if x)
        row(
            [
                str(d.book_entry or i),
                d.code,
                d.procedure_name,
                str(d.sets),
                d.applicant.full_name,
                contact,
                f"{d.received_at:%H:%M %d/%m/%Y}",
                f"{d.due_at:%H:%M %d/%m/%Y}" if d.due_at else "—",
                STATUS_NAMES[d.status][0],
            ],
            False,
        )
    page.text(f"Tổng số: {len(dossiers)} hồ sơ.", bold=True)
    return page.close()
