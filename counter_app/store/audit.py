"""The audit log: a hash chain, so an edited or deleted entry is found by `verify`.

Details hold codes, statuses and counts, never a citizen's name, ID number or phone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counter_app.store.database import Store

GENESIS = "0" * 64

# The clock guard's reference (see core.clock): kept apart from the log, because the log
# also holds entries written at times nobody checked (a login on a PC whose clock is wrong).
TRUSTED_KEY = "clock_trusted_at"
# Moving the mark is a write of its own (the guard runs before a use case's transaction):
# once a minute is enough against a tolerance of five, and spares a commit per ticket.
TRUST_STEP = timedelta(minutes=1)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    body = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditProblem:
    entry_id: int
    reason: str


class AuditLog:
    def __init__(self, store: Store) -> None:
        self._store = store

    def append(
        self,
        *,
        at: datetime,
        actor: str,
        station_id: str,
        action: str,
        entity: str,
        entity_id: str,
        detail: dict[str, Any] | None = None,
    ) -> int:
        prev = self._store.query_one("SELECT hash FROM audit ORDER BY id DESC LIMIT 1")
        prev_hash = prev["hash"] if prev else GENESIS
        fields = {
            "at": at.isoformat(),
            "actor": actor,
            "station_id": station_id,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "detail": json.dumps(detail or {}, sort_keys=True, ensure_ascii=False),
        }
        cursor = self._store.conn.execute(
            "INSERT INTO audit(at, actor, station_id, action, entity, entity_id, detail, "
            "prev_hash, hash) VALUES (:at, :actor, :station_id, :action, :entity, :entity_id, "
            ":detail, :prev_hash, :hash)",
            {**fields, "prev_hash": prev_hash, "hash": entry_hash(prev_hash, fields)},
        )
        return cursor.lastrowid

    def trusted_time(self) -> datetime | None:
        """The latest trusted time: the latest time a use case passed the clock guard at,
        or an admin confirmed (by order of writing, so a confirmation can move it back).

        A store from before the mark existed falls back on its latest entry other than a
        login: logins are written at whatever time the PC shows, before any check.
        """
        value = self._store.settings.get(TRUSTED_KEY)
        if value is None:
            row = self._store.query_one(
                "SELECT at FROM audit WHERE action NOT LIKE 'auth.%' ORDER BY id DESC LIMIT 1"
            )
            value = None if row is None else row["at"]
        return None if value is None else datetime.fromisoformat(value)

    def first_time(self) -> datetime | None:
        """When the store began: its first entry, written when it was set up."""
        row = self._store.query_one("SELECT at FROM audit ORDER BY id LIMIT 1")
        return None if row is None else datetime.fromisoformat(row["at"])

    def trust(self, at: datetime, *, confirmed: bool = False) -> None:
        """Advance the trusted time to `at` (a checked clock), by steps of at least a minute;
        `confirmed` (an admin's word) sets it even when earlier."""
        current = None if confirmed else self.trusted_time()
        if current is not None and at - current < TRUST_STEP:
            return
        self._store.settings.set(TRUSTED_KEY, at.isoformat())

    def verify(self) -> AuditProblem | None:
        """The first entry whose chain is broken, or None when the whole log holds."""
        prev_hash = GENESIS
        for row in self._store.conn.execute("SELECT * FROM audit ORDER BY id"):
            fields = {k: row[k] for k in ("at", "actor", "station_id", "action", "entity")}
            fields |= {"entity_id": row["entity_id"], "detail": row["detail"]}
            if row["prev_hash"] != prev_hash:
                return AuditProblem(row["id"], "previous entry missing or changed")
            if entry_hash(prev_hash, fields) != row["hash"]:
                return AuditProblem(row["id"], "entry changed")
            prev_hash = row["hash"]
        return None

    def count(self) -> int:
        return self._store.query_one("SELECT count(*) FROM audit")[0]
