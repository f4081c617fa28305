"""Vietnamese in printer code pages: CP1258 (combining tone bytes) and TCVN-3 ("ABC").

CP1258
    Holds the base letters (ă â đ ê ô ơ ư and their capitals) but few toned ones, so a
    toned letter is sent as its base letter followed by one of five combining tone bytes.
    Text is decomposed (NFD) and the tone marks split off; the rest is recomposed (NFC) so
    "ế" becomes "ê" + U+0301 rather than "e" + U+0302 + U+0301, which CP1258 cannot hold.
    Epson-compatible printers select it with ESC t 52 (WPC1258).

TCVN-3 (TCVN 5712:1993, the 8-bit "VN3" subset, known as "ABC" after its .VnTime fonts)
    One byte per letter, no combining marks: ASCII in 0x00-0x7F, the seven capitals
    Ă Â Ê Ô Ơ Ư Đ at 0xA1-0xA7, the seven lower-case base letters ă â ê ô ơ ư đ at
    0xA8-0xAE and every toned lower-case letter (à ả ã á ạ ... ỳ ỷ ỹ ý ỵ) at 0xB5-0xFE.
    VN3 has no byte for a toned capital (À, Ấ, Ự, Ỹ ...): ABC documents draw those with a
    separate upper-case font. Here such a capital is sent as the byte of its lower-case
    letter, so "HỒ SƠ" prints "Hồ SƠ"; `tcvn3_fold` gives exactly what will be printed.
    The fallback is deterministic and loses only case, never a tone mark or a letter.
    Epson and the "default" profile of python-escpos's printer database call this page
    TCVN-3-1 and select it with ESC t 30, which is the default number here; other makers
    use other numbers, so set `cpnum=` in the printer URL from the printer's self-test page.

    Source of the table: GNU libiconv, lib/tcvn.h ("TCVN-5712", Bruno Haible; the
    tcvn_2uni_2 table, read here at the VN3 positions 0xA1-0xAE and 0xB5-0xFE, where VN1
    and VN3 agree), cross-checked against the "TCVN-3-1" code page of escpos-printer-db as
    shipped in python-escpos (escpos/capabilities.json, bytes 0xA8-0xFE) and against the
    TCVN3 column of duydev/vietnamese-conversion (src/charsets.ts, lower-case letters). The
    tests compare the table with glibc's TCVN5712-1 converter (`iconv`) where present.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# grave, acute, tilde, hook above, dot below
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Outside the code pages but common on our slips: replaced by a look-alike rather than "?".
_FALLBACK = {"→": "->", "□": "[ ]", "…": "...", "«": '"', "»": '"', "№": "No"}


def encode_cp1258(text: str) -> bytes:
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        try:
            out += base.encode("cp1258") + tones.encode("cp1258")
        except UnicodeEncodeError:
            out += _fallback(char)
    return bytes(out)


def _fallback(char: str) -> bytes:
    if char in _FALLBACK:
        return _FALLBACK[char].encode("cp1258")
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
    )
    return stripped.encode("cp1258", errors="replace") if stripped else b"?"


def decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258"))


# --- TCVN-3 (VN3) ------------------------------------------------------------------------

# Bytes 0xA0-0xFF, sixteen a row; "-" marks a byte VN3 leaves unassigned (VN1 puts toned
# capitals or combining marks there, which VN3 printers do not have).
_TCVN3_HIGH = (
    "-ĂÂÊÔƠƯĐăâêôơưđ-"  # 0xA0
    "-----àảãáạ-ằẳẵắ-"  # 0xB0
    "------ặầẩẫấậè-ẻẽ"  # 0xC0
    "éẹềểễếệìỉ---ĩíịò"  # 0xD0
    "-ỏõóọồổỗốộờởỡớợù"  # 0xE0
    "-ủũúụừửữứựỳỷỹýỵ-"  # 0xF0
)
TCVN3_DECODE: dict[int, str] = {0xA0 + i: char for i, char in enumerate(_TCVN3_HIGH) if char != "-"}
TCVN3_ENCODE: dict[str, int] = {char: byte for byte, char in TCVN3_DECODE.items()}
# Typography that CP1258 has and VN3 lacks.
_TCVN3_FALLBACK = {
    **_FALLBACK,
    "—": "-",
    "–": "-",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "\u00a0": " ",
}


def _tcvn3_byte(char: str) -> bytes | None:
    if char < "\x80":
        return char.encode("ascii")
    if char in TCVN3_ENCODE:
        return bytes((TCVN3_ENCODE[char],))
    lower = char.lower()  # a toned capital: its lower-case letter (see the module text)
    if len(lower) == 1 and lower in TCVN3_ENCODE:
        return bytes((TCVN3_ENCODE[lower],))
    return None


def encode_tcvn3(text: str) -> bytes:
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        single = _tcvn3_byte(char)
        if single is not None:
            out += single
        elif char in _TCVN3_FALLBACK:
            out += _TCVN3_FALLBACK[char].encode("ascii")
        elif unicodedata.combining(char):
            continue  # a stray mark with no letter to sit on
        else:
            stripped = unicodedata.normalize("NFC", _strip_marks(char))
            parts = [_tcvn3_byte(c) for c in stripped]
            out += b"".join(parts) if stripped and None not in parts else b"?"
    return bytes(out)


def _strip_marks(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


def decode_tcvn3(data: bytes) -> str:
    """Bytes as a VN3 printer prints them; an unassigned byte reads as U+FFFD."""
    return "".join(chr(b) if b < 0x80 else TCVN3_DECODE.get(b, "\ufffd") for b in data)


def tcvn3_fold(text: str) -> str:
    """What a TCVN-3 printer prints for `text`: toned capitals become lower-case."""
    return decode_tcvn3(encode_tcvn3(text))


CODEPAGES: dict[str, tuple[Callable[[str], bytes], Callable[[bytes], str]]] = {
    "cp1258": (encode_cp1258, decode_cp1258),
    "tcvn3": (encode_tcvn3, decode_tcvn3),
}
# ESC t n when the printer URL gives no `cpnum=`: Epson's numbers (escpos-printer-db).
DEFAULT_CODEPAGE_NUMBERS = {"cp1258": 52, "tcvn3": 30}
