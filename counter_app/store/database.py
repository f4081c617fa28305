"""Opening the store and running one use case as one durable transaction.

WAL lets the display and the counter read while a clerk writes; `synchronous=FULL` makes a
commit survive a power cut, which WAL's usual NORMAL does not. Write transactions start with
BEGIN IMMEDIATE so two processes never both read a sequence and then both write it.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from counter_app.core.crypto import FieldCrypto
from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.store.center_keys import CenterKeys
from counter_app.store.migrations import migrate
from counter_app.store.upkeep import BUSY_TIMEOUT_MS, Upkeep

STORE_FILE = "counter.db"
CACHE_KIB = 65536
DAMAGE_SIGNS = ("not a database", "malformed", "disk image", "corrupt")


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        # Repositories are imported here to keep this module the single entry point.
        from counter_app.store.audit import AuditLog
        from counter_app.store.catalogue_repo import CatalogueRepository
        from counter_app.store.center_outbox import CenterOutbox
        from counter_app.store.code_pool import CodePool
        from counter_app.store.dossiers import DossierRepository
        from counter_app.store.keys import KeyManager
        from counter_app.store.online_dossiers import OnlineDossierRepository
        from counter_app.store.outbox import Outbox
        from counter_app.store.papers import PaperRepository
        from counter_app.store.pauses import PauseRepository
        from counter_app.store.ratings import RatingRepository
        from counter_app.store.sequences import Sequences
        from counter_app.store.settings import SettingsRepository
        from counter_app.store.sync_state import SyncStateRepository
        from counter_app.store.tickets import TicketRepository
        from counter_app.store.users import UserRepository

        self.settings = SettingsRepository(self)
        self.sequences = Sequences(self)
        self.code_pool = CodePool(self)
        self.audit = AuditLog(self)
        self.outbox = Outbox(self)
        self.center = CenterOutbox(self)
        self.catalogue = CatalogueRepository(self)
        self.tickets = TicketRepository(self)
        self.dossiers = DossierRepository(self)
        self.sync_state = SyncStateRepository(self)
        self.users = UserRepository(self)
        self.keys = KeyManager(self)
        self._crypto: FieldCrypto | None = None
        self._center_keys: CenterKeys | None = None
        self._keys_from = ""  # the sealed keyset the keys in use came from
        self._reseal_checked = False
        # Checkpoints and index merges, after the commits rather than inside one.
        self.upkeep = Upkeep(path) if path is not None else None
        self.ratings = RatingRepository(self)
        self.pauses = PauseRepository(self)
        self.papers = PaperRepository(self)
        self.online = OnlineDossierRepository(self)

    @functools.cached_property
    def db(self):
        """sqlite-utils over the same connection, for inspecting the schema (tools, tests).

        The repositories write plain SQL: every use case is one BEGIN IMMEDIATE transaction,
        and sqlite-utils' own methods would add savepoints of their own inside it.
        """
        from sqlite_utils import Database

        return Database(self.conn, execute_plugins=False)

    @property
    def crypto(self) -> FieldCrypto:
        """The unlocked field keys (from the OS keyring, the passphrase, or a demo key file)."""
        if self._crypto is None:
            self._crypto = self.keys.unlock()
            self._center_keys, self._keys_from = self.keys.unlocked()
            self._reseal_checked = False
            if self.upkeep is not None and not self.dossiers.pairs_ready():
                # An older store's name index (m015): rebuilt beside the work, not before it.
                self.upkeep.rebuild_names(self._crypto)
        if not self._reseal_checked and not self.conn.in_transaction:
            self._reseal_checked = True
            if self.settings.get("reseal_pending"):
                self.reseal()
        return self._crypto

    def reseal(self, batch: int = 500) -> int:
        """Seal rows kept in clear by an older store, or under an old key after rotation.

        Each batch is its own transaction, so an interruption loses nothing: rows already
        sealed under the current key are skipped when it runs again.
        """
        with self.transaction():  # read inside one, so reading the keys starts no reseal
            current = self.crypto
        done = self.papers.rewrap_files(current)  # before the flag goes: the old key stays
        while True:
            with self.transaction():
                count = (
                    self.dossiers.reseal_batch(batch)
                    + self.dossiers.reseal_event_batch(batch)
                    + self.outbox.reseal_batch(batch)
                )
                if count == 0:
                    self.conn.execute("DELETE FROM settings WHERE key = 'reseal_pending'")
            done += count
            if count == 0:
                return done

    def relock(self) -> None:
        self._crypto = None
        if self.upkeep is not None:
            self.upkeep.forget_keys()

    @property
    def center_keys(self) -> CenterKeys:
        """The center's keys this station's role holds (store/center_keys.py)."""
        _ = self.crypto
        assert self._center_keys is not None
        return self._center_keys

    def refresh_keys(self) -> bool:
        """Read the keys again when another process changed them (a rotation at the hub,
        a grant applied by this station's other window); True when they changed."""
        info = self.settings.get("keys")
        if self._crypto is None or info is None or self._keys_from == info["keyset"]["sealed"]:
            return False
        self.relock()
        return True

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One use case: everything inside commits together or not at all."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
            if self.upkeep is not None:
                self.upkeep.committed()

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def integrity_check(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]

    def checkpoint(self) -> None:
        """Fold the WAL into the database while nobody waits (idle timer, closing)."""
        self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        """Stop the upkeep thread, checkpoint and close; closing twice is harmless."""
        if self.upkeep is not None:
            self.upkeep.stop()
        try:
            if self.path is not None:
                self.checkpoint()
        except sqlite3.ProgrammingError:
            return  # already closed
        self.conn.close()


def connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    _retry_while_locked(lambda: conn.execute("PRAGMA journal_mode=WAL"))
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # No checkpoint inside a clerk's commit: the store's upkeep thread runs them beside the
    # commits (store/upkeep.py), and closing the store runs one.
    conn.execute("PRAGMA wal_autocheckpoint=0")
    # 64 MiB of pages instead of SQLite's 2 MiB: a name search at 1,000,000 dossiers reads
    # the same index pages (common names' doclists, the tables' inner pages) search after
    # search; with 2 MiB they were read again each time, from disk once the OS dropped them.
    conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    return conn


class StoreDamaged(DomainError):
    """The store file cannot be read; the message names the latest backup to restore."""

    def __init__(self, path: Path | None) -> None:
        from counter_app.store.backup import latest_backup

        backup = latest_backup(path.parent) if path is not None else None
        if backup is None:
            super().__init__("store.damaged_no_backup")
        else:
            super().__init__("store.damaged", backup=str(backup))


register(
    {
        "store.damaged": {
            "vi": "Kho dữ liệu bị hỏng, không mở được. Bản sao lưu gần nhất: {backup}. "
            "Nhờ quản trị viên khôi phục từ bản sao lưu này.",
            "en": "The store is damaged and cannot be opened. Latest backup: {backup}. "
            "Ask an admin to restore this backup.",
            "cli_vi": 'Khôi phục bằng lệnh: counter-app restore "{backup}"',
            "cli_en": 'Restore it with: counter-app restore "{backup}"',
        },
        "store.damaged_no_backup": {
            "vi": "Kho dữ liệu bị hỏng, không mở được, và không tìm thấy bản sao lưu nào. "
            "Hãy liên hệ quản trị viên; đừng xóa thư mục dữ liệu.",
            "en": "The store is damaged and cannot be opened, and no backup was found. "
            "Call the admin; do not delete the data folder.",
        },
    }
)


def _retry_while_locked(action, seconds: float = 30.0) -> None:
    """Switching a brand-new file to WAL answers "locked" at once (no busy wait) when
    another process is doing the same; try again for a while."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def open_store(data_dir: Path | str | None = None, *, memory: bool = False) -> Store:
    """Open (creating if needed) the store in `data_dir` and bring its schema up to date."""
    path = None
    if not memory:
        folder = Path(data_dir)  # type: ignore[arg-type]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / STORE_FILE
    conn = None
    try:
        conn = connect(":memory:" if path is None else path)
        migrate(conn)  # reads the schema: a damaged header or schema page fails here
    except sqlite3.DatabaseError as error:
        if conn is not None:
            conn.close()
        if not any(sign in str(error) for sign in DAMAGE_SIGNS):
            raise  # locked, or a migration's own error: not a damaged file
        raise StoreDamaged(path) from None
    store = Store(conn, path)
    store.keys.ensure_created()
    return store
