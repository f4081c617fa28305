"""Child process for test_migrations: opens a store at the same moment as its siblings.

Usage: python open_at_once.py DATA_DIR

Imports everything, prints "ready", waits for a line on stdin (so all children open
together, like the counter and the display started by the same log-on), opens the store
(creating or upgrading it) and prints "ok VERSION", or "error TYPE: MESSAGE".
"""

from __future__ import annotations

import sys

from counter_app.store import open_store
from counter_app.store.migrations import schema_version

print("ready", flush=True)
sys.stdin.readline()
try:
    store = open_store(sys.argv[1])
    print("ok", schema_version(store.conn), flush=True)
    store.close()
except Exception as exc:  # reported to the test
    print("error", f"{type(exc).__name__}: {exc}", flush=True)
