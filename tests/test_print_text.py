"""What a reader finds on paper: every letter of a long word on the thermal slip, and the text
of every official form in its PDF (read back with pdftotext, never "there is some ink")."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.core.clock import VN_TZ
from printers.documents import (
    QR,
    Columns,
    Document,
    HandOver,
    Text,
    form01_document,
    form02_document,
    form03_document,
    form06_document,
    ticket_document,
)
from printers.documents import (
    test_document as printer_test_document,
)
from printers.fonts import default_fonts
from printers.raster import RasterStyle, _Painter, render_raster
from printers.samples import SAMPLE_HEADER, sample_dossier, sample_ticket

AT = datetime(2026, 4, 29, 10, 30, tzinfo=VN_TZ)
VI = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
VI += VI.upper() + "@.-_0123456789"


# --- thermal paper: a word wider than the paper is cut between letters, none lost ---------


@pytest.mark.parametrize("width_mm", [58, 80])
@settings(max_examples=60, deadline=None)
@given(
    before=st.text(alphabet=VI, min_size=0, max_size=12),
    word=st.text(alphabet=VI, min_size=1, max_size=160),
)
def test_a_long_word_keeps_every_letter_and_every_piece_fits(width_mm, before, word):
    painter = _Painter(RasterStyle(width_mm), default_fonts())
    font = painter.font("normal", True)
    text = f"{before} {word}" if before else word
    lines = painter.wrap([(text, font)], painter.inner)
    pieces = [w for line in lines for _, w, _ in line]
    assert "".join(pieces) == text.replace(" ", "")  # nothing lost, nothing repeated
    for line in lines:
        for x, piece, f in line:
            assert x >= 0 and x + f.getlength(piece) <= painter.inner, piece


@pytest.mark.parametrize("width_mm", [58, 80])
def test_words_of_every_length_around_the_paper_width_fit_whole(width_mm):
    """Every length from one letter to three lines' worth, so the edge cases are all met."""
    painter = _Painter(RasterStyle(width_mm), default_fonts())
    font = painter.font("large", True)
    for n in range(1, 3 * painter.inner // 12):
        word = ("Nguyễn" * n)[:n]
        lines = painter.wrap([(f"Số {word}", font)], painter.inner)
        assert "".join(w for line in lines for _, w, _ in line) == f"Số{word}"
        for line in lines:
            x, piece, f = line[-1]
            assert x + f.getlength(piece) <= painter.inner, (n, piece)
        # cut between letters, each line is full: its next letter would not have fitted
        pieces = [w for line in painter.wrap([(word, font)], painter.inner) for _, w, _ in line]
        for piece, following in zip(pieces, pieces[1:], strict=False):
            assert font.getlength(piece + following[0]) > painter.inner, (n, piece)


@pytest.mark.parametrize("width_mm", [58, 80])
def test_a_line_takes_every_word_that_fits_so_a_slip_is_no_longer_than_needed(width_mm):
    painter = _Painter(RasterStyle(width_mm), default_fonts())
    font = painter.font("normal", False)
    text = "Số 18, ngõ 42, thôn Thượng Đồng, xã Tân Lập, tỉnh Phú Thọ, Việt Nam " * 4
    lines = painter.wrap([(text, font)], painter.inner)
    space = font.getlength(" ")
    for line, following in zip(lines, lines[1:], strict=False):
        x, word, f = line[-1]
        used = x + f.getlength(word)
        assert used + space + font.getlength(following[0][1]) > painter.inner


def test_an_email_longer_than_the_slip_prints_on_more_lines_not_shorter():
    address = "nguyen.thi.hong.nhung.phong.tu.phap.ho.tich@tanlap.phutho.gov.vn"
    painter = _Painter(RasterStyle(58), default_fonts())
    lines = painter.wrap([(address, painter.font("normal", False))], painter.inner)
    assert len(lines) >= 2
    assert "".join(w for line in lines for _, w, _ in line) == address
    doc = Document("test", "k", "t", (Text(address),))
    one_line = Document("test", "k", "t", (Text("ngắn"),))
    assert render_raster(doc, width_mm=58).height > render_raster(one_line, width_mm=58).height


# --- the official forms as PDF: their text is there, word for word ----------------------


def pdf_text(path) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: .ci/run installs it"
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return unicodedata.normalize("NFC", out.decode("utf-8"))


def flat(text: str) -> str:
    return " ".join(text.split())


def _documents() -> dict[str, Document]:
    d = sample_dossier()
    reasons = "Thiếu bản sao Giấy chứng sinh; tờ khai chưa có chữ ký của người yêu cầu."
    return {
        "form01": form01_document(d, header=SAMPLE_HEADER, copy=2, processing="3 ngày làm việc"),
        "form02": form02_document(d, header=SAMPLE_HEADER, reasons=reasons, at=AT),
        "form03": form03_document(d, header=SAMPLE_HEADER, reasons=reasons, at=AT),
        "form06": form06_document(
            d,
            header=SAMPLE_HEADER,
            rows=(HandOver("Bộ phận Một cửa", "Bộ phận chuyên môn", AT, note="Đủ giấy tờ"),),
        ),
        "ticket": ticket_document(
            sample_ticket(), header=SAMPLE_HEADER, group_name="Hộ tịch, chứng thực", ahead=3
        ),
        "test": printer_test_document(header=SAMPLE_HEADER, printer_url="pdf:///tmp/phieu", at=AT),
    }


@pytest.mark.parametrize("kind", list(_documents()))
def test_every_line_of_a_form_is_text_in_its_pdf(qapp, tmp_path, kind):
    from printers.pdf import document_pdf

    document = _documents()[kind]
    out = tmp_path / f"{kind}.pdf"
    document_pdf(document, out)
    text = flat(pdf_text(out))
    expected = []
    for block in document.printed_blocks():
        if isinstance(block, Text) and (block.label or block.text):
            expected.append(flat(f"{block.label}{block.text}"))
        elif isinstance(block, Columns):
            expected += [flat(cell) for cell in block.cells if cell.strip()]
        elif isinstance(block, QR) and block.caption:
            expected.append(flat(block.caption))
    assert expected
    missing = [line for line in expected if line not in text]
    assert missing == [], f"not in the PDF's text: {missing}"


def test_form01_pdf_holds_the_fields_of_the_circular(qapp, tmp_path):
    from printers.pdf import document_pdf

    d = sample_dossier()
    out = tmp_path / "form01.pdf"
    document_pdf(_documents()["form01"], out)
    text = flat(pdf_text(out))
    for field in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Số: 128/TNHS",
        "Tân Lập, ngày 29 tháng 04 năm 2026",
        f"Mã hồ sơ: {d.code}",
        "Lệ phí: 10.000 đồng",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Đường",
        "Liên 2",
        "2. Số lượng hồ sơ: 1 bộ",
        "3. Thời gian giải quyết theo quy định: 3 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 09 giờ 05 phút, ngày 29/04/2026",
        "5. Thời gian trả kết quả: 09 giờ 05 phút, ngày 04/05/2026",
        "Quyển số 1, số thứ tự 128",
        "NGƯỜI NỘP HỒ SƠ",
    ):
        assert field in text, field
    assert re.search(r"/Subtype\s*/Image", out.read_bytes().decode("latin-1"))  # the QR code


