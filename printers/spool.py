"""The print spool: every print request is a job in its own SQLite file before it is sent.

States: queued -> printing -> printed; a printer that is off or out of paper sends the job
back to queued with a later try (backoff); a link that breaks mid-job, or a program that
stopped while printing, leaves it `unknown`: it is never sent again by itself, because the
paper may already be in the citizen's hand. A clerk retries it (printed as "BẢN IN LẠI")
or cancels it. After `max_attempts` tries, or on an error that retrying cannot cure, a job
ends `failed` with the reason.

A job is `printing` under its owner: the open spool that claimed it holds a lock file
(`spool.db.owners/<owner>.lock`) until it closes, so another process opening the spool can
tell a job in flight from one whose program died.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from counter_app.core.errors import DomainError, NotFound
from counter_app.core.messages import register
from printers.backends import (
    Backend,
    ConnectionBroken,
    PrinterUnavailable,
    open_backend,
    wait_backoff,
)
from printers.documents import Document
from printers.file_lock import FileLock


class Sealer(Protocol):
    """Seals text at rest (counter_app.core.crypto.FieldCrypto is one)."""

    def seal(self, value: str, aad: str) -> str: ...

    def open(self, token: str | None, aad: str) -> str: ...


register(
    {
        "printer.unknown_job": {
            "vi": "Không có lệnh in số {job}.",
            "en": "There is no print job {job}.",
        },
        "printer.job_final": {
            "vi": "Lệnh in số {job} đã «{state}», không thể {action}.",
            "en": "Print job {job} is '{state_en}' and cannot be {action_en}.",
        },
    }
)

QUEUED, PRINTING, PRINTED, FAILED, UNKNOWN, CANCELLED = (
    "queued",
    "printing",
    "printed",
    "failed",
    "unknown",
    "cancelled",
)
STATE_NAMES = {
    QUEUED: ("Đang chờ in", "Queued"),
    PRINTING: ("Đang in", "Printing"),
    PRINTED: ("Đã in", "Printed"),
    FAILED: ("Không in được", "Failed"),
    UNKNOWN: ("Không rõ đã in chưa", "Unknown"),
    CANCELLED: ("Đã hủy", "Cancelled"),
}
# A job in one of these holds its document: asking again does not print a second copy.
HOLDING = (QUEUED, PRINTING, PRINTED, UNKNOWN)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    printer TEXT NOT NULL,
    job_key TEXT NOT NULL,
    title TEXT NOT NULL,
    document TEXT NOT NULL,
    reprint INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try_at TEXT NOT NULL,
    printed_at TEXT,
    bytes_sent INTEGER NOT NULL DEFAULT 0,
    owner TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state, next_try_at);
CREATE INDEX IF NOT EXISTS jobs_key ON jobs(job_key, printer);
"""


@dataclass(frozen=True)
class Job:
    id: int
    created_at: datetime
    updated_at: datetime
    printer: str
    job_key: str
    title: str
    document: Document
    reprint: bool
    state: str
    reason: str
    attempts: int
    next_try_at: datetime
    printed_at: datetime | None
    bytes_sent: int

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state][0]


@dataclass(frozen=True)
class Enqueued:
    job: Job
    created: bool  # False: the same document was already spooled for this printer


