"""Vietnamese in printer code pages: CP1258 with its tone marks as combining characters.

CP1258 holds the base letters (ă â đ ê ô ơ ư and their capitals) but few toned ones, so
a toned letter is sent as its base letter followed by one of five combining tone bytes.
Text is decomposed (NFD) and the tone marks split off; the rest is recomposed (NFC) so
"ế" becomes "ê" + U+0301 rather than "e" + U+0302 + U+0301, which CP1258 cannot hold.
"""

from __future__ import annotations

import unicodedata

# grave, acute, tilde, hook above, dot below
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Outside CP1258 but common on our slips: replaced by a look-alike rather than "?".
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


CODEPAGES = {"cp1258": (encode_cp1258, decode_cp1258)}