# --- the other blocks of a slip ----------------------------------------------------------


def _ink_columns(picture) -> list[int]:
    grey = picture.convert("L")
    return [
        x for x in range(grey.width) if any(grey.getpixel((x, y)) < 128 for y in range(grey.height))
    ]


def test_signature_columns_stand_side_by_side_each_in_its_half():
    doc = Document("test", "k", "t", (Columns(("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN")),))
    picture = render_raster(doc, width_mm=80)
    inked = _ink_columns(picture)
    half = picture.width // 2
    assert any(x < half for x in inked) and any(x >= half for x in inked)
    one_line = render_raster(Document("test", "k", "t", (Text("A"),)), width_mm=80)
    assert picture.height == one_line.height  # one row, not stacked


def test_a_column_cell_that_wraps_keeps_all_its_lines():
    cell = "Bộ phận tiếp nhận và trả kết quả của Trung tâm phục vụ hành chính công xã"
    doc = Document("test", "k", "t", (Columns(("Ngắn", cell)),))
    painter = _Painter(RasterStyle(58), default_fonts())
    lines = painter.wrap([(cell, painter.font("normal", False))], painter.inner // 2 - 4)
    assert len(lines) > 1
    assert render_raster(doc, width_mm=58).height >= len(lines) * painter.line_height("normal")


@pytest.mark.parametrize("width_mm", [58, 80])
def test_the_qr_code_reads_back_module_for_module(width_mm):
    """Sampling the printed picture at each module's centre gives the code's own matrix."""
    import qrcode

    data = "000.00.01.H22-260429-0012"
    picture = render_raster(Document("test", "k", "t", (QR(data),)), width_mm=width_mm)
    grey = picture.convert("L")
    qr = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    n = len(matrix)
    inked = _ink_columns(picture)
    left, right = inked[0], inked[-1] + 1
    scale = (right - left) / n
    assert scale == int(scale) and 2 <= scale <= 8 and right - left <= picture.width // 2
    top = next(y for y in range(grey.height) if grey.getpixel((left, y)) < 128)
    read = [
        [
            grey.getpixel((int(left + (c + 0.5) * scale), int(top + (r + 0.5) * scale))) < 128
            for c in range(n)
        ]
        for r in range(n)
    ]
    assert read == matrix


# --- text mode (CP1258): signs outside the code page get a look-alike, never "?" ---------


def test_cp1258_replaces_signs_it_lacks_with_look_alikes():
    from printers.codepages import encode_cp1258

    assert encode_cp1258("Xem → mục 2, ô □, hồ sơ № 5") == encode_cp1258(
        "Xem -> mục 2, ô [ ], hồ sơ No 5"
    )
    assert encode_cp1258("Şahin Ω") == b"Sahin ?"  # the mark dropped; Ω has no look-alike


# --- what the forms say in words ---------------------------------------------------------


def test_fees_read_as_on_a_receipt_and_no_fee_says_so():
    from printers.documents import money

    assert money(0) == "Không thu"
    assert money(10_000) == "10.000 đồng"
    assert money(1_234_567) == "1.234.567 đồng"


def test_the_header_names_the_place_of_the_center_for_the_date_line():
    from types import SimpleNamespace

    from printers.documents import Header, place_date

    station = SimpleNamespace(
        center_name="Trung tâm xã Tân Lập", center_address="Tân Lập", agency_code="000.00.01.H22"
    )
    header = Header.from_station(station)
    assert header.place == "Tân Lập"
    assert place_date(header.place, AT) == "Tân Lập, ngày 29 tháng 04 năm 2026"
    assert place_date("", AT) == "ngày 29 tháng 04 năm 2026"


def test_a_stored_document_is_no_reprint_unless_it_says_so():
    document = _documents()["form01"]
    data = document.to_dict()
    data.pop("reprint", None)
    assert not Document.from_dict(data).reprint
    assert Document.from_dict(document.as_reprint().to_dict()).reprint


# --- text mode on paper: lines within the paper's columns, full, no letter lost -----------


@pytest.mark.parametrize("columns", [32, 48])
@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.text(alphabet=VI, min_size=1, max_size=70), min_size=1, max_size=25))
def test_text_mode_lines_fit_the_paper_are_full_and_keep_every_letter(columns, words):
    from printers.escpos_render import _wrap_words

    text = " ".join(words)
    lines = _wrap_words(text, columns)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(0 < len(line) <= columns for line in lines)
    for line, following in zip(lines, lines[1:], strict=False):
        first = following.split(" ")[0]
        assert len(line) + 1 + len(first) > columns or len(line) == columns


