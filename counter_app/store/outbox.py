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
        key: str | None = None,
    ) -> str:
        """Queue a change for the portal; `key` is given when the change has one already
        (its center delivery, or another station's event applied at the hub)."""
        key = key or self.new_key(station_id)
        # Payloads carry citizens' data for the portal: sealed like every personal field.
        sealed = self._store.crypto.seal(json.dumps(payload, ensure_ascii=False), key)
        self._store.conn.execute(
            "INSERT INTO outbox(idem_key, entity, entity_id, op, payload, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (key, entity, entity_id, op, sealed, at.isoformat()),
        )
        return key

    def new_key(self, station_id: str) -> str:
        """The idempotency key of this station's next change: station id + local sequence."""
        local_seq = self._store.sequences.take("outbox", "-", lambda last: (last or 0) + 1)
        return f"{station_id}:{local_seq}"

    def pending(self, limit: int = 100) -> list[OutboxItem]:
        rows = self._store.query(
            "SELECT * FROM outbox WHERE state IN ('waiting', 'sending') ORDER BY seq LIMIT ?",
            (limit,),
        )
        return [self._item(r) for r in rows]

    def counts(self) -> dict[str, int]:
        rows = self._store.query("SELECT state, count(*) AS n FROM outbox GROUP BY state")
        return {r["state"]: r["n"] for r in rows}

    # --- sync states: waiting -> sending -> synced, or attention (set aside, with a reason),
    # or conflict (a move the portal refused: a clerk decides) ---

    def due(self, now_epoch: float, limit: int = 100) -> list[OutboxItem]:
        """Items to push now: waiting or left 'sending' by a killed run, whose retry is due."""
        rows = self._store.query(
            "SELECT * FROM outbox WHERE state IN ('waiting', 'sending') AND next_try_epoch <= ? "
            "ORDER BY seq LIMIT ?",
            (now_epoch, limit),
        )
        return [self._item(r) for r in rows]

    def due_waiting(self, now_epoch: float, limit: int, *, after_seq: int = 0) -> list[OutboxItem]:
        """Waiting items whose retry is due, after `after_seq`, in order: what sync sends
        next while earlier batches are still in flight (those are 'sending')."""
        rows = self._store.query(
            "SELECT * FROM outbox WHERE state = 'waiting' AND next_try_epoch <= ? AND seq > ? "
            "ORDER BY seq LIMIT ?",
            (now_epoch, after_seq, limit),
        )
        return [self._item(r) for r in rows]

    def next_due_epoch(self) -> float | None:
        row = self._store.query_one(
            "SELECT min(next_try_epoch) FROM outbox WHERE state IN ('waiting', 'sending')"
        )
        return row[0]

    def earlier_pending_until(self, entity: str, entity_id: str, seq: int) -> float | None:
        """When the latest retry of an earlier unsent change of the same entity is due
        (None when there is none): an upstream without batch keys must receive a
        dossier's changes in order, so a later one waits for it."""
        row = self._store.query_one(
            "SELECT count(*), max(next_try_epoch) FROM outbox WHERE entity = ? "
            "AND entity_id = ? AND seq < ? AND state IN ('waiting', 'sending')",
            (entity, entity_id, seq),
        )
        return float(row[1] or 0.0) if row[0] else None

    def mark_sending(self, keys: list[str]) -> None:
        self._store.conn.executemany(
            "UPDATE outbox SET state = 'sending' WHERE idem_key = ? AND state = 'waiting'",
            [(k,) for k in keys],
        )

    def mark_synced(self, key: str) -> None:
        """On the portal now: the local copy of the payload is no longer needed, so it goes."""
        self._store.conn.execute(
            "UPDATE outbox SET state = 'synced', last_error = '', next_try_at = NULL, "
            "payload = '' WHERE idem_key = ?",
            (key,),
        )

    def mark_synced_many(self, keys: list[str]) -> None:
        """`mark_synced` for a whole acknowledged batch (inside the caller's transaction)."""
        self._store.conn.executemany(
            "UPDATE outbox SET state = 'synced', last_error = '', next_try_at = NULL, "
            "payload = '' WHERE idem_key = ?",
            [(k,) for k in keys],
        )

    def forget_payloads(self, *, entity: str, entity_id: str) -> int:
        """Drop what is kept of an entity's pushed data (a citizen's erasure)."""
        return self._store.conn.execute(
            "UPDATE outbox SET payload = '' "
            "WHERE entity = ? AND entity_id = ? AND state = 'synced'",
            (entity, entity_id),
        ).rowcount

    def has_unsent(self, entity: str, entity_id: str) -> bool:
        """Whether a change of this entity has still to reach the portal. A move the
        portal refused because its own status had moved on ('conflict') is answered: it
        waits for a clerk, not for the link, and holds no pulled change back."""
        row = self._store.query_one(
            "SELECT 1 FROM outbox WHERE entity = ? AND entity_id = ? "
            "AND state NOT IN ('synced', 'conflict')",
            (entity, entity_id),
        )
        return row is not None

    def mark_retry(self, key: str, *, reason: str, next_try: datetime, tries_add: int = 1) -> None:
        """Back to 'waiting' with one more try counted and the time of the next one."""
        self._store.conn.execute(
            "UPDATE outbox SET state = 'waiting', tries = tries + ?, last_error = ?, "
            "next_try_at = ?, next_try_epoch = ? WHERE idem_key = ? AND state != 'synced'",
            (tries_add, reason, next_try.isoformat(), next_try.timestamp(), key),
        )

    def mark_attention(self, key: str, *, reason: str, tries_add: int = 1) -> None:
        """Set aside for an admin: never picked again until requeued."""
        self._store.conn.execute(
            "UPDATE outbox SET state = 'attention', tries = tries + ?, last_error = ?, "
            "next_try_at = NULL WHERE idem_key = ? AND state != 'synced'",
            (tries_add, reason, key),
        )

    def mark_conflict(self, key: str, *, reason: str) -> None:
        """The portal refused a move because the dossier's status there had moved on: the
        refusal is a conflict for a clerk (sync_conflicts), never sent again, so the local
        copy of the payload goes, as for a synced item (a citizen's erasure leaves none)."""
        self._store.conn.execute(
            "UPDATE outbox SET state = 'conflict', tries = tries + 1, last_error = ?, "
            "next_try_at = NULL, payload = '' WHERE idem_key = ? AND state != 'synced'",
            (reason, key),
        )

    def release_sending(self) -> int:
        """After a crash: items a dead run was sending go back to waiting (same key)."""
        return self._store.conn.execute(
            "UPDATE outbox SET state = 'waiting' WHERE state = 'sending'"
        ).rowcount

    def requeue(self, key: str | None = None) -> int:
        """An admin sends items set aside again (one, or all when `key` is None)."""
        sql = (
            "UPDATE outbox SET state = 'waiting', tries = 0, next_try_at = NULL, "
            "next_try_epoch = 0 WHERE state = 'attention'"
        )
        if key is None:
            return self._store.conn.execute(sql).rowcount
        return self._store.conn.execute(sql + " AND idem_key = ?", (key,)).rowcount

    def attention(self, limit: int = 100) -> list[OutboxItem]:
        rows = self._store.query(
            "SELECT * FROM outbox WHERE state = 'attention' ORDER BY seq LIMIT ?", (limit,)
        )
        return [self._item(r) for r in rows]

    def reseal_batch(self, limit: int) -> int:
        """Seal again payloads in clear (older store) or under an old key (rotation)."""
        fc = self._store.crypto
        rows = self._store.query(
            "SELECT * FROM outbox WHERE payload != '' AND payload NOT LIKE ? LIMIT ?",
            (f"e1:{fc.key_id}:%", limit),
        )
        for row in rows:
            payload = json.dumps(self._item(row).payload, ensure_ascii=False)
            self._store.conn.execute(
                "UPDATE outbox SET payload = ? WHERE seq = ?",
                (fc.seal(payload, row["idem_key"]), row["seq"]),
            )
        return len(rows)

    def all_items(self) -> list[OutboxItem]:
        return [self._item(r) for r in self._store.query("SELECT * FROM outbox ORDER BY seq")]

    def get(self, key: str) -> OutboxItem | None:
        row = self._store.query_one("SELECT * FROM outbox WHERE idem_key = ?", (key,))
        return None if row is None else self._item(row)

    def oldest_pending_at(self) -> datetime | None:
        row = self._store.query_one(
            "SELECT min(created_at) FROM outbox WHERE state IN ('waiting', 'sending')"
        )
        return None if row[0] is None else datetime.fromisoformat(row[0])

    def _item(self, row) -> OutboxItem:
        payload = row["payload"]
        if payload.startswith("e1:"):
            payload = self._store.crypto.open(payload, row["idem_key"])
        return OutboxItem(
            seq=row["seq"],
            idem_key=row["idem_key"],
            entity=row["entity"],
            entity_id=row["entity_id"],
            op=row["op"],
            payload=json.loads(payload) if payload else {},
            created_at=datetime.fromisoformat(row["created_at"]),
            state=row["state"],
            tries=row["tries"],
            last_error=row["last_error"],
        )
