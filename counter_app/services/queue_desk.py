"""Counter use cases around the calls: the center's call policy, pauses, what each counter
is doing (for the board), the clerks a ticket may be sent to, and the queue's report figures.

The policy is one center setting (`queue_policy` in the settings table), carried to every
station by a center setting event so all counters call in the same order. A pause is a row
of its own, carried by a pause event, so the board of every station shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from counter_app.core.calendar import check_period
from counter_app.core.counter_desk import PAUSE_REASONS, Pause, check_pause_reason
from counter_app.core.errors import DomainError
from counter_app.core.queue import ACTIVE_STATES, QueuePolicy, Ticket
from counter_app.core.roles import Permission, Role
from counter_app.core.text import fold
from counter_app.services.context import ServiceContext
from counter_app.services.events import center_setting_event, pause_event

POLICY_KEY = "queue_policy"


def current_policy(ctx: ServiceContext) -> QueuePolicy:
    """The center's policy; strict (priority first) until an admin chooses another."""
    return QueuePolicy.from_dict(ctx.store.settings.get(POLICY_KEY))


def set_policy(ctx: ServiceContext, policy: QueuePolicy) -> QueuePolicy:
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    now = ctx.now()
    values = policy.to_dict()
    with ctx.store.transaction():
        ctx.store.settings.set(POLICY_KEY, values)
        ctx.journal(
            at=now, action="settings.queue_policy", entity="settings", entity_id=POLICY_KEY,
            detail=values, payload=center_setting_event(POLICY_KEY, values, at=now),
            portal=False,  # every counter of the center calls by the same rule
        )  # fmt: skip
    return policy


def _save_pause(ctx: ServiceContext, pause: Pause, action: str) -> Pause:
    now = pause.ended_at or pause.started_at
    ctx.store.pauses.put(pause)
    ctx.journal(
        at=now, action=action, entity="counter", entity_id=str(pause.counter),
        detail={"reason": pause.reason}, payload=pause_event(ctx, pause, at=now), portal=False,
    )  # fmt: skip
    return pause


def pause_counter(ctx: ServiceContext, *, counter: int, reason: str) -> Pause:
    """The counter stops calling (lunch, a meeting...): nobody can be called to it until it
    resumes. A citizen still called or served there must be finished first."""
    ctx.actor.require(Permission.CALL_TICKETS)
    ctx.station.acting(counter)
    reason = check_pause_reason(reason)
    now = ctx.check_clock()
    with ctx.store.transaction():
        if ctx.store.pauses.open_at(counter) is not None:
            raise DomainError("desk.already_paused", counter=counter)
        busy = ctx.store.tickets.active_at_counter(now.date(), counter)
        if busy is not None:
            raise DomainError("desk.busy", counter=counter, label=busy.label)
        pause = Pause(
            counter=counter, reason=reason, started_at=now, actor=ctx.actor.username,
            uid=ctx.store.pauses.new_uid(ctx.station.id),
        )  # fmt: skip
        return _save_pause(ctx, pause, "counter.pause")


def resume_counter(ctx: ServiceContext, *, counter: int) -> Pause:
    ctx.actor.require(Permission.CALL_TICKETS)
    ctx.station.acting(counter)
    now = ctx.check_clock()
    with ctx.store.transaction():
        pause = ctx.store.pauses.open_at(counter)
        if pause is None:
            raise DomainError("desk.not_paused", counter=counter)
        ended = Pause(pause.counter, pause.reason, pause.started_at, now, pause.actor, pause.uid)
        return _save_pause(ctx, ended, "counter.resume")


def open_pause(ctx: ServiceContext, counter: int) -> Pause | None:
    return ctx.store.pauses.open_at(counter)


@dataclass(frozen=True)
class CounterState:
    """One counter as the board shows it."""

    counter: int
    groups: tuple[str, ...]
    ticket: Ticket | None  # called or being served there
    pause: Pause | None  # open pause: reason and since when

    @property
    def pause_reason(self) -> tuple[str, str] | None:
        """(Vietnamese, English) name of the pause's reason."""
        if self.pause is None:
            return None
        return PAUSE_REASONS.get(self.pause.reason, (self.pause.reason, self.pause.reason))


def counter_states(ctx: ServiceContext) -> list[CounterState]:
    """Each counter of the center: the ticket it is serving, or its pause. Reads only, so
    the board (which has no account of its own) may call it with any context."""
    day = ctx.now().date()
    active = {t.counter: t for t in ctx.store.tickets.in_states(day, ACTIVE_STATES)}
    paused = ctx.store.pauses.open_by_counter()
    return [
        CounterState(desk.number, desk.groups, active.get(desk.number), paused.get(desk.number))
        for desk in ctx.station.counters
    ]


@dataclass(frozen=True)
class Clerk:
    username: str
    name: str  # the full name a clerk picks by; the login until one is set


def clerks(ctx: ServiceContext) -> list[Clerk]:
    """Clerks a ticket may be sent to by name, not locked. An admin account sets the center
    up and serves no one: a citizen sent to it would wait for a call that never comes."""
    ctx.actor.require(Permission.CALL_TICKETS)
    rows = ctx.store.query(
        "SELECT username, full_name FROM users WHERE role = ? AND NOT locked",
        (Role.CLERK.value,),
    )
    found = [Clerk(r["username"], r["full_name"] or r["username"]) for r in rows]
    return sorted(found, key=lambda c: (fold(c.name).lower(), c.username))


@dataclass(frozen=True)
class QueueFigures:
    """What the report adds about the queue: calls out of turn per reason, and the minutes
    each counter was paused (an open pause counts until now)."""

    calls_by_reason: dict[str, int]
    pause_minutes: dict[int, float]


def queue_figures(ctx: ServiceContext, *, start: date, end: date) -> QueueFigures:
    ctx.actor.require(Permission.READ_DOSSIERS)
    check_period(start, end)
    now = ctx.now()
    minutes: dict[int, float] = {}
    for pause in ctx.store.pauses.between(start, end):
        minutes[pause.counter] = minutes.get(pause.counter, 0.0) + pause.minutes(now)
    return QueueFigures(
        calls_by_reason=ctx.store.tickets.call_reasons(start, end),
        pause_minutes={c: round(m, 1) for c, m in sorted(minutes.items())},
    )
