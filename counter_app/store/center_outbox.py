"""The center's side of a station's store: what waits to be published to the center
stream, what this replica already applied (by idempotency key) and its stream position.

A change's center delivery is written in the same transaction as the change (beside its
portal delivery in `outbox`); it leaves 'waiting' only after the stream acknowledged it.
Payloads are the sealed domain event, bound to the idempotency key, so the stream carries
nothing readable: a ticket's under the center's ticket key, a dossier's or a paper's under
the personal key that only counters and hub nodes hold (store/center_keys.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counter_app.store.database import Store


@dataclass(frozen=True)
class CenterDelivery:
    seq: int
    idem_key: str
    entity: str
    entity_id: str
    op: str
    sealed: str  # the payload as it travels: ciphertext bound to idem_key
    created_at: datetime


SET_ASIDE_KEPT = 1000


class CenterOutbox:
    def __init__(self, store: Store) -> None:
        self._store = store

    def append(
        self, *, key: str, entity: str, entity_id: str, op: str, payload: dict, at: datetime
    ) -> None:
        sealed = self._store.center_keys.seal_event(payload, key)
        self._store.conn.execute(
            "INSERT INTO center_outbox(idem_key, entity, entity_id, op, payload, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (key, entity, entity_id, op, sealed, at.isoformat()),
        )

    def waiting(self, limit: int = 500) -> list[CenterDelivery]:
        rows = self._store.query(
            "SELECT * FROM center_outbox WHERE state = 'waiting' ORDER BY seq LIMIT ?", (limit,)
        )
        return [
            CenterDelivery(
                r["seq"],
                r["idem_key"],
                r["entity"],
                r["entity_id"],
                r["op"],
                r["payload"],
                datetime.fromisoformat(r["created_at"]),
            )
            for r in rows
        ]

    def mark_published(self, key: str, *, at: datetime) -> None:
        """After the stream's acknowledgement: the payload is the stream's to keep now."""
        self._store.conn.execute(
            "UPDATE center_outbox SET state = 'published', payload = '', published_at = ? "
            "WHERE idem_key = ?",
            (at.isoformat(), key),
        )

    def mark_kept(self, key: str) -> None:
        """An event this station's role does not tell the center (an account changed at a
        kiosk): kept in its own store, never sent."""
        self._store.conn.execute(
            "UPDATE center_outbox SET state = 'kept' WHERE idem_key = ?", (key,)
        )

    def never_published(self, entity: str, entity_id: str) -> bool:
        """True while no event of this entity has reached the center: nobody else can
        know of it, so this station may act on it alone."""
        row = self._store.query_one(
            "SELECT 1 FROM center_outbox WHERE entity = ? AND entity_id = ? "
            "AND state = 'published'",
            (entity, entity_id),
        )
        return row is None

    def waiting_count(self) -> int:
        return self._store.query_one("SELECT count(*) FROM center_outbox WHERE state = 'waiting'")[
            0
        ]

    def oldest_waiting_at(self) -> datetime | None:
        row = self._store.query_one(
            "SELECT min(created_at) FROM center_outbox WHERE state = 'waiting'"
        )
        return None if row[0] is None else datetime.fromisoformat(row[0])

    def open_payload(self, key: str, sealed: str) -> dict[str, Any]:
        return json.loads(self._store.center_keys.open_event(sealed, key))

    # --- the replica: applied keys and the stream position, in the applier's transaction ---

    def applied(self, key: str) -> bool:
        row = self._store.query_one("SELECT 1 FROM center_applied WHERE idem_key = ?", (key,))
        return row is not None

    def record_applied(self, key: str, *, stream_seq: int, at: datetime) -> None:
        self._store.conn.execute(
            "INSERT OR IGNORE INTO center_applied(idem_key, stream_seq, applied_at) "
            "VALUES (?, ?, ?)",
            (key, stream_seq, at.isoformat()),
        )
        self.set_state("position", stream_seq)

    def applied_seq(self, key: str) -> int | None:
        """Where the event of this key was first met in the stream, or None."""
        row = self._store.query_one(
            "SELECT stream_seq FROM center_applied WHERE idem_key = ?", (key,)
        )
        return None if row is None else row[0]

    def set_aside(
        self, *, stream_seq: int, publisher: str, origin: str, reason: str, at: datetime
    ) -> None:
        """A message not applied, and why (kept in the link's state: rare, and the latest
        SET_ASIDE_KEPT are enough to report); the position moves past it all the same."""
        rows = self.get_state("set_aside") or []
        if all(r["stream_seq"] != stream_seq for r in rows):
            rows.append(
                {
                    "stream_seq": stream_seq,
                    "publisher": publisher,
                    "origin": origin,
                    "reason": reason,
                    "set_aside_at": at.isoformat(),
                }
            )
            self.set_state("set_aside", rows[-SET_ASIDE_KEPT:])
        self.set_state("position", stream_seq)

    def set_aside_rows(self) -> list[dict[str, Any]]:
        return list(self.get_state("set_aside") or [])

    def position(self) -> int:
        return int(self.get_state("position") or 0)

    def get_state(self, key: str) -> Any:
        """The link's own state (position, last contact, cut since), kept in settings."""
        return self._store.settings.get(f"center.{key}")

    def set_state(self, key: str, value: Any) -> None:
        self._store.settings.set(f"center.{key}", value)
