"""Dialect `motcua`: a provincial one-door system behind the integration platform (iGate-like).

A bearer token from the client id and secret; a dossier is created with `CreateDossier`
(the system refuses a second create with 409), moved with `CapNhatTienTrinh` (a step,
no key) and `CapNhatTrangThai` (the status now, with fees; setting it twice is harmless).
Exactly-once on our side as in `dvcqg`: an unsure try looks the dossier and its steps up
(`TraCuuHoSo`) before creating or stepping. Errors: 400 a field (set aside), 401 a token to
renew, 403 an account without the right (the round stops), 404 a dossier not held yet (tried
again), 409 on a step or status a move from a status the dossier has left (a conflict for a
clerk), 5xx/502 the link. Codes issued by the server (`GetNextValue`) feed the day's code pool
intake takes from (counter_app/services/code_pool.py; docs/dialects.md). Papers' files go
first through `UploadFile` (iGate's shape: `IdTepTin`, `HashTepTin`), once per paper
(sync/dialects/paper_upload.py), then are named by the dossier's records.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from counter_app.core.clock import system_now
from counter_app.core.messages import register
from counter_app.store.dossiers import dossier_from_row
from counter_app.store.paper_uploads import Uploaded
from sync.adapters import SUPPORTED_VERSIONS
from sync.dialects.base import LoginRefused, MovedOn, Rejected, Upstream, text
from sync.dialects.motcua_fields import dossier_record, file_ref, progress_record, status_record
from sync.dialects.motcua_inbox import is_online_op, pull_inbox, send_decision
from sync.dialects.paper_upload import MultipartBody, PaperShipper, too_large, upload_name
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
        self.acting = None  # the account a round acts for: then it pulls the online inbox
        self.papers = PaperShipper(store, f"motcua:{self.base}", self.upload_file, system_now)

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

    def upload_file(self, row, clear: bytes) -> Uploaded:
        """One paper's file (`UploadFile`, multipart); the answer's id names it later."""

        def send(token: str) -> tuple[int, dict]:
            fields = {"MaHoSo": row["dossier_code"], "HashTepTin": row["sha256"]}
            body = MultipartBody(fields, upload_name(row), clear)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": body.content_type}
            return self.exchange("POST", self.base + "/UploadFile", data=body, headers=headers)

        status, body = self.authorised(send, forgotten=lambda answer: answer[0] == 401)
        body = body if isinstance(body, dict) else {}
        paper_no = row["paper_no"]
        if status in (401, 403):
            raise LoginRefused(text("sync.motcua.login"))
        if status == 413:
            raise too_large(paper_no, row["size"], body.get("max_bytes"))
        if status == 400 and "HashTepTin" in str(body.get("message")):
            raise Rejected(text("sync.paper.hash", paper_no=paper_no), permanent=False)
        data = body.get("data") if status == 200 else None
        if not isinstance(data, dict):
            reason = text("sync.paper.refused", paper_no=paper_no, status=status)
            raise Rejected(reason, permanent=status == 400)
        ident = data.get("IdTepTin")
        if not isinstance(ident, str) or not ident:
            raise UpstreamFault(
                "sync.answer.malformed", where="IdTepTin", problem="sync.answer.missing"
            )
        return Uploaded(ident, "", str(data.get("HashTepTin", "")))

    def _files(self, code: str, kind: str, *, strict: bool = False) -> list[tuple[int, dict]]:
        """(checklist row, file reference) of each current paper of that kind, uploaded
        (`strict`: a file refused for good is raised, not left out; PaperShipper.held)."""
        return [(r["paper_no"], file_ref(r["title"], up.upstream_id, up.sha256))
                for r, up in self.papers.held(code, kind, strict=strict)]  # fmt: skip

    def _held(self, code: str) -> bool:
        """The system holds this dossier: we created it, or it came from its online inbox."""
        return bool(self.store.sync_state.get(KNOWN + code)) or self._online(code)

    def _online(self, code: str) -> bool:
        return self.store.online.get(code) is not None

    def _status(self, dossier, *, previous: int) -> dict:
        """CapNhatTrangThai's element: the status now, from `previous`, with the current
        result files and intake files (papers digitised after the create are named here;
        an online dossier's came from the system)."""
        online = self._online(dossier.code)
        handed = [] if online else [ref for _, ref in self._files(dossier.code, "intake")]
        results = [ref for _, ref in self._files(dossier.code, "result")]
        return status_record(dossier, previous=previous, results=results, handed=handed)

    def lookup(self, code: str) -> dict | None:
        status, body = self.call("GET", "/TraCuuHoSo", params={"MaHoSo": code})
        if status == 404:
            return None
        data = body.get("data") if isinstance(body, dict) else None
        return data if isinstance(data, dict) else None

    # ---- one event ----
    def send(self, item, *, unsure: bool) -> str | None:
        event = item.payload
        if is_online_op(item.op):
            return send_decision(self, item, unsure=unsure)
        if "paper" in event and item.op in ("paper.attach", "paper.remove"):
            return self._papers_changed(event["paper"], unsure)
        if "dossier" not in event or item.op not in ("dossier.receive", "dossier.status"):
            return None
        if event.get("v") not in SUPPORTED_VERSIONS:
            raise Rejected(text("sync.event_version", v=event.get("v")), permanent=True)
        dossier = dossier_from_row(event["dossier"], self.store.crypto)
        held = self._held(dossier.code)
        found = self.lookup(dossier.code) if unsure or not held else None
        if not held and found is None:
            files: dict[int, list[dict]] = {}
            for row, ref in self._files(dossier.code, "intake"):
                files.setdefault(row, []).append(ref)
            record = dossier_record(dossier, agency_code=self.agency, files=files)
            status, body = self.call("POST", "/CreateDossier", json=record)
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
        if not sent:
            self.check_moved(dossier.code, self.call("POST", "/CapNhatTienTrinh", json=[step])[0])
        current = self._status(dossier, previous=previous)
        self.check_moved(dossier.code, self.call("POST", "/CapNhatTrangThai", json=[current])[0])
        return f"{dossier.code}@{step['ThoiDiemXuLy']}/{step['TrangThai']}"

    def _papers_changed(self, paper: dict, unsure: bool) -> str:
        """A paper attached or replaced: its file goes up now; a dossier the system holds
        hears of it through `CapNhatTrangThai` (its status unchanged, so it moves from the
        status it has); one it does not hold yet gets it with its `CreateDossier`."""
        code = str(paper["dossier_code"])
        kind = str(paper.get("kind", "intake"))
        if kind == "intake" and self._online(code):
            return str(paper["paper_id"])  # the system sent us this file
        self._files(code, kind, strict=True)
        held = self._held(code) or (unsure and self.lookup(code))
        local = self.store.dossiers.get(code)
        if held and local is not None:
            current = self._status(local, previous=int(local.status))
            self.check_moved(code, self.call("POST", "/CapNhatTrangThai", json=[current])[0])
        return str(paper["paper_id"])

    def check_moved(self, code: str, status: int) -> None:
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
        the round ends by pulling the online inbox and topping up the day's code pool when
        the engine acts for someone (`acting`, `refill`, set by sync.dialects.make_engine)."""
        if self.acting is not None:
            pull_inbox(self.acting, self, report)
        if self.refill is not None:
            self.refill(self)
