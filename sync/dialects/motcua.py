"""Dialect `motcua`: a provincial one-door system behind the integration platform (iGate-like).

A bearer token from the client id and secret; a dossier is created with `CreateDossier`
(the system refuses a second create with 409), moved with `CapNhatTienTrinh` (a step,
no key) and `CapNhatTrangThai` (the status now, with fees; setting it twice is harmless).
Exactly-once on our side as in `dvcqg`: an unsure try looks the dossier and its steps up
(`TraCuuHoSo`) before creating or stepping. Errors: 400 a field (set aside), 401 a token to
renew, 403 an account without the right (the round stops), 404 a dossier not held yet (tried
again), 5xx/502 the link. Codes issued by the server (`GetNextValue`) and the offline code
pool are designed in docs/dialects.md, not wired into intake yet.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from counter_app.core.errors import ValidationError
from counter_app.core.messages import MESSAGES, register
from counter_app.services.station import load_station
from counter_app.store.dossiers import dossier_from_row
from sync.adapters import SUPPORTED_VERSIONS
from sync.dialects.base import LoginRefused, Rejected
from sync.dialects.motcua_fields import dossier_record, progress_record, status_record
from sync.errors import UpstreamFault

KNOWN = "motcua.known:"
NEEDED = ("client_id", "client_secret")
ANSWER_LIMIT = 4_000_000
_FIELD = re.compile(r"[A-Za-z]+")
# An issued code as we may print it: the upstream's own shape (G09.20-20260609-0092637), never
# our 2018 pattern; only letters, digits and . - _ / so a hostile answer cannot print text.
_ISSUED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")

register(
    {
        "sync.motcua.login": {
            "vi": "Hệ thống một cửa không cấp quyền cho tài khoản kết nối (mã ứng dụng hoặc "
            "khóa bí mật sai, hoặc chưa được phân quyền).",
            "en": "The one-door system refused the client id or secret, or its rights.",
        },
        "sync.motcua.field": {
            "vi": "Hệ thống một cửa từ chối bản ghi: trường «{field}» không hợp lệ.",
            "en": "The one-door system refused the record: field '{field}' is not valid.",
        },
        "sync.motcua.refused": {
            "vi": "Hệ thống một cửa từ chối bản ghi (HTTP {status}).",
            "en": "The one-door system refused the record (HTTP {status}).",
        },
        "sync.motcua.unknown_code": {
            "vi": "Hệ thống một cửa không nhận mã hồ sơ này (MaHoSo): mã không do hệ thống "
            "cấp và không thuộc dải số dự phòng của trạm; kiểm tra dải số đã thống nhất với tỉnh.",
            "en": "The one-door system does not take this dossier code (MaHoSo): it neither "
            "issued it nor reserved its block for this station; check the agreed block.",
        },
        "sync.motcua.not_found": {
            "vi": "Hệ thống một cửa chưa có hồ sơ này; sẽ gửi lại sau.",
            "en": "The one-door system does not hold this dossier yet; sent again later.",
        },
    }
)
FIELDS = frozenset(
    [
        "MaHoSo",
        "MaTTHC",
        "MaDichVuCong",
        "ChuHoSo",
        "LoaiDoiTuong",
        "MaDonViTiepNhan",
        "NgayNop",
        "NgayTiepNhan",
        "NgayHenTra",
        "ThanhPhanHoSo",
        "TenThanhPhanHoSo",
        "SoLuong",
        "LoaiBan",
        "GiayToDinhKem",
        "ThongTinNguoiNop",
        "ThongTinChiTiet",
        "TenNguoiNop",
        "SoDinhDanh",
        "SoDienThoai",
        "Email",
        "DiaChiChiTiet",
        "NguoiXuLy",
        "ThoiDiemXuLy",
        "PhongBanXuLy",
        "NoiDungXuLy",
        "TrangThai",
        "NgayBatDau",
        "NgayKetThucTheoQuyDinh",
        "LePhi",
        "TenPhiLePhi",
        "SoTien",
    ]
)


def _text(code: str, **params: Any) -> str:
    return MESSAGES[code]["vi"].format(**params)


class MotcuaDialect:
    name = "motcua"
    pulls = False

    def __init__(
        self,
        store,
        portal_url: str,
        credentials: dict[str, str],
        *,
        session: Any = None,
        timeout: tuple[float, float] = (5.0, 60.0),
    ) -> None:
        missing = [k for k in NEEDED if not credentials.get(k)]
        if missing:
            raise ValidationError("sync.no_credentials", field="sync", missing=", ".join(missing))
        self.store = store
        self.base = portal_url.rstrip("/")
        self.creds = credentials
        self.http = session or requests.Session()
        self.timeout = timeout
        self.station = load_station(store)
        self.agency = credentials.get("agency") or self.station.agency_code
        self._token: str | None = None
        self._expires = 0.0
        self.clock_offset: float | None = None
        self.requests = 0
        self.refill = None  # a callable(dialect) that refills the code pool after a round

    # ---- the wire ----
    def _request(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        self.requests += 1
        try:
            answer = self.http.request(
                method, self.base + path, timeout=self.timeout, stream=True, **kwargs
            )
            raw = answer.raw.read(ANSWER_LIMIT + 1, decode_content=True)
        except requests.Timeout:
            raise UpstreamFault("sync.link.timeout", seconds=self.timeout[1]) from None
        except (requests.RequestException, OSError):
            raise UpstreamFault("sync.link.down") from None
        try:
            theirs = parsedate_to_datetime(answer.headers.get("Date") or "")
            self.clock_offset = (theirs - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            pass
        if answer.status_code >= 500:
            raise UpstreamFault("sync.portal.unavailable", status=answer.status_code)
        if len(raw) > ANSWER_LIMIT:
            raise UpstreamFault("sync.answer.too_large", limit=ANSWER_LIMIT)
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            raise UpstreamFault("sync.answer.unreadable") from None
        return answer.status_code, body

    def token(self) -> str:
        if self._token and time.monotonic() < self._expires:
            return self._token
        status, body = self._request(
            "POST",
            "/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.creds["client_id"],
                "client_secret": self.creds["client_secret"],
            },
        )
        token = body.get("access_token") if isinstance(body, dict) else None
        if status != 200 or not isinstance(token, str) or not token:
            raise LoginRefused(_text("sync.motcua.login"))
        expires = body.get("expires_in")
        ttl = float(expires) if isinstance(expires, (int, float)) else 300.0
        self._token, self._expires = token, time.monotonic() + max(10.0, ttl - 30.0)
        return token

    def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """One authorised call; a token the system no longer takes is renewed once."""
        for _ in range(2):
            headers = {"Authorization": f"Bearer {self.token()}"}
            status, body = self._request(method, path, headers=headers, **kwargs)
            if status != 401:
                break
            self._token = None
        if status in (401, 403):
            raise LoginRefused(_text("sync.motcua.login"))
        if status == 400:
            message = str(body.get("message", "")) if isinstance(body, dict) else ""
            field = next((w for w in _FIELD.findall(message) if w in FIELDS), None)
            if field:
                raise Rejected(_text("sync.motcua.field", field=field), permanent=True)
            raise Rejected(_text("sync.motcua.refused", status=400), permanent=True)
        return status, body

    def test_connection(self) -> None:
        self.token()

    def next_code(self) -> str:
        """A dossier code the system issues for our agency (`GetNextValue`): the code pool's
        source (counter_app/services/code_pool.py)."""
        status, body = self.call("GET", "/GetNextValue", params={"code": self.agency})
        value = body.get("value") if isinstance(body, dict) else None
        if status != 200 or not isinstance(value, str):
            raise UpstreamFault(
                "sync.answer.malformed", where="value", problem="sync.answer.missing"
            )
        if not _ISSUED.match(value):
            raise UpstreamFault(
                "sync.answer.malformed", where="value", problem="sync.answer.not_allowed"
            )
        return value

    def lookup(self, code: str) -> dict | None:
        status, body = self.call("GET", "/TraCuuHoSo", params={"MaHoSo": code})
        if status == 404:
            return None
        data = body.get("data") if isinstance(body, dict) else None
        return data if isinstance(data, dict) else None

    # ---- one event ----
    def send(self, item, *, unsure: bool) -> str | None:
        event = item.payload
        if "dossier" not in event or item.op not in ("dossier.receive", "dossier.status"):
            return None
        if event.get("v") not in SUPPORTED_VERSIONS:
            raise Rejected(_text("sync.event_version", v=event.get("v")), permanent=True)
        dossier = dossier_from_row(event["dossier"], self.store.crypto)
        held = self.store.sync_state.get(KNOWN + dossier.code)
        found = self.lookup(dossier.code) if unsure or not held else None
        if not held and found is None:
            status, body = self.call(
                "POST", "/CreateDossier", json=dossier_record(dossier, agency_code=self.agency)
            )
            if status == 404:  # a code the system neither issued nor reserved for us
                raise Rejected(_text("sync.motcua.unknown_code"), permanent=True)
            if status not in (200, 201):  # 409 cannot follow a look-up saying "not held"
                raise Rejected(_text("sync.motcua.refused", status=status), permanent=True)
        if item.op == "dossier.receive":
            return dossier.code
        step = progress_record(
            dossier,
            actor=event.get("actor", ""),
            at=datetime.fromisoformat(event["at"]),
            note=event.get("note", ""),
            unit=self.station.center_name,
        )
        steps = (found or {}).get("TienTrinh") or [] if unsure else []
        sent = any(
            isinstance(s, dict)
            and s.get("ThoiDiemXuLy") == step["ThoiDiemXuLy"]
            and s.get("TrangThai") == step["TrangThai"]
            for s in steps
        )
        if not sent:
            self._moved(self.call("POST", "/CapNhatTienTrinh", json=[step])[0])
        self._moved(self.call("POST", "/CapNhatTrangThai", json=[status_record(dossier)])[0])
        return f"{dossier.code}@{step['ThoiDiemXuLy']}/{step['TrangThai']}"

    @staticmethod
    def _moved(status: int) -> None:
        if status == 404:
            raise Rejected(_text("sync.motcua.not_found"), permanent=False)
        if status not in (200, 201):
            raise Rejected(_text("sync.motcua.refused", status=status), permanent=True)

    def remember(self, item, upstream_id: str | None) -> None:
        if upstream_id and "dossier" in item.payload:
            self.store.sync_state.set(KNOWN + item.entity_id, True)

    def after_push(self, report) -> None:
        """No satisfaction summary on this wire (it goes to the portal through `dvcqg`);
        the round ends by topping up the day's code pool when the engine acts for someone
        (`refill`, set by sync.dialects.make_engine)."""
        if self.refill is not None:
            self.refill(self)
