"""Dialect `dvcqg`: the national portal's dossier synchronisation (DongBoHoSoMC family).

The wire has no idempotency key, so exactly-once is made on our side: a dossier is created
(`isUpdating` "False") only when we know the portal does not hold it, either because it was
never tried or because a `TraCuuHoSo` look-up said so after an unsure try; a progress step
is looked up among the steps the portal lists before it is sent again. What the portal
acknowledged is remembered in the same transaction that marks the event synced
(`remember`). There is no pull in this dialect: the station is the record for what it
received. Wire details and their sources: docs/dialects.md.
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
from sync.adapters import SUPPORTED_VERSIONS
from sync.dialects.base import LoginRefused, MovedOn, Rejected, Upstream, text
from sync.dialects.dvcqg_fields import (
    FIELD_NAMES,
    dossier_item,
    progress_item,
    same_step,
    satisfaction_summary,
)
from sync.errors import UpstreamFault

AUTH_PATH = "/auth"
INTEGRATION_PATH = "/integration"
H_DSTCODE = "dstcode"
OK_CODES = ("0", "00")
# The emulator's refusal codes (sync/emulator_dvcqg.py); real systems' codes are unconfirmed,
# so anything else counts as a plain refusal.
E_FIELD, E_SESSION, E_NOT_FOUND, E_EXISTS, E_STATUS = "-1", "-2", "-3", "-4", "-6"
KNOWN = "dvcqg.known:"  # sync_meta: a dossier the portal holds (what it answered)
TRIED = "dvcqg.tried:"  # sync_meta: an event sent at least once without a known outcome
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
        """One service call; a session the portal forgot is renewed once."""

        def send(session: str) -> dict:
            body = {"session": session, "madonvi": self.creds["madonvi"], "service": service}
            return self._post(self.url, {**body, **fields})

        envelope = self.authorised(send, forgotten=lambda e: _code(e) == E_SESSION)
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

    # ---- what the portal holds ----
    def lookup(self, code: str) -> dict | None:
        result = self.call("TraCuuHoSo", mahoso=code)
        if isinstance(result, list):
            found = [r for r in result if isinstance(r, dict) and r.get("MaHoSo") == code]
            return found[0] if found else None
        return None

    def _holds(self, code: str, unsure: bool) -> bool:
        if self.store.sync_state.get(KNOWN + code):
            return True
        return unsure and self.lookup(code) is not None

    # ---- one event ----
    def send(self, item, *, unsure: bool) -> str | None:
        event = item.payload
        if "dossier" not in event or item.op not in ("dossier.receive", "dossier.status"):
            return None  # queue statistics and the like: this interface has no place for them
        if event.get("v") not in SUPPORTED_VERSIONS:
            raise Rejected(text("sync.event_version", v=event.get("v")), permanent=True)
        dossier = dossier_from_row(event["dossier"], self.store.crypto)
        record = dossier_item(
            dossier, sector=event.get("sector", ""), agency_name=self.station.center_name
        )
        updating = self._holds(dossier.code, unsure)
        if item.op == "dossier.receive" or not updating:
            self.call("DongBoHoSoMC", isUpdating="True" if updating else "False", data=[record])
        if item.op == "dossier.receive":
            return dossier.code
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
        if unsure:
            found = self.lookup(dossier.code) or {}
            steps = found.get("QuaTrinhXuLy") or []
            if any(isinstance(s, dict) and same_step(step, s) for s in steps):
                self._update(record, updating)
                return step_id
        try:  # the step first: it names the status it moves from, so a stale move is refused
            self.call("CapNhatTienDoHoSoMC", data=[step])
        except MovedOn as moved:  # where the portal has it, for the clerk's conflict
            found = self.lookup(dossier.code) or {}
            status = _status(found.get("TrangThaiHoSo"))
            raise MovedOn(moved.reason, portal_status=status) from None
        self._update(record, updating)
        return step_id

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
