"""The center's call policy (core.queue.call_order), held to its promises by simulation.

strict: an ordinary ticket never goes before a waiting priority one. ratio N: never more
than N ordinary calls in a row while a priority ticket waits, and never two priority calls
in a row while an ordinary one waits. max_wait M: when a counter calls while an ordinary
ticket has waited more than M minutes, it calls an overdue ticket, the longest waiting.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.core import queue as q
from counter_app.core.clock import VN_TZ
from counter_app.core.errors import ValidationError
from counter_app.core.queue import PolicyKind, QueuePolicy, Ticket, TicketState

START = datetime(2026, 4, 29, 7, 30, tzinfo=VN_TZ)


def ticket(i: int, minute: float, weight: int, group: str = "A", **extra) -> Ticket:
    return Ticket(
        id=i, day=date(2026, 4, 29), group=group, letter=group, number=i,
        state=TicketState.WAITING, arrived_at=START + timedelta(minutes=minute),
        station_id="s1", priority="elderly" if weight else "", priority_weight=weight, **extra,
    )  # fmt: skip


arrivals = st.lists(
    st.tuples(st.floats(0, 240, allow_nan=False), st.sampled_from([0, 0, 0, 20, 30])),
    min_size=1,
    max_size=40,
)
call_gaps = st.lists(st.floats(0.5, 20, allow_nan=False), min_size=1, max_size=60)


def simulate(policy: QueuePolicy, people, gaps):
    """One counter calling at the given gaps; yields (now, waiting, chosen) per call."""
    tickets = [ticket(i + 1, minute, weight) for i, (minute, weight) in enumerate(people)]
    called: set[int] = set()
    history: list[bool] = []
    now = START
    for gap in gaps:
        now += timedelta(minutes=gap)
        waiting = [t for t in tickets if t.arrived_at <= now and t.id not in called]
        if not waiting:
            continue
        chosen = q.choose_next(waiting, ["A"], policy=policy, now=now, history=history)
        yield now, waiting, chosen
        called.add(chosen.id)
        history.append(chosen.is_priority)


@settings(max_examples=300, deadline=None)
@given(arrivals, call_gaps)
def test_strict_never_calls_an_ordinary_ticket_before_a_waiting_priority_one(people, gaps):
    for _now, waiting, chosen in simulate(q.STRICT, people, gaps):
        assert chosen.priority_weight == max(t.priority_weight for t in waiting)
        same = [t for t in waiting if t.priority_weight == chosen.priority_weight]
        assert chosen.arrived_at == min(t.arrived_at for t in same)


@settings(max_examples=300, deadline=None)
@given(arrivals, call_gaps, st.integers(1, 5))
def test_ratio_interleaves_without_starving_either_queue(people, gaps, n):
    policy = QueuePolicy(PolicyKind.RATIO, ratio=n)
    passed = 0  # ordinary calls in a row made while a priority ticket waited
    previous_was_priority = False
    for _now, waiting, chosen in simulate(policy, people, gaps):
        priority_waits = any(t.is_priority for t in waiting)
        ordinary_waits = any(not t.is_priority for t in waiting)
        if chosen.is_priority:
            assert not (previous_was_priority and ordinary_waits), "two priority calls in a row"
            passed = 0
        elif priority_waits:
            passed += 1
            assert passed <= n, f"{passed} ordinary tickets passed a waiting priority one"
        previous_was_priority = chosen.is_priority


@settings(max_examples=300, deadline=None)
@given(arrivals, call_gaps, st.integers(5, 60))
def test_max_wait_calls_an_overdue_ticket_whenever_an_ordinary_one_is_overdue(people, gaps, m):
    policy = QueuePolicy(PolicyKind.MAX_WAIT, max_wait_minutes=m)
    limit = timedelta(minutes=m)
    for now, waiting, chosen in simulate(policy, people, gaps):
        overdue = [t for t in waiting if now - t.arrived_at > limit]
        if any(not t.is_priority for t in overdue):
            assert now - chosen.arrived_at > limit
            assert chosen.arrived_at == min(t.arrived_at for t in overdue)
        elif not overdue:  # nobody overdue: strict
            assert chosen == q.choose_next(waiting, ["A"])


def test_ratio_two_ordinary_between_priorities_in_a_worked_example():
    waiting = [ticket(1, 0, 0), ticket(2, 1, 0), ticket(3, 2, 0), ticket(4, 3, 20),
               ticket(5, 4, 20), ticket(6, 5, 0)]  # fmt: skip
    policy, history, order = QueuePolicy(PolicyKind.RATIO, ratio=2), [], []
    while waiting:
        chosen = q.choose_next(waiting, ["A"], policy=policy, history=history)
        order.append(chosen.id)
        history.append(chosen.is_priority)
        waiting.remove(chosen)
    assert order == [4, 1, 2, 5, 3, 6]  # the first priority goes first, then 2 ordinary


def test_a_ticket_sent_to_a_named_counter_waits_for_it_then_for_anyone():
    sent = ticket(1, 0, 0, target_counter=2, reserved_at=START + timedelta(minutes=1))
    other = ticket(2, 5, 30)
    now = START + timedelta(minutes=3)
    assert q.choose_next([sent, other], ["A"], counter=1, now=now).id == 2
    assert q.choose_next([sent], ["A"], counter=2, now=now).id == 1  # first, before priority
    assert q.choose_next([sent, other], ["A"], counter=2, now=now).id == 1
    with pytest.raises(q.DomainError):
        q.choose_next([sent], ["A"], counter=1, now=now)
    later = START + timedelta(minutes=1 + q.RESERVED_MINUTES, seconds=1)
    assert q.choose_next([sent], ["A"], counter=1, now=later).id == 1


def test_a_ticket_sent_to_a_named_clerk_waits_for_that_clerk_at_any_counter():
    sent = ticket(1, 0, 0, target_clerk="canbo2", reserved_at=START)
    now = START + timedelta(minutes=2)
    assert q.choose_next([sent], ["A"], counter=3, clerk="canbo2", now=now).id == 1
    with pytest.raises(q.DomainError):
        q.choose_next([sent], ["A"], counter=3, clerk="canbo1", now=now)


@pytest.mark.parametrize(
    "data",
    [{"kind": "fifo"}, {"kind": "ratio", "ratio": 0}, {"kind": "max_wait", "max_wait_minutes": 1}],
)
def test_a_policy_outside_its_bounds_is_refused(data):
    with pytest.raises(ValidationError):
        QueuePolicy.from_dict(data)


def test_policy_round_trips_through_its_setting():
    policy = QueuePolicy(PolicyKind.MAX_WAIT, ratio=4, max_wait_minutes=45)
    assert QueuePolicy.from_dict(policy.to_dict()) == policy
    assert QueuePolicy.from_dict(None) == q.STRICT


def test_the_legal_priority_categories_are_pinned_with_their_labels():
    """Those the law gives priority at a one-door counter (the elderly, people with
    disabilities, pregnant women, people with small children, people with merit to the
    revolution); a change of label or weight must be a decision, not an accident."""
    assert [(p.key, p.name_vi, p.weight) for p in q.DEFAULT_PRIORITIES] == [
        ("disability", "Người khuyết tật", 30),
        ("pregnant", "Phụ nữ mang thai", 30),
        ("child_under_6", "Người đi cùng trẻ dưới 6 tuổi", 20),
        ("elderly", "Người cao tuổi", 20),
        ("veteran", "Người có công với cách mạng", 20),
    ]
    assert all(p.weight > 0 for p in q.DEFAULT_PRIORITIES)
