"""What reaches a thermal printer, decoded back: pictures equal to a fresh render, no "?"."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import ImageChops

from counter_app.core.errors import DomainError
from printers import fonts as fonts_module
from printers.codepages import decode_cp1258, encode_cp1258
from printers.documents import Document, Text, form01_document, ticket_document
from printers.escpos_decode import decode_escpos
from printers.escpos_render import PrinterProfile, encode_document, raster_blocks
from printers.raster import PAPER_DOTS, render_raster
from printers.samples import SAMPLE_HEADER, sample_dossier, sample_ticket

VI_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
VI_LETTERS += VI_LETTERS.upper()


def receipt(copy: int = 2) -> Document:
    return form01_document(
        sample_dossier(), header=SAMPLE_HEADER, copy=copy, processing="3 ngày làm việc"
    )


def ticket() -> Document:
    return ticket_document(
        sample_ticket(), header=SAMPLE_HEADER, group_name="Hộ tịch, chứng thực", ahead=3
    )


def same_pixels(a, b) -> bool:
    return (
        a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None
    )


@pytest.mark.parametrize("width", [58, 80])
@pytest.mark.parametrize("make", [ticket, receipt], ids=["ticket", "receipt"])
def test_raster_stream_decodes_to_the_rendered_picture(width, make):
    doc = make()
    data = encode_document(doc, PrinterProfile(width_mm=width))
    decoded = decode_escpos(data)
    picture = decoded.picture()
    assert picture.width == PAPER_DOTS[width]
    assert all(img.height <= 256 for img in decoded.images)
    assert same_pixels(picture, render_raster(doc, width_mm=width))
    assert decoded.cuts == 1
    assert decoded.text.strip() == ""  # no character went through a code page
    # ink stays inside the paper's margins and the slip is not empty
    ink = ImageChops.invert(picture.convert("L")).getbbox()
    assert ink is not None and ink[0] >= 4 and ink[2] <= picture.width - 4


def test_our_raster_blocks_are_byte_for_byte_python_escpos_bit_image_raster():
    from escpos.printer import Dummy

    picture = render_raster(ticket(), width_mm=58)
    printer = Dummy()
    printer.image(picture, impl="bitImageRaster", fragment_height=256)
    assert printer.output == b"".join(raster_blocks(picture))


def test_a_reprint_says_so_on_paper():
    plain = render_raster(receipt())
    again = render_raster(receipt().as_reprint())
    assert again.height > plain.height
    assert "BẢN IN LẠI" in receipt().as_reprint().all_text()
    assert "BẢN IN LẠI" not in receipt().all_text()


def test_long_vietnamese_lines_wrap_at_word_boundaries():
    from printers.fonts import default_fonts
    from printers.raster import RasterStyle, _Painter

    painter = _Painter(RasterStyle(58), default_fonts())
    text = "Số 18, ngõ 42, thôn Thượng Đồng, xã Tân Lập, huyện Thanh Sơn, tỉnh Phú Thọ " * 3
    font = painter.font("normal", False)
    lines = painter.wrap([(text, font)], painter.inner)
    assert len(lines) > 3
    words = [word for line in lines for _, word, _ in line]
    assert words == text.split()  # no word was cut or lost
    for line in lines:
        x, word, f = line[-1]
        assert x + f.getlength(word) <= painter.inner


def test_a_word_longer_than_the_paper_is_cut_not_lost():
    doc = Document("test", "k", "t", (Text("X" * 200),))
    picture = render_raster(doc, width_mm=58)
    assert picture.width == 384 and picture.height > 100


@pytest.mark.parametrize("width", [58, 80])
def test_text_mode_sends_cp1258_that_decodes_to_every_vietnamese_string(width):
    doc = receipt()
    data = encode_document(doc, PrinterProfile(width_mm=width, mode="text"))
    decoded = decode_escpos(data)
    assert decoded.images == []
    assert decoded.qr == [sample_dossier().code]
    flat = " ".join(decoded.text.split())
    for phrase in (
        "Nguyễn Thị Đường",
        "GIẤY TIẾP NHẬN HỒ SƠ",
        "Thượng Đồng",
        "Trần Văn Ẩn",
        "Liên 2: Giao người nộp hồ sơ",
        "Lệ phí: 10.000 đồng",
    ):
        assert phrase in flat
    assert "?" not in decoded.text


def test_cp1258_sends_tone_marks_as_combining_bytes_after_the_base_letter():
    # ế = ê (0xEA) + acute (0xEC); ờ = ơ (0xF5) + grave (0xCC); Đ = 0xD0
    assert encode_cp1258("ế") == b"\xea\xec"
    assert encode_cp1258("ờ") == b"\xf5\xcc"
    assert encode_cp1258("Đường") == b"\xd0\xfd\xf5\xccng"
    assert encode_cp1258("ặ") == b"\xe3\xf2"


@given(st.text(alphabet=VI_LETTERS + " .,:0123456789", max_size=60))
def test_cp1258_round_trips_all_vietnamese(text):
    data = encode_cp1258(text)
    assert b"?" not in data
    assert decode_cp1258(data) == unicodedata.normalize("NFC", text)


def test_a_missing_font_is_a_vietnamese_error_naming_what_to_install(monkeypatch):
    monkeypatch.setattr(fonts_module, "_SYSTEM_FONTS", ())
    with pytest.raises(DomainError) as caught:
        fonts_module.find_fonts({}, packaged=False)
    message = caught.value.message("vi")
    assert "font-source-sans-pro" in message and "COUNTER_APP_FONT" in message


def test_the_packaged_font_is_used_when_present():
    found = fonts_module.find_fonts({})
    assert found.regular.is_file()


def test_document_model_survives_json():
    doc = receipt()
    assert Document.from_dict(doc.to_dict()) == doc


def test_the_document_model_and_the_cli_do_not_pull_in_qt_or_escpos():
    code = (
        "import sys\n"
        "import printers.documents, printers.raster, printers.spool, printers.service\n"
        "assert 'PySide6' not in sys.modules, 'Qt leaked into printers'\n"
        "import counter_app.cli.app\n"
        "assert 'escpos' not in sys.modules, 'escpos imported outside a print'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
