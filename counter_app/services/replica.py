"""Applying other stations' events to this station's replica.

Each event is applied at most once (by its idempotency key), inside the transaction that
also moves this station's stream position, so a kill between the two cannot apply an event
twice or skip one. Tickets are matched by their center-wide uid, dossiers by their code; the
row of a dossier arrives sealed with the center's personal key and is stored as it came. An
event under a key this station's role never holds (a dossier at a kiosk or a board) is
passed over unopened, and a rotation's grant adds this station's new keys (store/
center_keys.py). The
hub also queues every event the portal must hear of, under a key made from the origin's, so
the portal deduplicates a replay however late it comes.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime

from counter_app.core.dossier import DossierStatus
from counter_app.core.queue import Ticket, TicketState
from counter_app.services.context import ServiceContext
from counter_app.store.center_keys import (
    GRANT_PREFIX,
    LOCAL_ACCOUNT_ROLES,
    NotForThisRole,
    open_grant,
)

log = logging.getLogger(__name__)

SUPPORTED_VERSIONS = frozenset({1})
_EVENT_KINDS = {
    "dossier.receive": "received",
    "dossier.draft": "draft",
    "dossier.status": "status",
    "sync.pull.status": "portal",
    "dossier.online.receive": "online",  # the hub took it in from the upstream's inbox
    "dossier.online.resubmit": "resubmitted",
    "dossier.online.accept": "received",
}


def origin_of(key: str) -> str:
    return key.rsplit(":", 1)[0]


class _PassedOver(Exception):
    """Not this station's to apply: another role's event, another station's grant, or its
    own grant (installed while opening)."""


class BadEvent(Exception):
    """A stream message this replica cannot apply: set aside with `reason` (a code of
    center/screening.py), never a stop."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_CONTENT = ("ticket", "dossier", "paper", "user", "rating", "setting", "pause")


def apply_center_event(
    ctx: ServiceContext,
    *,
    key: str,
    stream_seq: int,
    entity: str,
    entity_id: str,
    op: str,
    sealed: str,
) -> bool:
    """Inside the caller's transaction; True when the event changed this replica. Raises
    BadEvent for a message that does not open, does not parse or replays a key met
    elsewhere in the stream (the caller sets it aside)."""
    store = ctx.store
    now = ctx.now()
    first = store.center.applied_seq(key)
    if first is not None and first != stream_seq:
        # the same key at a second position (a replay, or a republish after the stream's
        # duplicate window): applied once, the second one reported
        raise BadEvent("replay")
    if first is not None:  # met again at its own position (a kill mid-apply)
        store.center.record_applied(key, stream_seq=stream_seq, at=now)
        return False
    try:  # this station's own events too: a junk under its key
        event = _open(ctx, key, sealed)
    except _PassedOver:
        store.center.record_applied(key, stream_seq=stream_seq, at=now)
        return False
    if origin_of(key) == ctx.station.id:
        store.center.record_applied(key, stream_seq=stream_seq, at=now)
        return False
    to_portal = bool(event.pop("to_portal", True))
    if "ticket" in event:
        _apply_ticket(ctx, event)
    elif "dossier" in event:
        _apply_dossier(ctx, event, op, origin_of(key))
    elif "user" in event:
        _apply_account(ctx, event["user"])
    elif "rating" in event:
        _apply_rating(ctx, event)
    elif "setting" in event:
        _apply_setting(ctx, event["setting"])
    elif "pause" in event:
        _apply_pause(ctx, event["pause"])
    elif "paper" in event:
        _apply_paper(ctx, event)
    if ctx.station.role == "hub" and to_portal:
        # the hub speaks for the center upstream: its key wraps the origin's, so a replay
        # however late is the same item to the portal
        store.outbox.append(
            station_id=ctx.station.id,
            entity=entity,
            entity_id=entity_id,
            op=op,
            payload=event,
            at=datetime.fromisoformat(event["at"]) if "at" in event else now,
            key=f"{ctx.station.id}:{key}",
        )
    store.center.record_applied(key, stream_seq=stream_seq, at=now)
    return True


