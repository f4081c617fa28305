"""Stream messages applied to a station's replica, in batches, from wherever they came.

Two readers feed it: the catch-up of a link's turn (direct gets, or an ordered consumer
from the stored position) and the push that follows the stream as it grows
(center/follow.py). Each batch is one transaction that reads the stored position first and
skips every message at or below it, so whichever reader comes second applies nothing twice
and moves nothing back.

The batch commits with `synchronous=NORMAL` where the station's own writes keep FULL: the
stream is the source of truth, and the position moves in the same transaction as the rows,
so an apply lost to a power cut is lost whole (WAL recovery keeps a prefix of the commits)
and applied again from the stream at the next turn. Any later FULL commit of this store
makes it durable with it (tests/test_center_replay_power.py). The fsync it saves is most of
the time between a ticket's publishing and its applying at a counter (bench.center).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from counter_app.center.screening import publisher_of, screen
from counter_app.core.clock import vn_time
from counter_app.core.roles import Actor, Role
from counter_app.services.context import ServiceContext
from counter_app.services.replica import BadEvent, apply_center_event
from counter_app.services.station import Station
from counter_app.store import Store

log = logging.getLogger(__name__)

CENTER_ACTOR = Actor("center", Role.ADMIN)
APPLY_BATCH = 200


class Delivered:
    """A message from an ordered consumer, seen as the applier needs it."""

    def __init__(self, msg) -> None:
        # an empty payload comes as None: set aside like any junk, never a TypeError
        self.headers, self.data, self.subject = msg.headers, msg.data or b"", msg.subject
        self.seq = msg.metadata.sequence.stream


class Stored:
    """A message read directly by its stream sequence."""

    def __init__(self, msg) -> None:
        self.headers, self.data, self.seq = msg.headers, msg.data or b"", msg.seq
        self.subject = msg.subject


def apply_batch(
    store: Store,
    station: Station,
    clock: Callable[[], datetime],
    batch: list,
    *,
    replica_only: bool = False,
) -> tuple[int, int]:
    """(messages applied, of which changed this replica). Messages at or below the stored
    position were applied already (by the other reader) and are not looked at again.
    `replica_only`: the store's connection does nothing but apply (the push's own, opened
    by `open_replica`), so it stays at NORMAL between batches."""
    if not batch:
        return 0, 0
    ctx = ServiceContext(store, clock, station, CENTER_ACTOR)
    applied = changed = 0
    with replayable(store, shared=not replica_only):
        position = store.center.position()
        for msg in batch:
            if msg.seq <= position:
                continue
            changed += _apply_one(ctx, msg)
            applied += 1
    return applied, changed


def open_replica(folder: Path) -> Store:
    """A connection to the station's store that only applies the stream's messages."""
    from counter_app.store import open_store

    store = open_store(folder)
    store.conn.execute("PRAGMA synchronous=NORMAL")
    return store


@contextlib.contextmanager
def replayable(store: Store, *, shared: bool = True) -> Iterator[Store]:
    """A transaction the stream can replay: committed without waiting for the disk. On a
    `shared` connection (the station's own writes use it too) FULL comes back after it."""
    if shared:
        store.conn.execute("PRAGMA synchronous=NORMAL")
    try:
        with store.transaction():
            yield store
    finally:
        if shared:
            store.conn.execute("PRAGMA synchronous=FULL")


def _apply_one(ctx: ServiceContext, msg) -> bool:
    """One message inside the batch's transaction, in a savepoint: a bad one is rolled
    back alone and set aside, and the position moves past it."""
    headers = msg.headers or {}
    key = headers.get("Nats-Msg-Id", "")
    reason = screen(msg.subject, key, len(msg.data))
    if reason is None:
        conn = ctx.store.conn
        conn.execute("SAVEPOINT event")
        try:
            changed = apply_center_event(
                ctx,
                key=key,
                stream_seq=msg.seq,
                entity=headers.get("Entity", ""),
                entity_id=headers.get("Entity-Id", ""),
                op=headers.get("Op", ""),
                sealed=msg.data.decode("ascii"),
            )
            conn.execute("RELEASE event")
            return changed
        except Exception as error:  # junk, a forgery, a rule broken: never a stop
            conn.execute("ROLLBACK TO event")
            conn.execute("RELEASE event")
            reason = error.reason if isinstance(error, BadEvent) else "rule"
            if isinstance(error, UnicodeDecodeError):
                reason = "unopenable"
    log.warning("center event at %s set aside: %s", msg.seq, reason)
    ctx.store.center.set_aside(
        stream_seq=msg.seq,
        publisher=publisher_of(msg.subject),
        origin=key.rsplit(":", 1)[0][:80],
        reason=reason,
        at=vn_time(ctx.clock()),
    )
    return False
