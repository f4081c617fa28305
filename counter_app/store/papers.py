"""Rows of digitised papers (what, when, by whom); their bytes live in store/paper_files."""

from __future__ import annotations

import functools
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from counter_app.store.paper_files import FOLDER, PaperFiles, key_id_of, rewrap

if TYPE_CHECKING:
    import sqlite3

    from counter_app.core.crypto import FieldCrypto
    from counter_app.store.database import Store

COLUMNS = (
    "paper_id", "dossier_code", "paper_no", "kind", "title", "sha256", "size", "pages",
    "added_at", "added_by", "station_id",
)  # fmt: skip


class PaperRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    @functools.cached_property
    def files(self) -> PaperFiles:
        """Beside the store file; an in-memory store (tests, tools) gets a folder of its own."""
        if self._store.path is None:
            return PaperFiles(Path(tempfile.mkdtemp(prefix="counter-papers-")))
        return PaperFiles(self._store.path.parent / FOLDER)

    def insert(self, row: dict) -> bool:
        """False when the paper is already here (an event applied twice)."""
        cursor = self._store.conn.execute(
            f"INSERT OR IGNORE INTO papers({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in COLUMNS)})",
            tuple(row[c] for c in COLUMNS),
        )
        return cursor.rowcount == 1

    def remove(self, paper_id: str, *, at: datetime | str, by: str) -> None:
        at = at if isinstance(at, str) else at.isoformat()
        self._store.conn.execute(
            "UPDATE papers SET removed_at = ?, removed_by = ? "
            "WHERE paper_id = ? AND removed_at IS NULL",
            (at, by, paper_id),
        )

    def get(self, paper_id: str) -> sqlite3.Row | None:
        return self._store.query_one("SELECT * FROM papers WHERE paper_id = ?", (paper_id,))

    def current(self, dossier_code: str, kind: str | None = None) -> list[sqlite3.Row]:
        return self._store.query(
            "SELECT * FROM papers WHERE dossier_code = ? AND removed_at IS NULL "
            "AND (? IS NULL OR kind = ?) ORDER BY kind, paper_no, added_at",
            (dossier_code, kind, kind),
        )

    def of_dossiers(self, codes: list[str]) -> list[sqlite3.Row]:
        """Every current paper of these dossiers (erasure, retention)."""
        rows: list = []
        for start in range(0, len(codes), 500):
            chunk = codes[start : start + 500]
            rows += self._store.query(
                f"SELECT * FROM papers WHERE dossier_code IN ({', '.join('?' for _ in chunk)})",
                tuple(chunk),
            )
        return rows

    def kept_ids(self) -> set[str]:
        return {
            r[0] for r in self._store.query("SELECT paper_id FROM papers WHERE removed_at IS NULL")
        }

    def intake_between(self, start: datetime, end: datetime) -> list[sqlite3.Row]:
        """Current intake papers of the dossiers received in [start, end) (reports)."""
        return self._store.query(
            "SELECT p.dossier_code, p.paper_no FROM papers p JOIN dossiers d "
            "ON d.code = p.dossier_code WHERE p.kind = 'intake' AND p.removed_at IS NULL "
            "AND d.received_at >= ? AND d.received_at < ?",
            (start.isoformat(), end.isoformat()),
        )

    def forget_orphans(self) -> int:
        """Files a kill left behind: written but never committed, or replaced but not yet
        deleted; and partial writes. Under the write lock: a paper being attached right now
        is written inside its transaction, so no file seen here without a kept row is still
        to be committed."""
        with self._store.transaction():
            kept = self.kept_ids()
            orphans = [i for i in self.files.ids() if i not in kept]
            for paper_id in orphans:
                self.files.delete(paper_id)
            return len(orphans) + self.files.forget_partials()

    def rewrap_files(self, fc: FieldCrypto) -> int:
        """After a key rotation, each file's own key wrapped again under the current
        sealing key `fc` (the body is not touched); safe to interrupt and run again."""
        done = 0
        for paper_id in self.files.ids():
            if key_id_of(self.files.head(paper_id)) == fc.key_id:
                continue  # only the header is read: a store holds gigabytes of papers
            self.files.write(paper_id, rewrap(self.files.read(paper_id), fc, paper_id))
            done += 1
        return done