def _open(ctx: ServiceContext, key: str, sealed: str) -> dict:
    if sealed.startswith(GRANT_PREFIX):
        _install_grant(ctx, key, sealed)
        raise _PassedOver
    try:
        plain = _open_sealed(ctx, key, sealed)
    except NotForThisRole as error:
        raise _PassedOver from error
    except Exception as error:  # wrong key, tampered, not our sealing at all
        raise BadEvent("unopenable") from error
    try:
        event = json.loads(plain)
    except ValueError as error:
        raise BadEvent("unreadable") from error
    if not isinstance(event, dict) or not any(name in event for name in _CONTENT):
        raise BadEvent("unreadable")
    if event.get("v") not in SUPPORTED_VERSIONS:
        # a newer station's event: set aside (the stream keeps it for a later version)
        raise BadEvent("version")
    return event


def _open_sealed(ctx: ServiceContext, key: str, sealed: str) -> str:
    try:
        return ctx.store.center_keys.open_event(sealed, key)
    except NotForThisRole:
        raise
    except Exception:
        # keys another process of this station installed since this one read them
        if not ctx.store.refresh_keys():
            raise
        return ctx.store.center_keys.open_event(sealed, key)


def _install_grant(ctx: ServiceContext, key: str, sealed: str) -> None:
    """This station's new keys from a rotation, when the grant names it."""
    store = ctx.store
    link = store.settings.get("center") or {}
    if not link.get("user"):
        return
    password = store.crypto.open(link["password"], "center.password")
    try:
        received = open_grant(sealed, key, link["user"], password)
    except ValueError as error:
        raise BadEvent("unopenable") from error
    if received is not None:
        store.keys.install_center_keys(received)
        store.relock()
        log.info("new center keys received")


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _apply_ticket(ctx: ServiceContext, event: dict) -> None:
    t = event["ticket"]
    tickets = ctx.store.tickets
    existing = tickets.by_uid(t["uid"])
    source = tickets.by_uid(t["transferred_from_uid"]) if t["transferred_from_uid"] else None
    ticket = Ticket(
        id=existing.id if existing else None,
        day=date.fromisoformat(t["day"]),
        group=t["group"],
        letter=t["letter"],
        number=t["number"],
        state=TicketState(t["state"]),
        arrived_at=datetime.fromisoformat(t["arrived_at"]),
        station_id=t["station_id"],
        priority=t["priority"],
        priority_weight=t["priority_weight"],
        counter=t["counter"],
        recalls=t["recalls"],
        called_at=_time(t["called_at"]),
        serving_at=_time(t["serving_at"]),
        finished_at=_time(t["finished_at"]),
        transferred_from=source.id if source else None,
        # absent from an event of a station not yet upgraded: nothing reserved, no reason
        target_counter=t.get("target_counter"),
        target_clerk=t.get("target_clerk", ""),
        reserved_at=_time(t.get("reserved_at")),
        call_reason=t.get("call_reason", ""),
        call_note=t.get("call_note", ""),
    )
    if existing is None:
        ticket = tickets.insert(ticket, writer="", uid=t["uid"])
    else:
        tickets.update(ticket)
    tickets.add_event(ticket, at=datetime.fromisoformat(event["at"]), actor=event["actor"])


def _apply_dossier(ctx: ServiceContext, event: dict, op: str, origin: str) -> None:
    row = dict(event["dossier"])
    linked = ctx.store.tickets.by_uid(event["ticket_uid"]) if event.get("ticket_uid") else None
    row["ticket_id"] = linked.id if linked else None
    ctx.store.dossiers.put_raw_row(row)
    if linked is not None:
        ctx.store.tickets.link_dossier(linked.id, row["code"])
    previous = event.get("previous")
    ctx.store.dossiers.add_event(
        row["code"],
        at=datetime.fromisoformat(event["at"]),
        kind=_EVENT_KINDS.get(op, "status"),
        actor=event["actor"],
        from_status=DossierStatus(previous) if previous else None,
        to_status=DossierStatus(row["status"]),
        note=event.get("note", ""),
    )
    if isinstance(event.get("online"), dict):
        _apply_online(ctx, event, row["code"], origin)


