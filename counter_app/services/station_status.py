"""What the status bar shows on every clerk window: the link and what waits to be synced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter_app.services.context import ServiceContext


@dataclass(frozen=True)
class SyncStatus:
    waiting: int  # records the portal has not acknowledged yet
    attention: int  # set aside for an admin
    oldest: datetime | None  # the oldest record still waiting
    last_ok: datetime | None  # the last round that reached the portal
    conflicts: int  # upstream changes a clerk must look at


def sync_status(ctx: ServiceContext) -> SyncStatus:
    counts = ctx.store.outbox.counts()
    last = ctx.store.sync_state.last_round(ok_only=True)
    conflicts = ctx.store.query_one(
        "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL"
    )[0]
    return SyncStatus(
        waiting=counts.get("waiting", 0) + counts.get("sending", 0),
        attention=counts.get("attention", 0),
        oldest=ctx.store.outbox.oldest_pending_at(),
        last_ok=last.finished_at if last else None,
        conflicts=conflicts,
    )
