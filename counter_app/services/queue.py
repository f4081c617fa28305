"""Queue use cases: take a ticket, call, recall, no-show, transfer, finish, look at the queue."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from counter_app.core import queue as rules
from counter_app.core.counter_desk import check_call_reason, ensure_can_call
from counter_app.core.errors import DomainError, NotFound, ValidationError
from counter_app.core.messages import register
from counter_app.core.queue import Ticket, TicketState, ticket_label
from counter_app.core.roles import Permission
from counter_app.core.wait import (
    USUAL_DAYS,
    estimated_wait_minutes,
    minutes_per_visit,
    open_counters,
)
from counter_app.services import queue_desk
from counter_app.services.context import ServiceContext, revoked_error
from counter_app.services.events import ticket_event
from counter_app.services.queue_desk import current_policy

register(
    {
        "queue.counter_idle": {
            "vi": "Quầy số {counter} chưa gọi số nào.",
            "en": "Counter {counter} has not called anyone.",
        },
        "queue.unknown_ticket": {
            "vi": "Không tìm thấy số {label} trong ngày hôm nay.",
            "en": "Ticket {label} was not found today.",
        },
        "queue.bad_label": {
            "vi": "Số thứ tự phải gồm chữ cái nhóm và số, ví dụ A012.",
            "en": "A ticket number is a group letter and digits, e.g. A012.",
        },
    }
)


@dataclass(frozen=True)
class TakenTicket:
    ticket: Ticket
    ahead: int  # people who will be called before this citizen in the same group
    wait_minutes: int = 0  # estimated, rounded to 5 (core.wait.estimated_wait_minutes)


@dataclass(frozen=True)
class QueueSnapshot:
    waiting: dict[str, list[Ticket]]  # by group letter, in call order
    active: list[Ticket]  # called or being served, one per counter
    served_today: int
    no_show_today: int


def save_ticket_change(
    ctx: ServiceContext,
    before: Ticket | None,
    after: Ticket,
    at: datetime,
    *,
    action: str | None = None,
    detail: dict | None = None,
) -> Ticket:
    """Write a ticket change with its event, its outbox row and its audit entry.

    `action` names the change when the new state alone does not (a restored no-show is
    "waiting" again); `detail` adds to the audit entry (the counter that restored it).
    """
    if before is None or before.id is None:
        after = ctx.store.tickets.insert(after, writer=ctx.station.id)
    else:
        ctx.store.tickets.update(after)
    ctx.store.tickets.add_event(after, at=at, actor=ctx.actor.username)
    ctx.journal(
        at=at,
        action=action or f"ticket.{after.state.value}",
        entity="ticket",
        entity_id=_entity_id(after),
        detail={
            "group": after.group,
            "counter": after.counter,
            "recalls": after.recalls,
            **(detail or {}),
        },
        payload=ticket_event(ctx, after, at=at),
    )
    return after


def take_ticket(ctx: ServiceContext, *, group: str, priority: str = "") -> TakenTicket:
    ctx.actor.require(Permission.TAKE_TICKET)
    now = ctx.check_clock()
    group = group.strip().upper()
    ctx.catalogue().group(group)  # unknown group: NotFound with its message
    weight = rules.priority_weight(priority, ctx.station.priorities)
    with ctx.store.transaction():
        number = ctx.store.sequences.take(
            f"ticket:{group}",
            now.date().isoformat(),
            lambda last: ctx.station.ticket_range.next_number(last, group),
        )
        ticket = Ticket(
            id=None,
            day=now.date(),
            group=group,
            letter=group,
            number=number,
            state=TicketState.WAITING,
            arrived_at=now,
            station_id=ctx.station.id,
            priority=priority,
            priority_weight=weight,
        )
        ticket = save_ticket_change(ctx, None, ticket, now)
        ahead = ctx.store.tickets.waiting_ahead(ticket)
    # Read after the commit: the estimate holds no lock another counter waits for.
    return TakenTicket(ticket, ahead, estimated_wait(ctx, group, ahead, now.date()))


def estimated_wait(ctx: ServiceContext, group: str, ahead: int, day: date) -> int:
    """The kiosk's estimate for one more citizen in `group`: the pace of the group's finished
    visits (today's when there are enough, else its usual one: core.wait.minutes_per_visit),
    shared by the counters open for the group now (core.wait.open_counters)."""
    tickets = ctx.store.tickets
    per_visit = minutes_per_visit(
        tickets.visit_minutes(group, day, day),
        tickets.usual_visit_minutes(
            group, day - timedelta(days=USUAL_DAYS), day - timedelta(days=1)
        ),
    )
    counters = open_counters(
        (desk.number for desk in ctx.station.counters if group in desk.groups),
        paused=ctx.store.pauses.open_by_counter(),
        worked=tickets.counters_called(day),
    )
    return estimated_wait_minutes(ahead, per_visit, counters)


def call_next(
    ctx: ServiceContext, *, counter: int, current_outcome: TicketState | None = None
) -> Ticket:
    """Call the next citizen for this counter's groups, in the order of the center's policy
    (core.queue.call_order): strict priority, one priority per N ordinary, or a maximum wait.

    A ticket still open at this counter is closed first. One being served is finished; one
    only called needs `current_outcome` (DONE or NO_SHOW): nobody may be counted served, or
    absent, without the clerk saying so (core.queue.close_for_next). A paused counter calls
    nobody. The ratio policy counts the day's calls in this counter's groups at every
    counter of the center (the replica holds them all), so interleaving is center-wide.
    """
    ctx.actor.require(Permission.CALL_TICKETS)
    desk = ctx.station.acting(counter)
    now = ctx.check_clock()
    with ctx.store.transaction():
        ensure_can_call(ctx.store.pauses.open_at(counter))
        current = ctx.store.tickets.active_at_counter(now.date(), counter)
        waiting = ctx.store.tickets.in_states(now.date(), [TicketState.WAITING], desk.groups)
        order = rules.call_order(
            waiting, desk.groups, policy=current_policy(ctx), now=now, counter=counter,
            clerk=ctx.actor.username,
            history=ctx.store.tickets.called_history(now.date(), desk.groups),
        )  # fmt: skip
        chosen = _claim_first(ctx, order, counter)
        _close_current(ctx, current, current_outcome, now)
        return save_ticket_change(ctx, chosen, rules.call(chosen, counter=counter, at=now), now)


def call_ticket(
    ctx: ServiceContext,
    *,
    counter: int,
    label: str,
    reason: str,
    note: str = "",
    current_outcome: TicketState | None = None,
) -> Ticket:
    """Call one waiting ticket before its turn, for a reason from a short list (kept with the
    ticket, counted in reports: core.counter_desk.CALL_REASONS). The rest is as call_next:
    the counter must serve its group, not be paused, and say what became of its citizen."""
    ctx.actor.require(Permission.CALL_TICKETS)
    desk = ctx.station.acting(counter)
    reason, note = check_call_reason(reason, note)
    now = ctx.check_clock()
    with ctx.store.transaction():
        ensure_can_call(ctx.store.pauses.open_at(counter))
        ticket = find_ticket(ctx, label)
        if ticket.state is not TicketState.WAITING:
            raise DomainError("desk.not_waiting", label=ticket.label)
        if ticket.group not in desk.groups:
            raise DomainError("desk.other_group", label=ticket.label, group=ticket.group,
                              counter=counter)  # fmt: skip
        current = ctx.store.tickets.active_at_counter(now.date(), counter)
        try:
            _claim_first(ctx, [ticket], counter)
        except DomainError:  # another counter holds it: called, or about to be (a lease)
            raise DomainError(
                "desk.claimed_elsewhere", label=ticket.label, seconds=CLAIM_LEASE_SECONDS
            ) from None
        _close_current(ctx, current, current_outcome, now)
        called = replace(rules.call(ticket, counter=counter, at=now), call_reason=reason,
                         call_note=note)  # fmt: skip
        # the plain "ticket.called": a call made while cut off is claimed when published
        # (center/link.py), whatever its reason
        return save_ticket_change(ctx, ticket, called, now, detail={"out_of_turn": reason})


def _claim_lease() -> int:
    """Seconds a claim no call event follows holds before it lapses (center/link.py): 30;
    the tests that wait for a lapse shorten it with COUNTER_APP_CLAIM_LEASE (never below 5)."""
    requested = os.environ.get("COUNTER_APP_CLAIM_LEASE", "")
    return max(int(requested), 5) if requested.isdigit() else 30


CLAIM_LEASE_SECONDS = _claim_lease()


def _close_current(ctx, current: Ticket | None, outcome: TicketState | None, now) -> None:
    if current is not None:
        closed = rules.close_for_next(current, outcome=outcome, at=now)
        save_ticket_change(ctx, current, closed, now)


def _claim_first(ctx: ServiceContext, order: list[Ticket], counter: int) -> Ticket:
    """The first ticket of `order` this counter wins. In a center a shared ticket is claimed
    first (the first counter to claim it wins; the loser takes the next); cut off from the
    center, a counter calls only the walk-in tickets it issued itself while no other station
    could know of them."""
    if ctx.claims is None:
        if not order:
            raise DomainError("queue.empty")
        return order[0]
    revoked = revoked_error(ctx.store)
    if revoked is not None:  # not cut off: the hub removed this station, it calls nobody
        raise revoked
    owner = f"{ctx.station.id}/{counter}"
    for ticket in order:
        won = ctx.claims.claim(ctx.store.tickets.claim_name(ticket.id), owner)
        if won or (won is None and _ours_alone(ctx, ticket)):
            return ticket
    raise DomainError("queue.empty")


def _ours_alone(ctx: ServiceContext, ticket: Ticket) -> bool:
    return ticket.station_id == ctx.station.id and ctx.store.center.never_published(
        "ticket", _entity_id(ticket)
    )


def _entity_id(ticket: Ticket) -> str:
    return f"{ticket.day.isoformat()}/{ticket.label}/{ticket.id}"


def _current(ctx: ServiceContext, counter: int, now: datetime) -> Ticket:
    ctx.station.acting(counter)
    ticket = ctx.store.tickets.active_at_counter(now.date(), counter)
    if ticket is None:
        raise DomainError("queue.counter_idle", counter=counter)
    return ticket


def recall(ctx: ServiceContext, *, counter: int) -> Ticket:
    ctx.actor.require(Permission.CALL_TICKETS)
    now = ctx.check_clock()
    with ctx.store.transaction():
        ticket = _current(ctx, counter, now)
        changed = rules.recall(ticket, at=now, max_recalls=ctx.station.max_recalls)
        return save_ticket_change(ctx, ticket, changed, now)


def start_serving(ctx: ServiceContext, *, counter: int) -> Ticket:
    ctx.actor.require(Permission.CALL_TICKETS)
    now = ctx.check_clock()
    with ctx.store.transaction():
        ticket = _current(ctx, counter, now)
        if ticket.state is TicketState.SERVING:
            return ticket
        return save_ticket_change(ctx, ticket, rules.start_serving(ticket, at=now), now)


def no_show(ctx: ServiceContext, *, counter: int) -> Ticket:
    ctx.actor.require(Permission.CALL_TICKETS)
    now = ctx.check_clock()
    with ctx.store.transaction():
        ticket = _current(ctx, counter, now)
        return save_ticket_change(ctx, ticket, rules.mark_no_show(ticket, at=now), now)


def finish(ctx: ServiceContext, *, counter: int) -> Ticket:
    ctx.actor.require(Permission.CALL_TICKETS)
    now = ctx.check_clock()
    with ctx.store.transaction():
        ticket = _current(ctx, counter, now)
        return save_ticket_change(ctx, ticket, rules.finish(ticket, at=now), now)


def transfer(
    ctx: ServiceContext,
    *,
    counter: int,
    to_group: str | None = None,
    to_counter: int | None = None,
    to_clerk: str = "",
) -> Ticket:
    """Send the citizen at this counter on, keeping their place: to another group's queue,
    or to a named counter or clerk. A named one waits for them first; after
    core.queue.RESERVED_MINUTES any counter of its group may call it. To a counter, the
    ticket keeps its group when that counter calls it, else takes the counter's first."""
    ctx.actor.require(Permission.CALL_TICKETS)
    now = ctx.check_clock()
    if to_counter is not None:
        target = ctx.station.counter(to_counter)
    if to_clerk:
        to_clerk = to_clerk.strip().lower()
        if to_clerk not in {clerk.username for clerk in queue_desk.clerks(ctx)}:
            raise NotFound("desk.unknown_clerk", username=to_clerk)
    with ctx.store.transaction():
        ticket = _current(ctx, counter, now)
        group = (to_group or "").strip().upper()
        if not group:
            group = ticket.group
            if to_counter is not None and group not in target.groups:
                group = target.groups[0]
        ctx.catalogue().group(group)
        closed, moved = rules.transfer(
            ticket, to_group=group, at=now, to_counter=to_counter, to_clerk=to_clerk
        )
        save_ticket_change(ctx, ticket, closed, now)
        return save_ticket_change(ctx, None, moved, now)


def restore_no_show(ctx: ServiceContext, *, label: str, counter: int) -> Ticket:
    """Bring back today's ticket `label`, marked absent, to its queue (the citizen returned).

    `counter` is where the clerk restoring it works; the audit keeps it with the change.
    """
    ctx.actor.require(Permission.CALL_TICKETS)
    ctx.station.acting(counter)
    now = ctx.now()
    with ctx.store.transaction():
        ticket = find_ticket(ctx, label)
        restored = rules.restore_no_show(ticket, at=now)
        return save_ticket_change(
            ctx, ticket, restored, now, action="ticket.restored", detail={"by_counter": counter}
        )


def absent_today(ctx: ServiceContext) -> list[Ticket]:
    """Today's tickets marked absent, latest first: the ones a returning citizen may hold."""
    ctx.actor.require(Permission.CALL_TICKETS)
    absent = ctx.store.tickets.in_states(ctx.now().date(), [TicketState.NO_SHOW])
    return sorted(absent, key=lambda t: t.finished_at or t.arrived_at, reverse=True)


def find_ticket(ctx: ServiceContext, label: str) -> Ticket:
    """Today's ticket with this paper number, e.g. "A012"."""
    text = label.strip().upper()
    if len(text) < 2 or not text[0].isalpha() or not text[1:].isdigit():
        raise ValidationError("queue.bad_label", field="ticket")
    ticket = ctx.store.tickets.by_label(ctx.now().date(), text[0], int(text[1:]))
    if ticket is None:
        raise NotFound("queue.unknown_ticket", label=ticket_label(text[0], int(text[1:])))
    return ticket


def snapshot(ctx: ServiceContext) -> QueueSnapshot:
    day = ctx.now().date()
    tickets = ctx.store.tickets
    waiting: dict[str, list[Ticket]] = {g.letter: [] for g in ctx.catalogue().groups}
    for ticket in tickets.in_states(day, [TicketState.WAITING]):
        waiting.setdefault(ticket.group, []).append(ticket)
    active = tickets.in_states(day, rules.ACTIVE_STATES)
    return QueueSnapshot(
        waiting=waiting,
        active=sorted(active, key=lambda t: t.counter or 0),
        served_today=len(tickets.in_states(day, [TicketState.DONE])),
        no_show_today=len(tickets.in_states(day, [TicketState.NO_SHOW])),
    )
