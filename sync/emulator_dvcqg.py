"""An emulator of the national portal's dossier synchronisation (dialect `dvcqg`): a real
HTTP server on its own SQLite file, for tests, demos and a province's trial runs.

`POST /auth` gives a session for the configured account and `dstcode`; `POST /integration`
takes `{session, madonvi, service, ...}` and answers `{error_code, message, result}`. Every
field is checked strictly (sync/emulator_dvcqg_rules.py, documented in sync/dvcqg.yaml);
like the real interface it has no idempotency key, so creating a dossier it holds or
updating one it does not is refused. `POST /files` keeps a paper's file as the province
system's copy (sync/emulator_files.py) and `GET /files/<id>` serves it: the link a dossier's
`TaiLieuNop` and `DanhSachGiayToKetQua` must carry, checked against what it holds. It shows
the reference emulator's faults (5xx, a connection closed before or after committing, slow
answers, latency, a wrong clock) and lists what it holds, exactly as received, under
/_emulator/ (never subject to faults).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sync import emulator_dvcqg_rules as rules
from sync.emulator_dvcqg_catalogue import seed
from sync.emulator_dvcqg_rules import FieldError
from sync.emulator_files import DEFAULT_CAP, FileRefused, FileStore
from sync.emulator_http import QuietServer, ServedEmulator, carries
from sync.emulator_state import Faults, Link, _sleep

DB = "dvcqg-emulator.db"
E_FIELD, E_SESSION, E_NOT_FOUND, E_EXISTS, E_LOGIN = "-1", "-2", "-3", "-4", "-5"
E_STATUS = "-6"  # a step from a status the dossier has left
_SCHEMA = """
CREATE TABLE IF NOT EXISTS dossiers (code TEXT PRIMARY KEY, record TEXT NOT NULL,
    creates INTEGER NOT NULL DEFAULT 1, updates INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS progress (id INTEGER PRIMARY KEY, code TEXT NOT NULL,
    record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS summaries (month TEXT PRIMARY KEY, record TEXT NOT NULL,
    times INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS sessions (session TEXT PRIMARY KEY);
"""
_STATS = (
    "requests",
    "logins",
    "refused",
    "creates",
    "updates",
    "lookups",
    "catalogue_reads",
    "summaries_received",
    "faults_5xx",
    "faults_drop_before",
    "faults_drop_after",
    "faults_slow",
)


class Refusal(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class DvcqgState:
    def __init__(
        self,
        data_dir: Path | str,
        *,
        username: str,
        password: str,
        madonvi: str,
        dstcode: str,
        ok_code: Any = 0,
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
        self.account = (username, password)
        self.madonvi, self.dstcode, self.ok_code = madonvi, dstcode, ok_code
        self.faults = Faults()
        self.link = Link()
        self.counts = dict.fromkeys(_STATS, 0)
        self.poisoned: set[str] = set()  # services refused whatever they carry (tests)
        self.catalogue: list[dict] = seed()  # LayDanhSachTTHC / LayThuTuc
        self.failing: set[str] = set()  # dossier codes answered 503 whatever the call (tests)
        self.refuse_next: list[str] = []  # codes the next integration calls get (tests)
        self.bare_lookup = False  # TraCuuHoSo lists entries without their MaHoSo (tests)
        self._rng = __import__("random").Random()

    def set_faults(self, faults: Faults) -> None:
        self.faults = faults
        self._rng.seed(faults.seed)

    def roll(self, rate: float) -> bool:
        return rate > 0 and self._rng.random() < rate

    def bump(self, name: str) -> None:
        with self.lock:
            self.counts[name] += 1

    def now(self) -> float:
        return time.time() + self.faults.clock_skew

    # ---- the interface ----
    def login(self, body: Any, dstcode: str | None) -> dict:
        ok = (
            isinstance(body, dict)
            and (body.get("username"), body.get("password")) == self.account
            and dstcode == self.dstcode
        )
        if not ok:
            return {"error_code": E_LOGIN, "message": "Sai tài khoản hoặc dstcode", "session": ""}
        session = secrets.token_urlsafe(18)
        with self.lock:
            self.conn.execute("INSERT INTO sessions VALUES (?)", (session,))
            self.counts["logins"] += 1
        return {"error_code": self.ok_code, "message": "Thành công", "session": session}

    def expire_sessions(self) -> None:
        with self.lock:
            self.conn.execute("DELETE FROM sessions")

    def call(self, body: dict, dstcode: str | None) -> dict:
        try:
            result = self._call(body, dstcode)
        except FieldError as error:
            self.bump("refused")
            return {"error_code": E_FIELD, "message": str(error), "result": None}
        except Refusal as refusal:
            self.bump("refused")
            return {"error_code": refusal.code, "message": refusal.message, "result": None}
        return {"error_code": self.ok_code, "message": "Thành công", "result": result}

    def _call(self, body: dict, dstcode: str | None) -> Any:
        with self.lock:
            if self.refuse_next:  # a portal answering an unknown code (an expired session?)
                raise Refusal(self.refuse_next.pop(0), "Lỗi không xác định")
            known = self.conn.execute(
                "SELECT 1 FROM sessions WHERE session = ?", (body["session"],)
            ).fetchone()
        if not known or dstcode != self.dstcode:
            raise Refusal(E_SESSION, "Session không hợp lệ hoặc đã hết hạn")
        if body["madonvi"] != self.madonvi:
            raise FieldError("madonvi", "không đúng đơn vị được cấp")
        service = body["service"]
        if service in self.poisoned:
            raise FieldError("NgayTongHop" if service == "DongBoDanhGia" else "data", "bị từ chối")
        if service == "DongBoHoSoMC":
            return self._dossiers(body)
        if service == "CapNhatTienDoHoSoMC":
            return self._progress(body)
        if service == "TraCuuHoSo":
            return self._lookup(body)
        if service == "DongBoDanhGia":
            return self._summaries(body)
        if service == "LayDanhSachTTHC":
            self.bump("catalogue_reads")
            with self.lock:
                return [{"MATTHC": p["MATTHC"], "TENTTHC": p["TENTTHC"]} for p in self.catalogue]
        if service == "LayThuTuc":
            return self._procedure(body)
        raise FieldError("service", "không được hỗ trợ")

    def _procedure(self, body: dict) -> list:
        """One procedure in full (a list, empty when the code is unknown, as TraCuuHoSo)."""
        code = body.get("maTTHC")
        if not isinstance(code, str) or not code or len(code) > 50:
            raise FieldError("maTTHC", "phải là chuỗi không rỗng, tối đa 50 ký tự")
        self.bump("catalogue_reads")
        with self.lock:
            return [p for p in self.catalogue if p["MATTHC"] == code][:1]

    def _dossiers(self, body: dict) -> Any:
        updating = body.get("isUpdating")
        if updating not in ("True", "False"):
            raise FieldError("isUpdating", 'phải là chuỗi "True" hoặc "False"')
        data = rules.check_data(body, rules.DOSSIER, rules.DOSSIER_REQUIRED)
        for record in data:
            self._linked(record["MaHoSo"], record["TaiLieuNop"], "TepDinhKemId",
                         "DuongDanTaiTepTin", "TaiLieuNop")  # fmt: skip
            self._linked(record["MaHoSo"], record.get("DanhSachGiayToKetQua", []), "GiayToId",
                         "DuongDanTepTinKetQua", "DanhSachGiayToKetQua")  # fmt: skip
        with self.lock, self.conn:
            for record in data:
                code = record["MaHoSo"]
                held = self.conn.execute(
                    "SELECT 1 FROM dossiers WHERE code = ?", (code,)
                ).fetchone()
                if updating == "False" and held:
                    raise Refusal(E_EXISTS, f"Hồ sơ {code} đã tồn tại")
                if updating == "True" and not held:
                    raise Refusal(E_NOT_FOUND, f"Không tìm thấy hồ sơ {code}")
            for record in data:
                raw = json.dumps(record, ensure_ascii=False)
                if updating == "False":
                    self.conn.execute(
                        "INSERT INTO dossiers(code, record) VALUES (?, ?)", (record["MaHoSo"], raw)
                    )
                    self.counts["creates"] += 1
                else:
                    self.conn.execute(
                        "UPDATE dossiers SET record = ?, updates = updates + 1 WHERE code = ?",
                        (raw, record["MaHoSo"]),
                    )
                    self.counts["updates"] += 1
        return None

    def _linked(self, code: str, entries: list, id_name: str, link_name: str, field: str) -> None:
        """Each file a dossier names is one uploaded for it, linked at this system."""
        for entry in entries:
            held = self.files.held(entry[id_name])
            if held is None or held.dossier != code:
                raise FieldError(id_name, f"trong {field} không trỏ tới tệp đã tải lên")
            if not entry[link_name].endswith(f"/files/{held.id}"):
                raise FieldError(link_name, f"trong {field} không phải đường dẫn tệp đã tải lên")

    def upload(self, raw: bytes, content_type: str, dstcode: str | None) -> dict:
        """`POST /files`: the session travels as a form field beside the file."""
        upload = self.files.parse(raw, content_type)
        with self.lock:
            known = self.conn.execute(
                "SELECT 1 FROM sessions WHERE session = ?", (upload.fields.get("session"),)
            ).fetchone()
        if not known or dstcode != self.dstcode:
            return {"error_code": E_SESSION, "message": "Session không hợp lệ", "result": None}
        held, _ = self.files.keep(upload)
        result = {"TepDinhKemId": held.id, "DuongDanTaiTepTin": f"/files/{held.id}",
                  "HashTepTin": held.sha256, "KichThuoc": held.size}  # fmt: skip
        return {"error_code": self.ok_code, "message": "Thành công", "result": result}

    def _progress(self, body: dict) -> Any:
        """Steps, each naming the status it moves from (`TrangThaiTruoc`): one from a
        status the dossier has left is refused, as a one-door system would; a step to where
        it already is changes nothing and is taken. The step sets the dossier's status."""
        data = rules.check_data(body, rules.PROGRESS, rules.PROGRESS_REQUIRED)
        with self.lock, self.conn:
            for record in data:
                code = record["MaHoSo"]
                row = self.conn.execute(
                    "SELECT record FROM dossiers WHERE code = ?", (code,)
                ).fetchone()
                if not row:
                    raise Refusal(E_NOT_FOUND, f"Không tìm thấy hồ sơ {code}")
                held = str(json.loads(row[0]).get("TrangThaiHoSo"))
                if held not in (record["TrangThai"], record["TrangThaiTruoc"]):
                    raise Refusal(E_STATUS, f"Hồ sơ {code} đang ở trạng thái {held}")
            for record in data:
                self._set_status(record["MaHoSo"], record["TrangThai"])
                self.conn.execute(
                    "INSERT INTO progress(code, record) VALUES (?, ?)",
                    (record["MaHoSo"], json.dumps(record, ensure_ascii=False)),
                )
        return None

    def _set_status(self, code: str, status: str) -> None:
        row = self.conn.execute("SELECT record FROM dossiers WHERE code = ?", (code,)).fetchone()
        record = {**json.loads(row[0]), "TrangThaiHoSo": status}
        self.conn.execute(
            "UPDATE dossiers SET record = ? WHERE code = ?",
            (json.dumps(record, ensure_ascii=False), code),
        )

    def move(self, code: str, status: str) -> bool:
        """The portal's own move (a higher level processing the dossier; tests)."""
        with self.lock, self.conn:
            if not self.conn.execute("SELECT 1 FROM dossiers WHERE code = ?", (code,)).fetchone():
                return False
            self._set_status(code, status)
        return True

    def _lookup(self, body: dict) -> list:
        code = body.get("mahoso")
        if not isinstance(code, str) or not code:
            raise FieldError("mahoso", "phải là chuỗi không rỗng")
        self.bump("lookups")
        with self.lock:
            row = self.conn.execute(
                "SELECT record FROM dossiers WHERE code = ?", (code,)
            ).fetchone()
            steps = self.conn.execute(
                "SELECT record FROM progress WHERE code = ? ORDER BY id", (code,)
            ).fetchall()
        if row is None:
            return []
        found = {**json.loads(row[0]), "QuaTrinhXuLy": [json.loads(s[0]) for s in steps]}
        return [{"QuaTrinhXuLy": found["QuaTrinhXuLy"]}] if self.bare_lookup else [found]

    def _summaries(self, body: dict) -> Any:
        data = rules.check_data(body, rules.SUMMARY, rules.SUMMARY_REQUIRED)
        for record in data:
            rules.check_summary_total(record)
        with self.lock, self.conn:
            for record in data:
                self.conn.execute(
                    "INSERT INTO summaries(month, record) VALUES (?, ?) ON CONFLICT(month) "
                    "DO UPDATE SET record = excluded.record, times = times + 1",
                    (record["NgayTongHop"], json.dumps(record, ensure_ascii=False)),
                )
                self.counts["summaries_received"] += 1
        return None

    # ---- what it holds ----
    def stats(self) -> dict:
        with self.lock:
            one = self.conn.execute
            figures = {
                "dossiers_stored": one("SELECT count(*) FROM dossiers").fetchone()[0],
                "progress_stored": one("SELECT count(*) FROM progress").fetchone()[0],
                "summaries_stored": one("SELECT count(*) FROM summaries").fetchone()[0],
            }
            return {**figures, **self.counts}

    def holdings(self) -> dict:
        with self.lock:
            dossiers = self.conn.execute("SELECT record FROM dossiers ORDER BY code").fetchall()
            steps = self.conn.execute("SELECT record FROM progress ORDER BY id").fetchall()
            months = self.conn.execute("SELECT record FROM summaries ORDER BY month").fetchall()
        return {
            "dossiers": [json.loads(r[0]) for r in dossiers],
            "progress": [json.loads(r[0]) for r in steps],
            "summaries": [json.loads(r[0]) for r in months],
        }


def _envelope_shape(body: Any, names: tuple[str, ...]) -> bool:
    return isinstance(body, dict) and all(isinstance(body.get(n), str) for n in names)


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
        if name.startswith("do_"):
            return lambda: self._handle(name[3:])
        raise AttributeError(name)

    def _handle(self, method: str) -> None:
        state = self.server.state
        path = urlsplit(self.path).path
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > 50_000_000:
            self.close_connection = True
            self._send(400, {"error_code": E_FIELD, "message": "Content-Length", "result": None})
            return
        raw = self.rfile.read(length) if length else b""
        if path.startswith("/_emulator/"):
            self._admin(method, path[len("/_emulator/") :], raw)
            return
        if path.startswith("/files/") and method == "GET":
            self._serve_file(path[len("/files/") :])
            return
        routes = {"/auth": "POST", "/integration": "POST", "/files": "POST"}
        if path not in routes:
            self._send(404, {"error_code": "404", "message": "Không có dịch vụ", "result": None})
            return
        if method != "POST":
            self._send(
                405,
                {"error_code": "405", "message": "Dùng POST", "result": None},
                {"Allow": "POST"},
            )
            return
        faults = state.faults
        state.bump("requests")
        state.link.transfer("up", len(raw) + 200, faults)
        if state.roll(faults.error_5xx):
            state.bump("faults_5xx")
            self._send(503, {"error_code": "503", "message": "Hệ thống bận", "result": None})
            return
        if state.failing and carries(state.failing, "", raw):
            state.bump("faults_5xx")
            self._send(503, {"error_code": "503", "message": "Hệ thống bận", "result": None})
            return
        if state.roll(faults.drop_before):
            state.bump("faults_drop_before")
            self.close_connection = True
            return
        try:
            body = json.loads(raw) if raw and path != "/files" else None
        except ValueError:
            body = None
        dstcode = self.headers.get("dstcode")
        if path == "/files":
            status, answer = self._upload(raw, dstcode)
        elif path == "/auth":
            if not _envelope_shape(body, ("username", "password")):
                status, answer = (
                    400,
                    {
                        "error_code": E_FIELD,
                        "message": "Thiếu username hoặc password",
                        "session": "",
                    },
                )
            else:
                status, answer = 200, state.login(body, dstcode)
        elif not _envelope_shape(body, ("session", "madonvi", "service")):
            status, answer = (
                400,
                {
                    "error_code": E_FIELD,
                    "message": "Thiếu session, madonvi hoặc service",
                    "result": None,
                },
            )
        else:
            status, answer = 200, state.call(body, dstcode)
        if state.roll(faults.drop_after):
            state.bump("faults_drop_after")
            self.close_connection = True
            return
        if state.roll(faults.slow):
            state.bump("faults_slow")
            _sleep(faults.slow_s)
        self._send(status, answer)

    def _upload(self, raw: bytes, dstcode: str | None) -> tuple[int, dict]:
        content_type = self.headers.get("Content-Type", "")
        try:
            return 200, self.server.state.upload(raw, content_type, dstcode)
        except FileRefused as refused:
            self.server.state.bump("refused")
            answer = {"error_code": str(refused.status), "message": refused.message}
            return refused.status, {**answer, "result": None, **refused.extra}

    def _serve_file(self, file_id: str) -> None:
        """The link a dossier carries: the file as the province system keeps it."""
        data = self.server.state.files.content(file_id)
        if data is None:
            self._send(404, {"error_code": "404", "message": "Không có tệp", "result": None})
            return
        self.send_response_only(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _admin(self, method: str, name: str, raw: bytes) -> None:
        state = self.server.state
        if (name, method) == ("stats", "GET"):
            self._send(200, state.stats())
        elif (name, method) == ("files", "GET"):
            self._send(200, {"files": state.files.listing()})
        elif (name, method) == ("dossiers", "GET"):
            self._send(200, state.holdings())
        elif (name, method) == ("faults", "POST"):
            try:
                spec = json.loads(raw or b"{}").get("spec", "")
                state.set_faults(Faults.parse(str(spec)))
            except (ValueError, AttributeError) as error:
                self._send(400, {"error_code": E_FIELD, "message": str(error), "result": None})
                return
            self._send(200, state.faults.to_dict())
        elif (name, method) == ("poison", "POST"):
            service = json.loads(raw or b"{}").get("service", "")
            state.poisoned.add(str(service))
            self._send(200, {})
        elif (name, method) == ("catalogue", "POST"):  # tests: what the portal lists now
            try:
                procedures = json.loads(raw or b"[]")
            except ValueError:
                procedures = None
            if not isinstance(procedures, list):
                self._send(400, {"error_code": E_FIELD, "message": "catalogue", "result": None})
                return
            with state.lock:
                state.catalogue = procedures
            self._send(200, {"procedures": len(procedures)})
        elif (name, method) == ("fail-record", "POST"):
            # {"MaHoSo": code, "on": true|false}: every call carrying it answers 503
            order = json.loads(raw or b"{}")
            code = str(order.get("MaHoSo", ""))
            (state.failing.add if order.get("on", True) else state.failing.discard)(code)
            self._send(200, {"failing": sorted(state.failing)})
        elif (name, method) == ("refuse-next", "POST"):  # {"codes": ["-9", ...]}
            state.refuse_next = [str(c) for c in json.loads(raw or b"{}").get("codes", [])]
            self._send(200, {"refuse_next": state.refuse_next})
        elif (name, method) == ("bare-lookup", "POST"):  # {"on": true|false}
            state.bare_lookup = bool(json.loads(raw or b"{}").get("on", True))
            self._send(200, {"bare_lookup": state.bare_lookup})
        elif (name, method) == ("expire-sessions", "POST"):
            state.expire_sessions()
            self._send(200, {})
        elif (name, method) == ("move", "POST"):  # {"MaHoSo": code, "TrangThai": "9"}
            order = json.loads(raw or b"{}")
            moved = state.move(str(order.get("MaHoSo", "")), str(order.get("TrangThai", "")))
            self._send(200 if moved else 404, {"moved": moved})
        else:
            self._send(404, {"error_code": "404", "message": "Không có", "result": None})

    def _send(self, status: int, body: dict, extra: dict | None = None) -> None:
        state = self.server.state
        data = json.dumps(body, ensure_ascii=False).encode()
        state.link.transfer("down", len(data) + 200, state.faults)
        self.send_response_only(status)
        self.send_header("Server", "dvcqg-emulator")
        self.send_header("Date", formatdate(state.now(), usegmt=True))
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


DEFAULT_ACCOUNT = {
    "username": "xa-tan-lap",
    "password": "mat-khau-gia-lap",
    "madonvi": "000.00.01.H22",
    "dstcode": "DVCQG-GIA-LAP",
}


class DvcqgEmulator(ServedEmulator):
    """Start with `start()` (a background thread) or `serve_forever()`."""

    name = "dvcqg"

    def __init__(
        self,
        data_dir: Path | str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | str | None = None,
        account: dict[str, str] | None = None,
        ok_code: Any = 0,
        max_file_bytes: int = DEFAULT_CAP,
    ) -> None:
        self.account = {**DEFAULT_ACCOUNT, **(account or {})}
        state = DvcqgState(data_dir, ok_code=ok_code, max_file_bytes=max_file_bytes,
                           **self.account)  # fmt: skip
        self.serve(host, port, _Handler, state)
        self.state.set_faults(faults if isinstance(faults, Faults) else Faults.parse(faults))
