"""Dialect `motcua`: the online inbox (issue 18; the wire in docs/dialects.md and SEAMS).

The pull, at the end of a round that acts for an account: `LayDanhSachHoSo` lists the
online dossiers not yet acknowledged at their current round; each record is read (its
papers from `Base64` or from its `DuongDan` link, fetched with the token), taken in
(services/online_intake.py), and only after that commit acknowledged (`CapNhatDaNhanHoSo`).
A kill between the commit and the acknowledgement lists it again; taking it in again
changes nothing, so it is acknowledged then. A record we cannot take (bad JSON shape, a
file too large or not matching its HashTepTin, a name a megabyte long, an unknown
procedure) is left unacknowledged and reported in Vietnamese, never half taken in.

The clerk's decision goes back as the existing `CapNhatTienTrinh` step and `CapNhatTrangThai`
element (TrangThai 2, 5 with NoiDungYeuCauBoSung, 3 with LyDo; from TrangThaiTruoc 1). An
unsure try (its answer lost, its process killed) looks the dossier up first and sends
neither step nor status the system already shows, so each decision arrives once.
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.services.dossiers import ApplicantInput
from counter_app.services.online_intake import (
    OnlineComponent,
    OnlineFile,
    OnlineSubmission,
    TakenIn,
    take_in,
)
from counter_app.store.dossiers import dossier_from_row
from sync.dialects.base import Rejected, text
from sync.dialects.motcua_fields import iso_time, progress_record
from sync.errors import UpstreamFault

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024  # one paper's file
# The list carries its papers in Base64: a morning's inbox of phone photos is tens of MB,
# far above the 4 MB an answer may have elsewhere; beyond this, the round stops with the
# answer-too-large message and nothing taken in.
MAX_LIST_BYTES = 96 * 1024 * 1024
MAX_TEXT = 1000  # any text field of a record; a name a megabyte long is not a name
MAX_RECORDS = 500  # records read in one round; the rest come next round
_ONLINE_OPS = {
    "dossier.online.accept": DossierStatus.RECEIVED,
    "dossier.online.supplement": DossierStatus.SUPPLEMENT,
    "dossier.online.refuse": DossierStatus.REFUSED,
}

register(
    {
        "online.wire.record": {
            "vi": "Hồ sơ trực tuyến {code}: bản ghi từ hệ thống một cửa không đúng dạng ({where}).",
            "en": "Online dossier {code}: the one-door system's record is malformed ({where}).",
        },
        "online.wire.base64": {
            "vi": "Hồ sơ trực tuyến {code}: tệp thứ {n} không giải mã được (Base64 hỏng).",
            "en": "Online dossier {code}: file number {n} cannot be decoded (bad Base64).",
        },
        "online.wire.link": {
            "vi": "Hồ sơ trực tuyến {code}: không tải được tệp thứ {n} từ hệ thống một cửa "
            "({why}).",
            "en": "Online dossier {code}: file number {n} could not be fetched from the "
            "one-door system ({why}).",
        },
        "online.wire.foreign_link": {
            "vi": "Hồ sơ trực tuyến {code}: tệp thứ {n} trỏ ra ngoài hệ thống một cửa; không "
            "tải (khóa truy cập không gửi cho máy chủ lạ).",
            "en": "Online dossier {code}: file number {n} links outside the one-door system; "
            "not fetched (the token is never sent to another server).",
        },
        "online.wire.list": {
            "vi": "Danh sách hồ sơ trực tuyến từ hệ thống một cửa không đúng dạng.",
            "en": "The one-door system's list of online dossiers is malformed.",
        },
    }
)


class BadRecord(Exception):
    """A record we do not take: `reason` in Vietnamese, naming only the upstream code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ---- the pull ----
