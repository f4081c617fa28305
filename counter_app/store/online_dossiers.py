"""Online dossiers taken in from the upstream's inbox: the upstream's code beside the local
dossier, its round and notice channel, and whether it waits for a clerk's check.

Nothing personal is kept here (the citizen's fields are the dossier's, sealed in
`dossiers`), so these rows are plain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_app.store.database import Store


@dataclass(frozen=True)
class OnlineRecord:
    upstream_code: str
    dossier_code: str
    round: int  # LanNop: 1 the first submission, +1 each resubmission after a supplement
    submitted_at: datetime  # of this round
    notify_email: bool
    notify_sms: bool
    waiting: bool  # a clerk has still to accept, ask for supplements or refuse
    taken_at: datetime
    decided_at: datetime | None
    decided_by: str


def _record(row) -> OnlineRecord:
    return OnlineRecord(
        upstream_code=row["upstream_code"],
        dossier_code=row["dossier_code"],
        round=row["round"],
        submitted_at=datetime.fromisoformat(row["submitted_at"]),
        notify_email=bool(row["notify_email"]),
        notify_sms=bool(row["notify_sms"]),
        waiting=bool(row["waiting"]),
        taken_at=datetime.fromisoformat(row["taken_at"]),
        decided_at=datetime.fromisoformat(row["decided_at"]) if row["decided_at"] else None,
        decided_by=row["decided_by"],
    )


class OnlineDossierRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, upstream_code: str) -> OnlineRecord | None:
        row = self._store.query_one(
            "SELECT * FROM online_dossiers WHERE upstream_code = ?", (upstream_code,)
        )
        return None if row is None else _record(row)

    def of_dossier(self, dossier_code: str) -> OnlineRecord | None:
        row = self._store.query_one(
            "SELECT * FROM online_dossiers WHERE dossier_code = ?", (dossier_code,)
        )
        return None if row is None else _record(row)

    def put(self, record: OnlineRecord, *, station_id: str) -> None:
        """Insert the record, or replace what we held under its upstream code."""
        self._store.conn.execute(
            "INSERT INTO online_dossiers(upstream_code, dossier_code, round, submitted_at, "
            "notify_email, notify_sms, waiting, taken_at, decided_at, decided_by, station_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(upstream_code) DO UPDATE SET "
            "round = excluded.round, submitted_at = excluded.submitted_at, "
            "notify_email = excluded.notify_email, notify_sms = excluded.notify_sms, "
            "waiting = excluded.waiting, taken_at = excluded.taken_at, "
            "decided_at = excluded.decided_at, decided_by = excluded.decided_by",
            (
                record.upstream_code,
                record.dossier_code,
                record.round,
                record.submitted_at.isoformat(),
                int(record.notify_email),
                int(record.notify_sms),
                int(record.waiting),
                record.taken_at.isoformat(),
                record.decided_at.isoformat() if record.decided_at else None,
                record.decided_by,
                station_id,
            ),
        )

    def waiting(self, limit: int = 500) -> list[OnlineRecord]:
        """Those a clerk has still to check, the longest waiting first."""
        rows = self._store.query(
            "SELECT * FROM online_dossiers WHERE waiting = 1 ORDER BY submitted_at LIMIT ?",
            (limit,),
        )
        return [_record(r) for r in rows]

    def count_waiting(self) -> int:
        return self._store.query_one("SELECT count(*) FROM online_dossiers WHERE waiting = 1")[0]