def test_text_mode_cuts_a_word_longer_than_the_paper_into_full_lines():
    from printers.escpos_render import _wrap_words

    word = "".join(VI[i % 60] for i in range(100))
    assert _wrap_words(f"Số {word}", 32) == ["Số", word[:32], word[32:64], word[64:96], word[96:]]
    assert _wrap_words(word[:33], 32) == [word[:32], word[32:33]]  # one letter over
    assert _wrap_words(word[:32], 32) == [word[:32]]


def test_text_mode_sends_columns_side_by_side_and_honours_the_status_setting():
    from printers.escpos_decode import decode_escpos
    from printers.escpos_render import PrinterProfile, encode_document

    profile = PrinterProfile.from_query({"mode": "text", "width": "58"})
    cells = ("(Ký và ghi rõ họ tên)", "NGƯỜI TIẾP NHẬN")
    doc = Document("test", "k", "t", (Columns(cells),))
    lines = [x for x in decode_escpos(encode_document(doc, profile)).text.splitlines() if x]
    assert len(lines) == 2  # the long left cell wraps inside its 16 columns
    assert all(len(x) <= 32 for x in lines)
    left = " ".join(x[:16].strip() for x in lines).strip()
    right = " ".join(x[16:].strip() for x in lines).strip()
    assert (left, right) == cells
    assert all(x[15] == " " for x in lines if len(x) > 16)  # a gap between the two cells
    doc = Document("test", "k", "t", (Columns(("NGƯỜI NỘP", "NGƯỜI NHẬN")),))
    (line,) = [x for x in decode_escpos(encode_document(doc, profile)).text.splitlines() if x]
    assert line.index("NGƯỜI NHẬN") >= 16  # in the right half, not straight after the left
    assert PrinterProfile.from_query({}).status is True
    for off in ("0", "false", "no"):
        assert PrinterProfile.from_query({"status": off}).status is False
    assert PrinterProfile.from_query({"cpnum": "255"}).codepage_number == 255


def test_the_ticket_slip_addresses_the_citizen_as_quy_khach_never_ban():
    """The slip is read by an elderly citizen: the polite address, never the familiar one."""
    slip = _documents()["ticket"]
    words = " ".join(
        f"{getattr(b, 'label', '')}{getattr(b, 'text', '')}{getattr(b, 'caption', '')}"
        for b in slip.printed_blocks()
    )
    assert "Quý khách" in words
    assert " bạn" not in f" {words.lower()}"
