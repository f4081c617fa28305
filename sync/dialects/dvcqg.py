"""Dialect `dvcqg`: the national portal's dossier synchronisation (DongBoHoSoMC family).

The wire has no idempotency key, so exactly-once is made on our side: a dossier is created
(`isUpdating` "False") only when we know the portal does not hold it, either because it was
never tried or because a `TraCuuHoSo` look-up said so after an unsure try; a progress step
is looked up among the steps the portal lists before it is sent again. What the portal
acknowledged is remembered in the same transaction that marks the event synced
(`remember`). As the public integration does, every push of a dossier is followed by a
`CapNhatTienDoHoSoMC` step (intake's too), a `TraCuuHoSo` answer listing anything means
"held", the procedure's name and sector code are the portal's own (`LayThuTuc`, kept by the
catalogue pull), and a non-success answer is tried once more under a fresh login before it
counts as a refusal (the portal's sessions expire without a code we could rely on). There is
no pull in this dialect: the station is the record for what it received. Wire details and
their sources: docs/dialects.md.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from counter_app.core.clock import system_now, vn_time
from counter_app.core.dossier import DossierStatus
from counter_app.core.messages import register
from counter_app.services.ratings import DEFAULT_SCALE, SATISFIED_FROM
from counter_app.store.dossiers import dossier_from_row
from counter_app.store.paper_uploads import Uploaded
from sync.adapters import SUPPORTED_VERSIONS
from sync.dialects.base import LoginRefused, MovedOn, Rejected, Upstream, text
from sync.dialects.dvcqg_fields import (
    FIELD_NAMES,
    dossier_item,
    handed_file,
    progress_item,
    result_file,
    same_step,
    satisfaction_summary,
)
from sync.dialects.paper_upload import MultipartBody, PaperShipper, too_large, upload_name
from sync.errors import UpstreamFault

AUTH_PATH = "/auth"
INTEGRATION_PATH = "/integration"
FILES_PATH = "/files"  # the province system's document store (our emulator's path)
H_DSTCODE = "dstcode"
OK_CODES = ("0", "00")
# The emulator's refusal codes (sync/emulator_dvcqg.py); real systems' codes are unconfirmed,
# so anything else counts as a plain refusal.
E_FIELD, E_SESSION, E_NOT_FOUND, E_EXISTS, E_STATUS = "-1", "-2", "-3", "-4", "-6"
KNOWN = "dvcqg.known:"  # sync_meta: a dossier the portal holds (what it answered)
TRIED = "dvcqg.tried:"  # sync_meta: an event sent at least once without a known outcome
PROCEDURE = "dvcqg.procedure:"  # sync_meta: the portal's TENTTHC and MALINHVUC of a code
SUMMARY = "dvcqg.summary:"  # sync_meta: a month's summary as the portal took it
REFUSED = "dvcqg.summary_refused:"  # sync_meta: why the portal refused a month's summary
NEEDED = ("username", "password", "madonvi")

register(
    {
        "sync.dvcqg.login": {
            "vi": "Cổng không chấp nhận tài khoản kết nối (tên đăng nhập, mật khẩu hoặc mã "
            "đơn vị); kiểm tra lại trong Cài đặt.",
            "en": "The portal refused the account (user name, password or unit code); check "
            "it in Settings.",
        },
        "sync.dvcqg.field": {
            "vi": "Cổng từ chối bản ghi: trường «{field}» sai kiểu hoặc sai định dạng.",
            "en": "The portal refused the record: field '{field}' has a wrong type or format.",
        },
        "sync.dvcqg.refused": {
            "vi": "Cổng từ chối bản ghi (mã lỗi {code}).",
            "en": "The portal refused the record (error code {code}).",
        },
        "sync.dvcqg.not_found": {
            "vi": "Cổng chưa có hồ sơ này nên chưa nhận tiến độ; sẽ gửi lại sau.",
            "en": "The portal does not hold this dossier yet; the step is sent again later.",
        },
        "sync.dvcqg.exists": {
            "vi": "Cổng báo hồ sơ đã có; lần sau sẽ tra cứu rồi gửi dạng cập nhật.",
            "en": "The portal already holds the dossier; next time it is looked up and updated.",
        },
        "sync.dvcqg.moved_on": {
            "vi": "Cổng từ chối bước xử lý: trạng thái hồ sơ trên Cổng đã thay đổi.",
            "en": "The portal refused the step: the dossier's status there has changed.",
        },
        "sync.dvcqg.session": {
            "vi": "Phiên làm việc với Cổng hết hạn nhiều lần liên tiếp.",
            "en": "The portal session expired repeatedly.",
        },
    }
)

_CODE_SHAPE = re.compile(r"^-?[0-9A-Za-z]{1,8}$")
_WORD = re.compile(r"[A-Za-z]+")


class DvcqgDialect(Upstream):
    name = "dvcqg"
    NEEDED = NEEDED
    KNOWN = KNOWN

    def __init__(
        self, store, portal_url: str, credentials: dict[str, str], *, clock=system_now, **wire
    ) -> None:
        super().__init__(store, portal_url, credentials, **wire)
        self.auth_url = self.base + credentials.get("auth_endpoint", AUTH_PATH)
        self.url = self.base + credentials.get("integration_endpoint", INTEGRATION_PATH)
        self.clock = clock
        self.files_url = self.base + credentials.get("files_endpoint", FILES_PATH)
        self.papers = PaperShipper(store, f"dvcqg:{self.base}", self.upload_file, clock)

    # ---- the wire ----
    def _post(self, url: str, body: dict) -> dict:
        headers = {"Content-Type": "application/json", H_DSTCODE: self.creds.get("dstcode", "")}
        data = json.dumps(body, ensure_ascii=False).encode()
        _, envelope = self.exchange("POST", url, data=data, headers=headers, no_service=(404, 405))
        if not isinstance(envelope, dict) or "error_code" not in envelope:
            raise UpstreamFault("sync.answer.malformed", where="error_code", problem="thiếu")
        return envelope

    def log_in(self) -> tuple[str, float]:
        envelope = self._post(
            self.auth_url,
            {"username": self.creds["username"], "password": self.creds["password"]},
        )
        session = envelope.get("session")
        if _code(envelope) not in OK_CODES or not isinstance(session, str) or not session:
            raise LoginRefused(text("sync.dvcqg.login"))
        return session, math.inf  # kept until the portal says it forgot it

    def call(self, service: str, **fields: Any) -> Any:
        """One service call; any non-success answer is tried once more under a fresh login
        (the portal's sessions expire, and no public code says with which error code)."""

        def send(session: str) -> dict:
            body = {"session": session, "madonvi": self.creds["madonvi"], "service": service}
            return self._post(self.url, {**body, **fields})

        envelope = self.authorised(send, forgotten=lambda e: _code(e) not in OK_CODES)
        code = _code(envelope)
        if code in OK_CODES:
            return envelope.get("result")
        if code == E_SESSION:
            raise UpstreamFault("sync.dvcqg.session")
        raise self._refusal(code, str(envelope.get("message") or ""))

    def _refusal(self, code: str, message: str) -> Rejected:
        """A refusal in our words: the portal's message is only searched for the name of
        one of our fields, never quoted."""
        if code == E_NOT_FOUND:
            return Rejected(text("sync.dvcqg.not_found"), permanent=False)
        if code == E_EXISTS:
            return Rejected(text("sync.dvcqg.exists"), permanent=False)
        if code == E_STATUS:
            return MovedOn(text("sync.dvcqg.moved_on"), portal_status=None)
        field = next((w for w in _WORD.findall(message) if w in FIELD_NAMES), None)
        if field:
            return Rejected(text("sync.dvcqg.field", field=field), permanent=True)
        shown = code if _CODE_SHAPE.match(code) else "?"
        return Rejected(text("sync.dvcqg.refused", code=shown), permanent=True)

    def upload_file(self, row, clear: bytes) -> Uploaded:
        """One paper's file to the province system's document store, the session beside it;
        the answer's id and link are what the dossier's lists carry."""

        def send(session: str) -> tuple[int, dict]:
            fields = {"session": session, "MaHoSo": row["dossier_code"],
                      "HashTepTin": row["sha256"]}  # fmt: skip
            body = MultipartBody(fields, upload_name(row), clear)
            headers = {"Content-Type": body.content_type,
                       H_DSTCODE: self.creds.get("dstcode", "")}  # fmt: skip
            return self.exchange("POST", self.files_url, data=body, headers=headers,
                                 no_service=(404, 405))  # fmt: skip

        def refused(answer: tuple[int, dict]) -> bool:
            status, envelope = answer
            return status == 200 and _code(envelope) not in OK_CODES

        status, envelope = self.authorised(send, forgotten=refused)
        paper_no = row["paper_no"]
        if status == 413:
            raise too_large(paper_no, row["size"], envelope.get("max_bytes"))
        if status == 400:
            code = "sync.paper.hash" if "HashTepTin" in str(envelope.get("message")) else None
            if code:
                raise Rejected(text(code, paper_no=paper_no), permanent=False)
            raise Rejected(text("sync.paper.refused", paper_no=paper_no, status=400),
                           permanent=True)  # fmt: skip
        if status != 200 or _code(envelope) not in OK_CODES:
            raise self._refusal(_code(envelope), str(envelope.get("message") or ""))
        result = envelope.get("result")
        if not isinstance(result, dict):
            result = {}
        ident, link = result.get("TepDinhKemId"), result.get("DuongDanTaiTepTin")
        if not isinstance(ident, str) or not ident or not isinstance(link, str) or not link:
            raise UpstreamFault("sync.answer.malformed", where="TepDinhKemId",
                                problem="sync.answer.missing")  # fmt: skip
        link = link if "://" in link else self.base + "/" + link.lstrip("/")
        return Uploaded(ident, link, str(result.get("HashTepTin", "")))

    def file_lists(self, code: str, *, strict: bool = False) -> tuple[list[dict], list[dict]]:
        """`TaiLieuNop` and `DanhSachGiayToKetQua` of a dossier, every file uploaded first
        (`strict`: a file refused for good is raised, not left out; PaperShipper.held)."""
        handed = [handed_file(r["title"], up.upstream_id, up.link)
                  for r, up in self.papers.held(code, "intake", strict=strict)]  # fmt: skip
        results = [result_file(r["title"], up.upstream_id, up.link)
                   for r, up in self.papers.held(code, "result", strict=strict)]  # fmt: skip
        return handed, results

    # ---- what the portal holds ----
    def lookup(self, code: str) -> dict | None:
        """What the portal holds under this code; any non-empty answer means "held", as the
        public integration reads it (the entry's own fields are not relied on)."""
        result = self.call("TraCuuHoSo", mahoso=code)
        if isinstance(result, list) and result:
            return next((r for r in result if isinstance(r, dict)), {})
        return None

    def procedure(self, code: str) -> dict:
        """The portal's TENTTHC and MALINHVUC for a procedure code: kept by the catalogue
        pull (`remember_procedures`), else asked once with `LayThuTuc` and kept. A refused
        look-up never holds the dossier back: it goes with our catalogue's name."""
        known = self.store.sync_state.get(PROCEDURE + code)
        if known is None:
            try:
                result = self.call("LayThuTuc", maTTHC=code)
            except Rejected:
                return {}  # our catalogue's name this time; asked again with the next push
            with self.store.transaction():
                known = remember_procedures(self.store, result if isinstance(result, list) else [])
                known = known.get(code) or {}
                self.store.sync_state.set(PROCEDURE + code, known)
        return known

    # ---- one event ----
    def send(self, item, *, unsure: bool) -> str | None:
        event = item.payload
        if "paper" in event and item.op in ("paper.attach", "paper.remove"):
            return self._papers_changed(event["paper"], unsure)
        if "dossier" not in event or item.op not in ("dossier.receive", "dossier.status"):
            return None  # queue statistics and the like: this interface has no place for them
        if event.get("v") not in SUPPORTED_VERSIONS:
            raise Rejected(text("sync.event_version", v=event.get("v")), permanent=True)
        dossier = dossier_from_row(event["dossier"], self.store.crypto)
        handed, results = self.file_lists(dossier.code)
        record = dossier_item(
            dossier,
            sector=event.get("sector", ""),
            agency_name=self.station.center_name,
            procedure=self.procedure(dossier.procedure_code),
            handed=handed,
            results=results,
        )
        found = self.lookup(dossier.code) if unsure else None
        updating = bool(self.store.sync_state.get(KNOWN + dossier.code)) or found is not None
        if item.op == "dossier.receive" or not updating:
            self.call("DongBoHoSoMC", isUpdating="True" if updating else "False", data=[record])
        previous = event.get("previous")
        step = progress_item(
            dossier,
            previous=DossierStatus(previous) if previous is not None else None,
            actor=event.get("actor", ""),
            at=datetime.fromisoformat(event["at"]),
            note=event.get("note", ""),
            unit=self.station.center_name,
        )
        step_id = f"{dossier.code}@{step['ThoiDiemXuLy']}/{step['TrangThai']}"
        receiving = item.op == "dossier.receive"
        steps = (found or {}).get("QuaTrinhXuLy") or []
        if any(isinstance(s, dict) and same_step(step, s) for s in steps):
            if not receiving:
                self._update(record, updating)
            return dossier.code if receiving else step_id
        try:  # the step first: it names the status it moves from, so a stale move is refused
            self.call("CapNhatTienDoHoSoMC", data=[step])
        except MovedOn as moved:  # where the portal has it, for the clerk's conflict
            held = self.lookup(dossier.code) or {}
            raise MovedOn(moved.reason, portal_status=_status(held.get("TrangThaiHoSo"))) from None
        if receiving:
            return dossier.code
        self._update(record, updating)
        return step_id

    def _papers_changed(self, paper: dict, unsure: bool) -> str:
        """A paper attached or replaced: its file goes up now; a dossier the portal holds is
        pushed again with its lists (one it does not hold yet gets them with its own push)."""
        code = str(paper["dossier_code"])
        handed, results = self.file_lists(code, strict=True)
        known = self.store.sync_state.get(KNOWN + code)
        found = self.lookup(code) if unsure and not known else None
        local = self.store.dossiers.get(code)
        if local is not None and (known or found is not None):
            sector = known.get("sector", "") if isinstance(known, dict) else ""
            record = dossier_item(
                local,
                sector=sector or (found or {}).get("TenLinhVuc", ""),
                agency_name=self.station.center_name,
                procedure=self.procedure(local.procedure_code),
                handed=handed,
                results=results,
            )
            self.call("DongBoHoSoMC", isUpdating="True", data=[record])
        return str(paper["paper_id"])

    def remember(self, item, upstream_id: str | None) -> None:
        """The portal holds this dossier: kept with its sector, which a later push of its
        papers (an event that does not carry it) sends again."""
        if upstream_id and "dossier" in item.payload:
            self.store.sync_state.set(KNOWN + item.entity_id,
                                      {"sector": item.payload.get("sector", "")})  # fmt: skip

    def _update(self, record: dict, updating: bool) -> None:
        """The whole record again after its step (dates, fees, note), when the portal held
        the dossier before this event (else it was just created with it)."""
        if updating:
            self.call("DongBoHoSoMC", isUpdating="True", data=[record])

    # ---- the monthly satisfaction summary ----
    def after_push(self, report) -> None:
        """Closed months whose ratings the portal has not taken as they stand: sent again
        when late ratings changed a month (the portal keeps one summary per month)."""
        today = vn_time(self.clock()).date()
        first = today.replace(day=1)
        for month in _recent_months(first, 13):
            start = datetime(month.year, month.month, 1, tzinfo=vn_time(self.clock()).tzinfo)
            end = datetime(*(_next_month(month).timetuple()[:3]), tzinfo=start.tzinfo)
            rows = self.store.ratings.between(start, end)
            if not rows:
                continue
            summary = self._summary(month, [r["score"] for r in rows])
            if self.store.sync_state.get(SUMMARY + summary["NgayTongHop"]) == summary:
                continue
            month_name = summary["NgayTongHop"]
            try:
                self.call("DongBoDanhGia", data=[summary])
            except Rejected as refused:
                if not refused.permanent:
                    continue  # tried again next round
                # refused for good: kept as sent so it is not sent every round, and shown
                with self.store.transaction():
                    self.store.sync_state.set(SUMMARY + month_name, summary)
                    self.store.sync_state.set(REFUSED + month_name, refused.reason)
                report.set_aside += 1
                report.set_aside_keys.append(f"DongBoDanhGia:{month_name}")
                continue
            with self.store.transaction():
                self.store.sync_state.set(SUMMARY + month_name, summary)
                self.store.sync_state.delete(REFUSED + month_name)
            report.pushed += 1

    def _summary(self, month: date, scores: list[int]) -> dict:
        stored = self.store.settings.get("satisfaction_scale")
        levels = [int(level[0]) for level in stored] if stored else [s for s, *_ in DEFAULT_SCALE]
        return satisfaction_summary(month, scores, top=max(levels), satisfied_from=SATISFIED_FROM)


def remember_procedures(store, items: list) -> dict[str, dict]:
    """Keep the portal's own name and sector code of each procedure listed (inside the
    caller's transaction): the dossier push sends them as `TenTTHC` and `MaLinhVuc`."""
    kept = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("MATTHC"), str):
            continue
        sectors = item.get("LINHVUCTHUCHIEN")
        first = sectors[0] if isinstance(sectors, list) and sectors else {}
        names = {
            "TENTTHC": str(item.get("TENTTHC") or ""),
            "MALINHVUC": str(first.get("MALINHVUC") or "") if isinstance(first, dict) else "",
        }
        store.sync_state.set(PROCEDURE + item["MATTHC"], names)
        kept[item["MATTHC"]] = names
    return kept


def _status(value: Any) -> int | None:
    """A status the portal lists, when it is one (1..10)."""
    text_value = str(value).strip()
    return int(text_value) if text_value.isdigit() and 1 <= int(text_value) <= 10 else None


def _code(envelope: dict) -> str:
    return str(envelope.get("error_code")).strip()


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _recent_months(first_of_this_month: date, count: int) -> list[date]:
    months = []
    month = first_of_this_month
    for _ in range(count):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    return sorted(months)
