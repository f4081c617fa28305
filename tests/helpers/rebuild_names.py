"""Child process for test_name_rebuild: unlocks an upgraded store and lets it rebuild.

Usage: python rebuild_names.py DATA_DIR ROWS_PER_BATCH

Opens the store (m015 has set `name_pairs_pending`), unlocks it, and prints "batch N" after
each batch its upkeep thread commits, then "done" once nothing is left. The parent kills it
with SIGKILL in the middle.
"""

from __future__ import annotations

import sys

from counter_app.store import open_store

store = open_store(sys.argv[1])
store.upkeep.quiet = 0.01  # nothing else writes here
store.upkeep.batch_rows = int(sys.argv[2])
_ = store.crypto
seen = 0
while True:
    idle = store.upkeep.wait_idle(timeout=0.005)
    for number in range(seen + 1, len(store.upkeep.name_batches) + 1):
        print(f"batch {number}", flush=True)
    seen = len(store.upkeep.name_batches)
    if idle:
        break
store.close()
print("done", flush=True)
