"""The PC's own printer for official A4/A5 forms: Qt's print support, through CUPS here and
the Windows spooler at a center. Thermal slips stay on ESC/POS (printers/, the spool).

The form is drawn by `printers.pdf.paint_document`, the same drawing as its PDF, so a form
saved as PDF and a form on paper are one and the same. Qt is needed here, so this adapter
lives under ui/ and the headless printers/ modules never import QtPrintSupport.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from counter_app.core.errors import DomainError
from counter_app.core.messages import register

register(
    {
        "print.system_missing": {
            "vi": "Không tìm thấy máy in «{name}» trên máy tính này. Hãy kiểm tra máy in đã "
            "bật và đã cài trong Windows (hoặc CUPS), hoặc chọn máy in khác trong Cài đặt.",
            "en": "Printer '{name}' is not installed on this computer. Check that it is on and "
            "installed in Windows (or CUPS), or choose another printer in the settings.",
        },
        "print.system_refused": {
            "vi": "Máy in «{name}» không nhận lệnh in. Hãy kiểm tra nguồn, giấy, cáp rồi in "
            "lại, hoặc chọn máy in khác.",
            "en": "Printer '{name}' refused the job. Check power, paper and cable and try "
            "again, or choose another printer.",
        },
        "print.pdf_refused": {
            "vi": "Không ghi được tệp PDF vào {path}: hãy chọn thư mục khác.",
            "en": "Could not write the PDF to {path}: choose another folder.",
        },
    }
)

OFFICIAL_KINDS = ("form01", "form02", "form03", "form06", "test")


def system_printers() -> list[str]:
    """The printers installed on this PC, the system's default first."""
    names = list(QPrinterInfo.availablePrinterNames())
    default = QPrinterInfo.defaultPrinterName()
    if default in names:
        names.remove(default)
        names.insert(0, default)
    return names


def printer_for(name: str) -> QPrinter:
    """A QPrinter on the installed printer `name`; a DomainError when it is not installed."""
    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo()
    if info.isNull():
        raise DomainError("print.system_missing", name=name or "—")
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    if not printer.isValid():
        raise DomainError("print.system_missing", name=name)
    return printer


def pdf_printer(path: Path) -> QPrinter:
    """A QPrinter that writes a PDF file: "Lưu PDF", and how tests read what was printed."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def print_on(printer: QPrinter, document, *, size: str = "A5") -> int:
    """Draw the document on the printer; returns its pages. A DomainError in Vietnamese
    when the printer (or the PDF file) refuses, so the clerk learns it at once."""
    from printers.pdf import DeviceRefused, paint_document

    printer.setDocName(document.title)
    pdf = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
    try:
        pages = paint_document(document, printer, size=size)
    except DeviceRefused:
        if pdf:
            raise DomainError("print.pdf_refused", path=printer.outputFileName()) from None
        raise DomainError("print.system_refused", name=printer.printerName()) from None
    if printer.printerState() == QPrinter.PrinterState.Error:
        raise DomainError("print.system_refused", name=printer.printerName())
    return pages


def print_document(document, printer_name: str, *, size: str = "A5") -> int:
    return print_on(printer_for(printer_name), document, size=size)


def save_pdf(document, path: Path, *, size: str = "A5") -> int:
    return print_on(pdf_printer(Path(path)), document, size=size)
