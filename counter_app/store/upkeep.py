"""The store's upkeep off the commit path: WAL checkpoints and merges of the name index.

Measured at 300,000 dossiers (bench/README.md), the slowest intake commits were not the
intake's own work: one paid a 40 MB WAL checkpoint (SQLite's automatic one runs inside
whichever commit crosses its page limit), others 400 pages of FTS5 segment merging (FTS5's
automerge works inside the writing transaction). Both are switched off on the commit path
(`wal_autocheckpoint=0` in `connect`, FTS5 `automerge=0` in migration m014) and done here,
on a thread with its own connection, after each burst of commits:

- a PASSIVE checkpoint once the store has been quiet for `QUIET_SECONDS`, or every
  `BUSY_COMMITS` commits while it never is (a PASSIVE checkpoint takes no write lock, so a
  clerk's commit runs beside it rather than after it);
- FTS5 merges in steps of `MERGE_PAGES` pages, each its own short transaction, only while
  the store stays quiet: a commit arriving waits for one step at most. Past `MAX_SEGMENTS`
  segments the steps fold the whole index into one (a search reads every segment). A day
  without any quiet moment leaves the index to FTS5's crisis merge (16 small segments at a
  level are merged by the commit that adds the 16th: cheap at the small levels such a day
  fills).

`synchronous=FULL` is untouched: a commit is durable when it returns, and a checkpoint or a
merge killed halfway loses nothing (SQLite's own guarantees: tests/test_crash_safety.py).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

QUIET_SECONDS = 1.0  # between a clerk's commits there are minutes, at a kiosk seconds
# Commits between checkpoints on a store never quiet: about 10,000 WAL pages (40 MB) of
# intake. Counted rather than read from the WAL: the wal-index may not be opened beside
# SQLite (closing any descriptor of it drops the process's locks on it: SIGBUS elsewhere).
BUSY_COMMITS = 300
CATCH_UP_TRIES = 5
MERGE_PAGES = 64  # a step a waiting commit does not feel (about a millisecond)
# More segments than this and the quiet-time merges fold the whole index into one: each
# word of a search reads every segment (4 segments at 1,000,000 dossiers took a name
# search three times as long as one; the whole index is 28 MB there).
MAX_SEGMENTS = 4
FTS_TABLES = ("dossiers_fts",)


class Upkeep:
    """One thread per open store file: started by its first commit, stopped by `stop`."""

    def __init__(self, path: Path, *, quiet: float = QUIET_SECONDS) -> None:
        self.path = Path(path)
        self.quiet = quiet
        self.busy_commits = BUSY_COMMITS
        self.checkpoints = 0  # PASSIVE checkpoints run, and the last one's (busy, log, done)
        self.last_checkpoint: tuple[int, int, int] | None = None
        self._commits = 0  # since the last checkpoint
        self.merge_steps = 0
        self._last_commit = time.monotonic()
        self._dirty = False  # commits since the last complete checkpoint
        self._merge_pending = False
        self._wake = threading.Event()
        self._stopping = False
        self._idle = threading.Condition()
        self._busy = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def committed(self) -> None:
        """Called after each commit: cheap (no I/O), it only wakes the thread."""
        self._last_commit = time.monotonic()
        self._dirty = self._merge_pending = True
        self._commits += 1
        if self._thread is None:
            with self._lock:
                if self._thread is None and not self._stopping:
                    self._thread = threading.Thread(
                        target=self._run, name="store-upkeep", daemon=True
                    )
                    self._thread.start()
        self._wake.set()

    def stop(self) -> None:
        """Finish the step under way and end the thread (the store checkpoints at close)."""
        with self._lock:
            self._stopping = True
            thread = self._thread
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Until nothing is left to do (tests, and `counter-app` one-shots before exit)."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._busy or self._dirty or self._merge_pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._wake.set()
                self._idle.wait(min(left, 0.05))
        return True

    # --- the thread -------------------------------------------------------------------

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while not self._stopping:
                self._wake.wait(self._next_wait())
                self._wake.clear()
                if self._stopping:
                    break
                if conn is None:
                    conn = self._connect()
                with self._idle:
                    self._busy = True
                try:
                    self._work(conn)
                except sqlite3.Error:
                    pass  # a busy or full disk: the next commit, or close, tries again
                finally:
                    with self._idle:
                        self._busy = False
                        self._idle.notify_all()
        finally:
            if conn is not None:
                conn.close()

    def _next_wait(self) -> float | None:
        """Until the store is quiet after the last commit; again a quiet while later when
        the last try left work (a reader holding the WAL); else until the next commit."""
        if not (self._dirty or self._merge_pending):
            return None
        until_quiet = self._last_commit + self.quiet - time.monotonic()
        return until_quiet if until_quiet > 0 else self.quiet

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def _quiet(self) -> bool:
        return time.monotonic() - self._last_commit >= self.quiet

    def _work(self, conn: sqlite3.Connection) -> None:
        if not self._quiet():
            if self._commits >= self.busy_commits:
                # Beside the commits, not inside one. The WAL is reused from its start only
                # once every frame is copied: what commits add meanwhile is copied at once.
                for _ in range(CATCH_UP_TRIES):
                    if self._checkpoint(conn):
                        break
            return
        while self._merge_pending and self._quiet() and not self._stopping:
            self._merge_pending = self._merge_step(conn)
        if self._dirty and self._quiet():
            self._checkpoint(conn)

    def _checkpoint(self, conn: sqlite3.Connection) -> bool:
        """A PASSIVE checkpoint; True when it copied every frame of the WAL."""
        dirty_before = self._last_commit
        self._commits = 0
        busy, wal_frames, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self.checkpoints += 1
        self.last_checkpoint = (busy, wal_frames, done)
        complete = not busy and wal_frames == done
        if complete and self._last_commit == dirty_before:
            self._dirty = False
        return complete

    def _merge_step(self, conn: sqlite3.Connection) -> bool:
        """One bounded merge in its own transaction; True while there is more to merge.

        FTS5 tells whether a 'merge' did any work only through the change counter: a
        difference of 2 or more means it wrote something (sqlite.org/fts5.html#the_merge_command).
        """
        worked = False
        for table in FTS_TABLES:
            conn.execute("BEGIN IMMEDIATE")
            try:
                before = conn.total_changes
                segments = conn.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx")
                # A negative size merges every level, towards one segment (FTS5's
                # incremental 'optimize'); a positive one only levels of 4 segments or more.
                pages = -MERGE_PAGES if segments.fetchone()[0] > MAX_SEGMENTS else MERGE_PAGES
                conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('merge', ?)", (pages,))
                worked = worked or conn.total_changes - before >= 2
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        if worked:
            self.merge_steps += 1
            self._dirty = True
        return worked
