"""The online inbox of the motcua emulator: dossiers citizens filed on the portal, waiting for
a commune clerk to check them (issue 18; the wire is docs/dialects.md "Online dossiers under
motcua").

`GET /LayDanhSachHoSo?MaDonVi=` lists the agency's dossiers submitted or resubmitted and not
yet acknowledged at their current round (`LanNop`); `POST /CapNhatDaNhanHoSo`
`[{"MaHoSo", "LanNop"}]` acknowledges, harmlessly twice; `GET /TaiTepTin/<IdTepTin>` serves a
paper given as a link. Each online dossier is also a held dossier (table `dossiers`, status
1), so the clerk's decision is the ordinary `CapNhatTrangThai` with its 404 and 409; the
inbox counts per code how many times each status was taken (`GET
/_emulator/online-decisions`), which is how the tests see "exactly once". A supplement
request (5) takes the dossier out of play until the citizen resubmits (`POST
/_emulator/online/resubmit`): the next round, with changed papers, back at status 1.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from sync.emulator_files import HeldFile, Upload
from sync.emulator_online_seed import MAX_PAPER_BYTES, applicant, procedure, small_pdf

ONLINE_PATHS = {"/LayDanhSachHoSo": "GET", "/CapNhatDaNhanHoSo": "POST"}
FILE_PATH = "/TaiTepTin/"
DEFAULT_AGENCY = "000.00.01.H22"  # the demo station's agency (counter_app/services/demo.py)
MAX_SEED = 200  # dossiers one seeding call makes: a morning's inbox, not a flood
MAX_ACKS = 500  # elements of one acknowledgement
_VN = timezone(timedelta(hours=7))
_TIME = "%Y-%m-%d %H:%M:%S"
_AGENCY = re.compile(r"^[A-Za-z0-9._-]{1,50}$")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS online (code TEXT PRIMARY KEY, agency TEXT NOT NULL,
    round INTEGER NOT NULL, acked INTEGER NOT NULL DEFAULT 0, record TEXT NOT NULL,
    seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (code TEXT NOT NULL, status INTEGER NOT NULL,
    seen INTEGER NOT NULL, PRIMARY KEY (code, status));
"""


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class OnlineInbox:
    """Lives in the motcua state's SQLite file, under its lock; papers in its FileStore."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self.conn, self.lock, self.files = state.conn, state.lock, state.files
        self.conn.executescript(_SCHEMA)

    # --- the wire ---------------------------------------------------------------

    def answer(self, method: str, path: str, query: dict, raw: bytes) -> tuple[int, Any]:
        """(status, JSON body or the bytes of a paper) for one authorised call."""
        try:
            if path.startswith(FILE_PATH):
                return self.paper(path[len(FILE_PATH) :])
            if path == "/LayDanhSachHoSo":
                return 200, {"data": self.listing(_one(query, "MaDonVi"))}
            return 200, {"data": self.acknowledge(_json(raw))}
        except Refused as refused:
            return refused.status, {"message": refused.message}

    def listing(self, agency: str) -> list[dict]:
        with self.lock:
            rows = self.conn.execute(
                "SELECT o.record FROM online o JOIN dossiers d ON d.code = o.code "
                "WHERE o.agency = ? AND o.acked < o.round AND d.status = 1 ORDER BY o.seq",
                (agency,),
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def acknowledge(self, body: Any) -> list[dict]:
        if not isinstance(body, list) or not body or len(body) > MAX_ACKS:
            raise Refused(400, f"Dữ liệu phải là danh sách từ 1 đến {MAX_ACKS} phần tử")
        for entry in body:
            if not isinstance(entry, dict):
                raise Refused(400, "Mỗi phần tử phải là đối tượng {MaHoSo, LanNop}")
            code, round_ = entry.get("MaHoSo"), entry.get("LanNop")
            if not isinstance(code, str) or not 0 < len(code) <= 100:
                raise Refused(400, "Trường MaHoSo phải là chuỗi (tối đa 100 ký tự)")
            if type(round_) is not int or not 0 < round_ <= 1000:
                raise Refused(400, "Trường LanNop phải là số nguyên dương")
        with self.lock, self.conn:
            for entry in body:
                row = self.conn.execute(
                    "SELECT round FROM online WHERE code = ?", (entry["MaHoSo"],)
                ).fetchone()
                if row is None:
                    raise Refused(404, f"Không tìm thấy hồ sơ {entry['MaHoSo']}")
                if entry["LanNop"] > row[0]:
                    raise Refused(409, f"Hồ sơ {entry['MaHoSo']} chưa nộp lần {entry['LanNop']}")
            for entry in body:
                self.conn.execute(
                    "UPDATE online SET acked = max(acked, ?) WHERE code = ?",
                    (entry["LanNop"], entry["MaHoSo"]),
                )
        return [{"MaHoSo": e["MaHoSo"], "LanNop": e["LanNop"], "DaNhan": True} for e in body]

    def paper(self, file_id: str) -> tuple[int, Any]:
        held = self.files.held(file_id)
        known = held is not None and self._is_online(held.dossier)
        data = self.files.content(file_id) if known else None
        if data is None:
            raise Refused(404, "Không tìm thấy tệp")
        return 200, data

    def saw(self, code: str, status: int) -> None:
        """One `CapNhatTrangThai` element taken (called inside the state's transaction)."""
        if self.conn.execute("SELECT 1 FROM online WHERE code = ?", (code,)).fetchone():
            self.conn.execute(
                "INSERT INTO decisions VALUES (?, ?, 1) "
                "ON CONFLICT(code, status) DO UPDATE SET seen = seen + 1",
                (code, status),
            )

    # --- the test endpoints ------------------------------------------------------

    def admin(self, name: str, method: str, raw: bytes) -> tuple[int, dict] | None:
        """`/_emulator/<name>` when it is the inbox's, else None."""
        try:
            if (name, method) == ("online", "POST"):
                return 200, {"MaHoSo": self.seed_order(_json(raw or b"{}"))}
            if (name, method) == ("online/resubmit", "POST"):
                order = _json(raw or b"{}")
                code = order.get("MaHoSo") if isinstance(order, dict) else None
                return 200, self.resubmit(str(code or ""))
            if (name, method) == ("online-decisions", "GET"):
                return 200, self.decisions()
        except Refused as refused:
            return refused.status, {"message": refused.message}
        return None

    def seed_order(self, order: Any) -> list[str]:
        """`{"count", "MaDonVi"?, "MaTTHC"?, "NgayNop"?, "papers"?, "paper_bytes"?}`."""
        if not isinstance(order, dict):
            raise Refused(400, "Dữ liệu phải là đối tượng")
        count, pad = order.get("count", 1), order.get("paper_bytes", 0)
        if type(count) is not int or not 0 < count <= MAX_SEED:
            raise Refused(400, f"Trường count phải là số nguyên từ 1 đến {MAX_SEED}")
        if type(pad) is not int or not 0 <= pad <= MAX_PAPER_BYTES:
            raise Refused(400, f"Trường paper_bytes phải từ 0 đến {MAX_PAPER_BYTES}")
        agency = order.get("MaDonVi", DEFAULT_AGENCY)
        if not isinstance(agency, str) or not _AGENCY.match(agency):
            raise Refused(400, "Trường MaDonVi sai định dạng")
        papers = order.get("papers", "mixed")
        if papers not in ("mixed", "base64", "links"):
            raise Refused(400, "Trường papers phải là mixed, base64 hoặc links")
        submitted = order.get("NgayNop")
        if submitted is not None:
            try:
                datetime.strptime(submitted, _TIME)
            except (TypeError, ValueError):
                raise Refused(400, "Trường NgayNop sai định dạng yyyy-MM-dd HH:mm:ss") from None
        wanted = order.get("MaTTHC")
        if wanted is not None and (not isinstance(wanted, str) or procedure(wanted, None) is None):
            raise Refused(400, "Trường MaTTHC không có trong danh mục")
        return self.seed(count, agency=agency, code=wanted, submitted=submitted,
                         papers=papers, pad=pad)  # fmt: skip

    def seed(self, count: int, *, agency: str = DEFAULT_AGENCY, code: str | None = None,
             submitted: str | None = None, papers: str = "mixed",
             pad: int = 0) -> list[str]:  # fmt: skip
        """`count` new online dossiers for `agency`; their codes."""
        made = []
        for _ in range(count):
            with self.lock:
                seq = self.conn.execute("SELECT count(*) FROM online").fetchone()[0] + 1
            rng = random.Random(f"{agency}:{seq}")
            upstream = self.state.next_code(agency)
            chosen = procedure(code, rng)
            record = {
                "MaHoSo": upstream,
                "MaTTHC": chosen["code"],
                "TenTTHC": chosen["name"],
                "NgayNop": submitted or datetime.now(_VN).strftime(_TIME),
                "LanNop": 1,
                "TrangThai": 1,
                **applicant(rng, datetime.now(_VN).date()),
            }
            record["ThanhPhanHoSo"] = self._papers(record, chosen, rng, papers, pad)
            with self.lock, self.conn:
                self.conn.execute(
                    "INSERT INTO online VALUES (?, ?, 1, 0, ?, ?)",
                    (upstream, agency, json.dumps(record, ensure_ascii=False), seq),
                )
                self.conn.execute(
                    "INSERT INTO dossiers(code, id, record, status) VALUES (?, ?, ?, 1)",
                    (upstream, f"tt{seq:06d}", json.dumps(record, ensure_ascii=False)),
                )
            made.append(upstream)
        return made

    def resubmit(self, code: str) -> dict:
        """The citizen's supplement: the next round, its papers changed, listed again."""
        with self.lock:
            row = self.conn.execute(
                "SELECT o.record, o.seq, d.status FROM online o JOIN dossiers d "
                "ON d.code = o.code WHERE o.code = ?",
                (code,),
            ).fetchone()
        if row is None:
            raise Refused(404, f"Không tìm thấy hồ sơ {code}")
        if row[2] != 5:
            raise Refused(409, "Chỉ nộp bổ sung được hồ sơ đang chờ bổ sung (trạng thái 5)")
        record = json.loads(row[0])
        record["LanNop"] += 1
        record["NgayNop"] = datetime.now(_VN).strftime(_TIME)
        chosen = procedure(record["MaTTHC"], None)
        rng = random.Random(f"{code}:{record['LanNop']}")
        record["ThanhPhanHoSo"] = self._papers(record, chosen, rng, "mixed", 0)
        text = json.dumps(record, ensure_ascii=False)
        with self.lock, self.conn:
            self.conn.execute("UPDATE online SET record = ?, round = ? WHERE code = ?",
                              (text, record["LanNop"], code))  # fmt: skip
            self.conn.execute("UPDATE dossiers SET status = 1, record = ? WHERE code = ?",
                              (text, code))  # fmt: skip
        return {"MaHoSo": code, "LanNop": record["LanNop"]}

    def decisions(self) -> dict:
        with self.lock:
            rows = self.conn.execute("SELECT code, status, seen FROM decisions").fetchall()
        seen: dict[str, dict[str, int]] = {}
        for code, status, times in rows:
            seen.setdefault(code, {})[str(status)] = times
        return seen

    # --- inside -----------------------------------------------------------------

    def _papers(self, record: dict, chosen: dict, rng: random.Random, papers: str,
                pad: int) -> list[dict]:  # fmt: skip
        """One PDF per checklist row, kept in the FileStore (so a link can serve it)."""
        rows = []
        for number, document in enumerate(chosen["documents"], start=1):
            data = small_pdf(
                [document["name"], f"Ho so {record['MaHoSo']} - nop lan {record['LanNop']}",
                 f"Giay to so {number}"], pad=pad,
            )  # fmt: skip
            held = self._keep(record["MaHoSo"], f"giay-to-{number}.pdf", data)
            as_link = papers == "links" or (papers == "mixed" and rng.random() < 0.4)
            attached = {"IdTepTin": held.id, "TenTep": held.name, "HashTepTin": held.sha256}
            if as_link:
                attached["DuongDan"] = f"{FILE_PATH}{held.id}"
            else:
                attached["Base64"] = base64.b64encode(data).decode("ascii")
            rows.append({
                "TenThanhPhanHoSo": document["name"],
                "MaThanhPhanHoSo": f"{chosen['code']}.TP{number}" if number % 2 else "",
                "GiayToDinhKem": [attached],
            })  # fmt: skip
        return rows

    def _keep(self, code: str, name: str, data: bytes) -> HeldFile:
        digest = hashlib.sha256(data).hexdigest()
        fields = {"MaHoSo": code, "HashTepTin": digest}
        return self.files.keep(Upload(fields, name, data), cap=MAX_PAPER_BYTES)[0]

    def _is_online(self, code: str) -> bool:
        with self.lock:
            return bool(
                self.conn.execute("SELECT 1 FROM online WHERE code = ?", (code,)).fetchone()
            )


def _one(query: dict, name: str) -> str:
    values = query.get(name, [])
    if set(query) != {name} or len(values) != 1 or not _AGENCY.match(values[0]):
        raise Refused(400, f"Cần đúng một tham số {name}")
    return values[0]


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise Refused(400, "Dữ liệu không phải JSON") from None
