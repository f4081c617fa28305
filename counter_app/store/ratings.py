"""Satisfaction ratings, linked to a ticket or a dossier, never to the clerk directly."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_app.store.database import Store


class RatingRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def insert(
        self,
        *,
        at: datetime,
        score: int,
        ticket_id: int | None,
        dossier_code: str | None,
        station_id: str,
    ) -> int:
        cursor = self._store.conn.execute(
            "INSERT INTO ratings(at, score, ticket_id, dossier_code, station_id) "
            "VALUES (?, ?, ?, ?, ?)",
            (at.isoformat(), score, ticket_id, dossier_code, station_id),
        )
        return cursor.lastrowid

    def for_ticket(self, ticket_id: int) -> int | None:
        row = self._store.query_one("SELECT score FROM ratings WHERE ticket_id = ?", (ticket_id,))
        return None if row is None else row["score"]

    def between(self, start: datetime, end: datetime) -> list:
        return self._store.query(
            "SELECT * FROM ratings WHERE at >= ? AND at < ? ORDER BY at",
            (start.isoformat(), end.isoformat()),
        )