def _apply_online(ctx: ServiceContext, event: dict, code: str, origin: str) -> None:
    """An online dossier's record beside its row: taken in by the hub (waiting, so every
    counter's inbox lists it), or decided at a counter (no longer waiting anywhere)."""
    from counter_app.store.online_dossiers import OnlineRecord

    online = event["online"]
    decided_at = online.get("decided_at")
    record = OnlineRecord(
        upstream_code=online["upstream_code"],
        dossier_code=code,
        round=int(online["round"]),
        submitted_at=datetime.fromisoformat(online["submitted_at"]),
        notify_email=bool(online["notify_email"]),
        notify_sms=bool(online["notify_sms"]),
        waiting=bool(online["waiting"]),
        taken_at=datetime.fromisoformat(event["at"]),
        decided_at=datetime.fromisoformat(decided_at) if decided_at else None,
        decided_by=str(online.get("decided_by", "")),
    )
    ctx.store.online.put(record, station_id=origin)


def _apply_account(ctx: ServiceContext, user: dict) -> None:
    """An older station's event has no full name or title: they stay empty. A kiosk or a
    board keeps no center account, even one sealed under the ticket key before accounts
    moved to the personal key (still in the stream): it signs in its own operator alone."""
    if ctx.station.role in LOCAL_ACCOUNT_ROLES:
        return
    ctx.store.conn.execute(
        "INSERT INTO users(username, role, password_hash, locked, created_at, full_name, title) "
        "VALUES (:username, :role, :password_hash, :locked, :created_at, :full_name, :title) "
        "ON CONFLICT(username) DO UPDATE SET role = excluded.role, "
        "password_hash = excluded.password_hash, locked = excluded.locked, "
        "full_name = excluded.full_name, title = excluded.title",
        {"full_name": "", "title": "", **user},
    )


def _apply_rating(ctx: ServiceContext, event: dict) -> None:
    r = event["rating"]
    linked = ctx.store.tickets.by_uid(r["ticket_uid"]) if r.get("ticket_uid") else None
    ctx.store.ratings.insert(
        at=datetime.fromisoformat(event["at"]),
        score=r["score"],
        ticket_id=linked.id if linked else None,
        dossier_code=r["dossier_code"],
        station_id=r["station_id"],
    )


def _apply_pause(ctx: ServiceContext, p: dict) -> None:
    from counter_app.core.counter_desk import Pause

    ctx.store.pauses.put(
        Pause(
            counter=p["counter"],
            reason=p["reason"],
            started_at=datetime.fromisoformat(p["started_at"]),
            ended_at=_time(p["ended_at"]),
            actor=p["actor"],
            uid=p["uid"],
        )
    )


def _apply_paper(ctx: ServiceContext, event: dict) -> None:
    """The paper's row only: its sealed file waits in the center's object store until a
    station opens it (the hub keeps a copy for the portal; center/link.py)."""
    paper = event["paper"]
    ctx.store.papers.insert(paper)
    if event.get("removed"):
        ctx.store.papers.remove(paper["paper_id"], at=event["at"], by=event["actor"])
        ctx.store.papers.files.delete(paper["paper_id"])


SHARED_STATION_SETTINGS = frozenset({"center_name", "center_address", "counters", "opening_hours"})


def _apply_setting(ctx: ServiceContext, setting: dict) -> None:
    from counter_app.core.calendar import CalendarOverride

    values = setting["values"]
    if setting["kind"] == "calendar":
        ctx.store.catalogue.set_override(
            CalendarOverride(date.fromisoformat(values["day"]), values["kind"], values["note"])
        )
    elif setting["kind"] == "catalogue":  # pulled from the portal by the hub or a station
        from counter_app.core.catalogue import parse_catalogue

        ctx.store.catalogue.replace(parse_catalogue(values), at=ctx.now())
    elif setting["kind"] == "queue_policy":
        ctx.store.settings.set("queue_policy", values)
    elif setting["kind"] == "station":
        mine = ctx.store.settings.get("station")
        mine.update({k: v for k, v in values.items() if k in SHARED_STATION_SETTINGS})
        ctx.store.settings.set("station", mine)
