"""An emulator of a provincial one-door system behind the integration platform (dialect
`motcua`): a real HTTP server on its own SQLite file.

`POST /token` (client credentials) gives a bearer token; `GET /GetNextValue?code=AGENCY`
issues today's next dossier code; `POST /CreateDossier` (409 when held), `POST
/CapNhatTienTrinh` and `POST /CapNhatTrangThai` (404 for a dossier not held), `GET
/TraCuuHoSo?MaHoSo=` (the dossier with its steps in `TienTrinh`); `POST /UploadFile` keeps a
paper's file (iGate's shape: the answer's `IdTepTin` and `HashTepTin`; sync/emulator_files.py)
that `ThanhPhanHoSo[].GiayToDinhKem` of `CreateDossier`, and `GiayToKetQua` (results) and
`GiayToDinhKem` (papers digitised after the create) of `CapNhatTrangThai` then name, each
checked against what it holds. The citizens' online dossiers wait in an inbox
(`LayDanhSachHoSo`, `CapNhatDaNhanHoSo`, `TaiTepTin`; sync/emulator_online.py). Fields are
checked strictly: numbers must be numbers, times
`yyyy-MM-dd HH:mm:ss` (dossiers) or ISO (steps), addresses ASCII; a wrong one gets 400
naming it. The reference emulator's faults apply; 502 stands for the platform failing. What
it holds is listed under /_emulator/.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sync.emulator_files import DEFAULT_CAP, FileRefused, FileStore
from sync.emulator_http import QuietServer, ServedEmulator, carries
from sync.emulator_online import FILE_PATH, ONLINE_PATHS, OnlineInbox
from sync.emulator_state import Faults, Link, _sleep

DB = "motcua-emulator.db"
ROUTES = {"/token": "POST", "/GetNextValue": "GET", "/TraCuuHoSo": "GET", "/UploadFile": "POST"}
ROUTES.update(dict.fromkeys(("/CreateDossier", "/CapNhatTienTrinh", "/CapNhatTrangThai"), "POST"))
ROUTES.update(ONLINE_PATHS)
DEFAULT_CLIENT = {"client_id": "xa-tan-lap", "client_secret": "khoa-bi-mat-gia-lap"}
_EMAIL = re.compile(r"^([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})?$")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS dossiers (code TEXT PRIMARY KEY, id TEXT NOT NULL,
    record TEXT NOT NULL, status INTEGER NOT NULL, fees TEXT NOT NULL DEFAULT '[]',
    results TEXT NOT NULL DEFAULT '[]', attached TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS steps (n INTEGER PRIMARY KEY, code TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS codes (day TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS issued (code TEXT PRIMARY KEY, agency TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reserved (agency TEXT PRIMARY KEY, first INTEGER NOT NULL,
    last INTEGER NOT NULL);
"""
_VN = timezone(timedelta(hours=7))  # the province's day, whatever this machine's zone
_OFFLINE = re.compile(r"^(.+)-(\d{8})-(\d{7})$")