def pull_inbox(ctx, upstream, report) -> None:
    """List, take in, acknowledge (see the module). Adds to `report`: `pulled` and
    `online_taken` (new and resubmitted dossiers), `online_refused` (the reasons)."""
    status, body = upstream.call(
        "GET", "/LayDanhSachHoSo", params={"MaDonVi": upstream.agency}, cap=MAX_LIST_BYTES
    )
    records = body.get("data") if isinstance(body, dict) and status == 200 else None
    if not isinstance(records, list):
        raise UpstreamFault("sync.answer.malformed", where="LayDanhSachHoSo",
                            problem=f"HTTP {status}")  # fmt: skip
    taken: list[dict] = []
    for record in records[:MAX_RECORDS]:
        code = _code_of(record)

        def fetch(url: str, n: int, code: str = code) -> bytes:
            return _fetch(upstream, url, code, n)

        try:
            submission = read_record(record, fetch)
            outcome = take_in(ctx, submission)
        except BadRecord as bad:
            report.online_refused.append(bad.reason)
            log.warning("online record set aside: %s", bad.reason)
            continue
        except DomainError as error:
            report.online_refused.append(error.message("vi"))
            log.warning("online record set aside: %s", error.code)
            continue
        if outcome is not TakenIn.SAME:
            report.online_taken += 1
            report.pulled += 1
        taken.append({"MaHoSo": submission.upstream_code, "LanNop": submission.round})
    upstream.hook("pull.taken")  # committed here, not yet acknowledged there
    if taken:
        acknowledge(upstream, taken)


def acknowledge(upstream, taken: list[dict]) -> None:
    """`CapNhatDaNhanHoSo` for what this station holds now (harmless twice)."""
    status, _ = upstream.call("POST", "/CapNhatDaNhanHoSo", json=taken)
    if status not in (200, 201):
        raise UpstreamFault("sync.answer.malformed", where="CapNhatDaNhanHoSo",
                            problem=f"HTTP {status}")  # fmt: skip


def _code_of(record: Any) -> str:
    """The record's code as a message may name it: "?" when it is no code at all."""
    code = record.get("MaHoSo") if isinstance(record, dict) else None
    ok = isinstance(code, str) and 0 < len(code) <= 100 and code.isprintable()
    return code if ok else "?"


def _fetch(upstream, url: str, code: str, n: int) -> bytes:
    """A file behind a `DuongDan` link (a path on the system, `/TaiTepTin/<IdTepTin>`, or a
    full address under it: the token goes with it, so never elsewhere), within
    MAX_FILE_BYTES."""
    if url.startswith("/") and not url.startswith("//"):
        url = upstream.base + url
    if not url.startswith(upstream.base + "/"):
        raise BadRecord(text("online.wire.foreign_link", code=code, n=n))

    def send(token: str):
        headers = {"Authorization": f"Bearer {token}"}
        return upstream.exchange("GET", url, headers=headers, cap=MAX_FILE_BYTES, as_bytes=True)

    try:
        status, data = upstream.authorised(send, forgotten=lambda answer: answer[0] == 401)
    except UpstreamFault as fault:
        if fault.code != "sync.answer.too_large":
            raise  # the link's failure: the round stops and the list comes again
        raise BadRecord(
            text("online.file_too_big", code=code, n=n, mb=MAX_FILE_BYTES >> 20)
        ) from None
    if status != 200:
        raise BadRecord(text("online.wire.link", code=code, n=n, why=f"HTTP {status}"))
    return data


