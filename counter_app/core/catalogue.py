"""The procedure catalogue: what a procedure needs, how long it takes, what it costs.

The catalogue is data (resources/catalogue/*.json), not code: a province replaces it and
sync updates it, so nothing here knows a particular procedure.

JSON shape (UTF-8; keys marked * may be omitted, the dataclass default applies; any other
key is refused so that a typo cannot silently drop a rule)::

    {"version": "2026.11-demo",
     "groups": [{"letter": "A", "name": "Hộ tịch", "sectors*": ["Hộ tịch"],
                 "kiosk_words*": ["Khai sinh", "kết hôn"], "kiosk_icon*": "family"}],
     "procedures": [{
        "code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "sector": "Hộ tịch",
        "service_group": "A",
        "processing": {"working_days*": 0, "same_day_cutoff*": "15:00",
                       "verification_extra_days*": 0},
        "documents*": [{"name": "Tờ khai đăng ký khai sinh theo mẫu", "form": "original",
                        "count*": 1, "optional*": false, "note*": ""}],
        "fees*": [{"description": "Miễn lệ phí khi đăng ký đúng hạn", "amount_vnd*": 0,
                   "unit*": "per_case", "province_specific*": true}],
        "return_methods*": ["counter", "post"],
        "legal_basis*": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP",
        "everyday_words*": ["làm giấy khai sinh", "đk khai sinh"]}]}

`form` is a DocumentForm value, `return_methods` holds ReturnMethod values, `unit` is one of
FEE_UNITS, `amount_vnd` null means "set case by case", `same_day_cutoff` is "HH:MM" or null.
Text is stored NFC-normalised and stripped. `catalogue_to_dict` writes every key, so
`parse_catalogue(catalogue_to_dict(c)) == c`. resources/catalogue/README.md says more.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum
from importlib import resources
from os import PathLike
from typing import Any

from counter_app.core.errors import NotFound, ValidationError
from counter_app.core.messages import register
from counter_app.core.text import fold

register(
    {
        "catalogue.invalid": {
            "vi": "Danh mục thủ tục không hợp lệ: {reason}.",
            "en": "The procedure catalogue is invalid: {reason}.",
        },
        "catalogue.unknown_procedure": {
            "vi": "Không tìm thấy thủ tục có mã {procedure_code}.",
            "en": "No procedure with code {procedure_code} in the catalogue.",
        },
        "catalogue.unknown_group": {
            "vi": "Không tìm thấy nhóm dịch vụ (quầy) {letter}.",
            "en": "No service group {letter} in the catalogue.",
        },
        "catalogue.file_not_found": {
            "vi": "Không tìm thấy tệp danh mục thủ tục: {path}.",
            "en": "Procedure catalogue file not found: {path}.",
        },
    }
)

FEE_UNITS = ("per_case", "per_copy", "per_page")


class DocumentForm(StrEnum):
    ORIGINAL = "original"  # bản chính
    COPY = "copy"  # bản sao
    CERTIFIED_COPY = "certified_copy"  # bản sao có chứng thực
    ORIGINAL_OR_COPY = "original_or_copy"  # bản chính hoặc bản sao
    PRESENT = "present"  # xuất trình bản chính (shown, not kept)


class ReturnMethod(StrEnum):
    COUNTER = "counter"  # trả tại Bộ phận Một cửa
    POST = "post"  # qua dịch vụ bưu chính
    ONLINE = "online"  # trực tuyến


@dataclass(frozen=True)
class RequiredDocument:
    name: str
    form: DocumentForm
    count: int = 1
    optional: bool = False
    note: str = ""


@dataclass(frozen=True)
class ProcessingTime:
    """N working days at the same clock time, or the same day with a cut-off hour."""

    working_days: int = 0
    same_day_cutoff: time | None = None
    verification_extra_days: int = 0

    @property
    def is_same_day(self) -> bool:
        return self.working_days == 0


@dataclass(frozen=True)
class FeeRule:
    description: str
    amount_vnd: int | None  # None: set case by case
    unit: str = "per_case"  # per_case | per_copy | per_page
    province_specific: bool = False


@dataclass(frozen=True)
class ServiceGroup:
    """A queue: the letter on the ticket and the sectors its counters serve."""

    letter: str
    name: str
    sectors: tuple[str, ...] = ()
    # What citizens call its commonest procedures ("Khai sinh", "kết hôn"), shown on its
    # kiosk tile: an elderly citizen looks for "khai sinh", not for "Hộ tịch".
    kiosk_words: tuple[str, ...] = ()
    kiosk_icon: str = ""  # a picture in resources/icons ("family" is family.svg)


@dataclass(frozen=True)
class Procedure:
    code: str  # national procedure code, e.g. 1.001193
    name: str
    sector: str
    service_group: str  # a ServiceGroup letter
    processing: ProcessingTime
    documents: tuple[RequiredDocument, ...] = ()
    fees: tuple[FeeRule, ...] = ()
    return_methods: tuple[ReturnMethod, ...] = (ReturnMethod.COUNTER,)
    legal_basis: str = ""
    # What clerks and citizens call it ("làm sổ đỏ", "nhập hộ khẩu", "công chứng bản sao"):
    # people do not speak in official titles, and the search weighs these like the title.
    everyday_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    version: str
    groups: tuple[ServiceGroup, ...]
    procedures: tuple[Procedure, ...]
    _by_code: dict[str, Procedure] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {p.code: p for p in self.procedures})

    def procedure(self, code: str) -> Procedure:
        """The procedure with this national code; NotFound when there is none."""
        found = self._by_code.get(code.strip())
        if found is None:
            # DomainError takes the message code as its first argument, so the procedure
            # code travels as `procedure_code`.
            raise NotFound("catalogue.unknown_procedure", procedure_code=code)
        return found

    def group(self, letter: str) -> ServiceGroup:
        """The service group (ticket letter); NotFound when there is none."""
        wanted = letter.strip().upper()
        for group in self.groups:
            if group.letter == wanted:
                return group
        raise NotFound("catalogue.unknown_group", letter=letter)

    def search(
        self, text: str, limit: int = 20, *, uses: Mapping[str, int] | None = None
    ) -> list[Procedure]:
        """Procedures matching what a clerk typed, best first, with or without diacritics.

        The ranking lives in core.procedure_search (relevance, then this center's `uses`
        per procedure code; never the code order).
        """
        from counter_app.core.procedure_search import search_procedures

        return search_procedures(self.procedures, text, uses=uses, limit=limit)


# ---------------------------------------------------------------------------------------
# JSON <-> model


def _invalid(reason: str) -> ValidationError:
    return ValidationError("catalogue.invalid", reason=reason)


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", value).strip()


class _Reader:
    """Reads one JSON object, checking types and refusing unknown keys."""

    def __init__(self, data: Any, where: str, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            raise _invalid(f"{where}: expected an object, got {type(data).__name__}")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise _invalid(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
        self.data = data
        self.where = where

    def _get(self, key: str, default: Any, required: bool) -> Any:
        if key not in self.data:
            if required:
                raise _invalid(f"{self.where}: missing {key!r}")
            return default
        return self.data[key]

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self._get(key, default, required)
        if not isinstance(value, str):
            raise _invalid(f"{self.where}.{key}: expected a string")
        value = _text(value)
        if required and not value:
            raise _invalid(f"{self.where}.{key}: must not be empty")
        return value

    def integer(self, key: str, default: int, *, minimum: int) -> int:
        value = self._get(key, default, False)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _invalid(f"{self.where}.{key}: expected an integer")
        if value < minimum:
            raise _invalid(f"{self.where}.{key}: must be >= {minimum}, got {value}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, default, False)
        if not isinstance(value, bool):
            raise _invalid(f"{self.where}.{key}: expected true or false")
        return value

    def array(self, key: str, *, required: bool = False) -> list[Any]:
        value = self._get(key, [], required)
        if not isinstance(value, list):
            raise _invalid(f"{self.where}.{key}: expected a list")
        return value


_CUTOFF = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


def _parse_cutoff(value: Any, where: str) -> time | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _CUTOFF.fullmatch(value):
        raise _invalid(f'{where}.same_day_cutoff: expected "HH:MM", got {value!r}')
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


def _parse_group(data: Any, where: str) -> ServiceGroup:
    r = _Reader(data, where, {"letter", "name", "sectors", "kiosk_words", "kiosk_icon"})
    letter = r.text("letter")
    if not (letter.isascii() and letter.isalpha() and letter.isupper() and len(letter) <= 3):
        raise _invalid(f"{where}.letter: expected 1-3 capital letters A-Z, got {letter!r}")
    icon = r.text("kiosk_icon", required=False)
    if icon and not re.fullmatch(r"[a-z0-9_]+", icon):
        raise _invalid(f"{where}.kiosk_icon: expected a name like 'family', got {icon!r}")
    return ServiceGroup(
        letter=letter,
        name=r.text("name"),
        sectors=_texts(r, "sectors", where),
        kiosk_words=_texts(r, "kiosk_words", where),
        kiosk_icon=icon,
    )


def _texts(r: _Reader, key: str, where: str) -> tuple[str, ...]:
    out = []
    for i, item in enumerate(r.array(key)):
        if not isinstance(item, str) or not _text(item):
            raise _invalid(f"{where}.{key}[{i}]: expected a non-empty string")
        out.append(_text(item))
    return tuple(out)


def _parse_processing(data: Any, where: str) -> ProcessingTime:
    r = _Reader(data, where, {"working_days", "same_day_cutoff", "verification_extra_days"})
    return ProcessingTime(
        working_days=r.integer("working_days", 0, minimum=0),
        same_day_cutoff=_parse_cutoff(data.get("same_day_cutoff"), where),
        verification_extra_days=r.integer("verification_extra_days", 0, minimum=0),
    )


def _parse_document(data: Any, where: str) -> RequiredDocument:
    r = _Reader(data, where, {"name", "form", "count", "optional", "note"})
    if "form" not in data:
        raise _invalid(f"{where}: missing 'form'")
    form = data["form"]
    try:
        parsed_form = DocumentForm(form)
    except ValueError:
        allowed = ", ".join(f.value for f in DocumentForm)
        raise _invalid(f"{where}.form: unknown form {form!r} (allowed: {allowed})") from None
    return RequiredDocument(
        name=r.text("name"),
        form=parsed_form,
        count=r.integer("count", 1, minimum=1),
        optional=r.boolean("optional", False),
        note=r.text("note", required=False),
    )


def _parse_fee(data: Any, where: str) -> FeeRule:
    r = _Reader(data, where, {"description", "amount_vnd", "unit", "province_specific"})
    amount = data.get("amount_vnd")
    if amount is not None:
        amount = r.integer("amount_vnd", 0, minimum=0)
    unit = r.text("unit", required=False, default="per_case")
    if unit not in FEE_UNITS:
        raise _invalid(f"{where}.unit: unknown unit {unit!r} (allowed: {', '.join(FEE_UNITS)})")
    return FeeRule(
        description=r.text("description"),
        amount_vnd=amount,
        unit=unit,
        province_specific=r.boolean("province_specific", False),
    )


def _parse_return_methods(values: list[Any], where: str) -> tuple[ReturnMethod, ...]:
    if not values:
        raise _invalid(f"{where}: at least one return method is needed")
    methods: list[ReturnMethod] = []
    for i, value in enumerate(values):
        try:
            method = ReturnMethod(value)
        except ValueError:
            allowed = ", ".join(m.value for m in ReturnMethod)
            raise _invalid(
                f"{where}[{i}]: unknown return method {value!r} (allowed: {allowed})"
            ) from None
        if method in methods:
            raise _invalid(f"{where}[{i}]: return method {value!r} listed twice")
        methods.append(method)
    return tuple(methods)


_PROCEDURE_KEYS = {
    "code",
    "name",
    "sector",
    "service_group",
    "processing",
    "documents",
    "fees",
    "return_methods",
    "legal_basis",
    "everyday_words",
}
EVERYDAY_WORDS_MAX = 80  # characters of one phrase: a few words, not a description


def _parse_everyday_words(r: _Reader, where: str) -> tuple[str, ...]:
    """Short phrases, none twice once diacritics are folded ("sổ đỏ" and "so do" are one)."""
    words = _texts(r, "everyday_words", where)
    seen: set[str] = set()
    for i, phrase in enumerate(words):
        if len(phrase) > EVERYDAY_WORDS_MAX:
            raise _invalid(f"{where}.everyday_words[{i}]: at most {EVERYDAY_WORDS_MAX} characters")
        if fold(phrase) in seen:
            raise _invalid(f"{where}.everyday_words[{i}]: {phrase!r} listed twice")
        seen.add(fold(phrase))
    return words


def _parse_procedure(data: Any, where: str, letters: set[str]) -> Procedure:
    r = _Reader(data, where, _PROCEDURE_KEYS)
    code = r.text("code")
    if any(ch.isspace() for ch in code):
        raise _invalid(f"{where}.code: must not contain spaces, got {code!r}")
    where = f"{where} ({code})"
    group = r.text("service_group")
    if group not in letters:
        raise _invalid(f"{where}.service_group: unknown group letter {group!r}")
    if "processing" not in data:
        raise _invalid(f"{where}: missing 'processing'")
    if "return_methods" in data:
        methods = _parse_return_methods(r.array("return_methods"), f"{where}.return_methods")
    else:
        methods = (ReturnMethod.COUNTER,)
    return Procedure(
        code=code,
        name=r.text("name"),
        sector=r.text("sector"),
        service_group=group,
        processing=_parse_processing(data["processing"], f"{where}.processing"),
        documents=tuple(
            _parse_document(doc, f"{where}.documents[{i}]")
            for i, doc in enumerate(r.array("documents"))
        ),
        fees=tuple(_parse_fee(fee, f"{where}.fees[{i}]") for i, fee in enumerate(r.array("fees"))),
        return_methods=methods,
        legal_basis=r.text("legal_basis", required=False),
        everyday_words=_parse_everyday_words(r, where),
    )


def parse_catalogue(data: dict[str, Any]) -> Catalogue:
    """Build and validate a Catalogue from its JSON shape; ValidationError on any fault."""
    r = _Reader(data, "catalogue", {"version", "groups", "procedures"})
    version = r.text("version")
    groups: list[ServiceGroup] = []
    for i, raw in enumerate(r.array("groups", required=True)):
        group = _parse_group(raw, f"groups[{i}]")
        if any(g.letter == group.letter for g in groups):
            raise _invalid(f"groups[{i}]: duplicate group letter {group.letter!r}")
        groups.append(group)
    letters = {g.letter for g in groups}
    procedures: list[Procedure] = []
    seen: set[str] = set()
    for i, raw in enumerate(r.array("procedures", required=True)):
        proc = _parse_procedure(raw, f"procedures[{i}]", letters)
        if proc.code in seen:
            raise _invalid(f"procedures[{i}]: duplicate procedure code {proc.code!r}")
        seen.add(proc.code)
        procedures.append(proc)
    return Catalogue(version=version, groups=tuple(groups), procedures=tuple(procedures))


def _cutoff_text(cutoff: time | None) -> str | None:
    return None if cutoff is None else cutoff.strftime("%H:%M")


def catalogue_to_dict(cat: Catalogue) -> dict[str, Any]:
    """The JSON shape of a catalogue, every key written: the inverse of parse_catalogue."""
    return {
        "version": cat.version,
        "groups": [
            {
                "letter": g.letter,
                "name": g.name,
                "sectors": list(g.sectors),
                "kiosk_words": list(g.kiosk_words),
                "kiosk_icon": g.kiosk_icon,
            }
            for g in cat.groups
        ],
        "procedures": [
            {
                "code": p.code,
                "name": p.name,
                "sector": p.sector,
                "service_group": p.service_group,
                "processing": {
                    "working_days": p.processing.working_days,
                    "same_day_cutoff": _cutoff_text(p.processing.same_day_cutoff),
                    "verification_extra_days": p.processing.verification_extra_days,
                },
                "documents": [
                    {
                        "name": d.name,
                        "form": d.form.value,
                        "count": d.count,
                        "optional": d.optional,
                        "note": d.note,
                    }
                    for d in p.documents
                ],
                "fees": [
                    {
                        "description": f.description,
                        "amount_vnd": f.amount_vnd,
                        "unit": f.unit,
                        "province_specific": f.province_specific,
                    }
                    for f in p.fees
                ],
                "return_methods": [m.value for m in p.return_methods],
                "legal_basis": p.legal_basis,
                "everyday_words": list(p.everyday_words),
            }
            for p in cat.procedures
        ],
    }


def _parse_json_text(text: str, source: str) -> Catalogue:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _invalid(f"{source}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    return parse_catalogue(data)


def load_catalogue(path: str | PathLike[str]) -> Catalogue:
    """Read and validate a catalogue JSON file (UTF-8, a BOM is tolerated)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise NotFound("catalogue.file_not_found", path=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid(f"{path}: not UTF-8 text") from None
    return _parse_json_text(text, str(path))


def load_default_catalogue() -> Catalogue:
    """The catalogue shipped with the program (resources/catalogue/procedures.json)."""
    source = resources.files("resources") / "catalogue" / "procedures.json"
    return _parse_json_text(source.read_text(encoding="utf-8-sig"), "procedures.json")
