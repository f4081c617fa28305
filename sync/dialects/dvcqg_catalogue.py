"""The catalogue pulls of dialect `dvcqg`: `LayDanhSachTTHC` (which procedures) and
`LayThuTuc` (one procedure in full), turned into our catalogue's procedures.

The portal's layout is the national procedure database's (upper-case keys: TENTTHC,
LINHVUCTHUCHIEN, CACHTHUCTHUCHIEN › THOIGIAN › PHILEPHI, THANHPHANHOSO › GIAYTO,
CANCUPHAPLY; sources in docs/dialects.md). Values are read tolerantly (a number may come as a
string, "10.000" or "Không"), but a procedure is only taken when it passes every check of our
own catalogue: a sector one of the center's service groups serves, a processing time in
working days, fees in whole dong. Anything else is a `PullProblem`, reported, never stored.
What the portal does not say (the service group of a known procedure, its same-day cut-off,
extra days for verification, return methods) is kept from the catalogue in force.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import time
from typing import Any

from counter_app.core.catalogue import (
    Catalogue,
    DocumentForm,
    FeeRule,
    Procedure,
    ProcessingTime,
    RequiredDocument,
    ReturnMethod,
    ServiceGroup,
    catalogue_to_dict,
    parse_catalogue,
)
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register

register(
    {
        "catalogue.pull.missing": {
            "vi": "Cổng không gửi {field}.",
            "en": "The portal did not send {field}.",
        },
        "catalogue.pull.no_group": {
            "vi": "Lĩnh vực «{sector}» chưa thuộc nhóm dịch vụ nào của Trung tâm: thêm lĩnh "
            "vực này vào một nhóm (Cài đặt › Quầy và nhóm dịch vụ) rồi lấy lại.",
            "en": "Sector '{sector}' belongs to none of the center's service groups: add it to "
            "a group (Settings › Counters and groups), then pull again.",
        },
        "catalogue.pull.bad_time": {
            "vi": "Thời hạn giải quyết «{amount} {unit}» không quy được ra số ngày làm việc.",
            "en": "The processing time '{amount} {unit}' is not a number of working days.",
        },
        "catalogue.pull.bad_fee": {
            "vi": "Mức phí, lệ phí «{amount}» không phải số đồng hợp lệ.",
            "en": "The fee '{amount}' is not a valid amount of dong.",
        },
    }
)

IN_PERSON = 1  # KENH: 1 in person (at the counter), 2 online, 3 by post
WORKING_DAYS = "ngày làm việc"
SAME_DAY_CUTOFF = time(15, 0)  # the usual cut-off for a same-day procedure, as shipped


class PullProblem(DomainError):
    """Why a pulled procedure was not stored (the code names the procedure)."""


@dataclass(frozen=True)
class PulledProcedure:
    code: str
    procedure: Procedure | None
    problem: DomainError | None = None


def fetch_procedures(call) -> list[dict]:
    """Every procedure the portal lists for this unit, each in full. `call(service, **fields)`
    is the dialect's one service call (sync/dialects/dvcqg.py)."""
    listed = call("LayDanhSachTTHC")
    codes = [str(item.get("MATTHC", "")).strip() for item in listed or [] if isinstance(item, dict)]
    found = []
    for code in dict.fromkeys(c for c in codes if c):
        result = call("LayThuTuc", maTTHC=code)
        detail = next((r for r in result or [] if isinstance(r, dict)), None)
        found.append(detail if detail is not None else {"MATTHC": code})
    return found


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


def _fold(text: str) -> str:
    return _text(text).casefold()


