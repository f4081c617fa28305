"""The dossier code `AGENCY-YYMMDD-XXXX` (Circular 01/2018 Art. 19), kept in one place.

Circular 03/2025 also regulates the code; if its format changes, only this module changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register

AGENCY_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
DOSSIER_CODE = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6})-(\d{4})$")

register(
    {
        "dossier.bad_agency_code": {
            "vi": "Mã định danh cơ quan không đúng dạng 000.00.00.X00 (ví dụ 000.00.01.H22).",
            "en": "The agency code must look like 000.00.00.X00 (e.g. 000.00.01.H22).",
        },
        "dossier.bad_code": {
            "vi": "Mã hồ sơ không đúng dạng MÃCƠQUAN-YYMMDD-XXXX.",
            "en": "A dossier code looks like AGENCY-YYMMDD-XXXX.",
        },
        "dossier.sequence_full": {
            "vi": "Đã dùng hết số thứ tự hồ sơ của trạm trong ngày {day} (tối đa {end}).",
            "en": "This station has used all its dossier numbers for {day} (last is {end}).",
        },
        "dossier.bad_block": {
            "vi": "Dải số hồ sơ không hợp lệ: từ {start} đến {end} (trong khoảng 1–9999).",
            "en": "Invalid dossier number block: {start} to {end} (within 1-9999).",
        },
    }
)


def validate_agency_code(raw: str) -> str:
    code = raw.strip().upper()
    if not AGENCY_CODE.match(code):
        raise ValidationError("dossier.bad_agency_code", field="agency_code")
    return code


@dataclass(frozen=True)
class SequenceBlock:
    """The part of the daily 0001-9999 sequence this station may use.

    Two counters of one center must never issue the same number for the same day, even
    offline: each station is given its own block at set-up (or leases one from the hub).
    """

    start: int = 1
    end: int = 9999

    def __post_init__(self) -> None:
        if not 1 <= self.start <= self.end <= 9999:
            raise ValidationError("dossier.bad_block", start=self.start, end=self.end)

    def next_number(self, last: int | None, day: date) -> int:
        number = self.start if last is None or last < self.start else last + 1
        if number > self.end:
            raise DomainError("dossier.sequence_full", day=day.strftime("%d/%m/%Y"), end=self.end)
        return number


def format_dossier_code(agency_code: str, day: date, sequence: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{sequence:04d}"


@dataclass(frozen=True)
class DossierCode:
    agency_code: str
    day: date
    sequence: int


def parse_dossier_code(raw: str) -> DossierCode:
    match = DOSSIER_CODE.match(raw.strip().upper())
    if not match:
        raise ValidationError("dossier.bad_code", field="code")
    agency, yymmdd, seq = match.groups()
    try:
        day = date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        raise ValidationError("dossier.bad_code", field="code") from None
    return DossierCode(agency, day, int(seq))


def looks_like_dossier_code(text: str) -> bool:
    return bool(DOSSIER_CODE.match(text.strip().upper()))
