"""TCVN-3 ("ABC", VN3) text mode: one byte per toned letter, decoded back without a "?"."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from printers.backends import open_backend
from printers.codepages import (
    TCVN3_DECODE,
    decode_tcvn3,
    encode_tcvn3,
    tcvn3_fold,
)
from printers.documents import form01_document, ticket_document
from printers.escpos_decode import decode_escpos
from printers.escpos_render import PrinterProfile, encode_document
from printers.samples import SAMPLE_HEADER, sample_dossier, sample_ticket

LOWER = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
UPPER = LOWER.upper()
VN3_CAPITALS = "ĂÂÊÔƠƯĐ"  # the only non-ASCII capitals VN3 has


def receipt():
    return form01_document(
        sample_dossier(), header=SAMPLE_HEADER, copy=2, processing="3 ngày làm việc"
    )


def test_the_table_is_the_vn3_set_one_byte_per_letter():
    # 7 capitals, 7 lower-case base letters, 12 vowels x 5 tones
    assert len(TCVN3_DECODE) == 74
    assert len(set(TCVN3_DECODE.values())) == 74
    assert all(0xA1 <= b <= 0xFE for b in TCVN3_DECODE)
    assert set(TCVN3_DECODE.values()) == set(LOWER) - set("aeiouy") | set(VN3_CAPITALS)


def test_well_known_bytes():
    # "hộp mứt tết" is the classic ABC sample: hép møt tÕt
    assert encode_tcvn3("hộp mứt tết") == b"h\xe9p m\xf8t t\xd5t"
    assert encode_tcvn3("Nguyễn Thị Đường") == b"Nguy\xd4n Th\xde \xa7\xad\xeang"
    assert encode_tcvn3("ĂÂÊÔƠƯĐăâêôơưđ") == bytes(range(0xA1, 0xAF))


def test_the_table_agrees_with_glibc_iconv_tcvn5712():
    """VN3 is the part of TCVN 5712 VN1 that an 8-bit font holds: same bytes."""
    if shutil.which("iconv") is None:
        pytest.skip("iconv not installed")
    for byte, char in TCVN3_DECODE.items():
        # a space after each byte: glibc buffers a base letter for a following tone mark
        result = subprocess.run(
            ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
            input=bytes((byte, 0x20)),
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            pytest.skip("this iconv has no TCVN5712-1")
        assert result.stdout.decode() == char + " ", hex(byte)


def test_the_table_agrees_with_escpos_printer_db_tcvn_3_1():
    """python-escpos ships escpos-printer-db's picture of Epson's page 30 (TCVN-3-1)."""
    import escpos

    path = Path(escpos.__file__).parent / "capabilities.json"
    rows = json.loads(path.read_text(encoding="utf-8"))["encodings"]["TCVN-3-1"]["data"]
    printer_page = {
        0x80 + 16 * r + i: c for r, row in enumerate(rows) for i, c in enumerate(row) if c != " "
    }
    # The database leaves 0xA1-0xA7 (the VN3 capitals) blank; everything it has matches.
    assert printer_page == {b: c for b, c in TCVN3_DECODE.items() if b >= 0xA8}


@pytest.mark.parametrize("letter", list(LOWER + UPPER))
def test_every_vietnamese_letter_round_trips_or_folds_as_documented(letter):
    data = encode_tcvn3(letter)
    assert len(data) == 1 and data != b"?"
    back = decode_tcvn3(data)
    if letter in LOWER or letter.isascii() or letter in VN3_CAPITALS:
        assert back == letter
    else:  # a toned capital: VN3 has no byte for it, the lower-case letter is printed
        assert back == letter.lower()
    assert tcvn3_fold(letter) == back


def test_lower_case_letters_have_distinct_bytes():
    assert len({encode_tcvn3(c) for c in LOWER}) == len(LOWER)


def test_decomposed_input_is_composed_first():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Đường")
    assert encode_tcvn3(nfd) == encode_tcvn3("Nguyễn Thị Đường")


def test_typography_outside_vn3_gets_a_look_alike_not_a_question_mark():
    assert encode_tcvn3("a — b → c … «d»") == b'a - b -> c ... "d"'
    assert b"?" not in encode_tcvn3("Ångström café naïve")


@given(st.text(alphabet=LOWER + UPPER + " .,:;-/()0123456789", max_size=80))
def test_random_vietnamese_never_becomes_a_question_mark(text):
    data = encode_tcvn3(text)
    assert b"?" not in data
    nfc = unicodedata.normalize("NFC", text)
    assert len(data) == len(nfc)  # one byte per letter: columns stay where they were
    back = decode_tcvn3(data)
    assert "\ufffd" not in back
    # what comes back is the text itself up to the documented capital fallback
    assert back.lower() == nfc.lower()
    assert back == "".join(c if c.isascii() or c in VN3_CAPITALS else c.lower() for c in nfc)


@given(st.text(alphabet=LOWER + " .,0123456789", max_size=80))
def test_lower_case_vietnamese_round_trips_exactly(text):
    assert decode_tcvn3(encode_tcvn3(text)) == text


def test_printer_url_selects_tcvn3_with_a_default_and_an_explicit_number():
    default = open_backend("file:///tmp/x.bin?mode=text&codepage=tcvn3").profile
    assert (default.mode, default.codepage, default.codepage_number) == ("text", "tcvn3", 30)
    chosen = open_backend("tcp://10.0.0.5:9100?mode=text&codepage=TCVN-3&cpnum=27").profile
    assert (chosen.codepage, chosen.codepage_number) == ("tcvn3", 27)
    plain = open_backend("tcp://10.0.0.5?mode=text").profile
    assert (plain.codepage, plain.codepage_number) == ("cp1258", 52)
    assert PrinterProfile(codepage="tcvn3").codepage_number == 30


@pytest.mark.parametrize("query", ["codepage=vni", "codepage=tcvn3&cpnum=300"])
def test_bad_code_page_settings_are_refused(query):
    from counter_app.core.errors import ValidationError

    with pytest.raises(ValidationError):
        open_backend(f"file:///tmp/x.bin?mode=text&{query}")


@pytest.mark.parametrize("width", [58, 80])
def test_a_receipt_in_tcvn3_mode_decodes_to_its_vietnamese(width):
    doc = receipt()
    profile = PrinterProfile(width_mm=width, mode="text", codepage="tcvn3")
    data = encode_document(doc, profile)
    assert b"\x1bt\x1e" in data  # ESC t 30
    decoded = decode_escpos(data)
    assert decoded.images == [] and decoded.cuts == 1
    assert decoded.qr == [sample_dossier().code]
    assert "?" not in decoded.text and "\ufffd" not in decoded.text
    flat = " ".join(decoded.text.split())
    assert "Nguyễn Thị Đường" in flat  # no toned capital in the name: printed as is
    for phrase in (
        "Thượng Đồng",
        "Liên 2: Giao người nộp hồ sơ",
        "Lệ phí: 10.000 đồng",
        "GIẤY TIẾP NHẬN",  # toned capitals: printed lower-case, as documented
        "Trần Văn Ẩn",
    ):
        assert tcvn3_fold(phrase) in flat
    assert "GIấY TIếP NHậN" in flat


def test_a_printer_that_numbers_tcvn3_otherwise_is_decoded_with_that_number():
    doc = ticket_document(
        sample_ticket(), header=SAMPLE_HEADER, group_name="Hộ tịch, chứng thực", ahead=3
    )
    data = encode_document(doc, PrinterProfile(mode="text", codepage="tcvn3", codepage_number=27))
    decoded = decode_escpos(data, codepages={27: "tcvn3"})
    assert "Hộ tịch, chứng thực" in decoded.text and "?" not in decoded.text


def test_a_tcvn3_receipt_through_a_file_printer(tmp_path):
    from datetime import datetime

    from counter_app.core.clock import VN_TZ
    from printers.spool import PRINTED, Spool

    out = tmp_path / "slip.bin"
    url = f"file://{out}?width=58&mode=text&codepage=tcvn3"
    with Spool(tmp_path / "spool.db", clock=lambda: datetime(2026, 4, 29, tzinfo=VN_TZ)) as spool:
        job = spool.deliver(spool.enqueue(receipt(), url).job.id)
        assert job.state == PRINTED
    decoded = decode_escpos(out.read_bytes())
    assert "Nguyễn Thị Đường" in " ".join(decoded.text.split())
    assert "?" not in decoded.text and decoded.cuts == 1
