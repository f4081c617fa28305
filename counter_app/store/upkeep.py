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
- the m015 rebuild of the names' tokens (store/name_rebuild.py), once the store is unlocked,
  in batches whose write lock lasts about 25 ms; its merges go level by level (folding the
  whole index after each batch would rewrite it thousands of times), the fold comes after.

After each of its writes the thread leaves the lock free a while (`PAUSES`): another
process's commit (the kiosk's, the display's) must get its turn between two steps.

`synchronous=FULL` is untouched: a commit is durable when it returns, and a checkpoint or a
merge killed halfway loses nothing (SQLite's own guarantees: tests/test_crash_safety.py).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from counter_app.core.crypto import FieldCrypto
from counter_app.store.name_rebuild import MAX_ROWS, Batch, NameRebuild

# Every connection of a store waits this long for the write lock before it says "busy".
BUSY_TIMEOUT_MS = 30_000
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
# After each write of this thread (a merge step, a rebuild batch), the lock is left free
# for as long as it was held, within these bounds: another process's commit waiting for it
# tries again after a step of SQLite's busy wait (1 to 25 ms early in a wait, then 50, then
# 100 ms), and must find it free. At 300,000 dossiers, during the rebuild, with a pause
# after the batches only: a kiosk's take waited up to 1.7 s behind merge steps run back to
# back (p99 155 ms); after every write: 0.3 s at most, p99 86 ms as before the rebuild.
PAUSES = (0.03, 0.1)
BATCHES_PER_CHECKPOINT = 10  # the WAL stays a few MB during the rebuild
# One rebuild batch at a time per store file in a process: the window and its background
# worker each open the store, and would both make the tokens of the same rows (a batch
# planned after another's commit starts from its position).
_BATCH_LOCKS: dict[Path, threading.Lock] = {}
_BATCH_LOCKS_LOCK = threading.Lock()


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
        self.longest_merge = 0.0  # seconds: the write lock held by one merge step
        self._held = 0.0  # by this thread's last write
        self._last_commit = time.monotonic()
        self._dirty = False  # commits since the last complete checkpoint
        self._merge_pending = False
        self._wake = threading.Event()
        self._stopping = False
        self._stopped = threading.Event()  # ends the pause after a write, at `stop`
        self._idle = threading.Condition()
        self._busy = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._names: NameRebuild | None = None
        self.batch_rows = MAX_ROWS  # the most rows a rebuild batch writes
        self.name_batches: list[Batch] = []  # this process's rebuild batches, in order

    def committed(self) -> None:
        """Called after each commit: cheap (no I/O), it only wakes the thread."""
        self._last_commit = time.monotonic()
        self._dirty = self._merge_pending = True
        self._commits += 1
        self._start()

    def rebuild_names(self, crypto: FieldCrypto) -> None:
        """Rebuild the names' tokens (m015) here, with the keys of the store just unlocked:
        held in this process's memory only, like the store's own, and dropped by
        `forget_keys` when the store locks."""
        self._names = NameRebuild(crypto, max_rows=self.batch_rows)
        self._start()

    def forget_keys(self) -> None:
        self._names = None

    @property
    def rebuilding(self) -> bool:
        """The names' tokens are being rebuilt here (unlocked, not finished yet)."""
        return self._names is not None

    def _start(self) -> None:
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
        self._stopped.set()
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Until nothing is left to do (tests, and `counter-app` one-shots before exit)."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._busy or self._dirty or self._merge_pending or self._names is not None:
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
        if not (self._dirty or self._merge_pending or self._names is not None):
            return None
        until_quiet = self._last_commit + self.quiet - time.monotonic()
        return until_quiet if until_quiet > 0 else self.quiet

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
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
        batches = 0
        while self._quiet() and not self._stopping:
            if self._merge_pending:
                self._merge_pending = self._merge_step(conn)
            elif self._names is not None:
                self._name_batch(conn, self._names)
                batches += 1
                if batches % BATCHES_PER_CHECKPOINT == 0:
                    self._checkpoint(conn)
            else:
                break
            # The lock left free; a commit here meanwhile ends the quiet.
            self._stopped.wait(min(max(self._held, PAUSES[0]), PAUSES[1]))
        if self._dirty and self._quiet():
            self._checkpoint(conn)

    def _name_batch(self, conn: sqlite3.Connection, names: NameRebuild) -> None:
        with _BATCH_LOCKS_LOCK:
            lock = _BATCH_LOCKS.setdefault(self.path.resolve(), threading.Lock())
        try:
            with lock:
                batch = names.batch(conn)
        except sqlite3.OperationalError as error:
            if "readonly" in str(error):
                self._names = None  # a store this process may not write: never rebuilt here
            raise
        if batch is None or batch.finished:
            self._names = None  # done (here or by another process of the station)
        if batch is not None:
            self._held = batch.seconds
            self.name_batches.append(batch)
            self._dirty = self._merge_pending = True

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
        worked, began = False, time.perf_counter()
        for table in FTS_TABLES:
            conn.execute("BEGIN IMMEDIATE")
            try:
                before = conn.total_changes
                segments = conn.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx")
                # A negative size merges every level, towards one segment (FTS5's
                # incremental 'optimize'); a positive one only levels of 4 segments or more
                # (level by level while the names are rebuilt).
                fold = segments.fetchone()[0] > MAX_SEGMENTS and self._names is None
                pages = -MERGE_PAGES if fold else MERGE_PAGES
                conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('merge', ?)", (pages,))
                worked = worked or conn.total_changes - before >= 2
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        self._held = time.perf_counter() - began
        self.longest_merge = max(self.longest_merge, self._held)
        if worked:
            self.merge_steps += 1
            self._dirty = True
        return worked
