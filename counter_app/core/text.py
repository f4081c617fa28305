"""Text folding shared by search and validation.

Clerks type names without diacritics ("nguyen duong"); the store keeps a folded copy so
look-ups match either way. NFD strips combining marks but leaves đ/Đ, which are letters of
their own, so they are mapped by hand.
"""

from __future__ import annotations

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks, keeping case: "Đường" -> "Duong"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", kept)


def fold(text: str) -> str:
    """Search key: no diacritics, lower case, single spaces."""
    return " ".join(strip_diacritics(text).casefold().split())
