"""The center stream pushed to a station as it grows, so its windows show another PC's
ticket or call within a fraction of a second instead of at the next poll.

An ordered push consumer (nats-py's `ordered_consumer=True`: flow control, heartbeats,
and a new consumer from the last sequence seen after any gap) starts just past the
position this station stored, on the link's connection and event loop. Its messages are
applied in batches through center/applier.py with a store connection of its own (the
link's store belongs to the thread that calls the link), on a thread of its own: waiting
for SQLite's write lock (a clerk's call holds it while it claims through the center) must
never hold up the loop that carries the claim. A message that lands alone while the write
lock is free is applied in the nats callback itself (no thread hop between the socket and
the commit); any other goes to that thread. `on_applied` is told, from whichever applied,
how many changed the replica (the windows turn that into a Qt signal for their own
thread).

Whatever goes wrong here (the connection drops, the store is busy) only stops the push:
the link's next turn catches up from the stored position and starts it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from counter_app.center.applier import APPLY_BATCH, Delivered, apply_batch, open_replica
from counter_app.center.permissions import STREAM
from counter_app.center.screening import SUBJECT_PREFIX, publisher_of
from counter_app.store.upkeep import BUSY_TIMEOUT_MS

log = logging.getLogger(__name__)


class Follower:
    def __init__(self, link, on_applied: Callable[[int], None], *, linger: float = 0.0) -> None:
        self.link = link
        self.on_applied = on_applied
        # seconds the apply thread lets a burst gather before it applies (none: every
        # message at once); a replica nobody watches applies fewer, bigger batches
        self.linger = linger
        self.store: Any = None
        self.received = 0  # messages pushed to this station
        self.applied = 0  # of those, applied here (not already by a catch-up)
        self._nc: Any = None
        self._sub: Any = None
        # what waits for the apply thread, by the subscription it came from
        self._arrivals: deque = deque()
        self._generation = 0
        self._broken = False  # an apply failed: nothing after it may be applied
        self._applying = threading.Lock()  # the replica's connection: one user at a time
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="center-push")

    def alive(self) -> bool:
        return (
            self._sub is not None
            and self._nc is not None
            and self._nc.is_connected
            and not self._broken
        )

    async def start(self) -> None:
        """On the link's loop, after a turn that reached the center: follow from the
        stored position on the link's current connection (again, if it changed)."""
        from nats.js.api import ConsumerConfig, DeliverPolicy

        link = self.link
        if self.alive() and self._nc is link._nc:
            return
        await self.stop()
        if self.store is None:
            self.store = await self._on_thread(open_replica, Path(link.store.path).parent)
        # after every apply of the subscription before (the thread runs them in order)
        position = await self._on_thread(self.store.center.position)
        self._broken = False
        generation = self._generation

        async def arrived(msg) -> None:
            self._arrived(generation, msg)

        self._sub = await link._js.subscribe(
            f"{SUBJECT_PREFIX}.>",
            stream=STREAM,
            cb=arrived,
            ordered_consumer=True,
            config=ConsumerConfig(
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=position + 1
            ),
        )
        self._nc = link._nc

    def _arrived(self, generation: int, msg) -> None:
        """On the link's loop. Another station's message that lands alone (none buffered
        behind it, none waiting for the apply thread) while the store's write lock is free
        is applied right here: no thread hop between the socket and the commit. Otherwise
        it goes to the apply thread behind the others, in order: a burst is applied there
        in batches, this station's own events (published by this very loop) and a clerk's
        write holding the lock (a call claiming through this loop waits for it) never hold
        up the loop."""
        burst = self._sub is None or self._sub.pending_msgs > 0  # more right behind it
        # this station's own event changes nothing here: never on the loop that publishes
        own = publisher_of(msg.subject) == self.link.settings["user"]
        inline = not (burst or own or self.linger or self._arrivals)
        if inline and self._applying.acquire(blocking=False):
            try:
                if generation != self._generation or self._broken:
                    return
                if self._apply([Delivered(msg)], wait=False):
                    return
            finally:
                self._applying.release()
        self._arrivals.append((generation, msg))
        self._thread.submit(self._drain)

    def _drain(self) -> None:
        """On the apply thread: everything waiting at once in one transaction (a burst
        costs one commit). A drain that finds the queue emptied by the one before it does
        nothing."""
        if self.linger and self._arrivals:
            time.sleep(self.linger)
        with self._applying:
            while self._arrivals:
                batch = []
                while self._arrivals and len(batch) < APPLY_BATCH:
                    generation, msg = self._arrivals.popleft()
                    if generation == self._generation and not self._broken:
                        batch.append(Delivered(msg))
                if batch:
                    self._apply(batch, wait=True)

    def _apply(self, batch: list, *, wait: bool) -> bool:
        """Apply, then tell `on_applied` from this thread. False when the store's write
        lock was taken and `wait` is False (nothing done); a failure otherwise leaves the
        follower broken, and the link's next turn catches up and follows again."""
        link = self.link
        conn = self.store.conn
        if not wait:
            conn.execute("PRAGMA busy_timeout=0")
        try:
            applied, changed = apply_batch(
                self.store, link.station, link.clock, batch, replica_only=True
            )
        except Exception as error:  # busy or closing: the next turn catches up
            if not wait and isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                return False
            log.info("pushed events not applied: %s", type(error).__name__)
            self._broken = True  # not alive any more: the next turn follows again
            return True
        finally:
            if not wait:
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self.received += len(batch)
        if changed:
            self.on_applied(changed)
        self.applied += applied  # last: whoever waits for the count finds the callback done
        return True

    async def stop(self) -> None:
        sub = self._sub
        self._sub = self._nc = None
        self._generation += 1  # what the old subscription brought is not applied
        if sub is not None:
            with contextlib.suppress(Exception):  # a dead connection took it already
                await sub.unsubscribe()

    async def close(self) -> None:
        await self.stop()
        if self.store is not None:
            await self._on_thread(self.store.close)
            self.store = None
        self._thread.shutdown(wait=False)

    def _on_thread(self, work, *args):
        return asyncio.get_running_loop().run_in_executor(self._thread, work, *args)
