"""Papers' files at rest: sealed, in a folder beside the store, named by their random id.

A blob is self-contained: its own random AES-GCM key, wrapped by the store's current
sealing key (named by id), then the PDF sealed under it. The same bytes travel through the
center's object store, so any station holding the center's personal keys (counters and
hub nodes, store/center_keys.py) opens them and nothing else can. The paper id is bound
into both seals: a blob renamed to another id does not open.

Writes go to a temporary file, are flushed to disk, renamed over the target and the folder
is flushed too: a power cut leaves the old file or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counter_app.core.crypto import FieldCrypto
from counter_app.core.errors import DomainError

MAGIC = b"CAPAPER1"
FOLDER = "papers"
PAPER_ID = re.compile(r"^[0-9a-f]{32}$")
_HEADER = struct.Struct(">B")


def seal(clear: bytes, fc: FieldCrypto, paper_id: str) -> bytes:
    file_key = AESGCM.generate_key(bit_length=256)
    return _wrapped_header(file_key, fc, paper_id) + _sealed_body(clear, file_key, paper_id)


def _wrapped_header(file_key: bytes, fc: FieldCrypto, paper_id: str) -> bytes:
    key_id = fc.key_id.encode("ascii")
    nonce = os.urandom(12)
    wrapped = AESGCM(fc.seal_keys[fc.key_id]).encrypt(nonce, file_key, _aad("key", paper_id))
    return MAGIC + _HEADER.pack(len(key_id)) + key_id + nonce + wrapped


def _sealed_body(clear: bytes, file_key: bytes, paper_id: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(file_key).encrypt(nonce, clear, _aad("pdf", paper_id))


def _aad(part: str, paper_id: str) -> bytes:
    return f"paper:{part}:{paper_id}".encode("ascii")


def _split(blob: bytes) -> tuple[str, bytes, bytes, int]:
    """key id, wrap nonce, wrapped key, offset of the body."""
    if not blob.startswith(MAGIC):
        raise DomainError("crypto.damaged")
    at = len(MAGIC)
    (length,) = _HEADER.unpack_from(blob, at)
    at += _HEADER.size
    key_id = blob[at : at + length].decode("ascii", "replace")
    at += length
    return key_id, blob[at : at + 12], blob[at + 12 : at + 60], at + 60


def _file_key(blob: bytes, fc: FieldCrypto, paper_id: str) -> tuple[bytes, int, str]:
    try:
        key_id, nonce, wrapped, body = _split(blob)
        key = AESGCM(fc.seal_keys[key_id]).decrypt(nonce, wrapped, _aad("key", paper_id))
    except (KeyError, InvalidTag, struct.error, ValueError):
        raise DomainError("crypto.damaged") from None
    return key, body, key_id


def open_blob(blob: bytes, fc: FieldCrypto, paper_id: str) -> bytes:
    key, body, _ = _file_key(blob, fc, paper_id)
    try:
        return AESGCM(key).decrypt(blob[body : body + 12], blob[body + 12 :], _aad("pdf", paper_id))
    except (InvalidTag, ValueError):
        raise DomainError("crypto.damaged") from None


def key_id_of(blob: bytes) -> str:
    return _split(blob)[0]


def rewrap(blob: bytes, fc: FieldCrypto, paper_id: str) -> bytes:
    """The same sealed body under the current sealing key (after a key rotation)."""
    key, body, _ = _file_key(blob, fc, paper_id)
    return _wrapped_header(key, fc, paper_id) + blob[body:]


class PaperFiles:
    """The folder of sealed papers beside the store."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, paper_id: str) -> Path:
        if not PAPER_ID.match(paper_id):  # never a path out of the folder
            raise DomainError("crypto.damaged")
        return self.folder / paper_id

    def exists(self, paper_id: str) -> bool:
        return self.path(paper_id).exists()

    def write(self, paper_id: str, blob: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path(paper_id)
        partial = self.folder / f".{paper_id}.{os.getpid()}.part"
        with open(partial, "wb") as out:
            out.write(blob)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
        _sync_folder(self.folder)

    def read(self, paper_id: str) -> bytes | None:
        try:
            return self.path(paper_id).read_bytes()
        except FileNotFoundError:
            return None

    def head(self, paper_id: str, size: int = 64) -> bytes:
        """The start of a sealed file: enough to read which key wraps it."""
        with open(self.path(paper_id), "rb") as handle:
            return handle.read(size)

    def delete(self, paper_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(paper_id).unlink()
            _sync_folder(self.folder)

    def ids(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if PAPER_ID.match(p.name))

    def forget_partials(self) -> int:
        """Temporary files a kill left behind (their paper never committed)."""
        if not self.folder.is_dir():
            return 0
        leftovers = list(self.folder.glob(".*.part"))
        for leftover in leftovers:
            with contextlib.suppress(OSError):
                leftover.unlink()
        return len(leftovers)


def _sync_folder(folder: Path) -> None:
    """The rename itself must survive a power cut: flush the folder's entry (POSIX only;
    Windows' MoveFileEx is durable once it returns)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
