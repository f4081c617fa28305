"""Which paper files an upstream holds (table `paper_uploads`, migration m012): the id and
link it gave each paper, per destination (a dialect and its address). Written in the caller's
transaction, the one that learns the id from the upstream's answer."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from counter_app.store.database import Store


class Uploaded(NamedTuple):
    upstream_id: str
    link: str
    sha256: str


class PaperUploads:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, paper_id: str, destination: str) -> Uploaded | None:
        row = self._store.query_one(
            "SELECT upstream_id, link, sha256 FROM paper_uploads "
            "WHERE paper_id = ? AND destination = ?",
            (paper_id, destination),
        )
        return Uploaded(*row) if row else None

    def record(self, paper_id: str, destination: str, held: Uploaded, *, at: datetime) -> None:
        assert self._store.conn.in_transaction, "record() needs a write transaction"
        self._store.conn.execute(
            "INSERT INTO paper_uploads VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(paper_id, destination) DO UPDATE SET upstream_id = excluded.upstream_id,"
            " link = excluded.link, sha256 = excluded.sha256, uploaded_at = excluded.uploaded_at",
            (paper_id, destination, *held, at.isoformat()),
        )

    def count(self, destination: str) -> int:
        row = self._store.query_one(
            "SELECT count(*) FROM paper_uploads WHERE destination = ?", (destination,)
        )
        return row[0]
