"""Official forms through Qt's print support (ui/system_print.py): a QPrinter set to PDF
output stands for the office printer, and pdftotext reads back what it put on the page."""

from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest

from counter_app.core.errors import DomainError
from counter_app.ui import system_print
from printers.documents import form01_document
from printers.samples import SAMPLE_HEADER, sample_dossier

NAME = "Nguyễn Thị Đường"


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return unicodedata.normalize("NFC", out)


def form01(reprint: bool = False):
    doc = form01_document(
        sample_dossier(), header=SAMPLE_HEADER, copy=2, processing="3 ngày làm việc",
        receiver_name=NAME, receiver_title="Công chức Tư pháp - Hộ tịch",
    )  # fmt: skip
    return doc.as_reprint() if reprint else doc


def test_a_form_printed_through_qprinter_reads_back_whole(qapp, tmp_path) -> None:
    out = tmp_path / "form01.pdf"
    assert system_print.save_pdf(form01(), out) == 1
    text = pdf_text(out)
    for expected in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Liên 2: Giao người nộp hồ sơ",
                     NAME, "Công chức Tư pháp - Hộ tịch", "NGƯỜI TIẾP NHẬN"):  # fmt: skip
        assert expected in text, expected
    assert "BẢN IN LẠI" not in text
    size = re.search(rb"/MediaBox \[0 0 (\d+)", out.read_bytes())
    assert size and int(size.group(1)) in (419, 420)  # A5: 148 mm wide


def test_a_reprint_says_so_on_paper(qapp, tmp_path) -> None:
    out = tmp_path / "again.pdf"
    system_print.save_pdf(form01(reprint=True), out)
    assert pdf_text(out).count("BẢN IN LẠI") == 2  # at the top and at the bottom


def test_the_same_drawing_as_the_pdf_writer(qapp, tmp_path) -> None:
    """QPrinter and QPdfWriter share one drawing: the same words in the same order."""
    from printers.pdf import document_pdf

    document_pdf(form01(), tmp_path / "writer.pdf")
    system_print.save_pdf(form01(), tmp_path / "printer.pdf")
    words = [pdf_text(tmp_path / name).split() for name in ("writer.pdf", "printer.pdf")]
    assert words[0] == words[1]


def test_a_printer_that_is_not_installed_is_named_in_vietnamese(qapp) -> None:
    with pytest.raises(DomainError) as error:
        system_print.print_document(form01(), "Máy in không có")
    assert error.value.code == "print.system_missing"
    assert "Không tìm thấy máy in «Máy in không có»" in error.value.message("vi")


def test_a_pdf_that_cannot_be_written_says_where(qapp, tmp_path) -> None:
    with pytest.raises(DomainError) as error:
        system_print.save_pdf(form01(), tmp_path / "no-such-folder" / "x.pdf")
    assert error.value.code == "print.pdf_refused"


def test_the_list_puts_the_system_default_first(qapp) -> None:
    names = system_print.system_printers()
    assert isinstance(names, list)
    from PySide6.QtPrintSupport import QPrinterInfo

    default = QPrinterInfo.defaultPrinterName()
    assert not default or names[0] == default