# ---- a record to our terms ----
def read_record(record: Any, fetch) -> OnlineSubmission:
    """One LayDanhSachHoSo record as a submission; `fetch(url, n)` gets a linked file."""
    code = _code_of(record)

    def bad(where: str) -> BadRecord:
        return BadRecord(text("online.wire.record", code=code, where=where))

    if not isinstance(record, dict) or code == "?":
        raise bad("MaHoSo")
    person = _dict(record.get("ThongTinNguoiNop"))
    detail = _dict(person.get("ThongTinChiTiet"))
    notice = _dict(record.get("NhanThongBao"))
    round_no = record.get("LanNop")
    if not isinstance(round_no, int) or isinstance(round_no, bool):
        raise bad("LanNop")
    try:
        submitted = datetime.strptime(_text(record, "NgayNop", bad), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise bad("NgayNop") from None
    components = record.get("ThanhPhanHoSo")
    if not isinstance(components, list):
        raise bad("ThanhPhanHoSo")
    n = 0
    parts = []
    for component in components[:1000]:
        component = _dict(component)
        files = component.get("GiayToDinhKem")
        if not isinstance(files, list):
            raise bad("GiayToDinhKem")
        read = []
        for item in files[:1000]:
            n += 1
            read.append(_file(_dict(item), code, n, fetch, bad))
        parts.append(OnlineComponent(_text(component, "TenThanhPhanHoSo", bad), tuple(read)))
    if len(components) > 1000:
        raise bad("ThanhPhanHoSo")
    return OnlineSubmission(
        upstream_code=code,
        procedure_code=_text(record, "MaTTHC", bad),
        submitted_at=submitted.replace(tzinfo=VN_TZ),
        round=round_no,
        applicant=ApplicantInput(
            full_name=_text(detail, "TenNguoiNop", bad),
            citizen_id=_text(detail, "SoDinhDanh", bad),
            phone=_text(detail, "SoDienThoai", bad),
            email=_text(detail, "Email", bad),
            address=_text(detail, "DiaChiChiTiet", bad),
        ),
        notify_email=notice.get("Email") is True,
        notify_sms=notice.get("SMS") is True,
        components=tuple(parts),
    )


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _text(record: dict, name: str, bad) -> str:
    value = record.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise bad(name)
    return value


def _file(item: dict, code: str, n: int, fetch, bad) -> OnlineFile:
    digest = item.get("HashTepTin")
    if not isinstance(digest, str) or len(digest) != 64:
        raise bad("HashTepTin")
    encoded, link = item.get("Base64"), item.get("DuongDan")
    if isinstance(encoded, str) and encoded:
        if len(encoded) > MAX_FILE_BYTES * 4 // 3 + 4:
            raise BadRecord(text("online.file_too_big", code=code, n=n, mb=MAX_FILE_BYTES >> 20))
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise BadRecord(text("online.wire.base64", code=code, n=n)) from None
    elif isinstance(link, str) and link and len(link) <= MAX_TEXT:
        data = fetch(link, n)
    else:
        raise bad("Base64/DuongDan")
    return OnlineFile(sha256=digest, data=data)


# ---- a decision upstream ----
def is_online_op(op: str) -> bool:
    return op.startswith("dossier.online.")


def send_decision(upstream, item, *, unsure: bool) -> str | None:
    """A clerk's decision on an online dossier: its step, then its status (see the module).
    Only decisions have a place upstream; taking in and resubmissions came from there."""
    target = _ONLINE_OPS.get(item.op)
    if target is None:
        return None
    event = item.payload
    online = _dict(event.get("online"))
    code = online.get("upstream_code")
    if not isinstance(code, str) or not code or "dossier" not in event:
        raise Rejected(text("sync.motcua.field", field="MaHoSo"), permanent=True)
    dossier = replace(dossier_from_row(event["dossier"], upstream.store.crypto), code=code)
    reason = str(event.get("note", ""))
    at = datetime.fromisoformat(event["at"])
    step = progress_record(dossier, previous=int(DossierStatus.NEW), actor=event.get("actor", ""),
                           at=at, note=reason, unit=upstream.station.center_name)  # fmt: skip
    found = upstream.lookup(code) if unsure else None
    steps = (found or {}).get("TienTrinh") or []
    stepped = any(
        isinstance(s, dict)
        and s.get("ThoiDiemXuLy") == step["ThoiDiemXuLy"]
        and s.get("TrangThai") == step["TrangThai"]
        for s in steps
    )
    if not stepped:
        upstream.check_moved(code, upstream.call("POST", "/CapNhatTienTrinh", json=[step])[0])
    if (found or {}).get("TrangThai") != int(target):
        element = decision_record(code, target, reason)
        upstream.check_moved(code, upstream.call("POST", "/CapNhatTrangThai", json=[element])[0])
    return f"{code}@{iso_time(at)}/{int(target)}"


def decision_record(code: str, target: DossierStatus, reason: str) -> dict:
    """The CapNhatTrangThai element of a decision on a dossier not yet decided upstream."""
    element: dict = {
        "MaHoSo": code,
        "TrangThaiTruoc": int(DossierStatus.NEW),
        "TrangThai": int(target),
        "LePhi": [],
        "GiayToKetQua": [],
        "GiayToDinhKem": [],
    }
    if target is DossierStatus.SUPPLEMENT:
        element["NoiDungYeuCauBoSung"] = reason
    elif target is DossierStatus.REFUSED:
        element["LyDo"] = reason
    return element
