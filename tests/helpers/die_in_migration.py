"""Child process for test_migrations: dies abruptly in the middle of a new migration.

Usage: python die_in_migration.py DATA_DIR

Appends a migration that writes (a new table, a changed column, rewritten rows, enough to
spill pages out of the cache) and then ends the process with os._exit: no rollback, no
close, like a power cut as far as the database file is concerned. Exits with 77.
"""

from __future__ import annotations

import os
import sys

from counter_app.store import migrations, open_store


def m900_dies_halfway(conn) -> None:
    """Writes a lot, then the process is gone before the version bump commits."""
    conn.execute("CREATE TABLE partial_thing (id INTEGER PRIMARY KEY, blob TEXT)")
    conn.execute("ALTER TABLE dossiers ADD COLUMN half_done TEXT")
    conn.execute("UPDATE dossiers SET note = 'migrated'")
    for i in range(2000):
        conn.execute("INSERT INTO partial_thing(id, blob) VALUES (?, ?)", (i, "x" * 2000))
    sys.stdout.flush()
    os._exit(77)


migrations.MIGRATIONS = (*migrations.MIGRATIONS, m900_dies_halfway)
open_store(sys.argv[1])
sys.exit("the migration should not have returned")
