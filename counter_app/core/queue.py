"""Queue tickets: numbering, priorities, states and who is called next.

Tickets are numbered per service group and day (A012). A station numbers only inside its
own range, so several stations of one center can hand out numbers while the hub is away
without two citizens holding the same number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


STATE_NAMES = {
    TicketState.WAITING: ("Đang chờ", "Waiting"),
    TicketState.CALLED: ("Đã gọi", "Called"),
    TicketState.SERVING: ("Đang phục vụ", "Serving"),
    TicketState.DONE: ("Đã xong", "Done"),
    TicketState.NO_SHOW: ("Vắng mặt", "No-show"),
    TicketState.TRANSFERRED: ("Đã chuyển quầy", "Transferred"),
    TicketState.CANCELLED: ("Đã hủy", "Cancelled"),
}

# A CALLED ticket may be called again (recall); TRANSFERRED ends this row and a new row
# carries the citizen on in the other group. A NO_SHOW ticket goes back to WAITING when the
# citizen turns up after all (restore_no_show): a wrong key must not cost them their turn.
TRANSITIONS: dict[TicketState, frozenset[TicketState]] = {
    TicketState.WAITING: frozenset({TicketState.CALLED, TicketState.CANCELLED}),
    TicketState.CALLED: frozenset(
        {
            TicketState.CALLED,
            TicketState.SERVING,
            TicketState.DONE,
            TicketState.NO_SHOW,
            TicketState.TRANSFERRED,
        }
    ),
    TicketState.SERVING: frozenset({TicketState.DONE, TicketState.TRANSFERRED}),
    TicketState.DONE: frozenset(),
    TicketState.NO_SHOW: frozenset({TicketState.WAITING}),
    TicketState.TRANSFERRED: frozenset(),
    TicketState.CANCELLED: frozenset(),
}

ACTIVE_STATES = frozenset({TicketState.CALLED, TicketState.SERVING})

register(
    {
        "queue.bad_transition": {
            "vi": "Số {label} đang ở trạng thái «{state}», không thể chuyển sang «{target}».",
            "en": "Ticket {label} is {state_en} and cannot become {target_en}.",
        },
        "queue.range_full": {
            "vi": "Đã hết số thứ tự của nhóm {group} trong ngày (tối đa {end}).",
            "en": "No numbers left for group {group} today (last is {end}).",
        },
        "queue.bad_range": {
            "vi": "Dải số thứ tự không hợp lệ: từ {start} đến {end}.",
            "en": "Invalid ticket number range: {start} to {end}.",
        },
        "queue.unknown_priority": {
            "vi": "Không có loại ưu tiên «{priority}».",
            "en": "Unknown priority category '{priority}'.",
        },
        "queue.empty": {
            "vi": "Không còn ai đang chờ ở các nhóm dịch vụ của quầy này.",
            "en": "Nobody is waiting in this counter's service groups.",
        },
        "queue.not_arrived": {
            "vi": "Số {label} đã được gọi nhưng chưa bắt đầu phục vụ: hãy cho biết công dân "
            "đã được phục vụ xong hay vắng mặt trước khi gọi số tiếp theo.",
            "en": "Ticket {label} was called but not yet served: say whether the citizen was "
            "served or absent before calling the next one.",
        },
        "queue.bad_outcome": {
            "vi": "Kết quả của số đang gọi chỉ có thể là «đã phục vụ xong» hoặc «vắng mặt».",
            "en": "A called ticket can only end as served or absent.",
        },
        "queue.same_group": {
            "vi": "Số {label} đã thuộc nhóm {group}; hãy chọn nhóm khác để chuyển.",
            "en": "Ticket {label} is already in group {group}; choose another group.",
        },
    }
)


@dataclass(frozen=True)
class PriorityCategory:
    key: str
    name_vi: str
    name_en: str
    weight: int  # higher is called first; 0 is the ordinary queue


DEFAULT_PRIORITIES: tuple[PriorityCategory, ...] = (
    PriorityCategory("disability", "Người khuyết tật", "Person with disabilities", 30),
    PriorityCategory("pregnant", "Phụ nữ mang thai", "Pregnant woman", 30),
    PriorityCategory("child_under_6", "Người đi cùng trẻ dưới 6 tuổi", "With a child under 6", 20),
    PriorityCategory("elderly", "Người cao tuổi", "Elderly person", 20),
    PriorityCategory("veteran", "Người có công với cách mạng", "Person with merit", 20),
)


# What the kiosk writes on each priority choice: who qualifies, in the citizen's words, so
# that nobody has to guess whether 58 is "cao tuổi". The category names above stay as they
# are (reports, slips and tests use them). Ages: Luật Người cao tuổi 2009 Điều 2 (from full
# 60 years); the child's age is the one in the category itself.
KIOSK_CAPTIONS: dict[str, tuple[str, str]] = {
    "elderly": ("Người cao tuổi (từ 60 tuổi trở lên)", "Older person (60 or over)"),
    "child_under_6": ("Người đi cùng trẻ dưới 6 tuổi", "With a child under 6"),
    "pregnant": ("Phụ nữ mang thai", "Pregnant woman"),
    "disability": ("Người khuyết tật", "Person with disabilities"),
    "veteran": ("Người có công với cách mạng", "Person with merit to the revolution"),
}


def kiosk_choices(categories: Iterable[PriorityCategory]) -> list[tuple[str, str, str]]:
    """(key, Vietnamese caption, English caption) for the kiosk, the commonest first: a
    category a center added itself keeps its own names, after the usual ones."""
    order = list(KIOSK_CAPTIONS)
    ranked = sorted(categories, key=lambda c: order.index(c.key) if c.key in order else 99)
    return [(c.key, *KIOSK_CAPTIONS.get(c.key, (c.name_vi, c.name_en))) for c in ranked]


def priority_weight(key: str | None, categories: Iterable[PriorityCategory]) -> int:
    if not key:
        return 0
    for category in categories:
        if category.key == key:
            return category.weight
    raise ValidationError("queue.unknown_priority", field="priority", priority=key)


@dataclass(frozen=True)
class TicketRange:
    """The numbers this station may hand out per group and day (1..999 for a lone station)."""

    start: int = 1
    end: int = 999

    def __post_init__(self) -> None:
        if not 1 <= self.start <= self.end <= 9999:
            raise ValidationError("queue.bad_range", start=self.start, end=self.end)

    def next_number(self, last: int | None, group: str) -> int:
        number = self.start if last is None or last < self.start else last + 1
        if number > self.end:
            raise DomainError("queue.range_full", group=group, end=self.end)
        return number


def ticket_label(group: str, number: int) -> str:
    return f"{group}{number:03d}"


@dataclass(frozen=True)
class Ticket:
    id: int | None
    day: date
    group: str  # the queue the ticket waits in now
    letter: str  # the letter on the citizen's paper; stays when the ticket is transferred
    number: int
    state: TicketState
    arrived_at: datetime  # kept across transfers: the citizen does not lose their place
    station_id: str
    priority: str = ""
    priority_weight: int = 0
    counter: int | None = None
    recalls: int = 0
    called_at: datetime | None = None
    serving_at: datetime | None = None
    finished_at: datetime | None = None
    transferred_from: int | None = None
    # A transfer to a named counter or clerk: the ticket waits for them first (see
    # `eligible`); `reserved_at` starts the time after which any counter of its group may call it.
    target_counter: int | None = None
    target_clerk: str = ""
    reserved_at: datetime | None = None
    # Called out of turn: a reason code (core.counter_desk.CALL_REASONS) and a short note.
    call_reason: str = ""
    call_note: str = ""

    @property
    def is_priority(self) -> bool:
        return self.priority_weight > 0

    @property
    def label(self) -> str:
        return ticket_label(self.letter, self.number)


def _check(ticket: Ticket, target: TicketState) -> None:
    if target not in TRANSITIONS[ticket.state]:
        raise DomainError(
            "queue.bad_transition",
            label=ticket.label,
            state=STATE_NAMES[ticket.state][0],
            target=STATE_NAMES[target][0],
            state_en=STATE_NAMES[ticket.state][1],
            target_en=STATE_NAMES[target][1],
        )


def call(ticket: Ticket, *, counter: int, at: datetime) -> Ticket:
    _check(ticket, TicketState.CALLED)
    return replace(ticket, state=TicketState.CALLED, counter=counter, called_at=at)


def recall(ticket: Ticket, *, at: datetime, max_recalls: int) -> Ticket:
    """Call the same number again; past `max_recalls` the citizen is marked absent."""
    if ticket.state is TicketState.CALLED and ticket.recalls >= max_recalls:
        return mark_no_show(ticket, at=at)
    _check(ticket, TicketState.CALLED)
    return replace(ticket, recalls=ticket.recalls + 1, called_at=at)


def start_serving(ticket: Ticket, *, at: datetime) -> Ticket:
    _check(ticket, TicketState.SERVING)
    return replace(ticket, state=TicketState.SERVING, serving_at=at)


def finish(ticket: Ticket, *, at: datetime) -> Ticket:
    _check(ticket, TicketState.DONE)
    serving_at = ticket.serving_at or ticket.called_at  # no explicit start: served since the call
    return replace(ticket, state=TicketState.DONE, serving_at=serving_at, finished_at=at)


def mark_no_show(ticket: Ticket, *, at: datetime) -> Ticket:
    _check(ticket, TicketState.NO_SHOW)
    return replace(ticket, state=TicketState.NO_SHOW, finished_at=at)


def close_for_next(ticket: Ticket, *, outcome: TicketState | None, at: datetime) -> Ticket:
    """End the ticket still open at a counter before the next one is called.

    A citizen being served (SERVING) came to the counter, so "next" means served. A citizen
    only called (CALLED) may never have come: counting them served, as the Next key of many
    queue machines does, records an outcome nobody saw. The clerk must say which it was.
    """
    if outcome is None:
        if ticket.state is TicketState.SERVING:
            return finish(ticket, at=at)
        raise DomainError("queue.not_arrived", label=ticket.label)
    if outcome is TicketState.DONE:
        return finish(ticket, at=at)
    if outcome is TicketState.NO_SHOW:
        return mark_no_show(ticket, at=at)
    raise ValidationError("queue.bad_outcome", field="outcome")


def restore_no_show(ticket: Ticket, *, at: datetime) -> Ticket:
    """A citizen marked absent came back: the ticket waits again, with its first arrival time.

    Keeping the arrival puts them ahead of everyone who came later, as if never skipped.
    """
    _check(ticket, TicketState.WAITING)
    return replace(
        ticket, state=TicketState.WAITING, counter=None, recalls=0, called_at=None,
        serving_at=None, finished_at=None,
    )  # fmt: skip


def cancel(ticket: Ticket, *, at: datetime) -> Ticket:
    _check(ticket, TicketState.CANCELLED)
    return replace(ticket, state=TicketState.CANCELLED, finished_at=at)


def transfer(
    ticket: Ticket,
    *,
    to_group: str,
    at: datetime,
    to_counter: int | None = None,
    to_clerk: str = "",
) -> tuple[Ticket, Ticket]:
    """End this ticket and open one in `to_group` with the same paper number and arrival.

    Sent to a named counter or clerk, the ticket may stay in its group: it is the person
    who changes, and the new row waits for them first (`eligible`).
    """
    named = to_counter is not None or bool(to_clerk)
    if to_group == ticket.group and not named:
        raise ValidationError("queue.same_group", field="group", label=ticket.label, group=to_group)
    _check(ticket, TicketState.TRANSFERRED)
    closed = replace(ticket, state=TicketState.TRANSFERRED, finished_at=at)
    moved = replace(
        ticket,
        id=None,
        group=to_group,
        state=TicketState.WAITING,
        counter=None,
        recalls=0,
        called_at=None,
        serving_at=None,
        finished_at=None,
        transferred_from=ticket.id,
        target_counter=to_counter,
        target_clerk=to_clerk,
        reserved_at=at if named else None,
        call_reason="",
        call_note="",
    )
    return closed, moved


def call_order_key(ticket: Ticket) -> tuple[int, datetime, int]:
    """Priority first, then arrival order; the id settles equal arrival times."""
    return (-ticket.priority_weight, ticket.arrived_at, ticket.id or 0)


def _arrival_key(ticket: Ticket) -> tuple[datetime, int]:
    return (ticket.arrived_at, ticket.id or 0)


class PolicyKind(StrEnum):
    STRICT = "strict"  # priority first, always (starves the ordinary queue on busy days)
    RATIO = "ratio"  # one priority ticket per N ordinary ones
    MAX_WAIT = "max_wait"  # strict, but a ticket that waited more than M minutes goes first


POLICY_NAMES = {
    PolicyKind.STRICT: ("Ưu tiên tuyệt đối", "Strict priority"),
    PolicyKind.RATIO: ("Xen kẽ: 1 số ưu tiên sau N số thường", "Ratio: 1 priority per N"),
    PolicyKind.MAX_WAIT: ("Ưu tiên, nhưng không ai chờ quá M phút", "Priority, with a max wait"),
}

# Bounds an admin may set: beyond them the policy stops meaning what its name says.
RATIO_RANGE = (1, 20)
MAX_WAIT_RANGE = (5, 240)
# A ticket sent to a named counter or clerk waits for them this long; then any counter that
# serves its group may call it, so nobody is stranded by a clerk who went home.
RESERVED_MINUTES = 10

register(
    {
        "queue.bad_policy": {
            "vi": "Chính sách gọi số phải là strict (ưu tiên tuyệt đối), ratio (xen kẽ) "
            "hoặc max_wait (thời gian chờ tối đa).",
            "en": "The call policy must be strict, ratio or max_wait.",
        },
        "queue.bad_ratio": {
            "vi": "Số lượt số thường giữa hai số ưu tiên phải từ {low} đến {high}.",
            "en": "The number of ordinary tickets per priority one must be {low} to {high}.",
        },
        "queue.bad_max_wait": {
            "vi": "Thời gian chờ tối đa phải từ {low} đến {high} phút.",
            "en": "The maximum wait must be {low} to {high} minutes.",
        },
    }
)


@dataclass(frozen=True)
class QueuePolicy:
    """Which waiting ticket a counter calls next; one per center, chosen by an admin."""

    kind: PolicyKind = PolicyKind.STRICT
    ratio: int = 3  # RATIO: ordinary tickets called between two priority ones
    max_wait_minutes: int = 30  # MAX_WAIT: past this, a ticket goes before all others

    def __post_init__(self) -> None:
        if not RATIO_RANGE[0] <= self.ratio <= RATIO_RANGE[1]:
            raise ValidationError(
                "queue.bad_ratio", field="ratio", low=RATIO_RANGE[0], high=RATIO_RANGE[1]
            )
        if not MAX_WAIT_RANGE[0] <= self.max_wait_minutes <= MAX_WAIT_RANGE[1]:
            raise ValidationError(
                "queue.bad_max_wait", field="max_wait", low=MAX_WAIT_RANGE[0],
                high=MAX_WAIT_RANGE[1],
            )  # fmt: skip

    def to_dict(self) -> dict:
        return {"kind": self.kind.value, "ratio": self.ratio,
                "max_wait_minutes": self.max_wait_minutes}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict | None) -> QueuePolicy:
        data = data or {}
        try:
            kind = PolicyKind(data.get("kind", "strict"))
        except ValueError:
            raise ValidationError("queue.bad_policy", field="policy") from None
        return cls(kind, int(data.get("ratio", 3)), int(data.get("max_wait_minutes", 30)))


STRICT = QueuePolicy()


def eligible(ticket: Ticket, *, counter: int | None, clerk: str, now: datetime | None) -> bool:
    """May this counter (with this clerk signed in) call the ticket now? A ticket sent to a
    named counter or clerk waits for them, unless it has waited RESERVED_MINUTES for them."""
    if ticket.target_counter is None and not ticket.target_clerk:
        return True
    if ticket.target_counter is not None and ticket.target_counter == counter:
        return True
    if ticket.target_clerk and ticket.target_clerk == clerk:
        return True
    since = ticket.reserved_at or ticket.arrived_at
    return now is not None and (now - since).total_seconds() > RESERVED_MINUTES * 60


def _reserved_for(ticket: Ticket, counter: int | None, clerk: str) -> bool:
    return (ticket.target_counter is not None and ticket.target_counter == counter) or bool(
        ticket.target_clerk and ticket.target_clerk == clerk
    )


def ordinary_streak(history: Iterable[bool], ratio: int) -> int:
    """Ordinary tickets called since the last priority one (`history`: was each call of
    the day a priority ticket, oldest first). Before any priority call, the ratio is met."""
    calls = list(history)
    if True not in calls:
        return max(len(calls), ratio)
    return len(calls) - 1 - max(i for i, was in enumerate(calls) if was)


def call_order(
    waiting: Iterable[Ticket],
    groups: Iterable[str],
    *,
    policy: QueuePolicy = STRICT,
    now: datetime | None = None,
    history: Iterable[bool] = (),
    counter: int | None = None,
    clerk: str = "",
) -> list[Ticket]:
    """Every ticket this counter may call, best first, under the center's policy.

    A ticket sent to this counter or clerk comes first. Then:
    - strict: priority weight, then arrival;
    - ratio: priority tickets first once `ratio` ordinary ones were called since the last
      priority one (or none was yet today), ordinary ones first otherwise;
    - max_wait: tickets that waited more than M minutes, oldest first, then strict.
    A center claims down this list (services.queue), so the order is whole, not one pick.
    """
    served = set(groups)
    candidates = [
        t for t in waiting
        if t.state is TicketState.WAITING and t.group in served
        and eligible(t, counter=counter, clerk=clerk, now=now)
    ]  # fmt: skip
    mine = sorted((t for t in candidates if _reserved_for(t, counter, clerk)), key=_arrival_key)
    rest = sorted((t for t in candidates if not _reserved_for(t, counter, clerk)),
                  key=call_order_key)  # fmt: skip
    if policy.kind is PolicyKind.RATIO:
        priority = [t for t in rest if t.is_priority]
        ordinary = [t for t in rest if not t.is_priority]
        if ordinary_streak(history, policy.ratio) >= policy.ratio:
            rest = priority + ordinary
        else:
            rest = ordinary + priority
    elif policy.kind is PolicyKind.MAX_WAIT and now is not None:
        limit = policy.max_wait_minutes * 60
        late = [(now - t.arrived_at).total_seconds() > limit for t in rest]
        overdue = sorted((t for t, over in zip(rest, late, strict=True) if over), key=_arrival_key)
        rest = overdue + [t for t, over in zip(rest, late, strict=True) if not over]
    return mine + rest


def choose_next(waiting: Iterable[Ticket], groups: Iterable[str], **how) -> Ticket:
    """The ticket `call_order` puts first; `how` as there (strict when not given)."""
    order = call_order(waiting, groups, **how)
    if not order:
        raise DomainError("queue.empty")
    return order[0]
