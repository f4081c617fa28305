"""The portal emulator's store and rules: stations, tokens, signed batches deduplicated by
key, changes to pull, statuses moved on over time, and the faults it can be asked to show.

One lock serialises every change. The HTTP side (sync/emulator.py) only parses, routes and
shapes the link; what a request may contain is checked in sync/emulator_requests.py.
"""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sync import emulator_requests as req
from sync import protocol as p
from sync.emulator_requests import RequestRefused

EMULATOR_DB = "portal-emulator.db"


@dataclass
class Faults:
    """Fault rates (0..1) and link shape. Spec: "5xx=0.2,drop_before=0.1,latency=0.3"."""

    error_5xx: float = 0.0
    drop_before: float = 0.0
    drop_after: float = 0.0
    slow: float = 0.0
    slow_s: float = 1.0  # how long a slow answer waits
    bandwidth: float = 0.0  # bytes per second each way; 0 = unlimited
    latency: float = 0.0  # round-trip time added to every request, seconds
    clock_skew: float = 0.0  # the portal's clock minus the true time, seconds
    # share of status pushes taken without checking the status they move from: a portal
    # that does not check, against which the client must still not go backwards
    status_unchecked: float = 0.0
    seed: int | None = None

    _ALIASES = {"5xx": "error_5xx"}

    @classmethod
    def parse(cls, spec: str | None) -> Faults:
        faults = cls()
        if not spec:
            return faults
        names = {f.name for f in fields(cls)}
        for part in spec.split(","):
            part = part.strip()
            if not part:
                continue
            name, _, value = part.partition("=")
            name = cls._ALIASES.get(name.strip(), name.strip())
            if name not in names:
                raise ValueError(f"unknown fault {name!r}")
            setattr(faults, name, int(value) if name == "seed" else float(value))
        return faults

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class Link:
    """The shaped link as one shared pipe each way, so concurrent requests share the
    bandwidth instead of each getting all of it (pipelining must not look faster than a
    real 1 Mbit/s line allows). Each transfer queues behind the bytes already on the wire
    in its direction, then takes half the round trip to arrive."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free = {"up": 0.0, "down": 0.0}

    def transfer(self, direction: str, nbytes: int, faults: Faults) -> None:
        if not (faults.bandwidth or faults.latency):
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._free[direction])
            done = start + (nbytes / faults.bandwidth if faults.bandwidth else 0.0)
            self._free[direction] = done
        _sleep(done + faults.latency / 2 - time.monotonic())


_SCHEMA = """
CREATE TABLE IF NOT EXISTS stations (
    station_id TEXT PRIMARY KEY, public_key TEXT NOT NULL, secret TEXT NOT NULL,
    registered_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, station_id TEXT NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, station_id TEXT NOT NULL,
    seen_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    key TEXT PRIMARY KEY, station_id TEXT NOT NULL, op TEXT NOT NULL, entity_id TEXT NOT NULL,
    content_hash TEXT NOT NULL, answer TEXT NOT NULL, payload TEXT NOT NULL,
    received_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS dossiers (
    code TEXT PRIMARY KEY, station_id TEXT NOT NULL, portal_id TEXT NOT NULL,
    status INTEGER NOT NULL, record TEXT NOT NULL, received_at REAL NOT NULL,
    changed_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS status_updates (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL, code TEXT NOT NULL, status INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS queue_stats (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL, station_id TEXT NOT NULL, op TEXT NOT NULL,
    record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, station_id TEXT, kind TEXT NOT NULL,
    entity_id TEXT NOT NULL, data TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS poison (entity_id TEXT PRIMARY KEY, mode TEXT NOT NULL);
"""

_STAT_NAMES = (
    "items_received",
    "duplicates",
    "conflicts",
    "rejected_batches",
    "rejected_items",
    "requests",
    "bytes_in",
    "bytes_out",
    "faults_5xx",
    "faults_drop_before",
    "faults_drop_after",
    "faults_slow",
)

ADVANCE_PATH = {2: 4, 4: 9}  # received -> processing -> result ready


class PortalState:
    """The emulator's store and rules; one lock serialises every change."""

    def __init__(self, data_dir: Path | str, *, token_ttl: float = 900.0) -> None:
        folder = Path(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(
            str(folder / EMULATOR_DB), isolation_level=None, check_same_thread=False
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.executescript(_SCHEMA)
        self.lock = threading.RLock()
        self._poison: dict[str, str] = {}
        self._ids: dict[str, int] = {}
        self.token_ttl = token_ttl
        self.faults = Faults()
        self.rng = random.Random()
        self.link = Link()

    # clock
    def now(self) -> float:
        return time.time() + self.faults.clock_skew

    def set_faults(self, faults: Faults) -> None:
        self.faults = faults
        self.rng = random.Random(faults.seed)

    def roll(self, rate: float) -> bool:
        return rate > 0 and self.rng.random() < rate

    def bump(self, name: str, n: int = 1) -> None:
        self.conn.execute(
            "INSERT INTO counters(name, value) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
            (name, n),
        )

    def _next_id(self, prefix: str) -> str:
        last = self._ids.get(prefix)
        if last is None:
            row = self.conn.execute(
                "SELECT value FROM counters WHERE name = ?", (f"id:{prefix}",)
            ).fetchone()
            last = row[0] if row else 0
        self._ids[prefix] = last + 1
        return f"{prefix}-{last + 1:08d}"

    # registration and tokens
    def register(self, body: dict) -> dict:
        """`body` as checked by emulator_requests.registration."""
        station_id, public_key = body["station_id"], body["public_key"]
        timestamp, signature = body["timestamp"], body["signature"]
        self._check_timestamp(timestamp)
        message = p.register_message(station_id, public_key, timestamp)
        if not p.verify(public_key, signature, message):
            raise RequestRefused(401, "bad_signature", "proof of key possession failed")
        with self.lock:
            row = self.conn.execute(
                "SELECT public_key FROM stations WHERE station_id = ?", (station_id,)
            ).fetchone()
            if row is not None and row["public_key"] != public_key:
                raise RequestRefused(409, "key_mismatch", "another key is registered")
            secret = secrets.token_urlsafe(24)
            self.conn.execute(
                "INSERT INTO stations(station_id, public_key, secret, registered_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(station_id) DO UPDATE SET secret = "
                "excluded.secret",
                (station_id, public_key, secret, self.now()),
            )
            token = self._new_token(station_id)
        return {
            "client_id": station_id,
            "client_secret": secret,
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.token_ttl,
        }

    def _new_token(self, station_id: str) -> str:
        token = secrets.token_urlsafe(24)
        self.conn.execute(
            "INSERT INTO tokens(token, station_id, expires_at) VALUES (?, ?, ?)",
            (token, station_id, self.now() + self.token_ttl),
        )
        return token

    def issue_token(self, body: dict) -> dict:
        """`body` as checked by emulator_requests.grant."""
        with self.lock:
            row = self.conn.execute(
                "SELECT secret FROM stations WHERE station_id = ?", (body.get("client_id"),)
            ).fetchone()
            if row is None or not secrets.compare_digest(
                row["secret"], str(body.get("client_secret", ""))
            ):
                raise RequestRefused(401, "invalid_client")
            token = self._new_token(str(body["client_id"]))
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl}

    def check_token(self, header: str | None) -> str:
        if not header or not header.startswith("Bearer "):
            raise RequestRefused(401, "invalid_token", "bearer token required")
        with self.lock:
            row = self.conn.execute(
                "SELECT station_id, expires_at FROM tokens WHERE token = ?", (header[7:],)
            ).fetchone()
        if row is None:
            raise RequestRefused(401, "invalid_token")
        if row["expires_at"] <= self.now():
            raise RequestRefused(401, "token_expired")
        return row["station_id"]

    def expire_tokens(self) -> None:
        with self.lock:
            self.conn.execute("UPDATE tokens SET expires_at = 0")

    def _check_timestamp(self, timestamp: str) -> None:
        if abs(req.timestamp(timestamp) - self.now()) > p.MAX_SKEW_SECONDS:
            raise RequestRefused(401, "stale_timestamp", "timestamp too far from portal time")

    # push
    def push(self, station_id: str, headers: Any, raw: bytes) -> dict:
        compact = req.ack_format(headers)
        answer = self._push_locked(station_id, headers, raw)
        if compact:
            answer["results"] = p.encode_ack_runs(station_id, answer["results"])
            answer["ack_format"] = p.ACK_RUNS
        return answer

    def _push_locked(self, station_id: str, headers: Any, raw: bytes) -> dict:
        with self.lock:
            try:
                return self._push(station_id, headers, raw)
            except RequestRefused:
                self.bump("rejected_batches")
                raise

    def _push(self, station_id: str, headers: Any, raw: bytes) -> dict:
        if headers.get(p.H_STATION) != station_id:
            raise RequestRefused(403, "wrong_station")
        timestamp, nonce, signature = (
            headers.get(p.H_TIMESTAMP),
            headers.get(p.H_NONCE),
            headers.get(p.H_SIGNATURE),
        )
        if not (timestamp and nonce and signature):
            raise RequestRefused(401, "unsigned", "timestamp, nonce and signature required")
        row = self.conn.execute(
            "SELECT public_key FROM stations WHERE station_id = ?", (station_id,)
        ).fetchone()
        if not p.verify(row["public_key"], signature, p.signing_message(timestamp, nonce, raw)):
            raise RequestRefused(401, "bad_signature")
        self._check_timestamp(timestamp)
        if self.conn.execute("SELECT 1 FROM nonces WHERE nonce = ?", (nonce,)).fetchone():
            raise RequestRefused(409, "replayed", "nonce already used")
        items = req.batch(raw)
        now = self.now()
        # one transaction per batch; the poison list and id counters are read once for it
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute(
                "INSERT INTO nonces(nonce, station_id, seen_at) VALUES (?, ?, ?)",
                (nonce, station_id, now),
            )
            self._poison = {
                r["entity_id"]: r["mode"] for r in self.conn.execute("SELECT * FROM poison")
            }
            self._ids = {}
            if any(self._poison.get(str(i.get("entity_id"))) == "5xx" for i in items):
                raise RequestRefused(503, "unavailable", "")  # a record the portal chokes on
            results = [self._push_item(station_id, item, now) for item in items]
            for prefix, last in self._ids.items():
                self.conn.execute(
                    "INSERT INTO counters(name, value) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                    (f"id:{prefix}", last),
                )
            self._ids = {}
            self.bump("items_received", len(items))
        except BaseException:
            self._ids = {}
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        # where the change feed stood when these items were taken: a pulled change up to
        # here is older than them (the client never applies it over its own accepted move)
        (change_seq,) = self.conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()
        return {"portal_time": self.now(), "results": results, "change_seq": change_seq}

    def _push_item(self, station_id: str, item: dict, now: float) -> dict:
        key = str(item.get("key", ""))
        op = str(item.get("op", ""))
        entity_id = str(item.get("entity_id", ""))
        payload = item.get("payload")
        if not key.startswith(station_id + ":"):
            self.bump("rejected_items")
            return _rejected(key, "foreign_key", retryable=False)
        digest = p.content_hash(op, entity_id, payload)
        seen = self.conn.execute(
            "SELECT content_hash, answer FROM items WHERE key = ?", (key,)
        ).fetchone()
        if seen is not None:
            if seen["content_hash"] == digest:
                self.bump("duplicates")
                return {**json.loads(seen["answer"]), "duplicate": True}
            self.bump("conflicts")
            return _rejected(key, "idempotency_conflict", retryable=False)
        poison = self._poison.get(entity_id)
        if poison is not None:
            self.bump("rejected_items")
            return _rejected(key, "refused_by_portal", retryable=poison == "retryable")
        answer = self._apply(station_id, key, op, entity_id, payload, now)
        if answer["status"] == "rejected":
            self.bump("rejected_items")
            if answer["retryable"]:
                return answer
        self.conn.execute(
            "INSERT INTO items(key, station_id, op, entity_id, content_hash, answer, payload, "
            "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, station_id, op, entity_id, digest, json.dumps(answer), _dump(payload), now),
        )
        return answer

    def _apply(
        self, station_id: str, key: str, op: str, entity_id: str, payload: Any, now: float
    ) -> dict:
        if not isinstance(payload, dict):
            return _rejected(key, "payload_not_object", retryable=False)
        if op == "dossier.receive":
            missing = [
                f for f in ("MaHoSo", "MaTTHC", "ChuHoSo", "NgayTiepNhan") if not payload.get(f)
            ]
            if missing:
                return _rejected(key, "missing_fields:" + ",".join(missing), retryable=False)
            code = payload["MaHoSo"]
            if self.conn.execute("SELECT 1 FROM dossiers WHERE code = ?", (code,)).fetchone():
                self.bump("conflicts")
                return _rejected(key, "dossier_code_exists", retryable=False)
            portal_id = self._next_id("HS")
            self.conn.execute(
                "INSERT INTO dossiers(code, station_id, portal_id, status, record, received_at, "
                "changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    station_id,
                    portal_id,
                    int(payload.get("TrangThaiHoSo") or 2),
                    _dump(payload),
                    now,
                    now,
                ),
            )
            return _accepted(key, portal_id)
        if op == "dossier.status":
            code = payload.get("MaHoSo", "")
            status = payload.get("TrangThai")
            if not isinstance(status, int) or not 1 <= status <= 10:
                return _rejected(key, "bad_status", retryable=False)
            row = self.conn.execute(
                "SELECT portal_id, status FROM dossiers WHERE code = ?", (code,)
            ).fetchone()
            if row is None:
                return _rejected(key, "unknown_dossier", retryable=True)
            before = payload.get("TrangThaiTruoc")
            if not isinstance(before, int) or not 1 <= before <= 10:
                return _rejected(key, "missing_fields:TrangThaiTruoc", retryable=False)
            held = row["status"]
            # as a one-door system does: a move from a status the dossier has left is
            # refused (a move to where it already is changes nothing and is taken)
            if status != held and before != held and not self.roll(self.faults.status_unchecked):
                self.bump("conflicts")
                return {**_rejected(key, "status_mismatch", retryable=False), "portal_status": held}
            self.conn.execute(
                "UPDATE dossiers SET status = ?, changed_at = ? WHERE code = ?",
                (status, now, code),
            )
            self.conn.execute(
                "INSERT INTO status_updates(key, code, status) VALUES (?, ?, ?)",
                (key, code, status),
            )
            return _accepted(key, self._next_id("TD"))
        if op.startswith(("ticket.", "rating.", "paper.")):
            self.conn.execute(
                "INSERT INTO queue_stats(key, station_id, op, record) VALUES (?, ?, ?, ?)",
                (key, station_id, op, _dump(payload)),
            )
            return _accepted(key, self._next_id("TK"))
        return _rejected(key, f"unknown_op:{op}", retryable=False)

    # pull
    def changes(self, station_id: str, after: int, limit: int) -> dict:
        """Changes after sequence `after`; both as checked by emulator_requests."""
        with self.lock:
            rows = self.conn.execute(
                "SELECT * FROM changes WHERE seq > ? AND (station_id IS NULL OR station_id = ?) "
                "ORDER BY seq LIMIT ?",
                (after, station_id, limit + 1),
            ).fetchall()
        page = rows[:limit]
        return {
            "portal_time": self.now(),
            "changes": [
                {
                    "seq": r["seq"],
                    "kind": r["kind"],
                    "entity_id": r["entity_id"],
                    "data": json.loads(r["data"]),
                }
                for r in page
            ],
            "next_cursor": str(page[-1]["seq"] if page else after),
            "more": len(rows) > limit,
        }

    def add_change(self, station_id: str | None, kind: str, entity_id: str, data: dict) -> int:
        with self.lock:
            if kind == "dossier.status":
                self.conn.execute(
                    "UPDATE dossiers SET status = ?, changed_at = ? WHERE code = ?",
                    (data["TrangThai"], self.now(), entity_id),
                )
            cursor = self.conn.execute(
                "INSERT INTO changes(station_id, kind, entity_id, data, at) VALUES (?, ?, ?, ?, ?)",
                (station_id, kind, entity_id, _dump(data), self.now()),
            )
            return cursor.lastrowid

    def advance(self, *, min_age: float) -> int:
        """Move received dossiers one status on, as higher levels would; returns how many."""
        moved = 0
        with self.lock:
            now = self.now()
            rows = self.conn.execute(
                "SELECT code, station_id, status FROM dossiers WHERE status IN (2, 4) "
                "AND changed_at <= ?",
                (now - min_age,),
            ).fetchall()
            self.conn.execute("BEGIN IMMEDIATE")
            for r in rows:
                target = ADVANCE_PATH[r["status"]]
                self.add_change(
                    r["station_id"],
                    "dossier.status",
                    r["code"],
                    {
                        "MaHoSo": r["code"],
                        "TrangThaiTruoc": r["status"],
                        "TrangThai": target,
                        "NguoiXuLy": "Phòng chuyên môn (giả lập)",
                        "ThoiDiemXuLy": time.strftime("%Y%m%d%H%M%S", time.gmtime(now + 7 * 3600)),
                        "NoiDungXuLy": "Cập nhật từ Cổng dịch vụ công",
                    },
                )
                moved += 1
            self.conn.execute("COMMIT")
        return moved

    def set_poison(self, entity_id: str, mode: str | None) -> None:
        with self.lock:
            if mode:
                self.conn.execute(
                    "INSERT OR REPLACE INTO poison(entity_id, mode) VALUES (?, ?)",
                    (entity_id, mode),
                )
            else:
                self.conn.execute("DELETE FROM poison WHERE entity_id = ?", (entity_id,))

    def stats(self) -> dict:
        with self.lock:
            counters = {r["name"]: r["value"] for r in self.conn.execute("SELECT * FROM counters")}
            one = self.conn.execute
            out = {name: counters.get(name, 0) for name in _STAT_NAMES}
            out["dossiers_stored"] = one("SELECT count(*) FROM dossiers").fetchone()[0]
            out["items_stored"] = one("SELECT count(*) FROM items").fetchone()[0]
            out["status_updates"] = one("SELECT count(*) FROM status_updates").fetchone()[0]
            out["queue_events"] = one("SELECT count(*) FROM queue_stats").fetchone()[0]
            out["changes"] = one("SELECT count(*) FROM changes").fetchone()[0]
            out["stations"] = one("SELECT count(*) FROM stations").fetchone()[0]
            out["portal_time"] = self.now()
            out["faults"] = self.faults.to_dict()
        return out

    def station_view(self, station_id: str) -> dict:
        with self.lock:
            dossiers = {
                r["code"]: {"portal_id": r["portal_id"], "status": r["status"]}
                for r in self.conn.execute(
                    "SELECT code, portal_id, status FROM dossiers WHERE station_id = ?",
                    (station_id,),
                )
            }
            items = {
                r["key"]: json.loads(r["answer"]).get("portal_id")
                for r in self.conn.execute(
                    "SELECT key, answer FROM items WHERE station_id = ?", (station_id,)
                )
            }
            changes = self.conn.execute(
                "SELECT count(*) FROM changes WHERE station_id = ?", (station_id,)
            ).fetchone()[0]
        return {"dossiers": dossiers, "items": items, "changes": changes}


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _accepted(key: str, portal_id: str) -> dict:
    return {"key": key, "status": "accepted", "portal_id": portal_id}


def _rejected(key: str, reason: str, *, retryable: bool) -> dict:
    return {"key": key, "status": "rejected", "reason": reason, "retryable": retryable}


def _sleep(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)
