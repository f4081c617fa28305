"""Changes that come from upstream, through the same write step as a clerk's.

A status pulled from the portal and a conflict a clerk settles are dossier changes like any
other: they pass the core status machine and end in `ServiceContext.journal` (event, audit
entry, deliveries) inside the caller's transaction. A pulled status for a dossier whose own
local change has not reached the portal yet waits (`sync_held`) until it has: applying it
first would let the portal's older view overwrite what the clerk just did.
"""

from __future__ import annotations

import json
from enum import StrEnum

from counter_app.core import dossier as rules
from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import DomainError
from counter_app.core.roles import Actor, Role
from counter_app.services.context import ServiceContext
from counter_app.services.dossiers import _record_status
from counter_app.services.events import dossier_event

PORTAL_ACTOR = Actor("portal", Role.ADMIN)


class Outcome(StrEnum):
    APPLIED = "applied"
    ALREADY = "already"  # our own change coming back, or applied before
    HELD = "held"  # waits for a local change to this dossier to be sent first
    CONFLICT = "conflict"


def apply_portal_status(
    ctx: ServiceContext, *, seq: int, code: str, data: dict
) -> tuple[Outcome, str]:
    """One pulled status change, inside the caller's transaction (the page's, with its
    cursor). Returns the outcome and, for a conflict, its reason (stored by the caller)."""
    try:
        target = rules.parse_status(data.get("TrangThai"))
    except DomainError:
        return Outcome.CONFLICT, "bad status"
    local = ctx.store.dossiers.get(code)
    if local is None:
        return Outcome.CONFLICT, "unknown dossier"
    if local.status == target:
        return Outcome.ALREADY, ""
    if ctx.store.outbox.has_unsent("dossier", code):
        hold(ctx, code, {"seq": seq, "kind": "dossier.status", "entity_id": code, "data": data})
        return Outcome.HELD, ""
    before = data.get("TrangThaiTruoc")
    if before is not None and str(before) != str(int(local.status)):
        return Outcome.CONFLICT, f"diverged: portal moved from {before}"
    note = str(data.get("NoiDungXuLy") or "Cập nhật từ Cổng dịch vụ công")
    try:
        after = _record_status(ctx, local, target, note, kind="portal")
    except DomainError as error:
        return Outcome.CONFLICT, error.message("en")
    ctx.journal(
        at=after.updated_at,
        action="sync.pull.status",
        entity="dossier",
        entity_id=code,
        detail={"from": int(local.status), "to": int(target), "seq": seq},
        payload=dossier_event(ctx, after, at=after.updated_at, previous=local.status, note=note),
        portal=False,  # the portal told us: nothing to tell it back
    )
    return Outcome.APPLIED, ""


def hold(ctx: ServiceContext, code: str, change: dict) -> None:
    ctx.store.conn.execute(
        "INSERT INTO sync_held(entity_id, change, held_at) VALUES (?, ?, ?)",
        (code, json.dumps(change, ensure_ascii=False), ctx.now().isoformat()),
    )


def released_changes(ctx: ServiceContext) -> list[dict]:
    """Held changes whose dossier has nothing left to send: taken out (in the caller's
    transaction) to be applied again, oldest first."""
    out = []
    for row in ctx.store.query("SELECT * FROM sync_held ORDER BY id"):
        if ctx.store.outbox.has_unsent("dossier", row["entity_id"]):
            continue
        ctx.store.conn.execute("DELETE FROM sync_held WHERE id = ?", (row["id"],))
        out.append(json.loads(row["change"]))
    return out


def held_count(ctx: ServiceContext) -> int:
    return ctx.store.query_one("SELECT count(*) FROM sync_held")[0]


def keep_portal_status(
    ctx: ServiceContext, *, code: str, target: DossierStatus, note: str
) -> dict[str, int] | None:
    """A clerk settles a conflict for the portal's status: the move is made as the clerk's
    own (so the portal is told it was made), inside the caller's transaction. Returns the
    move, or None when the dossier is already there."""
    before = ctx.store.dossiers.get(code)
    if before is None:
        raise DomainError("dossier.unknown", code=code)
    if before.status == target:
        return None
    after = _record_status(ctx, before, target, note)
    ctx.journal(
        at=after.updated_at,
        action="dossier.status",
        entity="dossier",
        entity_id=code,
        detail={"from": int(before.status), "to": int(after.status)},
        payload=dossier_event(ctx, after, at=after.updated_at, previous=before.status, note=note),
    )
    return {"from": int(before.status), "to": int(after.status)}
