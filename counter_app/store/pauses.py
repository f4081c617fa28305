"""Counter pauses: one row per pause, open until the counter resumes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from counter_app.core.counter_desk import Pause

if TYPE_CHECKING:
    from counter_app.store.database import Store


def _from_row(row) -> Pause:
    return Pause(
        counter=row["counter"],
        reason=row["reason"],
        started_at=datetime.fromisoformat(row["started_at"]),
        ended_at=datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else None,
        actor=row["actor"],
        uid=row["uid"],
    )


class PauseRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def put(self, pause: Pause) -> None:
        """Insert or update by uid: a station's own pause, or one another station made."""
        self._store.conn.execute(
            "INSERT INTO counter_pauses(uid, counter, reason, started_at, ended_at, actor) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(uid) DO UPDATE SET "
            "ended_at = excluded.ended_at",
            (
                pause.uid,
                pause.counter,
                pause.reason,
                pause.started_at.isoformat(),
                pause.ended_at.isoformat() if pause.ended_at else None,
                pause.actor,
            ),
        )

    def new_uid(self, station_id: str) -> str:
        row = self._store.query_one("SELECT coalesce(max(id), 0) + 1 FROM counter_pauses")
        return f"{station_id}#p{row[0]}"

    def open_at(self, counter: int) -> Pause | None:
        row = self._store.query_one(
            "SELECT * FROM counter_pauses WHERE counter = ? AND ended_at IS NULL "
            "ORDER BY started_at DESC LIMIT 1",
            (counter,),
        )
        return None if row is None else _from_row(row)

    def open_by_counter(self) -> dict[int, Pause]:
        """Every counter's open pause in one read (the board asks for all of them at once)."""
        rows = self._store.query(
            "SELECT * FROM counter_pauses WHERE ended_at IS NULL ORDER BY started_at"
        )
        return {row["counter"]: _from_row(row) for row in rows}  # the latest wins

    def between(self, start: date, end: date) -> list[Pause]:
        """Pauses that started on these days (inclusive), oldest first."""
        rows = self._store.query(
            "SELECT * FROM counter_pauses WHERE started_at >= ? AND started_at < ? "
            "ORDER BY started_at, id",
            (start.isoformat(), (end + timedelta(days=1)).isoformat()),
        )
        return [_from_row(r) for r in rows]
