"""Citizen identity: the căn cước number, phone numbers, names and the chip card's QR code.

Pure rules: no Qt, no SQLite, no clock. Every function either returns the canonical form
of its input or raises `ValidationError` with a registered code. The messages name the field
and the expected format only, never the personal value itself (Law 91/2025/QH15): an error
may end up in a log line.

The căn cước number (12 digits):
  digits 1-3   the province of birth registration (the 63 pre-2025 province codes, still
               printed on cards issued after the 2025 merger)
  digit 4      century and sex: 1900s 0 male / 1 female, 2000s 2/3, 2100s 4/5, 2200s 6/7
  digits 5-6   the last two digits of the year of birth
  digits 7-12  random
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from counter_app.core.errors import ValidationError
from counter_app.core.messages import register
from counter_app.core.text import fold, nfc

NAME_MAX_LENGTH = 100

register(
    {
        "citizen.birth_in_future": {
            "vi": "Ngày sinh không được sau ngày hôm nay.",
            "en": "The date of birth cannot be after today.",
        },
        "citizen.id_format": {
            "vi": "Số căn cước phải có đúng 12 chữ số.",
            "en": "The citizen ID number must have exactly 12 digits.",
        },
        "citizen.id_province": {
            "vi": "Ba chữ số đầu của số căn cước không phải là mã tỉnh, thành phố hợp lệ.",
            "en": "The first three digits of the citizen ID number are not a valid province code.",
        },
        "citizen.id_century": {
            "vi": "Chữ số thứ tư của số căn cước (thế kỷ và giới tính) phải từ 0 đến 7.",
            "en": "The fourth digit of the citizen ID number (century and sex) must be 0 to 7.",
        },
        "citizen.id_birth_mismatch": {
            "vi": (
                "Số căn cước không khớp với năm sinh: chữ số thứ 4 đến thứ 6 phải cho biết "
                "thế kỷ và hai số cuối của năm sinh."
            ),
            "en": (
                "The citizen ID number does not match the year of birth: digits 4 to 6 must "
                "give the century and the last two digits of the year of birth."
            ),
        },
        "citizen.id_sex_mismatch": {
            "vi": ("Số căn cước không khớp với giới tính: chữ số thứ 4 chẵn là nam, lẻ là nữ."),
            "en": (
                "The citizen ID number does not match the sex: an even fourth digit means "
                "male, an odd one female."
            ),
        },
        "citizen.phone_format": {
            "vi": (
                "Số điện thoại không hợp lệ: số di động có 10 chữ số, bắt đầu bằng 03, 05, 07, "
                "08 hoặc 09; số cố định có 11 chữ số, bắt đầu bằng 02. Có thể viết +84 thay "
                "cho số 0 ở đầu."
            ),
            "en": (
                "The phone number is not valid: a mobile number has 10 digits starting with "
                "03, 05, 07, 08 or 09; a landline has 11 digits starting with 02. +84 may "
                "replace the leading 0."
            ),
        },
        "citizen.name_empty": {
            "vi": "Họ và tên không được để trống.",
            "en": "The full name must not be empty.",
        },
        "citizen.name_chars": {
            "vi": (
                "Họ và tên chỉ được gồm chữ cái, dấu cách, dấu nháy đơn (') và dấu gạch "
                "nối (-), không có chữ số."
            ),
            "en": (
                "The full name may contain only letters, spaces, apostrophes (') and "
                "hyphens (-), and no digits."
            ),
        },
        "citizen.name_too_long": {
            "vi": "Họ và tên không được dài quá {max} ký tự.",
            "en": "The full name must not be longer than {max} characters.",
        },
        "citizen.qr_unreadable": {
            "vi": (
                "Không đọc được mã QR trên thẻ căn cước. Hãy quét lại hoặc nhập thông tin bằng tay."
            ),
            "en": (
                "The QR code of the citizen ID card could not be read. Scan it again or "
                "type the details in by hand."
            ),
        },
    }
)


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


# --------------------------------------------------------------------------- province codes


@lru_cache(maxsize=1)
def _load_province_codes() -> dict[str, str]:
    path = resources.files("resources") / "catalogue" / "province_codes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(code): nfc(str(name)) for code, name in data.items()}


PROVINCE_CODES: dict[str, str] = dict(_load_province_codes())
"""Place-of-birth-registration code (3 digits) -> province name, e.g. "079" -> "Hồ Chí Minh"."""


# --------------------------------------------------------------------------- căn cước number

_ID_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015]")
_ID_DIGITS = re.compile(r"[0-9]{12}")


@dataclass(frozen=True)
class CitizenIdInfo:
    """What the căn cước number itself says about its holder."""

    province_code: str
    province_name: str
    sex: Sex = field(repr=False)
    birth_year: int = field(repr=False)


def _century_base(digit: int) -> int:
    return 1900 + 100 * (digit // 2)


def _sex_of(digit: int) -> Sex:
    return Sex.MALE if digit % 2 == 0 else Sex.FEMALE


def check_birth_date(birth_date: date | None, *, today: date) -> date | None:
    """A date of birth is never after today (the intake window said so; now every way in
    does: the command line, another station's form)."""
    if birth_date is not None and birth_date > today:
        raise ValidationError("citizen.birth_in_future", field="birth_date")
    return birth_date


def validate_citizen_id(raw: str, *, birth_date: date | None = None, sex: Sex | None = None) -> str:
    """Return the canonical 12-digit căn cước number, or raise `ValidationError`.

    Spaces, dots and dashes are ignored. When `birth_date` or `sex` is given, digits 4-6
    must agree with it.
    """
    digits = _ID_SEPARATORS.sub("", nfc(raw)) if isinstance(raw, str) else ""
    if not _ID_DIGITS.fullmatch(digits):
        raise ValidationError("citizen.id_format", field="citizen_id")
    if digits[:3] not in PROVINCE_CODES:
        raise ValidationError("citizen.id_province", field="citizen_id")
    century_digit = int(digits[3])
    if century_digit > 7:
        raise ValidationError("citizen.id_century", field="citizen_id")
    if birth_date is not None:
        year = _century_base(century_digit) + int(digits[4:6])
        if year != birth_date.year:
            raise ValidationError("citizen.id_birth_mismatch", field="citizen_id")
    if sex is not None and Sex(sex) != _sex_of(century_digit):
        raise ValidationError("citizen.id_sex_mismatch", field="citizen_id")
    return digits


def decode_citizen_id(citizen_id: str) -> CitizenIdInfo:
    """Validate the number and read the province, sex and year of birth out of it."""
    digits = validate_citizen_id(citizen_id)
    century_digit = int(digits[3])
    return CitizenIdInfo(
        province_code=digits[:3],
        province_name=PROVINCE_CODES[digits[:3]],
        sex=_sex_of(century_digit),
        birth_year=_century_base(century_digit) + int(digits[4:6]),
    )


# --------------------------------------------------------------------------- phone numbers

_PHONE_SEPARATORS = re.compile(r"[\s.\-()/\u2010-\u2015]")
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{9}")
_THREE_DIGIT_AREA_CODES = ("024", "028")  # Hà Nội, TP HCM; other area codes have 4 digits


def normalize_phone(raw: str) -> str:
    """Return the domestic form (leading 0) of a Vietnamese phone number.

    Accepts "+84 912 345 678", "84912345678", "0084912345678", "+84 (0) 912 345 678",
    "0912.345.678", "(024) 3825 1234". Mobiles: 10 digits, 03x/05x/07x/08x/09x.
    Landlines: 11 digits, 02x.
    """
    if not isinstance(raw, str):
        raise ValidationError("citizen.phone_format", field="phone")
    compact = _PHONE_SEPARATORS.sub("", nfc(raw))
    national: str | None = None
    if compact.startswith("+"):
        if not compact.startswith("+84"):
            raise ValidationError("citizen.phone_format", field="phone")
        national = compact[3:]
    elif compact.startswith("0084"):
        national = compact[4:]
    elif compact.startswith("84"):  # no domestic number starts with 8: it is the country code
        national = compact[2:]
    if national is None:
        domestic = compact
    else:
        domestic = national if national.startswith("0") else "0" + national
    if not (_MOBILE.fullmatch(domestic) or _LANDLINE.fullmatch(domestic)):
        raise ValidationError("citizen.phone_format", field="phone")
    return domestic


def format_phone_display(canonical: str) -> str:
    """Group the digits for reading aloud: "0912 345 678", "024 3825 1234", "0236 382 1234"."""
    number = normalize_phone(canonical)
    if len(number) == 10:
        return f"{number[:4]} {number[4:7]} {number[7:]}"
    if number[:3] in _THREE_DIGIT_AREA_CODES:
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    return f"{number[:4]} {number[4:7]} {number[7:]}"


# --------------------------------------------------------------------------- names

_NAME_PUNCTUATION_MAP = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark, typed by word processors
        "\u02bc": "'",  # modifier letter apostrophe
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
    }
)
_NAME_SEPARATORS = frozenset(" '-")


