"""Domain events in the program's own shape: what a change tells the center and the portal.

An event is versioned (`v`) so an older station can refuse one it cannot read instead of
misreading it. A dossier event carries the dossier's row as stored (personal fields sealed
with the center's personal key, look-ups as keyed indexes), so a replica stores it without
ever seeing a name in clear; the portal adapter opens it only when it sends
(sync/adapters.py). A ticket event carries the ticket with its center-wide uid and no
citizen's data: it is sealed under the ticket key a kiosk and a board hold too
(store/center_keys.py decides by the event's content).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from counter_app.core.dossier import Dossier, DossierStatus
from counter_app.core.queue import Ticket
from counter_app.services.context import ServiceContext

EVENT_VERSION = 1


def dossier_event(
    ctx: ServiceContext,
    dossier: Dossier,
    *,
    at: datetime,
    sector: str = "",
    previous: DossierStatus | None = None,
    note: str = "",
) -> dict[str, Any]:
    """After the dossier's row was written in this transaction."""
    row = ctx.store.dossiers.raw_row(dossier.code)
    return {
        "v": EVENT_VERSION,
        "dossier": row,
        "ticket_uid": ctx.store.tickets.uid_of(row.get("ticket_id")),
        "sector": sector,
        "previous": int(previous) if previous is not None else None,
        "note": note,
        "actor": ctx.actor.username,
        "at": at.isoformat(),
    }


def ticket_event(ctx: ServiceContext, ticket: Ticket, *, at: datetime) -> dict[str, Any]:
    data = {
        "uid": ctx.store.tickets.uid_of(ticket.id),
        "transferred_from_uid": ctx.store.tickets.uid_of(ticket.transferred_from),
        "day": ticket.day.isoformat(),
        "group": ticket.group,
        "letter": ticket.letter,
        "number": ticket.number,
        "state": ticket.state.value,
        "arrived_at": ticket.arrived_at.isoformat(),
        "station_id": ticket.station_id,
        "priority": ticket.priority,
        "priority_weight": ticket.priority_weight,
        "counter": ticket.counter,
        "recalls": ticket.recalls,
        "target_counter": ticket.target_counter,
        "target_clerk": ticket.target_clerk,
        "call_reason": ticket.call_reason,
        "call_note": ticket.call_note,
    }
    for name in ("called_at", "serving_at", "finished_at", "reserved_at"):
        value = getattr(ticket, name)
        data[name] = value.isoformat() if value else None
    return {
        "v": EVENT_VERSION,
        "ticket": data,
        "claim": ctx.store.tickets.claim_name(ticket.id),
        "actor": ctx.actor.username,
        "at": at.isoformat(),
    }


def account_event(ctx: ServiceContext, username: str, at: datetime) -> dict[str, Any]:
    """An account as stored (the password only as its scrypt hash), after the change: every
    station of a center signs its clerks in with the same accounts, and prints the same
    officer's name and title on its forms."""
    row = ctx.store.query_one(
        "SELECT username, role, password_hash, locked, created_at, full_name, title "
        "FROM users WHERE username = ?",
        (username,),
    )
    return {
        "v": EVENT_VERSION,
        "user": dict(row),
        "actor": ctx.actor.username,
        "at": at.isoformat(),
    }


def rating_event(
    ctx: ServiceContext, score: int, ticket_id: int | None, dossier_code: str | None, *, at
) -> dict[str, Any]:
    """A citizen's rating, anonymous: the ticket by its uid (for reports center-wide)."""
    return {
        "v": EVENT_VERSION,
        "rating": {
            "score": score,
            "ticket_uid": ctx.store.tickets.uid_of(ticket_id),
            "dossier_code": dossier_code,
            "station_id": ctx.station.id,
        },
        "at": at.isoformat(),
    }


def pause_event(ctx: ServiceContext, pause, *, at: datetime) -> dict[str, Any]:
    """A counter's pause (core.counter_desk.Pause), open or ended: the board and the
    reports of every station show it."""
    return {
        "v": EVENT_VERSION,
        "pause": {
            "uid": pause.uid,
            "counter": pause.counter,
            "reason": pause.reason,
            "started_at": pause.started_at.isoformat(),
            "ended_at": pause.ended_at.isoformat() if pause.ended_at else None,
            "actor": pause.actor,
        },
        "actor": ctx.actor.username,
        "at": at.isoformat(),
    }


def center_setting_event(kind: str, values: dict, *, at) -> dict[str, Any]:
    """A setting that is the whole center's (days off, its name, counters, hours)."""
    return {"v": EVENT_VERSION, "setting": {"kind": kind, "values": values}, "at": at.isoformat()}
