"""Counters that never hand out the same number twice.

The last number is written in the same transaction that uses it, so a crash either keeps
both or neither: a number can be skipped, never reused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_app.store.database import Store


class Sequences:
    def __init__(self, store: Store) -> None:
        self._store = store

    def last(self, name: str, day: str) -> int | None:
        row = self._store.query_one(
            "SELECT last FROM sequences WHERE name = ? AND day = ?", (name, day)
        )
        return None if row is None else row["last"]

    def take(self, name: str, day: str, choose: Callable[[int | None], int]) -> int:
        """Take the next number; `choose(last)` applies the station's range rules.

        Must run inside a write transaction (BEGIN IMMEDIATE holds the lock from the read
        to the write).
        """
        assert self._store.conn.in_transaction, "take() needs a write transaction"
        number = choose(self.last(name, day))
        self._store.conn.execute(
            "INSERT INTO sequences(name, day, last) VALUES (?, ?, ?) "
            "ON CONFLICT(name, day) DO UPDATE SET last = excluded.last",
            (name, day, number),
        )
        return number
