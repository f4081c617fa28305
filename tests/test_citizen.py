"""Tests for counter_app.core.citizen: căn cước numbers, phones, names, the chip card QR."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from importlib import resources

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from counter_app.core.citizen import (
    NAME_MAX_LENGTH,
    PROVINCE_CODES,
    ChipCardData,
    CitizenIdInfo,
    Sex,
    decode_citizen_id,
    format_phone_display,
    normalize_name,
    normalize_phone,
    parse_chip_qr,
    validate_citizen_id,
)
from counter_app.core.errors import ValidationError
from counter_app.core.messages import MESSAGES
from counter_app.core.text import fold

CODES = (
    "citizen.id_format",
    "citizen.id_province",
    "citizen.id_century",
    "citizen.id_birth_mismatch",
    "citizen.id_sex_mismatch",
    "citizen.phone_format",
    "citizen.name_empty",
    "citizen.name_chars",
    "citizen.name_too_long",
    "citizen.qr_unreadable",
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def raises_code(code: str):
    """pytest.raises for a ValidationError with this code."""
    return pytest.raises(ValidationError, match=rf"^{code.replace('.', '[.]')}:")


# ============================================================================ province codes


def test_province_table_has_the_63_pre_2025_provinces():
    assert len(PROVINCE_CODES) == 63
    assert all(len(c) == 3 and c.isdigit() for c in PROVINCE_CODES)
    assert min(PROVINCE_CODES) == "001"
    assert max(PROVINCE_CODES) == "096"
    assert len(set(PROVINCE_CODES.values())) == 63


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("001", "Hà Nội"),
        ("002", "Hà Giang"),
        ("004", "Cao Bằng"),
        ("011", "Điện Biên"),
        ("031", "Hải Phòng"),
        ("038", "Thanh Hóa"),
        ("046", "Thừa Thiên Huế"),
        ("048", "Đà Nẵng"),
        ("066", "Đắk Lắk"),
        ("077", "Bà Rịa - Vũng Tàu"),
        ("079", "Hồ Chí Minh"),
        ("092", "Cần Thơ"),
        ("096", "Cà Mau"),
    ],
)
def test_province_names(code, name):
    assert PROVINCE_CODES[code] == name


@pytest.mark.parametrize("code", ["000", "003", "005", "007", "028", "047", "078", "097", "099"])
def test_unused_codes_are_not_in_the_table(code):
    assert code not in PROVINCE_CODES


def test_province_table_is_the_data_file_in_nfc():
    path = resources.files("resources") / "catalogue" / "province_codes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == PROVINCE_CODES
    for name in data.values():
        assert unicodedata.is_normalized("NFC", name)


# ============================================================================ căn cước number

# 079 (Hồ Chí Minh), 0 = male born in the 1900s, 95 = 1995
MALE_1995 = "079095001234"
# 001 (Hà Nội), 3 = female born in the 2000s, 05 = 2005
FEMALE_2005 = "001305012345"


@pytest.mark.parametrize(
    "raw",
    ["079095001234", "079 095 001 234", "079.095.001.234", "079-095-001-234", " 0790 9500 1234\t"],
)
def test_id_separators_are_ignored(raw):
    assert validate_citizen_id(raw) == MALE_1995


def test_id_agrees_with_birth_date_and_sex():
    assert validate_citizen_id(MALE_1995, birth_date=date(1995, 3, 7), sex=Sex.MALE) == MALE_1995
    assert (
        validate_citizen_id(FEMALE_2005, birth_date=date(2005, 12, 31), sex=Sex.FEMALE)
        == FEMALE_2005
    )
    assert validate_citizen_id(FEMALE_2005, sex="female") == FEMALE_2005


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "07909500123",  # 11 digits
        "0790950012345",  # 13 digits
        "07909500123A",
        "079095001234x",
        "０７９０９５００１２３４",  # full-width digits
        "٠٧٩٠٩٥٠٠١٢٣٤",  # Arabic-Indic digits
        "079_095_001_234",
        "079095001234/",
    ],
)
def test_id_format(raw):
    with raises_code("citizen.id_format") as info:
        validate_citizen_id(raw)
    assert info.value.field == "citizen_id"


@pytest.mark.parametrize("raw", ["000095001234", "003095001234", "097095001234", "999095001234"])
def test_id_province(raw):
    with raises_code("citizen.id_province"):
        validate_citizen_id(raw)


@pytest.mark.parametrize("raw", ["079895001234", "079995001234"])
def test_id_century(raw):
    with raises_code("citizen.id_century"):
        validate_citizen_id(raw)


@pytest.mark.parametrize(
    ("raw", "born"),
    [
        (MALE_1995, date(1996, 1, 1)),  # year digits
        (MALE_1995, date(2095, 1, 1)),  # century digit
        (MALE_1995, date(1895, 1, 1)),
        (FEMALE_2005, date(1905, 6, 1)),
        ("001405012345", date(2005, 6, 1)),  # 4 = 2100s
    ],
)
def test_id_birth_mismatch(raw, born):
    with raises_code("citizen.id_birth_mismatch") as info:
        validate_citizen_id(raw, birth_date=born)
    assert info.value.field == "citizen_id"


def test_id_sex_mismatch():
    with raises_code("citizen.id_sex_mismatch"):
        validate_citizen_id(MALE_1995, sex=Sex.FEMALE)
    with raises_code("citizen.id_sex_mismatch"):
        validate_citizen_id(FEMALE_2005, birth_date=date(2005, 1, 1), sex=Sex.MALE)


@pytest.mark.parametrize(
    ("raw", "code", "name", "sex", "year"),
    [
        (MALE_1995, "079", "Hồ Chí Minh", Sex.MALE, 1995),
        (FEMALE_2005, "001", "Hà Nội", Sex.FEMALE, 2005),
        ("096100000001", "096", "Cà Mau", Sex.FEMALE, 1900),
        ("048299000001", "048", "Đà Nẵng", Sex.MALE, 2099),
        ("002412000001", "002", "Hà Giang", Sex.MALE, 2112),
        ("004733000001", "004", "Cao Bằng", Sex.FEMALE, 2233),
    ],
)
def test_decode_citizen_id(raw, code, name, sex, year):
    info = decode_citizen_id(raw)
    assert info == CitizenIdInfo(province_code=code, province_name=name, sex=sex, birth_year=year)


def test_decode_validates():
    with raises_code("citizen.id_century"):
        decode_citizen_id("079895001234")


def test_decode_repr_hides_sex_and_birth_year():
    text = repr(decode_citizen_id(MALE_1995))
    assert "1995" not in text and "male" not in text


def century_digit(born: date, sex: Sex) -> int:
    return (born.year - 1900) // 100 * 2 + (1 if sex is Sex.FEMALE else 0)


@st.composite
def valid_ids(draw):
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2299, 12, 31)))
    sex = draw(st.sampled_from(Sex))
    tail = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    number = f"{province}{century_digit(born, sex)}{born.year % 100:02d}{tail}"
    return number, born, sex


@given(valid_ids(), st.lists(st.sampled_from([" ", ".", "-", "  "]), max_size=11))
def test_generated_ids_validate_and_round_trip(generated, separators):
    number, born, sex = generated
    # sprinkle separators between digits
    spaced = "".join(
        d + (separators[i] if i < len(separators) else "") for i, d in enumerate(number)
    )
    canonical = validate_citizen_id(spaced, birth_date=born, sex=sex)
    assert canonical == number
    assert validate_citizen_id(canonical, birth_date=born, sex=sex) == canonical
    info = decode_citizen_id(canonical)
    assert info.province_code == number[:3]
    assert info.province_name == PROVINCE_CODES[number[:3]]
    assert info.sex is sex
    assert info.birth_year == born.year


@given(valid_ids(), st.sampled_from([3, 4, 5]), st.integers(1, 9))
def test_changing_a_century_or_year_digit_fails(generated, position, shift):
    number, born, sex = generated
    old = int(number[position])
    new = (old + shift) % 10
    changed = number[:position] + str(new) + number[position + 1 :]
    # Against the date of birth and the sex, every change is caught.
    with pytest.raises(ValidationError) as info:
        validate_citizen_id(changed, birth_date=born, sex=sex)
    assert info.value.code in (
        "citizen.id_century",
        "citizen.id_birth_mismatch",
        "citizen.id_sex_mismatch",
    )
    # Against the date of birth alone, only a change of the sex within the century passes.
    if position == 3 and new <= 7 and new // 2 == old // 2:
        assert validate_citizen_id(changed, birth_date=born) == changed
    else:
        with pytest.raises(ValidationError) as info:
            validate_citizen_id(changed, birth_date=born)
        assert info.value.code in ("citizen.id_century", "citizen.id_birth_mismatch")


# ============================================================================ phone numbers


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084 912 345 678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        (" 0912 345 678 ", "0912345678"),
        ("0356 789 012", "0356789012"),
        ("0587654321", "0587654321"),
        ("0701234567", "0701234567"),
        ("0868 123 456", "0868123456"),
        ("(024) 3825 1234", "02438251234"),
        ("024 3825 1234", "02438251234"),
        ("+84 24 3825 1234", "02438251234"),
        ("84 24 3825 1234", "02438251234"),
        ("0236.382.1234", "02363821234"),
        ("(0236) 382-1234", "02363821234"),
    ],
)
def test_normalize_phone(raw, canonical):
    assert normalize_phone(raw) == canonical


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "091234567",  # 9 digits
        "09123456789",  # 11 digits, mobile prefix
        "0123456789",  # 01x is not a prefix any more
        "0412345678",
        "0612345678",
        "0012345678",
        "912345678",  # no leading 0 and no country code
        "0243825123",  # landline with 10 digits
        "024382512345",  # landline with 12 digits
        "+1 912 345 678",
        "+85 912 345 678",
        "0912 345 67a",
        "0912+345678",
        "tel:0912345678",
        "０９１２３４５６７８",  # full-width digits
        "+84",
        "84",
    ],
)
def test_phone_format(raw):
    with raises_code("citizen.phone_format") as info:
        normalize_phone(raw)
    assert info.value.field == "phone"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("0912345678", "0912 345 678"),
        ("+84 912 345 678", "0912 345 678"),
        ("02438251234", "024 3825 1234"),
        ("02838221234", "028 3822 1234"),
        ("02363821234", "0236 382 1234"),
    ],
)
def test_format_phone_display(raw, shown):
    assert format_phone_display(raw) == shown
    assert normalize_phone(shown) == normalize_phone(raw)


def test_format_phone_display_rejects_bad_numbers():
    with raises_code("citizen.phone_format"):
        format_phone_display("12345")


@st.composite
def canonical_phones(draw):
    if draw(st.booleans()):
        prefix = "0" + draw(st.sampled_from("35789"))
        return prefix + draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    return "02" + draw(st.text(alphabet="0123456789", min_size=9, max_size=9))


def sprinkle(draw, text: str, seps) -> str:
    out = []
    for ch in text:
        out.append(ch)
        if draw(st.booleans()):
            out.append(draw(seps))
    return "".join(out)


@st.composite
def written_forms(draw, canonical: str):
    national = canonical[1:]
    form = draw(
        st.sampled_from(["domestic", "plus", "plus0", "bare84", "0084", "paren"]),
    )
    seps = st.sampled_from([" ", ".", "-", "  ", "\t"])
    if form == "domestic":
        return sprinkle(draw, canonical, seps)
    if form == "plus":
        return "+84" + draw(st.sampled_from(["", " "])) + sprinkle(draw, national, seps)
    if form == "plus0":
        return "+84 (0)" + sprinkle(draw, national, seps)
    if form == "bare84":
        return "84" + sprinkle(draw, national, seps)
    if form == "0084":
        return "0084 " + sprinkle(draw, national, seps)
    area_length = 3 if canonical[:3] in ("024", "028") or canonical[1] != "2" else 4
    return f"({canonical[:area_length]}) " + sprinkle(draw, canonical[area_length:], seps)


@given(st.data())
def test_all_written_forms_give_one_canonical(data):
    canonical = data.draw(canonical_phones())
    first = data.draw(written_forms(canonical))
    second = data.draw(written_forms(canonical))
    assert normalize_phone(first) == canonical
    assert normalize_phone(second) == normalize_phone(first)


@given(st.text(alphabet="0123456789+() .-", max_size=20))
@example("0912345678")
def test_normalize_phone_is_idempotent(raw):
    try:
        canonical = normalize_phone(raw)
    except ValidationError as error:
        assert error.code == "citizen.phone_format"
        return
    assert normalize_phone(canonical) == canonical
    assert canonical.isdigit() and canonical[0] == "0"
    assert len(canonical) == (11 if canonical[1] == "2" else 10)
    assert normalize_phone(format_phone_display(canonical)) == canonical


@given(st.text(max_size=30))
def test_normalize_phone_raises_only_validation_error(raw):
    try:
        normalize_phone(raw)
    except ValidationError as error:
        assert error.code == "citizen.phone_format"


# ============================================================================ names


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("nguyễn thị đường", "Nguyễn Thị Đường"),
        ("ĐẶNG VĂN ÁNH", "Đặng Văn Ánh"),
        ("  trần    văn\tBình  ", "Trần Văn Bình"),
        ("lê THỊ hồng nhung", "Lê Thị Hồng Nhung"),
        ("ưng hoàng phúc", "Ưng Hoàng Phúc"),
        ("ỷ lan", "Ỷ Lan"),
        ("h'hen niê", "H'Hen Niê"),
        ("H’Hen Niê", "H'Hen Niê"),  # typographic apostrophe stored as '
        ("y ngông niê kdăm", "Y Ngông Niê Kdăm"),
        ("nguyễn-trần minh", "Nguyễn-Trần Minh"),
        ("ksor h'luy", "Ksor H'Luy"),
    ],
)
def test_normalize_name(raw, name):
    assert normalize_name(raw) == name
    assert normalize_name(nfd(raw)) == name
    assert unicodedata.is_normalized("NFC", normalize_name(nfd(raw)))


def test_normalize_name_composes_nfd_input():
    decomposed = nfd("Nguyễn Thị Đường")
    assert len(decomposed) > len("Nguyễn Thị Đường")
    result = normalize_name(decomposed.lower())
    assert result == "Nguyễn Thị Đường"
    assert len(result) == len("Nguyễn Thị Đường")


@pytest.mark.parametrize("raw", ["", "   ", "\t\n", "\u00a0"])
def test_name_empty(raw):
    with raises_code("citizen.name_empty") as info:
        normalize_name(raw)
    assert info.value.field == "full_name"


@pytest.mark.parametrize(
    "raw",
    [
        "Nguyễn Văn 2",
        "Nguyen Van A1",
        "Trần, Văn Bình",
        "Lê Văn.",
        "Nguyễn @ Văn",
        "Иван",  # Cyrillic
        "Nguyễn Vаn",  # Cyrillic а looking like a Latin a
        "李小龍",
        "-",
        "' -",
        "Nguyễn\u0301\u0301 Văn",  # stray combining marks that do not compose
    ],
)
def test_name_chars(raw):
    with raises_code("citizen.name_chars"):
        normalize_name(raw)


def test_name_too_long():
    longest = " ".join(["Nguyễn"] * 12) + " Văn Bình Minh"
    assert len(longest) == NAME_MAX_LENGTH - 3
    assert normalize_name(longest + " An") == longest + " An"  # exactly 100
    with raises_code("citizen.name_too_long") as info:
        normalize_name(longest + " Anh")
    assert info.value.params == {"max": NAME_MAX_LENGTH}
    assert "100" in info.value.message("vi")
    # spacing does not count: it is collapsed first
    assert normalize_name("   " + longest + "      An   ") == longest + " An"


VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
)
vn_word = st.text(alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper(), min_size=1, max_size=8)
vn_names = st.lists(vn_word, min_size=1, max_size=6).map(" ".join)
spacing = st.sampled_from([" ", "  ", "\t", " \n "])


@st.composite
def messy_names(draw):
    words = draw(st.lists(vn_word, min_size=1, max_size=6))
    joined = words[0] + "".join(draw(spacing) + w for w in words[1:])
    text = draw(st.sampled_from(["", " ", "\t"])) + joined + draw(st.sampled_from(["", " "]))
    return nfd(text) if draw(st.booleans()) else text


@given(messy_names())
def test_normalize_name_properties(raw):
    name = normalize_name(raw)
    assert normalize_name(name) == name
    assert fold(name) == fold(raw)
    assert name == " ".join(name.split())
    assert unicodedata.is_normalized("NFC", name)
    for word in name.split(" "):
        assert word[0] == word[0].upper()
        assert word[1:] == word[1:].lower()


@given(st.text(max_size=40))
@example("ǆemal")
@example("ßtraße")
@example("ıi")
@example("İstanbul")
def test_normalize_name_on_any_text(raw):
    try:
        name = normalize_name(raw)
    except ValidationError as error:
        assert error.code in ("citizen.name_empty", "citizen.name_chars", "citizen.name_too_long")
        return
    assert normalize_name(name) == name
    apostrophes = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})
    assert fold(name) == fold(raw.translate(apostrophes))
    assert 0 < len(name) <= NAME_MAX_LENGTH


# ============================================================================ chip card QR

QR = (
    "079095001234|025123456|Nguyễn Văn An|07031995|Nam|12 Lê Lợi, Phường Bến Thành, TP HCM|15082021"
)
EXPECTED = ChipCardData(
    citizen_id="079095001234",
    old_id="025123456",
    full_name="Nguyễn Văn An",
    birth_date=date(1995, 3, 7),
    sex=Sex.MALE,
    address="12 Lê Lợi, Phường Bến Thành, TP HCM",
    issue_date=date(2021, 8, 15),
)


def test_parse_chip_qr_standard_layout():
    assert parse_chip_qr(QR) == EXPECTED


@pytest.mark.parametrize(
    ("text", "changes"),
    [
        (QR + "|", {}),
        (QR + "||\r\n", {}),
        ("\t " + QR.replace("|", " | ") + " \r\n", {}),
        (QR.replace("|", "|\t"), {}),
        (nfd(QR), {}),
        ("\ufeff" + QR, {}),
        (QR.replace("|025123456|", "||"), {"old_id": None}),
        (QR.replace("|025123456|", "|"), {"old_id": None}),  # 6 fields
        (QR.replace("|025123456|", "|") + "|", {"old_id": None}),
        (QR.replace("|15082021", ""), {"issue_date": None}),  # 6 fields, old ID kept
        (QR.replace("|15082021", "|"), {"issue_date": None}),
        (
            QR.replace("|025123456|", "|").replace("|15082021", ""),
            {"old_id": None, "issue_date": None},
        ),
        (QR.replace("025123456", "025123456789"), {"old_id": "025123456789"}),
        (QR.replace("|Nam|", "|nam|"), {}),
        (QR.replace("|Nam|", "|NAM|"), {}),
        (QR.replace("07031995", "07/03/1995").replace("15082021", "15/08/2021"), {}),
        (QR.replace("07031995", "7/3/1995"), {}),
        (QR.replace("07031995", "07-03-1995"), {}),
        (QR.replace("07031995", "07.03.1995"), {}),
        (QR.replace("Nguyễn Văn An", "NGUYỄN VĂN AN"), {}),
        (QR.replace("Nguyễn Văn An", "nguyễn  văn\tan"), {}),
        (QR.replace("079095001234", "079 095 001 234"), {}),
        (QR.replace("Bến Thành,", "Bến\r\nThành,"), {}),
        (QR + "|extra field", {}),
    ],
)
def test_parse_chip_qr_tolerates(text, changes):
    expected = ChipCardData(**{**EXPECTED.__dict__, **changes})
    assert parse_chip_qr(text) == expected


@pytest.mark.parametrize("sex_text", ["Nữ", "NỮ", "nữ", "Nu", "nu", "NU", nfd("Nữ")])
def test_parse_chip_qr_female(sex_text):
    text = f"001305012345||Trần Thị Bình|01012005|{sex_text}|Xã Đông Anh, Hà Nội|01022021"
    card = parse_chip_qr(text)
    assert card.sex is Sex.FEMALE
    assert card.full_name == "Trần Thị Bình"
    assert card.birth_date == date(2005, 1, 1)
    assert card.old_id is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \r\n",
        "hello world",
        "|||||||",
        "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
        "00020101021138570010A000000727012700069704220113012345678901250208QRIBFTTA530370454061000005802VN6304ABCD",
        "079095001234",
        "079095001234|025123456|Nguyễn Văn An",
        "079095001234|025123456|Nguyễn Văn An|07031995|Nam",  # no address
        "079095001234|025123456|Nguyễn Văn An|07031995|Nam||15082021",  # empty address
        QR.replace("079095001234", "07909500123"),  # 11 digits
        QR.replace("079095001234", "ABCDEFGHIJKL"),
        QR.replace("07031995", "31021995"),  # no 31 February
        QR.replace("07031995", "0703195"),
        QR.replace("07031995", "1995-03-07"),
        QR.replace("15082021", "15132021"),
        QR.replace("15082021", "15081990"),  # issued before birth
        QR.replace("|Nam|", "|X|"),
        QR.replace("|Nam|", "||"),
        QR.replace("025123456", "0251234"),  # old ID neither 9 nor 12 digits
        QR.replace("|", ";"),
    ],
)
def test_parse_chip_qr_unreadable(text):
    with raises_code("citizen.qr_unreadable") as info:
        parse_chip_qr(text)
    assert info.value.field == "qr"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (QR.replace("07031995", "07031996"), "citizen.id_birth_mismatch"),
        (QR.replace("|Nam|", "|Nữ|"), "citizen.id_sex_mismatch"),
        (QR.replace("079095", "003095"), "citizen.id_province"),
        (QR.replace("079095", "079895"), "citizen.id_century"),
        (QR.replace("Nguyễn Văn An", "Nguyễn Văn 4n"), "citizen.name_chars"),
    ],
)
def test_parse_chip_qr_applies_the_rules(text, code):
    with raises_code(code):
        parse_chip_qr(text)


def test_chip_card_repr_hides_personal_data():
    text = repr(parse_chip_qr(QR))
    for value in ("079095001234", "025123456", "Nguyễn", "Lê Lợi", "1995"):
        assert value not in text


address_chars = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + "0123456789 ,/."
addresses = st.text(alphabet=address_chars, min_size=1, max_size=60).map(
    lambda s: " ".join(s.split())
)


@st.composite
def qr_cases(draw):
    number, born, sex = draw(valid_ids())
    old_id = draw(st.none() | st.text(alphabet="0123456789", min_size=9, max_size=9))
    old_id = old_id if old_id is None or draw(st.booleans()) else old_id + "123"
    name = normalize_name(draw(vn_names))
    address = draw(addresses.filter(bool))
    issue = draw(st.none() | st.dates(min_value=born, max_value=date(2299, 12, 31)))
    card = ChipCardData(number, old_id, name, born, sex, address, issue)

    def when(day: date) -> str:
        if draw(st.booleans()):
            return day.strftime("%d%m") + f"{day.year:04d}"
        return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"

    sex_text = draw(
        st.sampled_from(["Nam", "nam", "NAM"] if sex is Sex.MALE else ["Nữ", "NỮ", "Nu", "nữ"])
    )
    name_text = draw(st.sampled_from([name, name.upper(), name.lower()]))
    fields = [number]
    if old_id is not None:
        fields.append(old_id)
    elif draw(st.booleans()):
        fields.append("")
    fields += [name_text, when(born), sex_text, address]
    if issue is not None:
        fields.append(when(issue))
    elif draw(st.booleans()):
        fields.append("")
    pad = st.sampled_from(["", " ", "\t", "  ", "\r\n"])
    text = "|".join(draw(pad) + f + draw(pad) for f in fields)
    text += draw(st.sampled_from(["", "|", "|\r\n", "\r\n", "\n"]))
    if draw(st.booleans()):
        text = nfd(text)
    return text, card


@given(qr_cases())
@settings(max_examples=300)
def test_parse_chip_qr_reads_generated_codes(case):
    text, card = case
    assert parse_chip_qr(text) == card


@given(st.text(max_size=200))
@example("079095001234|025123456|Nguyễn Văn An|07031995|Nam|x|99999999")
@example("079095001234||A|00000000|Nam|x")
@example("\x00|\x00|\x00|\x00|\x00|\x00|\x00")
def test_parse_chip_qr_raises_only_validation_error(text):
    try:
        card = parse_chip_qr(text)
    except ValidationError as error:
        assert error.code in CODES
        return
    assert isinstance(card, ChipCardData)


@given(
    st.lists(
        st.text(alphabet="0123456789/|NamNữu \t\r\nABCđ.-", max_size=14),
        min_size=0,
        max_size=9,
    ).map("|".join)
)
def test_parse_chip_qr_fuzz_near_the_format(text):
    try:
        parse_chip_qr(text)
    except ValidationError as error:
        assert error.code in CODES


@given(st.data())
def test_parse_chip_qr_fuzz_mutated_codes(data):
    text, _ = data.draw(qr_cases())
    position = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 3))
    insert = data.draw(st.text(max_size=3))
    mutated = text[:position] + insert + text[position + cut :]
    try:
        card = parse_chip_qr(mutated)
    except ValidationError as error:
        assert error.code in CODES
        return
    # whatever was read was validated
    assert validate_citizen_id(card.citizen_id, birth_date=card.birth_date, sex=card.sex)
    assert normalize_name(card.full_name) == card.full_name


# ============================================================================ messages


@pytest.mark.parametrize("code", CODES)
def test_every_code_has_vietnamese_and_english(code):
    texts = MESSAGES[code]
    assert texts["vi"] and texts["en"]
    assert texts["vi"] != texts["en"]
    assert not texts["vi"].isascii()  # written with diacritics
    assert unicodedata.is_normalized("NFC", texts["vi"])
    assert texts["vi"].endswith(".") and texts["en"].endswith(".")


def test_id_format_message_reads_naturally():
    error = ValidationError("citizen.id_format", field="citizen_id")
    assert error.message("vi") == "Số căn cước phải có đúng 12 chữ số."
    assert error.message("en") == "The citizen ID number must have exactly 12 digits."


PERSONAL_TRIGGERS = [
    (lambda: validate_citizen_id("0790950012345"), ["0790950012345", "079095"]),
    (lambda: validate_citizen_id("003095001234"), ["003095001234", "003"]),
    (lambda: validate_citizen_id("079895001234"), ["079895001234", "8950"]),
    (
        lambda: validate_citizen_id("079095001234", birth_date=date(1996, 1, 1)),
        ["079095001234", "1996", "1995"],
    ),
    (lambda: validate_citizen_id("079095001234", sex=Sex.FEMALE), ["079095001234"]),
    (lambda: normalize_phone("0123 456 789"), ["0123", "456 789", "0123456789"]),
    (lambda: normalize_name("Nguyễn Văn 7"), ["Nguyễn", "7"]),
    (lambda: normalize_name("Nguyễn " * 20), ["Nguyễn"]),
    (lambda: parse_chip_qr("Trần Thị Bình|1990|Hà Nội"), ["Trần", "1990", "Hà Nội"]),
    (lambda: parse_chip_qr(QR.replace("07031995", "07031996")), ["079095001234", "1996"]),
]


@pytest.mark.parametrize(("trigger", "values"), PERSONAL_TRIGGERS)
def test_messages_never_contain_the_personal_value(trigger, values):
    with pytest.raises(ValidationError) as info:
        trigger()
    error = info.value
    shown = [error.message("vi"), error.message("en"), str(error), repr(error.args)]
    for text in shown:
        for value in values:
            assert value not in text
    for param in error.params.values():
        assert isinstance(param, int)  # only limits such as the maximum length
