"""The pool of dossier codes an upstream issued for one day, and the offline codes taken
instead (services/code_pool.py says when and why).

A code leaves the pool by one UPDATE in the caller's write transaction, the same one that
writes the dossier carrying it: a crash before that commit puts it back, so a code is never
used twice and never lost between the pool and a dossier.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_app.store.database import Store


class CodePool:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, code: str, *, day: str, at: datetime, state: str = "free") -> bool:
        """A code the upstream issued; False when it is already held (asked twice)."""
        cursor = self._store.conn.execute(
            "INSERT INTO code_pool(code, day, source, state, fetched_at) "
            "VALUES (?, ?, 'server', ?, ?) ON CONFLICT(code) DO NOTHING",
            (code, day, state, at.isoformat()),
        )
        return cursor.rowcount == 1

    def take(self, day: str, at: datetime) -> str | None:
        """The oldest free code of `day`, marked used; None when the day's pool is empty."""
        assert self._store.conn.in_transaction, "take() needs a write transaction"
        row = self._store.conn.execute(
            "UPDATE code_pool SET state = 'used', used_at = ? WHERE rowid = ("
            " SELECT rowid FROM code_pool WHERE day = ? AND state = 'free' "
            " ORDER BY rowid LIMIT 1) RETURNING code",
            (at.isoformat(), day),
        ).fetchone()
        return None if row is None else row[0]

    def record_offline(self, code: str, *, day: str, at: datetime) -> bool:
        """A code intake made from the reserved offline block (kept to tell it apart);
        False when the pool already holds that code."""
        cursor = self._store.conn.execute(
            "INSERT INTO code_pool(code, day, source, state, fetched_at, used_at) "
            "VALUES (?, ?, 'offline', 'used', ?, ?) ON CONFLICT(code) DO NOTHING",
            (code, day, at.isoformat(), at.isoformat()),
        )
        return cursor.rowcount == 1

    def retire_before(self, day: str) -> int:
        """Free codes of earlier days become 'unused': kept for the report, never served."""
        cursor = self._store.conn.execute(
            "UPDATE code_pool SET state = 'unused' WHERE day < ? AND state = 'free'", (day,)
        )
        return cursor.rowcount

    def free(self, day: str) -> int:
        row = self._store.query_one(
            "SELECT count(*) FROM code_pool WHERE day = ? AND state = 'free'", (day,)
        )
        return row[0] if row else 0

    def is_offline(self, code: str) -> bool:
        row = self._store.query_one(
            "SELECT 1 FROM code_pool WHERE code = ? AND source = 'offline'", (code,)
        )
        return row is not None

    def summary(self) -> list[dict]:
        """Per day, source and state: how many codes (the pool's report)."""
        rows = self._store.query(
            "SELECT day, source, state, count(*) AS n FROM code_pool "
            "GROUP BY day, source, state ORDER BY day DESC, source, state"
        )
        return [dict(r) for r in rows]