def _number(value: Any) -> float | None:
    """A wire number as systems send it: 10000, "10000", "10.000", "Không" (none)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = _text(value).casefold().replace("đồng", "").replace("vnđ", "").strip()
    if text in ("", "không", "miễn"):
        return 0.0
    try:
        return float(text.replace(".", "").replace(",", "."))
    except ValueError:
        return None


def _list(item: dict, key: str) -> list[dict]:
    value = item.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _group(sector: str, groups: tuple[ServiceGroup, ...], existing: Procedure | None) -> str:
    if existing is not None:
        return existing.service_group
    for group in groups:
        if _fold(sector) in {_fold(s) for s in group.sectors}:
            return group.letter
    raise PullProblem("catalogue.pull.no_group", sector=sector)


def _channel(item: dict) -> dict:
    channels = _list(item, "CACHTHUCTHUCHIEN")
    in_person = [c for c in channels if _number(c.get("KENH")) == IN_PERSON]
    chosen = (in_person or channels or [{}])[0]
    times = _list(chosen, "THOIGIAN")
    if not times:
        raise PullProblem("catalogue.pull.missing", field="CACHTHUCTHUCHIEN › THOIGIAN")
    return times[0]


def _processing(when: dict, existing: Procedure | None) -> ProcessingTime:
    amount, unit = _number(when.get("THOIGIANGIAIQUYET")), _text(when.get("DONVITINH"))
    if amount is None or amount != int(amount) or _fold(unit) != WORKING_DAYS:
        raise PullProblem("catalogue.pull.bad_time", amount=when.get("THOIGIANGIAIQUYET"),
                          unit=unit)  # fmt: skip
    days = int(amount)
    kept = existing.processing if existing is not None else None
    cutoff = None
    if days == 0:
        cutoff = kept.same_day_cutoff if kept and kept.is_same_day else SAME_DAY_CUTOFF
    extra = kept.verification_extra_days if kept else 0
    return ProcessingTime(days, cutoff, extra)


def _fees(when: dict) -> tuple[FeeRule, ...]:
    fees = []
    for fee in _list(when, "PHILEPHI"):
        amount = _number(fee.get("SOTIEN"))
        if amount is None or amount < 0 or amount != int(amount):
            raise PullProblem("catalogue.pull.bad_fee", amount=fee.get("SOTIEN"))
        kind = "Phí" if _text(fee.get("MAPHILEPHI")) == "1" else "Lệ phí"
        fees.append(FeeRule(_text(fee.get("MOTA")) or kind, int(amount)))
    return tuple(fees)


def _documents(item: dict) -> tuple[RequiredDocument, ...]:
    """The papers of the first case (our catalogue has no cases yet)."""
    cases = _list(item, "THANHPHANHOSO")
    papers = _list(cases[0], "GIAYTO") if cases else []
    documents = []
    for paper in papers:
        originals = int(_number(paper.get("SOBANCHINH")) or 0)
        copies = int(_number(paper.get("SOBANSAO")) or 0)
        if originals and copies:
            form, count = DocumentForm.ORIGINAL_OR_COPY, max(originals, copies)
        elif copies:
            form, count = DocumentForm.COPY, copies
        else:
            form, count = DocumentForm.ORIGINAL, max(originals, 1)
        documents.append(RequiredDocument(_text(paper.get("TENGIAYTO")), form, count))
    return tuple(documents)


def procedure_from_wire(
    item: dict, *, groups: tuple[ServiceGroup, ...], existing: Procedure | None
) -> Procedure:
    """One LayThuTuc result as our procedure; PullProblem or ValidationError when it fails
    our checks (the same parse the shipped catalogue passes)."""
    code = _text(item.get("MATTHC"))
    for field in ("TENTTHC", "LINHVUCTHUCHIEN"):
        if not item.get(field):
            raise PullProblem("catalogue.pull.missing", field=field)
    sector = _text(_list(item, "LINHVUCTHUCHIEN")[0].get("TENLINHVUC") if
                   _list(item, "LINHVUCTHUCHIEN") else "")  # fmt: skip
    if not sector:
        raise PullProblem("catalogue.pull.missing", field="LINHVUCTHUCHIEN › TENLINHVUC")
    when = _channel(item)
    laws = [f"{_text(x.get('SOVANBAN'))} {_text(x.get('TENVANBAN'))}".strip()
            for x in _list(item, "CANCUPHAPLY")]  # fmt: skip
    procedure = Procedure(
        code=code,
        name=_text(item.get("TENTTHC")),
        sector=sector,
        service_group=_group(sector, groups, existing),
        processing=_processing(when, existing),
        documents=_documents(item),
        fees=_fees(when),
        return_methods=existing.return_methods if existing else (ReturnMethod.COUNTER,),
        legal_basis="; ".join(x for x in laws if x) or (existing.legal_basis if existing else ""),
        # The portal knows only titles; what people call it is ours and survives a pull.
        everyday_words=existing.everyday_words if existing else (),
    )
    single = Catalogue("check", groups, (procedure,))
    return parse_catalogue(catalogue_to_dict(single)).procedures[0]  # our own checks


def convert(items: list[dict], catalogue: Catalogue) -> list[PulledProcedure]:
    """Each pulled procedure, taken or with the reason it was not."""
    pulled = []
    for item in items:
        code = _text(item.get("MATTHC"))
        existing = next((p for p in catalogue.procedures if p.code == code), None)
        try:
            procedure = procedure_from_wire(item, groups=catalogue.groups, existing=existing)
        except (PullProblem, ValidationError) as problem:
            pulled.append(PulledProcedure(code, None, problem))
            continue
        pulled.append(PulledProcedure(code, procedure))
    return pulled
