"""Dialect `motcua`: a provincial one-door system behind the integration platform (iGate-like).

A bearer token from the client id and secret; a dossier is created with `CreateDossier`
(the system refuses a second create with 409), moved with `CapNhatTienTrinh` (a step,
no key) and `CapNhatTrangThai` (the status now, with fees; setting it twice is harmless).
Exactly-once on our side as in `dvcqg`: an unsure try looks the dossier and its steps up
(`TraCuuHoSo`) before creating or stepping. Errors: 400 a field (set aside), 401 a token to
renew, 403 an account without the right (the round stops), 404 a dossier not held yet (tried
again), 409 on a step or status a move from a status the dossier has left (a conflict for a
clerk), 5xx/502 the link. Codes issued by the server (`GetNextValue`) feed the day's code pool
intake takes from (counter_app/services/code_pool.py; docs/dialects.md).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from counter_app.core.messages import register
from counter_app.store.dossiers import dossier_from_row
from sync.adapters import SUPPORTED_VERSIONS
from sync.dialects.base import LoginRefused, MovedOn, Rejected, Upstream, text
from sync.dialects.motcua_fields import dossier_record, progress_record, status_record
from sync.errors import UpstreamFault

KNOWN = "motcua.known:"
NEEDED = ("client_id", "client_secret")
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
        "sync.motcua.moved_on": {
            "vi": "Hệ thống một cửa từ chối chuyển trạng thái: hồ sơ trên hệ thống đã ở trạng "
            "thái khác.",
            "en": "The one-door system refused the move: the dossier has another status there.",
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


class MotcuaDialect(Upstream):
    name = "motcua"
    NEEDED = NEEDED
    KNOWN = KNOWN

    def __init__(self, store, portal_url: str, credentials: dict[str, str], **wire) -> None:
        super().__init__(store, portal_url, credentials, **wire)
        self.agency = credentials.get("agency") or self.station.agency_code
        self.refill = None  # a callable(dialect) that refills the code pool after a round

    # ---- the wire ----
    def log_in(self) -> tuple[str, float]:
        status, body = self.exchange(
            "POST",
            self.base + "/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.creds["client_id"],
                "client_secret": self.creds["client_secret"],
            },
        )
        token = body.get("access_token") if isinstance(body, dict) else None
        if status != 200 or not isinstance(token, str) or not token:
            raise LoginRefused(text("sync.motcua.login"))
        expires = body.get("expires_in")
        ttl = float(expires) if isinstance(expires, (int, float)) else 300.0
        return token, max(10.0, ttl - 30.0)

    def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """One authorised call; a token the system no longer takes is renewed once."""

        def send(token: str) -> tuple[int, Any]:
            headers = {"Authorization": f"Bearer {token}"}
            return self.exchange(method, self.base + path, headers=headers, **kwargs)

        status, body = self.authorised(send, forgotten=lambda answer: answer[0] == 401)
        if status in (401, 403):
            raise LoginRefused(text("sync.motcua.login"))
        if status == 400:
            message = str(body.get("message", "")) if isinstance(body, dict) else ""
            field = next((w for w in _FIELD.findall(message) if w in FIELDS), None)
            if field:
                raise Rejected(text("sync.motcua.field", field=field), permanent=True)
            raise Rejected(text("sync.motcua.refused", status=400), permanent=True)
        return status, body

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
            raise Rejected(text("sync.event_version", v=event.get("v")), permanent=True)
        dossier = dossier_from_row(event["dossier"], self.store.crypto)
        held = self.store.sync_state.get(KNOWN + dossier.code)
        found = self.lookup(dossier.code) if unsure or not held else None
        if not held and found is None:
            status, body = self.call(
                "POST", "/CreateDossier", json=dossier_record(dossier, agency_code=self.agency)
            )
            if status == 404:  # a code the system neither issued nor reserved for us
                raise Rejected(text("sync.motcua.unknown_code"), permanent=True)
            if status not in (200, 201):  # 409 cannot follow a look-up saying "not held"
                raise Rejected(text("sync.motcua.refused", status=status), permanent=True)
        if item.op == "dossier.receive":
            return dossier.code
        previous = event.get("previous")
        previous = int(dossier.status) if previous is None else int(previous)
        step = progress_record(
            dossier,
            previous=previous,
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
        record = status_record(dossier, previous=previous)
        if not sent:
            self._moved(dossier.code, self.call("POST", "/CapNhatTienTrinh", json=[step])[0])
        self._moved(dossier.code, self.call("POST", "/CapNhatTrangThai", json=[record])[0])
        return f"{dossier.code}@{step['ThoiDiemXuLy']}/{step['TrangThai']}"

    def _moved(self, code: str, status: int) -> None:
        if status == 404:
            raise Rejected(text("sync.motcua.not_found"), permanent=False)
        if status == 409:  # the dossier left the status this move starts from
            found = self.lookup(code) or {}
            portal = found.get("TrangThai")
            known = isinstance(portal, int) and not isinstance(portal, bool) and 1 <= portal <= 10
            raise MovedOn(text("sync.motcua.moved_on"), portal_status=portal if known else None)
        if status not in (200, 201):
            raise Rejected(text("sync.motcua.refused", status=status), permanent=True)

    def after_push(self, report) -> None:
        """No satisfaction summary on this wire (it goes to the portal through `dvcqg`);
        the round ends by topping up the day's code pool when the engine acts for someone
        (`refill`, set by sync.dialects.make_engine)."""
        if self.refill is not None:
            self.refill(self)