@lru_cache(maxsize=4096)
def _is_name_letter(ch: str) -> bool:
    """A Latin letter with a one-to-one upper/lower case pair.

    Latin only: Vietnamese and the Latin orthographies of the minority languages (ă, ĕ, ŏ,
    ŭ, ...) are covered, look-alike letters of other scripts are not. Letters whose case
    mapping is not a round trip (ß, ı, ſ, ŉ, ...) would make capitalisation non-idempotent.
    """
    if unicodedata.category(ch) not in ("Lu", "Ll", "Lt"):
        return False
    if not unicodedata.name(ch, "").startswith("LATIN "):
        return False
    upper, lower = ch.upper(), ch.lower()
    return (
        len(upper) == 1
        and len(lower) == 1
        and upper.lower() == lower
        and lower.upper() == upper
        and upper.casefold() == ch.casefold()
    )


def normalize_name(raw: str) -> str:
    """Return a full name in NFC, single-spaced, each word capitalised.

    "nguyễn thị đường" -> "Nguyễn Thị Đường"; "ĐẶNG VĂN ÁNH" -> "Đặng Văn Ánh";
    "h'hen niê" -> "H'Hen Niê". Letters, spaces, apostrophes and hyphens only.
    """
    if not isinstance(raw, str):
        raise ValidationError("citizen.name_empty", field="full_name")
    text = " ".join(nfc(raw).translate(_NAME_PUNCTUATION_MAP).split())
    if not text:
        raise ValidationError("citizen.name_empty", field="full_name")
    if len(text) > NAME_MAX_LENGTH:
        raise ValidationError("citizen.name_too_long", field="full_name", max=NAME_MAX_LENGTH)
    has_letter = False
    for ch in text:
        if ch in _NAME_SEPARATORS:
            continue
        if not _is_name_letter(ch):
            raise ValidationError("citizen.name_chars", field="full_name")
        has_letter = True
    if not has_letter:
        raise ValidationError("citizen.name_chars", field="full_name")
    out: list[str] = []
    start_of_word = True
    for ch in text:
        if ch in _NAME_SEPARATORS:
            out.append(ch)
            start_of_word = True
        else:
            out.append(ch.upper() if start_of_word else ch.lower())
            start_of_word = False
    return nfc("".join(out))