def _job(row: sqlite3.Row, document: Document) -> Job:
    return Job(
        id=row["id"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        printer=row["printer"],
        job_key=row["job_key"],
        title=row["title"],
        document=document,
        reprint=bool(row["reprint"]),
        state=row["state"],
        reason=row["reason"],
        attempts=row["attempts"],
        next_try_at=datetime.fromisoformat(row["next_try_at"]),
        printed_at=datetime.fromisoformat(row["printed_at"]) if row["printed_at"] else None,
        bytes_sent=row["bytes_sent"],
    )


def _drop(lock: FileLock) -> None:
    """Release a dead owner's lock and remove its file (Windows refuses while it is open)."""
    lock.release()
    with contextlib.suppress(OSError):
        lock.path.unlink()


def render_payload(document: Document, backend: Backend) -> bytes:
    if backend.wants_pdf:
        from printers.pdf import document_pdf_bytes

        return document_pdf_bytes(document)
    from printers.escpos_render import encode_document

    return encode_document(document, backend.profile)


class Spool:
    """Opened per process on `<data-dir>/spool.db`; safe to open from two processes at once."""

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], datetime],
        opener: Callable[[str], Backend] = open_backend,
        max_attempts: int = 20,
        sealer: Sealer | None = None,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # This spool's lock, held while it is open: jobs it claims carry its owner name.
        self.owners = path.with_name(path.name + ".owners")
        self.owners.mkdir(exist_ok=True)
        self.owner = uuid.uuid4().hex
        self._lock = FileLock(self.owners / f"{self.owner}.lock")
        if not self._lock.try_acquire():
            raise OSError(f"cannot lock {self._lock.path}")
        self.clock = clock
        self.opener = opener
        self.max_attempts = max_attempts
        # Receipts carry names and ID numbers: with the store's keys they are sealed at rest.
        self.sealer = sealer
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=10)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")  # a printed job must stay printed
        self.conn.executescript(_SCHEMA)
        columns = {row["name"] for row in self.conn.execute("PRAGMA table_info(jobs)")}
        if "owner" not in columns:  # a spool written before owners were recorded
            self.conn.execute("ALTER TABLE jobs ADD COLUMN owner TEXT NOT NULL DEFAULT ''")
        self._recover()

    def close(self) -> None:
        self.conn.close()
        self._lock.release()
        with contextlib.suppress(OSError):
            self._lock.path.unlink()

    def _dump(self, document: Document) -> str:
        text = json.dumps(document.to_dict(), ensure_ascii=False)
        return self.sealer.seal(text, f"job:{document.job_key}") if self.sealer else text

    def _job(self, row: sqlite3.Row) -> Job:
        text = row["document"]
        if text.startswith("e1:") and self.sealer is not None:
            text = self.sealer.open(text, f"job:{row['job_key']}")
        return _job(row, Document.from_dict(json.loads(text)))

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _recover(self) -> None:
        """A job left `printing` by a program that stopped may be on paper: mark it unknown.

        Only when its owner is dead (its lock can be taken): a job another living process
        is printing right now is left alone, or its retry would print a second copy.
        """
        owners = self.conn.execute(
            "SELECT DISTINCT owner FROM jobs WHERE state = ?", (PRINTING,)
        ).fetchall()
        for (owner,) in owners:
            probe = self._dead_owner(owner)
            if probe is None:
                continue
            self.conn.execute(
                "UPDATE jobs SET state = ?, reason = ?, updated_at = ? "
                "WHERE state = ? AND owner = ?",
                (
                    UNKNOWN,
                    "Chương trình dừng khi đang in; hãy xem giấy đã in chưa rồi in lại nếu cần.",
                    self.clock().isoformat(),
                    PRINTING,
                    owner,
                ),
            )
            _drop(probe)
        self._sweep_owner_files()

    def _dead_owner(self, owner: str) -> FileLock | None:
        """The dead owner's lock, taken (for the caller to drop); None while it lives."""
        probe = FileLock(self.owners / f"{owner}.lock")
        if not owner.isalnum() or probe.try_acquire(create=False) or not probe.path.exists():
            return probe  # no owner recorded (an older spool), or nobody holds its lock
        return None  # held: its process is alive and printing

    def _sweep_owner_files(self) -> None:
        """Remove lock files left by dead spools. A file younger than a minute may belong to a
        spool that has created it and is about to lock it, so it is left for later."""
        for path in self.owners.glob("*.lock"):
            probe = FileLock(path)
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > 60 and probe.try_acquire(create=False):
                    _drop(probe)

    # --- reading --------------------------------------------------------------------------

    def get(self, job_id: int) -> Job:
        row = self.conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise NotFound("printer.unknown_job", job=job_id)
        return self._job(row)

    def jobs(self, states: tuple[str, ...] | None = None, limit: int = 200) -> list[Job]:
        sql, params = "SELECT * FROM jobs", []
        if states:
            sql += f" WHERE state IN ({','.join('?' * len(states))})"
            params += list(states)
        rows = self.conn.execute(sql + " ORDER BY id DESC LIMIT ?", [*params, limit])
        return [self._job(r) for r in rows]

    def stuck(self) -> list[Job]:
        return self.jobs((QUEUED, FAILED, UNKNOWN))

    # --- writing --------------------------------------------------------------------------

    def enqueue(self, document: Document, printer: str) -> Enqueued:
        """Spool a document; the same document already held for this printer is not added."""
        now = self.clock().isoformat()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            if not document.reprint:
                row = self.conn.execute(
                    f"SELECT * FROM jobs WHERE job_key = ? AND printer = ? AND reprint = 0 "
                    f"AND state IN ({','.join('?' * len(HOLDING))}) ORDER BY id LIMIT 1",
                    (document.job_key, printer, *HOLDING),
                ).fetchone()
                if row is not None:
                    self.conn.execute("COMMIT")
                    return Enqueued(self._job(row), created=False)
            cursor = self.conn.execute(
                "INSERT INTO jobs(created_at, updated_at, printer, job_key, title, document, "
                "reprint, state, next_try_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now,
                    now,
                    printer,
                    document.job_key,
                    document.title,
                    self._dump(document),
                    int(document.reprint),
                    QUEUED,
                    now,
                ),
            )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return Enqueued(self.get(cursor.lastrowid), created=True)

    def _set(self, job_id: int, **changes) -> None:
        changes["updated_at"] = self.clock().isoformat()
        columns = ", ".join(f"{k} = ?" for k in changes)
        self.conn.execute(f"UPDATE jobs SET {columns} WHERE id = ?", (*changes.values(), job_id))

    def _claim(self, job_id: int) -> bool:
        """queued -> printing, atomically: of two processes only one may send a job."""
        cursor = self.conn.execute(
            "UPDATE jobs SET state = ?, attempts = attempts + 1, updated_at = ?, owner = ? "
            "WHERE id = ? AND state = ?",
            (PRINTING, self.clock().isoformat(), self.owner, job_id, QUEUED),
        )
        return cursor.rowcount == 1

    def deliver(self, job_id: int) -> Job:
        """Try to print one queued job now; returns it in its new state."""
        if not self._claim(job_id):
            return self.get(job_id)
        job = self.get(job_id)
        try:
            backend = self.opener(job.printer)
            payload = render_payload(job.document, backend)
            if backend.wants_pdf:
                backend.next_name = f"{job.id:06d}-{job.document.kind}.pdf"
            backend.send(payload)
        except PrinterUnavailable as error:
            if job.attempts >= self.max_attempts:
                self._set(job.id, state=FAILED, reason=f"{error} Đã thử {job.attempts} lần.")
            else:
                later = self.clock() + timedelta(seconds=wait_backoff(job.attempts))
                self._set(job.id, state=QUEUED, reason=str(error), next_try_at=later.isoformat())
        except ConnectionBroken as error:
            self._set(job.id, state=UNKNOWN, reason=str(error))
        except DomainError as error:
            self._set(job.id, state=FAILED, reason=error.message("vi"))
        except Exception as error:  # a bug or a bad setting: retrying will not cure it
            self._set(job.id, state=FAILED, reason=f"Lỗi khi chuẩn bị lệnh in: {error!r}")
        else:
            now = self.clock().isoformat()
            self._set(job.id, state=PRINTED, reason="", printed_at=now, bytes_sent=len(payload))
        return self.get(job.id)

    def run_due(self, *, printer: str | None = None, force: bool = False) -> list[Job]:
        """Send the queued jobs whose time has come, oldest first, one printer at a time.

        When a printer refuses a job its later jobs wait too, so slips keep their order.
        """
        now = self.clock().isoformat()
        sql, params = "SELECT id, printer FROM jobs WHERE state = ?", [QUEUED]
        if not force:
            sql += " AND next_try_at <= ?"
            params.append(now)
        if printer is not None:
            sql += " AND printer = ?"
            params.append(printer)
        done: list[Job] = []
        blocked: set[str] = set()
        for row in self.conn.execute(sql + " ORDER BY id", params).fetchall():
            if row["printer"] in blocked:
                continue
            job = self.deliver(row["id"])
            done.append(job)
            if job.state == QUEUED:
                blocked.add(row["printer"])
        return done

    def _open_job(self, job_id: int, action: str, action_en: str) -> Job:
        """The job, if a clerk may still act on it (not printed, cancelled or printing)."""
        job = self.get(job_id)
        if job.state in (PRINTED, CANCELLED, PRINTING):
            raise DomainError(
                "printer.job_final",
                job=job_id,
                state=STATE_NAMES[job.state][0],
                state_en=STATE_NAMES[job.state][1],
                action=action,
                action_en=action_en,
            )
        return job

    def retry(self, job_id: int) -> Job:
        """A clerk's retry: a failed job is queued again, an unknown one as a reprint."""
        job = self._open_job(
            job_id,
            "in lại theo cách này (dùng lệnh in với --reprint)",
            "retried (print again with --reprint)",
        )
        changes: dict = {"state": QUEUED, "next_try_at": self.clock().isoformat()}
        if job.state == UNKNOWN:
            reprint = job.document.as_reprint()
            changes["document"] = self._dump(reprint)
            changes["reprint"] = 1
        if job.state == FAILED:
            changes["attempts"] = 0
        self._set(job_id, **changes)
        return self.deliver(job_id)

    def cancel(self, job_id: int) -> Job:
        self._open_job(job_id, "hủy", "cancelled")
        self._set(job_id, state=CANCELLED)
        return self.get(job_id)
