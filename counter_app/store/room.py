"""Room on the disk that holds the store, and a full disk named as such (issue 20: a full
disk came out as "Lỗi không mong đợi (OperationalError)"; cheap PCs fill their disks).

The figures come from measurement, and `tests/test_disk_full.py` measures again: a store
grows by about 11.8 kB for each dossier received and moved once (the dossier, its events,
audit entries, sealed outbox rows, indexes and name search), taken after a checkpoint.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_app.store.database import Store

BYTES_PER_DOSSIER = 12_000  # measured 11.8 kB a dossier, rounded up
BUSY_DAY_DOSSIERS = 500  # more than a busy commune center receives in a day
# A day of intake: its dossiers four times over, for the WAL until a checkpoint, the print
# spool, the logs and a margin (24 MB). With less, the day's intake does not start.
DAY_OF_ROOM = 4 * BUSY_DAY_DOSSIERS * BYTES_PER_DOSSIER
# Below ten days of room the status bar shows the free space, so it is seen coming.
LOW_ROOM = 10 * DAY_OF_ROOM


def free_bytes(store: Store) -> int | None:
    """Free bytes on the disk that holds the store (None for a store in memory)."""
    if store.path is None:
        return None
    try:
        return shutil.disk_usage(store.path.parent).free
    except OSError:
        return None


# SQLite's answers whose cause is a disk without room: SQLITE_FULL (also what it returns when
# a write meets ENOSPC), and a shared-memory file it cannot extend (opening a store on a full
# disk: "disk I/O error", SQLITE_IOERR_SHMSIZE)
_NO_ROOM = (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR_SHMSIZE)
NEARLY_FULL = 1_000_000  # free bytes below which another disk I/O error is the full disk's


def is_disk_full(error: BaseException, folder: Path | None = None) -> bool:
    """Whether `error` comes from a full disk: one of SQLite's answers above, the OS's own
    no-space error, or any other SQLite disk I/O error while `folder`'s disk is (nearly)
    full."""
    if isinstance(error, sqlite3.OperationalError):
        code = getattr(error, "sqlite_errorcode", None)
        if code in _NO_ROOM or "database or disk is full" in str(error):
            return True
        if code is None or code & 0xFF != sqlite3.SQLITE_IOERR or folder is None:
            return False
        try:
            return shutil.disk_usage(folder).free < NEARLY_FULL
        except OSError:
            return False
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)
