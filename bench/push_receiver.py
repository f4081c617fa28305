"""A counter station that follows the center stream in a process of its own, as it does on
its own PC, for bench.center's kiosk-to-counter figure (bench/center_push.py).

`python -m bench.push_receiver DATA_DIR` catches up, follows by push, prints `ready`, then
for each pushed ticket applied to its replica a line `<time.monotonic() at the apply's
callback> <ticket uid>`, until its standard input closes. The bench's kiosk takes the
ticket in another process: CLOCK_MONOTONIC is one clock for every process of the machine.
In the bench's own process the counter's push would share one interpreter lock with the
kiosk's publishing, which two PCs never do.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(folder: Path) -> None:
    from counter_app.center.link import CenterLink
    from counter_app.services.station import load_station
    from counter_app.store import open_store

    store = open_store(folder)
    reader = open_store(folder)  # read on the apply thread, beside the follower's own
    link = CenterLink(store, load_station(store), timeout=2.0)
    seen = reader.query_one("SELECT coalesce(max(id), 0) FROM tickets")[0]

    def applied(_changed: int) -> None:
        nonlocal seen
        at = time.monotonic()
        rows = reader.query("SELECT id, uid FROM tickets WHERE id > ? ORDER BY id", (seen,))
        for row in rows:
            print(f"{at!r} {row['uid']}", flush=True)
            seen = row["id"]

    try:
        if not link.sync().reachable or not link.follow(applied):
            raise SystemExit("the center could not be reached")
        print("ready", flush=True)
        sys.stdin.read()
    finally:
        link.close()
        reader.close()
        store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
