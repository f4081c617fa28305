"""A dossier's paper files sent upstream exactly once, for the dialects whose wire names
files by an upstream id (`motcua`'s `IdTepTin`, `dvcqg`'s `TepDinhKemId` and link).

Before a dossier (or a change to its papers) goes out, each current paper the destination
does not hold yet is uploaded, and the id the upstream answers is recorded in its own
transaction (table `paper_uploads`, migration m012) the moment it is known. A kill between
the upstream keeping the file and that commit costs one repeated upload, which the upstream
answers with the same id (it keeps one copy per dossier and hash): the file is held once.

Memory: the sealed file is opened to its clear bytes (the sealed copy dropped at once) and
sent from them in blocks through `MultipartBody`, so sending a file holds it about once,
never the twice a multipart body built in memory would.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator
from datetime import datetime

from counter_app.core.messages import register
from counter_app.store.paper_uploads import PaperUploads, Uploaded
from sync.dialects.base import Rejected, text

CHUNK = 64 * 1024
REFUSED = "paper.refused:"  # sync_meta: a file an upstream refused for good, and why

register(
    {
        "sync.paper.not_here": {
            "vi": "Tệp giấy tờ số {paper_no} chưa có trên máy này; sẽ gửi khi lấy được từ "
            "máy chủ trung tâm.",
            "en": "Paper {paper_no}'s file is not on this PC yet; it is sent once the center "
            "hub provides it.",
        },
        "sync.paper.damaged": {
            "vi": "Tệp giấy tờ số {paper_no} không khớp mã SHA-256 đã ghi khi số hóa; hãy số "
            "hóa lại giấy tờ này.",
            "en": "Paper {paper_no}'s file does not match the SHA-256 recorded when it was "
            "digitised; digitise it again.",
        },
        "sync.paper.too_large": {
            "vi": "Tệp giấy tờ số {paper_no} ({size} MB) lớn hơn dung lượng tối đa Cổng nhận "
            "({cap} MB); hãy quét lại với ít trang hơn hoặc độ phân giải thấp hơn, rồi gửi "
            "lại hồ sơ (sync requeue).",
            "en": "Paper {paper_no}'s file ({size} MB) is larger than the portal takes "
            "({cap} MB); scan it again with fewer pages or a lower resolution, then requeue.",
        },
        "sync.paper.hash": {
            "vi": "Cổng nhận tệp giấy tờ số {paper_no} bị sai lệch (mã băm không khớp); sẽ gửi "
            "lại.",
            "en": "The portal received paper {paper_no}'s file damaged (hash mismatch); it is "
            "sent again.",
        },
        "sync.paper.refused": {
            "vi": "Cổng từ chối tệp giấy tờ số {paper_no} (HTTP {status}).",
            "en": "The portal refused paper {paper_no}'s file (HTTP {status}).",
        },
    }
)


class MultipartBody:
    """A multipart/form-data body read in blocks: the text fields, the file's bytes (sliced
    from a memoryview, never copied whole) and the closing line. `requests` streams an
    object with `read` and a length, with a Content-Length, so nothing else is built."""

    def __init__(self, fields: dict[str, str], filename: str, data: bytes) -> None:
        boundary = secrets.token_hex(16)
        head = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        )
        self._parts = [
            memoryview(head.encode()),
            memoryview(data),
            memoryview(f"\r\n--{boundary}--\r\n".encode()),
        ]
        self._length = sum(len(p) for p in self._parts)
        self.content_type = f"multipart/form-data; boundary={boundary}"

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[bytes]:
        while block := self.read(CHUNK):
            yield block

    def read(self, size: int = -1) -> bytes:
        size = CHUNK if size is None or size < 0 else size
        while self._parts and not len(self._parts[0]):
            self._parts.pop(0)
        if not self._parts:
            return b""
        block = self._parts[0][:size]
        self._parts[0] = self._parts[0][len(block) :]
        return bytes(block)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def too_large(paper_no: int, size: int, cap: object) -> Rejected:
    """The upstream's cap refused a file: for good, in our words with its figures."""
    cap_text = megabytes(cap) if isinstance(cap, int) and cap > 0 else "?"
    reason = text("sync.paper.too_large", paper_no=paper_no, size=megabytes(size), cap=cap_text)
    return Rejected(reason, permanent=True)


class PaperShipper:
    """The files of a dossier's current papers, uploaded to one destination once.

    `upload(row, clear)` sends one paper's clear bytes and returns what the upstream holds
    (its id, link and hash), or raises `Rejected` / a link failure like any call."""

    def __init__(
        self,
        store,
        destination: str,
        upload: Callable[[object, bytes], Uploaded],
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.destination = destination
        self.upload = upload
        self.clock = clock
        self.uploads = PaperUploads(store)

    def held(
        self, dossier_code: str, kind: str, *, strict: bool = True
    ) -> list[tuple[object, Uploaded]]:
        """(paper row, what the upstream holds) for each current paper of that kind.

        A file the upstream refuses for good (over its cap) is remembered with the reason,
        never sent again: `strict` (the paper's own event) raises that refusal, so the paper
        is set aside and shown; otherwise (the dossier's records) it is left out, so one
        paper never holds a dossier back. A paper scanned again is a new paper."""
        found = []
        for row in self.store.papers.current(dossier_code, kind):
            refused_key = f"{REFUSED}{self.destination}:{row['paper_id']}"
            reason = self.store.sync_state.get(refused_key)
            if reason:
                if strict:
                    raise Rejected(reason, permanent=True)
                continue
            done = self.uploads.get(row["paper_id"], self.destination)
            if done is None or done.sha256 != row["sha256"]:
                try:
                    done = self.upload(row, self._clear(row))
                except Rejected as refusal:
                    if not refusal.permanent:
                        raise
                    with self.store.transaction():
                        self.store.sync_state.set(refused_key, refusal.reason)
                    if strict:
                        raise
                    continue
                if done.sha256 != row["sha256"]:
                    reason = text("sync.paper.hash", paper_no=row["paper_no"])
                    raise Rejected(reason, permanent=False)
                with self.store.transaction():
                    self.uploads.record(row["paper_id"], self.destination, done, at=self.clock())
            found.append((row, done))
        return found

    def _clear(self, row) -> bytes:
        from counter_app.services.papers import paper_blob
        from counter_app.store.paper_files import open_blob

        paper_id = row["paper_id"]
        blob = paper_blob(self.store, paper_id)
        if blob is None:
            raise Rejected(text("sync.paper.not_here", paper_no=row["paper_no"]), permanent=False)
        clear = open_blob(blob, self.store.crypto, paper_id)
        del blob  # hold the file once while it is sent
        if hashlib.sha256(clear).hexdigest() != row["sha256"]:
            raise Rejected(text("sync.paper.damaged", paper_no=row["paper_no"]), permanent=True)
        return clear


def upload_name(row) -> str:
    """The file's name on the wire: its kind and checklist row, never a person's name."""
    return f"giay-to-{row['kind']}-{row['paper_no']}.pdf"
