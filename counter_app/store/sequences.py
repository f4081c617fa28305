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
        to the write). The usual case is one statement: bump and read back with RETURNING.
        """
        assert self._store.conn.in_transaction, "take() needs a write transaction"
        row = self._store.conn.execute(
            "UPDATE sequences SET last = last + 1 WHERE name = ? AND day = ? RETURNING last",
            (name, day),
        ).fetchone()
        if row is None:
            number = choose(None)
            self._store.conn.execute(
                "INSERT INTO sequences(name, day, last) VALUES (?, ?, ?)", (name, day, number)
            )
            return number
        number = choose(row[0] - 1)  # raises when the range is used up: the caller rolls back
        if number != row[0]:  # the range starts further on
            self._store.conn.execute(
                "UPDATE sequences SET last = ? WHERE name = ? AND day = ?", (number, name, day)
            )
        return number
