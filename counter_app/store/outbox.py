"""The outbox: what sync must push, written in the same transaction as the change itself.

The idempotency key is the station id plus a local sequence, so the portal can recognise a
repeated push after a lost answer and apply it once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counter_app.store.database import Store


@dataclass(frozen=True)
class OutboxItem:
    seq: int
    idem_key: str
    entity: str
    entity_id: str
    op: str
    payload: dict[str, Any]
    created_at: datetime
    state: str
    tries: int
    last_error: str


class Outbox:
    def __init__(self, store: Store) -> None:
        self._store = store

    def append(
        self,
        *,
        station_id: str,
        entity: str,
        entity_id: str,
        op: str,
        payload: dict[str, Any],
        at: datetime,
    ) -> str:
        local_seq = self._store.sequences.take("outbox", "-", lambda last: (last or 0) + 1)
        key = f"{station_id}:{local_seq}"
        self._store.conn.execute(
            "INSERT INTO outbox(idem_key, entity, entity_id, op, payload, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (key, entity, entity_id, op, json.dumps(payload, ensure_ascii=False), at.isoformat()),
        )
        return key

    def pending(self, limit: int = 100) -> list[OutboxItem]:
        rows = self._store.query(
            "SELECT * FROM outbox WHERE state IN ('waiting', 'sending') ORDER BY seq LIMIT ?",
            (limit,),
        )
        return [_item(r) for r in rows]

    def counts(self) -> dict[str, int]:
        rows = self._store.query("SELECT state, count(*) AS n FROM outbox GROUP BY state")
        return {r["state"]: r["n"] for r in rows}

    def oldest_pending_at(self) -> datetime | None:
        row = self._store.query_one(
            "SELECT min(created_at) FROM outbox WHERE state IN ('waiting', 'sending')"
        )
        return None if row[0] is None else datetime.fromisoformat(row[0])


def _item(row) -> OutboxItem:
    return OutboxItem(
        seq=row["seq"],
        idem_key=row["idem_key"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        op=row["op"],
        payload=json.loads(row["payload"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        state=row["state"],
        tries=row["tries"],
        last_error=row["last_error"],
    )