# --------------------------------------------------------------------------- chip card QR


@dataclass(frozen=True)
class ChipCardData:
    """The fields of the chip card's QR code. Personal data: kept out of repr()."""

    citizen_id: str = field(repr=False)
    old_id: str | None = field(repr=False)
    full_name: str = field(repr=False)
    birth_date: date = field(repr=False)
    sex: Sex = field(repr=False)
    address: str = field(repr=False)
    issue_date: date | None = field(repr=False)


_QR_DATE = re.compile(
    r"(?P<d>[0-9]{2})(?P<m>[0-9]{2})(?P<y>[0-9]{4})"
    r"|(?P<d2>[0-9]{1,2})[/.\-](?P<m2>[0-9]{1,2})[/.\-](?P<y2>[0-9]{4})"
)
_QR_SEX = {"nam": Sex.MALE, "nu": Sex.FEMALE, "male": Sex.MALE, "female": Sex.FEMALE}
_OLD_ID = re.compile(r"[0-9]{9}|[0-9]{12}")


def _unreadable() -> ValidationError:
    return ValidationError("citizen.qr_unreadable", field="qr")


def _qr_date(text: str) -> date:
    match = _QR_DATE.fullmatch(text.replace(" ", ""))
    if match is None:
        raise _unreadable()
    if match["d"] is not None:
        day, month, year = match["d"], match["m"], match["y"]
    else:
        day, month, year = match["d2"], match["m2"], match["y2"]
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise _unreadable() from None


def parse_chip_qr(text: str) -> ChipCardData:
    """Parse what a 2D scanner types when it reads the chip card's QR code.

    Layout (unconfirmed): `id|old id|full name|ddmmyyyy|Nam/Nữ|address|ddmmyyyy`.
    Tolerated: stray whitespace, CR/LF and tabs, trailing "|", NFD text, zero-width
    characters, the old-ID field missing or empty, the issue date missing or empty, extra
    trailing fields, dates as ddmmyyyy or dd/mm/yyyy (also "-" or "."), sex as Nam/Nữ/Nu in
    any case.

    The address must not be empty. Text that does not have this shape raises
    `citizen.qr_unreadable`. A well-shaped code whose values break a rule raises that rule's
    error (e.g. `citizen.id_birth_mismatch` when the number disagrees with the date of birth,
    `citizen.name_chars`).
    """
    if not isinstance(text, str):
        raise _unreadable()
    cleaned = "".join(ch for ch in nfc(text) if unicodedata.category(ch) != "Cf")
    fields = [" ".join(part.split()) for part in cleaned.split("|")]
    while fields and not fields[-1]:
        fields.pop()
    if len(fields) < 5:
        raise _unreadable()

    id_field = _ID_SEPARATORS.sub("", fields[0])
    if not _ID_DIGITS.fullmatch(id_field):
        raise _unreadable()

    # The old-ID field holds digits or nothing; a name never does. Without it the name
    # follows the căn cước number directly.
    second = _ID_SEPARATORS.sub("", fields[1])
    if not second or (second.isascii() and second.isdigit()):
        if second and not _OLD_ID.fullmatch(second):
            raise _unreadable()
        old_id: str | None = second or None
        rest = fields[2:]
    else:
        old_id = None
        rest = fields[1:]
    if len(rest) < 4:
        raise _unreadable()
    name_field, birth_field, sex_field, address = rest[0], rest[1], rest[2], rest[3]
    issue_field = rest[4] if len(rest) > 4 else ""
    if not address:
        raise _unreadable()

    birth_date = _qr_date(birth_field)
    issue_date = _qr_date(issue_field) if issue_field else None
    if issue_date is not None and issue_date < birth_date:
        raise _unreadable()
    sex = _QR_SEX.get(fold(sex_field))
    if sex is None:
        raise _unreadable()

    citizen_id = validate_citizen_id(id_field, birth_date=birth_date, sex=sex)
    full_name = normalize_name(name_field)
    return ChipCardData(
        citizen_id=citizen_id,
        old_id=old_id,
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        address=address,
        issue_date=issue_date,
    )
