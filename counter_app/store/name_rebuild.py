"""The m015 rebuild of every dossier's name tokens (pair tokens added), in short batches.

Done at the first unlock in one transaction, it held the write lock 34 s at 300,000
dossiers and 185 s at 1,000,000: every other process of the station failed its busy timeout
(30 s) and the window waited at start-up. It now runs on the store's upkeep thread
(store/upkeep.py) while the store is quiet, one batch of rows per transaction:

- a batch's tokens are made before its transaction (opening a name and keying its tokens is
  most of the time), so the write lock is held only for the UPDATEs;
- a row is written only if it is still exactly as read (tokens and sealed name): a take, a
  receive or a replica row written meanwhile already has its pair tokens (every write makes
  them), and is left as it is;
- the name index follows each UPDATE through its trigger (FTS5 'delete' of the old tokens,
  then the new ones), so it is in line with the rows after every batch;
- the last rowid done (`NAME_PAIRS_DONE`) is written in the batch's own transaction: a kill
  or a power cut loses at most the batch under way, and the next unlock goes on from there;
- `NAME_PAIRS_PENDING` goes in the transaction of the last batch. Until then a search uses
  single words' tokens, which every row holds, before and after its rebuild.

The index key comes from the unlocked store (the caller's FieldCrypto), kept in memory only.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import time
from dataclasses import dataclass

from counter_app.core.crypto import FieldCrypto
from counter_app.store.dossier_rows import name_tokens_of
from counter_app.store.dossiers import NAME_PAIRS_PENDING

NAME_PAIRS_DONE = "name_pairs_done"
# The write lock a batch may hold: a take or a receive arriving waits for one batch at most.
TARGET_SECONDS = 0.025
FIRST_ROWS, MIN_ROWS, MAX_ROWS = 200, 20, 5000


@dataclass(frozen=True)
class Plan:
    rows: int  # read
    changes: list[tuple]  # (new tokens, rowid, old tokens, sealed name) of rows that change
    last: int  # the last rowid read
    finished: bool  # fewer rows than asked: the end of the table


@dataclass(frozen=True)
class Batch:
    rows: int  # read
    written: int  # whose tokens changed
    seconds: float  # from BEGIN IMMEDIATE to COMMIT returning: the write lock held
    finished: bool  # the last batch: the flag is cleared


def pending(conn: sqlite3.Connection) -> bool:
    return _setting(conn, NAME_PAIRS_PENDING) is not None


def _setting(conn: sqlite3.Connection, key: str):
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else json.loads(row[0])


class NameRebuild:
    """One process's share of the rebuild: its key, its token cache, its batch size."""

    def __init__(self, crypto: FieldCrypto, *, max_rows: int = MAX_ROWS) -> None:
        self.crypto = crypto
        self.max_rows = max_rows
        self.rows = min(FIRST_ROWS, max_rows)
        self._tokens = functools.lru_cache(maxsize=65536)(crypto.name_tokens)  # names repeat

    def batch(self, conn: sqlite3.Connection) -> Batch | None:
        """One batch in its own transaction; None when nothing is pending (any more)."""
        plan = self.plan(conn)
        return None if plan is None else self.write(conn, plan)

    def plan(self, conn: sqlite3.Connection) -> Plan | None:
        """The next rows and their tokens, read without any lock; None when done."""
        if not pending(conn):
            return None
        start = _setting(conn, NAME_PAIRS_DONE) or 0
        read = conn.execute(
            "SELECT rowid, code, applicant_name, name_folded FROM dossiers "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (start, self.rows),
        ).fetchall()
        changes = [
            (tokens, rowid, old, sealed)
            for rowid, code, sealed, old in read
            if (tokens := name_tokens_of(self.crypto, code, sealed, old, self._tokens)) != old
        ]
        last = read[-1][0] if read else start
        return Plan(len(read), changes, last, finished=len(read) < self.rows)

    def write(self, conn: sqlite3.Connection, plan: Plan) -> Batch | None:
        """The planned rows still as read get their tokens, the position or the end is
        written with them; None when another process of the station finished first."""
        began = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        try:
            if not pending(conn):
                conn.execute("ROLLBACK")
                return None
            conn.executemany(
                "UPDATE dossiers SET name_folded = ? "
                "WHERE rowid = ? AND name_folded = ? AND applicant_name IS ?",
                plan.changes,
            )
            if plan.finished:  # rows added since the reading have their pairs already
                conn.execute(
                    "DELETE FROM settings WHERE key IN (?, ?)",
                    (NAME_PAIRS_PENDING, NAME_PAIRS_DONE),
                )
            else:  # another process may be ahead: the position never goes back
                done = max(_setting(conn, NAME_PAIRS_DONE) or 0, plan.last)
                conn.execute(
                    "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                    (NAME_PAIRS_DONE, json.dumps(done)),
                )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        seconds = time.perf_counter() - began
        self._resize(seconds)
        return Batch(plan.rows, len(plan.changes), seconds, plan.finished)

    def _resize(self, seconds: float) -> None:
        """The next batch's rows, so that its write lock lasts about TARGET_SECONDS: the
        time per row depends on the machine, its load and the disk's sync."""
        wanted = self.rows * TARGET_SECONDS / max(seconds, 1e-4)
        self.rows = int(min(max(wanted, self.rows / 2, MIN_ROWS), self.rows * 2, self.max_rows))