class Bad(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _time(name: str, value: Any, fmt: str, *, required: bool = False) -> None:
    if not isinstance(value, str) or (required and not value):
        raise Bad(400, f"Trường {name} phải là chuỗi thời gian")
    if value:
        try:
            datetime.strptime(value, fmt)
        except ValueError:
            raise Bad(400, f"Trường {name} sai định dạng thời gian") from None
        if len(value) != len(datetime(2000, 1, 1).strftime(fmt)):
            raise Bad(400, f"Trường {name} sai định dạng thời gian")


def _str(name: str, value: Any, limit: int = 2000, *, required: bool = False) -> None:
    if not isinstance(value, str) or len(value) > limit or (required and not value):
        raise Bad(400, f"Trường {name} phải là chuỗi (tối đa {limit} ký tự)")


def _int(name: str, value: Any, allowed: range) -> None:
    if type(value) is not int or value not in allowed:
        raise Bad(400, f"Trường {name} phải là số nguyên")


def check_dossier(d: Any) -> None:
    if not isinstance(d, dict):
        raise Bad(400, "Dữ liệu hồ sơ phải là đối tượng")
    for name in ("MaHoSo", "MaTTHC", "MaDichVuCong", "MaDonViTiepNhan"):
        _str(name, d.get(name), 100, required=True)
    _str("ChuHoSo", d.get("ChuHoSo"), required=True)
    _int("LoaiDoiTuong", d.get("LoaiDoiTuong"), range(1, 3))
    _time("NgayNop", d.get("NgayNop"), "%Y-%m-%d %H:%M:%S", required=True)
    _time("NgayTiepNhan", d.get("NgayTiepNhan"), "%Y-%m-%d %H:%M:%S", required=True)
    _time("NgayHenTra", d.get("NgayHenTra", ""), "%Y-%m-%d %H:%M:%S")
    parts = d.get("ThanhPhanHoSo")
    if not isinstance(parts, list):
        raise Bad(400, "Trường ThanhPhanHoSo phải là danh sách")
    for part in parts:
        if not isinstance(part, dict):
            raise Bad(400, "Trường ThanhPhanHoSo phải chứa các đối tượng")
        _str("TenThanhPhanHoSo", part.get("TenThanhPhanHoSo"), required=True)
        _int("SoLuong", part.get("SoLuong"), range(1, 1000))
        _int("LoaiBan", part.get("LoaiBan"), range(1, 4))
        files = part.get("GiayToDinhKem", [])
        if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
            raise Bad(400, "Trường GiayToDinhKem phải là danh sách đối tượng")
    who = d.get("ThongTinNguoiNop")
    detail = who.get("ThongTinChiTiet") if isinstance(who, dict) else None
    if not isinstance(detail, dict):
        raise Bad(400, "Trường ThongTinNguoiNop phải có ThongTinChiTiet")
    _int("LoaiDoiTuong", who.get("LoaiDoiTuong"), range(1, 3))
    _str("TenNguoiNop", detail.get("TenNguoiNop"), required=True)
    soid = detail.get("SoDinhDanh", "")
    if not isinstance(soid, str) or (soid and not re.fullmatch(r"\d{12}", soid)):
        raise Bad(400, "Trường SoDinhDanh phải là chuỗi 12 chữ số")
    _str("SoDienThoai", detail.get("SoDienThoai", ""), 20)
    email = detail.get("Email", "")
    if not isinstance(email, str) or not _EMAIL.match(email):
        raise Bad(400, "Trường Email sai định dạng")
    _str("DiaChiChiTiet", detail.get("DiaChiChiTiet", ""))


def check_step(s: Any) -> None:
    if not isinstance(s, dict):
        raise Bad(400, "Dữ liệu tiến trình phải là đối tượng")
    _str("MaHoSo", s.get("MaHoSo"), 100, required=True)
    for name in ("NguoiXuLy", "PhongBanXuLy", "NoiDungXuLy"):
        _str(name, s.get(name, ""))
    _time("ThoiDiemXuLy", s.get("ThoiDiemXuLy"), "%Y-%m-%dT%H:%M:%S", required=True)
    _time("NgayBatDau", s.get("NgayBatDau", ""), "%Y-%m-%dT%H:%M:%S")
    _time("NgayKetThucTheoQuyDinh", s.get("NgayKetThucTheoQuyDinh", ""), "%Y-%m-%dT%H:%M:%S")
    _int("TrangThaiTruoc", s.get("TrangThaiTruoc"), range(1, 11))
    _int("TrangThai", s.get("TrangThai"), range(1, 11))


def check_status(s: Any) -> None:
    if not isinstance(s, dict):
        raise Bad(400, "Dữ liệu trạng thái phải là đối tượng")
    _str("MaHoSo", s.get("MaHoSo"), 100, required=True)
    _int("TrangThaiTruoc", s.get("TrangThaiTruoc"), range(1, 11))
    _int("TrangThai", s.get("TrangThai"), range(1, 11))
    fees = s.get("LePhi", [])
    if not isinstance(fees, list):
        raise Bad(400, "Trường LePhi phải là danh sách")
    for fee in fees:
        if not isinstance(fee, dict):
            raise Bad(400, "Trường LePhi phải chứa các đối tượng")
        _str("TenPhiLePhi", fee.get("TenPhiLePhi"), required=True)
        _int("SoTien", fee.get("SoTien"), range(0, 10**12))
    for name in ("GiayToKetQua", "GiayToDinhKem"):
        named = s.get(name, [])
        if not isinstance(named, list) or not all(isinstance(f, dict) for f in named):
            raise Bad(400, f"Trường {name} phải là danh sách đối tượng")


def check_files(files: FileStore, code: str, named: list[dict], field: str) -> None:
    """Every file a record names is one this dossier uploaded, with the same hash."""
    for entry in named:
        held = files.held(str(entry.get("IdTepTin", "")))
        if held is None or held.dossier != code or entry.get("HashTepTin") != held.sha256:
            raise Bad(400, f"Trường {field} nêu tệp chưa tải lên (IdTepTin/HashTepTin)")
        _str("TenTep", entry.get("TenTep"), 255, required=True)


class MotcuaState:
    def __init__(
        self,
        data_dir: Path | str,
        *,
        client: dict[str, str],
        token_ttl: float,
        reserved: dict[str, tuple[int, int]] | None = None,
        check_codes: bool = True,
        max_file_bytes: int = DEFAULT_CAP,
    ) -> None:
        folder = Path(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(folder / DB), isolation_level=None, check_same_thread=False)
        self.conn.executescript(_SCHEMA)
        # an emulator need not outlive a power cut: its commits are not what a bench measures
        self.conn.execute("PRAGMA synchronous = OFF")
        self.lock = threading.Lock()
        self.files = FileStore(folder, self.conn, self.lock, cap=max_file_bytes)
        self.online = OnlineInbox(self)  # the citizens' online dossiers (sync/emulator_online.py)
        self.client, self.token_ttl = client, token_ttl
        self.faults, self.link = Faults(), Link()
        self.counts = dict.fromkeys(("requests", "refused", "creates", "conflicts", "lookups"), 0)
        self.counts.update(faults_5xx=0, faults_drop_before=0, faults_drop_after=0)
        self._rng = __import__("random").Random()
        self.failing: set[str] = set()  # dossier codes answered 502 whatever the call (tests)
        self.day: str | None = None  # the day codes are issued for, YYYYMMDD; None: today
        self.check_codes = check_codes  # off: any MaHoSo is taken (the spec test's fuzzing)
        for agency, (first, last) in (reserved or {}).items():
            self.reserve(agency, first, last)

    def set_faults(self, faults: Faults) -> None:
        self.faults = faults
        self._rng.seed(faults.seed)

    def roll(self, rate: float) -> bool:
        return rate > 0 and self._rng.random() < rate

    def bump(self, name: str) -> None:
        with self.lock:
            self.counts[name] += 1

    def issue_token(self, form: dict) -> tuple[int, dict]:
        given = (form.get("client_id"), form.get("client_secret"))
        if form.get("grant_type") != "client_credentials" or given != (
            self.client["client_id"],
            self.client["client_secret"],
        ):
            return 401, {"error": "invalid_client"}
        token = secrets.token_urlsafe(18)
        with self.lock:
            self.conn.execute(
                "INSERT INTO tokens VALUES (?, ?)", (token, time.time() + self.token_ttl)
            )
        return 200, {
            "access_token": token,
            "expires_in": int(self.token_ttl),
            "token_type": "Bearer",
        }

    def authorised(self, header: str | None) -> bool:
        token = (header or "").removeprefix("Bearer ").strip()
        with self.lock:
            row = self.conn.execute(
                "SELECT expires FROM tokens WHERE token = ?", (token,)
            ).fetchone()
        return row is not None and row[0] > time.time()

    def route(self, method: str, path: str, query: dict, body: Any) -> tuple[int, dict]:
        if method == "GET":
            name = "code" if path == "/GetNextValue" else "MaHoSo"
            value = query.get(name, [""])[0]
            if not value or set(query) != {name} or len(query[name]) != 1:
                raise Bad(400, f"Cần đúng một tham số {name}")
            if path == "/GetNextValue":
                return 200, {"value": self.next_code(value)}
            return self.lookup(value)
        if method != "POST" or path not in (
            "/CreateDossier",
            "/CapNhatTienTrinh",
            "/CapNhatTrangThai",
        ):
            return 404, {"message": "Không có dịch vụ"}
        if path == "/CreateDossier":
            check_dossier(body)
            return self.create(body)
        if not isinstance(body, list) or not body:
            raise Bad(400, "Dữ liệu phải là danh sách không rỗng")
        for entry in body:
            (check_step if path == "/CapNhatTienTrinh" else check_status)(entry)
            for name in ("GiayToKetQua", "GiayToDinhKem"):
                check_files(self.files, entry["MaHoSo"], entry.get(name, []), name)
        with self.lock, self.conn:
            for entry in body:
                row = self.conn.execute(
                    "SELECT status FROM dossiers WHERE code = ?", (entry["MaHoSo"],)
                ).fetchone()
                if row is None:
                    return 404, {"message": f"Không tìm thấy hồ sơ {entry['MaHoSo']}"}
                # a move from a status the dossier has left is refused; one to where it
                # already is changes nothing and is taken
                if row[0] not in (entry["TrangThai"], entry["TrangThaiTruoc"]):
                    return 409, {"message": "Trạng thái hồ sơ đã thay đổi", "TrangThai": row[0]}
            for entry in body:
                if path == "/CapNhatTienTrinh":
                    self.conn.execute(
                        "INSERT INTO steps(code, record) VALUES (?, ?)",
                        (entry["MaHoSo"], json.dumps(entry, ensure_ascii=False)),
                    )
                else:
                    self.conn.execute(
                        "UPDATE dossiers SET status = ?, fees = ?, results = ?, attached = ? "
                        "WHERE code = ?",
                        (entry["TrangThai"], json.dumps(entry.get("LePhi", [])),
                         json.dumps(entry.get("GiayToKetQua", [])),
                         json.dumps(entry.get("GiayToDinhKem", [])), entry["MaHoSo"]),
                    )  # fmt: skip
                    self.online.saw(entry["MaHoSo"], entry["TrangThai"])
        return 200, {"message": "Thành công"}

    def reserve(self, agency: str, first: int, last: int) -> None:
        """The block of the daily sequence this agency's station uses offline (agreed with
        the province): never issued by `GetNextValue`, accepted on `CreateDossier`."""
        with self.lock, self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO reserved VALUES (?, ?, ?)", (agency, first, last)
            )

    def next_code(self, agency: str) -> str:
        day = self.day or datetime.now(_VN).strftime("%Y%m%d")
        with self.lock, self.conn:
            row = self.conn.execute("SELECT last FROM codes WHERE day = ?", (day,)).fetchone()
            last = (row[0] if row else 0) + 1
            block = self.conn.execute(
                "SELECT first, last FROM reserved WHERE agency = ?", (agency,)
            ).fetchone()
            if block and block[0] <= last <= block[1]:
                last = block[1] + 1  # the reserved block is the station's, never ours
            self.conn.execute(
                "INSERT INTO codes VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET last = ?",
                (day, last, last),
            )
            code = f"{agency}-{day}-{last:07d}"
            self.conn.execute("INSERT INTO issued VALUES (?, ?)", (code, agency))
        return code

    def known_code(self, code: str, agency: str) -> bool:
        """Issued by us, or in the block reserved for the receiving agency."""
        row = self.conn.execute("SELECT 1 FROM issued WHERE code = ?", (code,)).fetchone()
        if row is not None:
            return True
        match = _OFFLINE.match(code)
        if not match or match.group(1) != agency:
            return False
        block = self.conn.execute(
            "SELECT first, last FROM reserved WHERE agency = ?", (agency,)
        ).fetchone()
        return block is not None and block[0] <= int(match.group(3)) <= block[1]

    def create(self, record: dict) -> tuple[int, dict]:
        for part in record["ThanhPhanHoSo"]:
            check_files(self.files, record["MaHoSo"], part.get("GiayToDinhKem", []),
                        "GiayToDinhKem")  # fmt: skip
        with self.lock, self.conn:
            if self.check_codes and not self.known_code(
                record["MaHoSo"], record["MaDonViTiepNhan"]
            ):
                return 404, {
                    "message": "Mã hồ sơ không do hệ thống cấp, cũng không thuộc dải số "
                    "dự phòng của đơn vị"
                }
            held = self.conn.execute(
                "SELECT id FROM dossiers WHERE code = ?", (record["MaHoSo"],)
            ).fetchone()
            if held:
                self.counts["conflicts"] += 1
                return 409, {"message": "Hồ sơ đã tồn tại", "data": {"idHoSo": held[0]}}
            ident = secrets.token_hex(8)
            self.conn.execute(
                "INSERT INTO dossiers(code, id, record, status) VALUES (?, ?, ?, 2)",
                (record["MaHoSo"], ident, json.dumps(record, ensure_ascii=False)),
            )
            self.counts["creates"] += 1
        return 200, {"data": {"idHoSo": ident, "maHoSo": record["MaHoSo"]}}

    def lookup(self, code: str) -> tuple[int, dict]:
        self.bump("lookups")
        with self.lock:
            row = self.conn.execute(
                "SELECT id, status FROM dossiers WHERE code = ?", (code,)
            ).fetchone()
            steps = self.conn.execute(
                "SELECT record FROM steps WHERE code = ? ORDER BY n", (code,)
            ).fetchall()
        if row is None:
            return 404, {"message": "Không tìm thấy hồ sơ"}
        data = {"idHoSo": row[0], "MaHoSo": code, "TrangThai": row[1]}
        return 200, {"data": {**data, "TienTrinh": [json.loads(s[0]) for s in steps]}}

    def holdings(self) -> dict:
        with self.lock:
            rows = self.conn.execute(
                "SELECT record, status, fees, results, attached FROM dossiers ORDER BY code"
            )
            dossiers = [
                {"record": json.loads(r[0]), "TrangThai": r[1], "LePhi": json.loads(r[2]),
                 "GiayToKetQua": json.loads(r[3]), "GiayToDinhKem": json.loads(r[4])}
                for r in rows.fetchall()
            ]  # fmt: skip
            steps = self.conn.execute("SELECT record FROM steps ORDER BY n").fetchall()
        return {"dossiers": dossiers, "steps": [json.loads(s[0]) for s in steps]}

    def stats(self) -> dict:
        with self.lock:
            stored = self.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
            steps = self.conn.execute("SELECT count(*) FROM steps").fetchone()[0]
            issued = self.conn.execute("SELECT count(*) FROM issued").fetchone()[0]
            return {
                "dossiers_stored": stored,
                "steps_stored": steps,
                "codes_issued": issued,
                **self.counts,
            }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: QuietServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def __getattr__(self, name: str) -> Any:
        """Any other method gets the JSON 405 with Allow, not http.server's bare 501."""
        if name.startswith("do_"):
            return lambda: self._handle(name[3:])
        raise AttributeError(name)

    def _handle(self, method: str) -> None:
        state = self.server.state
        url = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= 50_000_000:
            self.close_connection = True
            self._send(400, {"message": "Content-Length"})
            return
        raw = self.rfile.read(length) if length else b""
        if url.path.startswith("/_emulator/"):
            self._admin(method, url.path[len("/_emulator/") :], raw)
            return
        allowed = "GET" if url.path.startswith(FILE_PATH) else ROUTES.get(url.path)
        if allowed is None:
            self._send(404, {"message": "Không có dịch vụ"})
            return
        if method != allowed:
            self._send(405, {"message": f"Dùng {allowed}"}, {"Allow": allowed})
            return
        faults = state.faults
        state.bump("requests")
        state.link.transfer("up", len(raw) + 200, faults)
        if state.roll(faults.error_5xx):
            state.bump("faults_5xx")
            self._send(502, {"message": "Nền tảng tích hợp không phản hồi"})
            return
        if state.failing and carries(state.failing, url.query, raw):
            state.bump("faults_5xx")
            self._send(502, {"message": "Nền tảng tích hợp không phản hồi"})
            return
        if state.roll(faults.drop_before):
            state.bump("faults_drop_before")
            self.close_connection = True
            return
        status, answer = self._answer(method, url, raw)
        if status >= 400:
            state.bump("refused")
        if state.roll(faults.drop_after):
            state.bump("faults_drop_after")
            self.close_connection = True
            return
        if state.roll(faults.slow):
            _sleep(faults.slow_s)
        self._send(status, answer)

    def _answer(self, method: str, url: Any, raw: bytes) -> tuple[int, dict | bytes]:
        state = self.server.state
        if url.path == "/token" and method == "POST":
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
            return state.issue_token(form)
        if not state.authorised(self.headers.get("Authorization")):
            return 401, {"message": "Token không hợp lệ hoặc đã hết hạn"}
        if url.path == "/UploadFile":
            return self._upload(raw)
        if url.path in ONLINE_PATHS or url.path.startswith(FILE_PATH):
            query = parse_qs(url.query, keep_blank_values=True)
            return state.online.answer(method, url.path, query, raw)
        try:
            body = json.loads(raw) if raw else None
            return state.route(method, url.path, parse_qs(url.query, keep_blank_values=True), body)
        except ValueError:
            return 400, {"message": "Dữ liệu không phải JSON"}
        except Bad as bad:
            return bad.status, {"message": bad.message}

    def _upload(self, raw: bytes) -> tuple[int, dict]:
        try:
            files = self.server.state.files
            held, _ = files.keep(files.parse(raw, self.headers.get("Content-Type", "")))
        except FileRefused as refused:
            return refused.status, {"message": refused.message, **refused.extra}
        return 200, {"data": {"IdTepTin": held.id, "HashTepTin": held.sha256,
                              "TenTep": held.name, "KichThuoc": held.size}}  # fmt: skip

    def _admin(self, method: str, name: str, raw: bytes) -> None:
        state = self.server.state
        answered = state.online.admin(name, method, raw)
        if answered is not None:
            self._send(*answered)
        elif (name, method) == ("stats", "GET"):
            self._send(200, state.stats())
        elif (name, method) == ("files", "GET"):
            self._send(200, {"files": state.files.listing()})
        elif (name, method) == ("dossiers", "GET"):
            self._send(200, state.holdings())
        elif (name, method) == ("fail-record", "POST"):
            # {"MaHoSo": code, "on": true|false}: every call carrying it answers 502
            order = json.loads(raw or b"{}")
            code = str(order.get("MaHoSo", ""))
            (state.failing.add if order.get("on", True) else state.failing.discard)(code)
            self._send(200, {"failing": sorted(state.failing)})
        elif (name, method) == ("day", "POST"):  # {"day": "YYYYMMDD" | null}
            state.day = json.loads(raw or b"{}").get("day") or None
            self._send(200, {"day": state.day})
        elif (name, method) == ("reserve", "POST"):
            order = json.loads(raw or b"{}")
            state.reserve(str(order["agency"]), int(order["first"]), int(order["last"]))
            self._send(200, {})
        elif (name, method) == ("move", "POST"):  # {"MaHoSo", "TrangThai"}: the system's own
            order = json.loads(raw or b"{}")
            with state.lock, state.conn:
                moved = state.conn.execute(
                    "UPDATE dossiers SET status = ? WHERE code = ?",
                    (int(order.get("TrangThai", 0)), str(order.get("MaHoSo", ""))),
                ).rowcount
            self._send(200 if moved else 404, {"moved": bool(moved)})
        elif (name, method) == ("expire-tokens", "POST"):
            with state.lock:
                state.conn.execute("DELETE FROM tokens")
            self._send(200, {})
        elif (name, method) == ("faults", "POST"):
            try:
                state.set_faults(Faults.parse(str(json.loads(raw or b"{}").get("spec", ""))))
            except (ValueError, AttributeError) as error:
                self._send(400, {"message": str(error)})
                return
            self._send(200, state.faults.to_dict())
        else:
            self._send(404, {"message": "Không có"})

    def _send(self, status: int, body: dict | bytes, extra: dict | None = None) -> None:
        """JSON, or a paper's bytes as a PDF (`GET /TaiTepTin/<IdTepTin>`)."""
        state = self.server.state
        pdf = isinstance(body, bytes)
        data = body if pdf else json.dumps(body, ensure_ascii=False).encode()
        state.link.transfer("down", len(data) + 200, state.faults)
        self.send_response_only(status)
        self.send_header("Date", formatdate(time.time() + state.faults.clock_skew, usegmt=True))
        self.send_header(
            "Content-Type", "application/pdf" if pdf else "application/json; charset=utf-8"
        )
        self.send_header("Content-Length", str(len(data)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


class MotcuaEmulator(ServedEmulator):
    name = "motcua"

    def __init__(
        self,
        data_dir: Path | str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | str | None = None,
        client: dict[str, str] | None = None,
        token_ttl: float = 900.0,
        reserved: dict[str, tuple[int, int]] | None = None,
        check_codes: bool = True,
        max_file_bytes: int = DEFAULT_CAP,
        online: int = 0,
    ) -> None:
        """`online`: that many online dossiers seeded at start for the demo agency."""
        self.account = {**DEFAULT_CLIENT, **(client or {})}
        state = MotcuaState(
            data_dir,
            client=self.account,
            token_ttl=token_ttl,
            reserved=reserved,
            check_codes=check_codes,
            max_file_bytes=max_file_bytes,
        )
        self.serve(host, port, _Handler, state)
        if online:
            state.online.seed(online)
        self.state.set_faults(faults if isinstance(faults, Faults) else Faults.parse(faults))
