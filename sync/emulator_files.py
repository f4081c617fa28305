"""The files the dialect emulators hold: the province system's copy of each paper a station
uploads (sync/emulator_motcua.py `POST /UploadFile`, sync/emulator_dvcqg.py `POST /files`).

An upload is `multipart/form-data` with the dossier's code, the file's SHA-256 as the station
computed it, and the file. The emulator hashes what arrived and refuses a mismatch (a file
damaged on the way), refuses a file over the size cap (10 MB by default, a setting) with its
cap in the answer so the station can say it in Vietnamese, and keeps one copy per dossier and
hash: a station that uploads again after losing the answer (a kill, a dropped connection) gets
the same id back, so the upstream holds the file once. `GET /_emulator/files` lists what it
holds (name, SHA-256, size, dossier code), never the bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CAP = 10 * 1024 * 1024  # bytes of one file
_OVERHEAD = 64 * 1024  # multipart headers and fields around the file
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ID = re.compile(r"^[0-9a-f]{32}$")
_BOUNDARY = re.compile(r"boundary=([^;\s]+)", re.IGNORECASE)
_DISPOSITION = re.compile(
    r'content-disposition:\s*form-data;\s*name="(?P<name>[^"]*)"(?:;\s*filename="(?P<file>[^"]*)")?',
    re.IGNORECASE,
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (id TEXT PRIMARY KEY, dossier TEXT NOT NULL,
    name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
    uploads INTEGER NOT NULL DEFAULT 1, UNIQUE (dossier, sha256));
"""


class FileRefused(Exception):
    """An upload the emulator will not keep: `status` 400 (a field, a hash that does not
    match) or 413 (over the cap); the message is the emulator's, in Vietnamese."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


@dataclass(frozen=True)
class Upload:
    fields: dict[str, str]
    name: str
    data: bytes | None


@dataclass(frozen=True)
class HeldFile:
    id: str
    dossier: str
    name: str
    sha256: str
    size: int


class FileStore:
    """Files under `folder/files/<id>`, their facts in the emulator's own SQLite file."""

    def __init__(self, folder: Path, conn: sqlite3.Connection, lock: threading.Lock,
                 *, cap: int = DEFAULT_CAP) -> None:  # fmt: skip
        self.folder = Path(folder) / "files"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.conn, self.lock, self.cap = conn, lock, cap
        conn.executescript(_SCHEMA)

    def parse(self, raw: bytes, content_type: str) -> Upload:
        """The request's body read as one upload (refused over the cap before parsing)."""
        if len(raw) > self.cap + _OVERHEAD:
            raise self._too_large()
        return Upload(*_multipart(raw, content_type))

    def keep(self, upload: Upload, *, cap: int | None = None) -> tuple[HeldFile, bool]:
        """Check and keep one upload; (the file held, whether it is new). `cap` overrides
        the upload cap for a file the emulator makes itself (an online dossier's paper)."""
        fields, name, data = upload.fields, upload.name, upload.data
        dossier = fields.get("MaHoSo", "")
        declared = fields.get("HashTepTin", "").lower()
        if not dossier or len(dossier) > 100:
            raise FileRefused(400, "Trường MaHoSo bắt buộc (tối đa 100 ký tự)")
        if not _SHA256.match(declared):
            raise FileRefused(400, "Trường HashTepTin phải là SHA-256 dạng hex")
        if data is None or not name or len(name) > 255:
            raise FileRefused(400, "Thiếu tệp đính kèm hoặc tên tệp")
        if len(data) > (self.cap if cap is None else cap):
            raise self._too_large()
        digest = hashlib.sha256(data).hexdigest()
        if digest != declared:
            raise FileRefused(400, "HashTepTin không khớp nội dung tệp nhận được")
        with self.lock, self.conn:
            row = self.conn.execute(
                "SELECT id, name, size FROM files WHERE dossier = ? AND sha256 = ?",
                (dossier, digest),
            ).fetchone()
            if row is not None:
                self.conn.execute("UPDATE files SET uploads = uploads + 1 WHERE id = ?", (row[0],))
                return HeldFile(row[0], dossier, row[1], digest, row[2]), False
            ident = secrets.token_hex(16)
            _write_atomically(self.folder / ident, data)
            self.conn.execute(
                "INSERT INTO files(id, dossier, name, sha256, size) VALUES (?, ?, ?, ?, ?)",
                (ident, dossier, name, digest, len(data)),
            )
        return HeldFile(ident, dossier, name, digest, len(data)), True

    def _too_large(self) -> FileRefused:
        megabytes = self.cap / (1024 * 1024)
        return FileRefused(413, f"Tệp vượt quá dung lượng tối đa {megabytes:g} MB",
                           max_bytes=self.cap)  # fmt: skip

    def held(self, file_id: str) -> HeldFile | None:
        if not _ID.match(file_id):
            return None
        with self.lock:
            row = self.conn.execute(
                "SELECT id, dossier, name, sha256, size FROM files WHERE id = ?", (file_id,)
            ).fetchone()
        return HeldFile(*row) if row else None

    def content(self, file_id: str) -> bytes | None:
        found = self.held(file_id)
        return (self.folder / found.id).read_bytes() if found else None

    def listing(self) -> list[dict]:
        with self.lock:
            rows = self.conn.execute(
                "SELECT id, dossier, name, sha256, size, uploads FROM files ORDER BY dossier, name"
            ).fetchall()
        keys = ("id", "dossier_code", "name", "sha256", "size", "uploads")
        return [dict(zip(keys, row, strict=True)) for row in rows]


def _multipart(raw: bytes, content_type: str) -> tuple[dict[str, str], str, bytes | None]:
    """(text fields, file name, file bytes) of a multipart/form-data body, split on its
    boundary (the standard library's e-mail parser reads a 300 KB file line by line: slow
    enough to be the upstream's bottleneck in bench/paper_upload.py)."""
    found = _BOUNDARY.search(content_type)
    if not content_type.lower().startswith("multipart/form-data") or not found:
        raise FileRefused(400, "Cần multipart/form-data có boundary")
    delimiter = b"--" + found.group(1).strip('"').encode("latin-1")
    fields: dict[str, str] = {}
    name, data = "", None
    pieces = raw.split(b"\r\n" + delimiter)
    if not pieces[0].startswith(delimiter) or len(pieces) < 2:
        raise FileRefused(400, "Thân yêu cầu multipart không đọc được")
    pieces[0] = pieces[0][len(delimiter) :]
    for piece in pieces[:-1]:
        head, sep, body = piece.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        disposition = _DISPOSITION.search(head.decode("utf-8", "replace"))
        if not sep or not disposition:
            raise FileRefused(400, "Thân yêu cầu multipart không đọc được")
        if disposition.group("file") is not None:
            name, data = disposition.group("file"), body
        else:
            fields[disposition.group("name")] = body.decode("utf-8", "replace")
    return fields, name, data


def _write_atomically(path: Path, data: bytes) -> None:
    """Whole or absent, never half a file (no fsync: an emulator, not a store that must
    outlive a power cut; it would be most of an upload's time at the emulator)."""
    temporary = path.with_suffix(".part")
    temporary.write_bytes(data)
    os.replace(temporary, path)
