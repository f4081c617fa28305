"""Encrypted backups with SQLite's backup API, and restore that checks before it replaces.

File: a JSON header line (the store's wrapped keys, already protected by passphrase,
recovery code or OS keyring) then the database in 1 MiB AES-GCM chunks sealed with a key
derived from the keyset. A backup restores on a new PC with the passphrase or recovery code.

Format 2 adds the papers after the database: each paper's file exactly as sealed at rest
(its own key wrapped by the store's), named by its random id. Its chunks say which one is
the last (sealed into the chunk, so the flag cannot be flipped), since a peek at the end of
the file no longer finds it. Format 1 backups still restore.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import struct
import tempfile
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counter_app.core import crypto
from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.store.paper_files import FOLDER, PAPER_ID, PaperFiles

MAGIC_V1 = b"COUNTER-APP-BACKUP-1\n"
MAGIC = b"COUNTER-APP-BACKUP-2\n"
_PAPER_HEAD = struct.Struct(">HQ")  # id length, blob length
CHUNK = 1 << 20
SUFFIX = ".cabak"

register(
    {
        "backup.not_a_backup": {
            "vi": "Tệp này không phải bản sao lưu của chương trình quầy một cửa.",
            "en": "This file is not a backup of this counter program.",
        },
        "backup.damaged": {
            "vi": "Bản sao lưu bị hỏng hoặc bị sửa; kho dữ liệu hiện tại được giữ nguyên.",
            "en": "The backup is damaged or altered; the current store was left as it is.",
        },
    }
)


def backup_key(field_crypto: crypto.FieldCrypto) -> bytes:
    return crypto.derive(field_crypto.index_key, "backup")


def write_backup(
    conn: sqlite3.Connection,
    keys_info: dict,
    key: bytes,
    target: Path,
    papers: PaperFiles | None = None,
    paper_ids: set[str] = frozenset(),
) -> Path:
    """Snapshot the live database (readers and writers may go on) and seal it to `target`,
    with the sealed files of `paper_ids` (the papers the snapshot's rows keep)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(tmp) / "snapshot.db"
        copy = sqlite3.connect(snapshot)
        with copy:
            conn.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        copy.close()
        partial = target.with_suffix(target.suffix + ".part")
        with open(snapshot, "rb") as source, open(partial, "wb") as out:
            out.write(MAGIC)
            out.write(json.dumps(keys_info).encode("utf-8") + b"\n")
            aes, index = AESGCM(key), 0
            block = source.read(CHUNK)
            while True:
                following = source.read(CHUNK)
                last = not following
                nonce = os.urandom(12)
                sealed = aes.encrypt(nonce, block, _aad(index, last))
                out.write(struct.pack(">I?", len(sealed), last) + nonce + sealed)
                if last:
                    break
                block, index = following, index + 1
            if papers is not None:
                _write_papers(out, papers, paper_ids)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    return target


def _write_papers(out, papers: PaperFiles, paper_ids: set[str]) -> None:
    for paper_id in sorted(paper_ids):
        blob = papers.read(paper_id)
        if blob is None:  # a center's paper not fetched to this station: the hub keeps it
            continue
        name = paper_id.encode("ascii")
        out.write(_PAPER_HEAD.pack(len(name), len(blob)) + name + blob)


def _aad(index: int, last: bool) -> bytes:
    return struct.pack(">Q?", index, last)


def read_header(path: Path) -> dict:
    with open(path, "rb") as handle:
        if handle.read(len(MAGIC)) not in (MAGIC, MAGIC_V1):
            raise DomainError("backup.not_a_backup")
        try:
            return json.loads(handle.readline())
        except ValueError:
            raise DomainError("backup.not_a_backup") from None


def decrypt_backup(
    path: Path, key: bytes, out_path: Path, papers_out: PaperFiles | None = None
) -> list[str]:
    """Open every chunk; a missing, reordered or altered chunk fails the whole restore.
    The papers (still sealed: the caller checks each opens) go to `papers_out`; returns
    their ids."""
    try:
        with open(path, "rb") as handle, open(out_path, "wb") as out:
            v2 = handle.read(len(MAGIC)) == MAGIC
            handle.readline()
            aes, index = AESGCM(key), 0
            while True:
                head = handle.read(5 if v2 else 4)
                if len(head) < (5 if v2 else 4):
                    raise DomainError("backup.damaged")
                (size,) = struct.unpack(">I", head[:4])
                nonce, sealed = handle.read(12), handle.read(size)
                last = head[4] == 1 if v2 else handle.peek(1) == b""
                out.write(aes.decrypt(nonce, sealed, _aad(index, last)))
                if last:
                    break
                index += 1
            return _read_papers(handle, papers_out) if v2 and papers_out is not None else []
    except (InvalidTag, struct.error, ValueError, UnicodeDecodeError):
        raise DomainError("backup.damaged") from None


def _read_papers(handle, papers: PaperFiles) -> list[str]:
    ids = []
    while head := handle.read(_PAPER_HEAD.size):
        name_size, blob_size = _PAPER_HEAD.unpack(head)
        paper_id = handle.read(name_size).decode("ascii")
        blob = handle.read(blob_size)
        if len(blob) != blob_size or not PAPER_ID.match(paper_id):
            raise DomainError("backup.damaged")
        papers.write(paper_id, blob)
        ids.append(paper_id)
    return ids


def rotate(folder: Path, keep: int) -> list[Path]:
    """Keep the newest `keep` backups in `folder`; return the ones removed."""
    backups = sorted(folder.glob(f"counter-*{SUFFIX}"))
    removed = backups[:-keep] if keep > 0 else []
    for old in removed:
        old.unlink()
    return removed


def backup_name(now: datetime) -> str:
    return f"counter-{now:%Y%m%d-%H%M%S}{SUFFIX}"


def replace_store(db_path: Path, restored: Path, now: datetime) -> Path:
    """Move the current store aside (kept, never deleted) and put the restored one in place."""
    kept = db_path.with_name(f"{db_path.name}.replaced-{now:%Y%m%d-%H%M%S}")
    if db_path.exists():
        conn = sqlite3.connect(db_path)
        # A damaged store (the reason to restore) cannot fold its WAL in: it is kept beside.
        with contextlib.suppress(sqlite3.DatabaseError):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        shutil.move(db_path, kept)
    for suffix in ("-wal", "-shm"):
        leftover = db_path.with_name(db_path.name + suffix)
        if leftover.exists():
            shutil.move(leftover, kept.with_name(kept.name + suffix))
    shutil.move(restored, db_path)
    return kept


def replace_papers(data_dir: Path, restored: Path, now: datetime) -> None:
    """The restored papers folder in place of the current one (kept beside, like the
    store it belonged to)."""
    current = Path(data_dir) / FOLDER
    if current.exists():
        shutil.move(current, current.with_name(f"{FOLDER}.replaced-{now:%Y%m%d-%H%M%S}"))
    if restored.exists():
        shutil.move(restored, current)


LAST_BACKUP_FILE = "last-backup.json"


def remember_last_backup(data_dir: Path, backup: Path) -> None:
    """Kept beside the store, outside it, so a store too damaged to open can still point to
    its latest backup."""
    note = {"file": str(backup.resolve()), "folder": str(backup.parent.resolve())}
    (Path(data_dir) / LAST_BACKUP_FILE).write_text(json.dumps(note), encoding="utf-8")


def latest_backup(data_dir: Path) -> Path | None:
    try:
        note = json.loads((Path(data_dir) / LAST_BACKUP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    candidates = sorted(Path(note["folder"]).glob(f"counter-*{SUFFIX}"))
    return candidates[-1] if candidates else None
