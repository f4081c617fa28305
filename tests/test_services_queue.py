"""Queue use cases against a real store: each change is one transaction with its journal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter_app.core.errors import DomainError, Forbidden, NotFound, ValidationError
from counter_app.core.queue import TicketState
from counter_app.core.roles import Role
from counter_app.services import queue
from tests.conftest import make_ctx


def counts(store) -> tuple[int, int, int, int]:
    one = store.query_one
    return (
        one("SELECT count(*) FROM tickets")[0],
        one("SELECT count(*) FROM ticket_events")[0],
        one("SELECT count(*) FROM audit WHERE entity = 'ticket'")[0],
        one("SELECT count(*) FROM outbox WHERE entity = 'ticket'")[0],
    )


def test_tickets_are_numbered_per_group_and_day(ctx, clock) -> None:
    labels = [queue.take_ticket(ctx, group=g).ticket.label for g in "AABA"]
    assert labels == ["A001", "A002", "B001", "A003"]
    clock.now += timedelta(days=1)
    assert queue.take_ticket(ctx, group="a").ticket.label == "A001"


def test_people_ahead_counts_priority(ctx, clock) -> None:
    queue.take_ticket(ctx, group="A")
    clock.now += timedelta(minutes=1)
    queue.take_ticket(ctx, group="A")
    clock.now += timedelta(minutes=1)
    elderly = queue.take_ticket(ctx, group="A", priority="elderly")
    assert elderly.ahead == 0
    clock.now += timedelta(minutes=1)
    assert queue.take_ticket(ctx, group="A").ahead == 3


def test_call_next_takes_priority_then_arrival_and_finishes_the_current(ctx, clock) -> None:
    queue.take_ticket(ctx, group="A")
    clock.now += timedelta(minutes=2)
    queue.take_ticket(ctx, group="A", priority="disability")
    clock.now += timedelta(minutes=2)
    first = queue.call_next(ctx, counter=1)
    assert first.label == "A002"
    clock.now += timedelta(minutes=6)
    second = queue.call_next(ctx, counter=1, current_outcome=TicketState.DONE)
    assert second.label == "A001"
    done = ctx.store.tickets.get(first.id)
    assert done.state is TicketState.DONE and done.finished_at == clock.now
    with pytest.raises(DomainError) as err:
        queue.call_next(ctx, counter=2)
    assert err.value.code == "queue.empty"


def test_every_change_writes_event_audit_and_outbox(ctx, store) -> None:
    queue.take_ticket(ctx, group="A")
    queue.call_next(ctx, counter=1)
    queue.recall(ctx, counter=1)
    queue.finish(ctx, counter=1)
    assert counts(store) == (1, 4, 4, 4)
    assert store.audit.verify() is None


def test_no_show_after_the_recall_limit(ctx) -> None:
    queue.take_ticket(ctx, group="A")
    queue.call_next(ctx, counter=1)
    for _ in range(ctx.station.max_recalls):
        assert queue.recall(ctx, counter=1).state is TicketState.CALLED
    assert queue.recall(ctx, counter=1).state is TicketState.NO_SHOW
    with pytest.raises(DomainError) as err:
        queue.recall(ctx, counter=1)
    assert err.value.code == "queue.counter_idle"


def test_transfer_keeps_arrival_and_goes_to_the_other_queue(ctx, clock) -> None:
    taken = queue.take_ticket(ctx, group="A").ticket
    clock.now += timedelta(minutes=1)
    queue.take_ticket(ctx, group="B")
    clock.now += timedelta(minutes=5)
    queue.call_next(ctx, counter=1)
    moved = queue.transfer(ctx, counter=1, to_group="B")
    assert (moved.label, moved.group, moved.state) == ("A001", "B", TicketState.WAITING)
    assert moved.arrived_at == taken.arrived_at
    # The transferred citizen arrived before B001, so is called first in group B.
    assert queue.call_next(ctx, counter=2).label == "A001"
    assert queue.find_ticket(ctx, "a001").group == "B"


def test_bad_input_writes_nothing(ctx, store) -> None:
    before = counts(store)
    with pytest.raises(NotFound):
        queue.take_ticket(ctx, group="Z")
    with pytest.raises(ValidationError):
        queue.take_ticket(ctx, group="A", priority="vip")
    with pytest.raises(NotFound):
        queue.call_next(ctx, counter=9)
    with pytest.raises(ValidationError):
        queue.find_ticket(ctx, "12A")
    assert counts(store) == before


def test_volunteer_takes_tickets_but_does_not_call(store, clock, station) -> None:
    volunteer = make_ctx(store, clock, station, Role.VOLUNTEER, "tnv1")
    queue.take_ticket(volunteer, group="A")
    with pytest.raises(Forbidden) as err:
        queue.call_next(volunteer, counter=1)
    assert err.value.message("vi") == "Tài khoản tình nguyện viên không được phép gọi số."


def test_snapshot_lists_waiting_and_active(ctx, clock) -> None:
    for g in "AAB":
        queue.take_ticket(ctx, group=g)
        clock.now += timedelta(minutes=1)
    queue.call_next(ctx, counter=3)
    snap = queue.snapshot(ctx)
    assert [t.label for t in snap.waiting["A"]] == ["A002"]
    assert [t.label for t in snap.waiting["B"]] == ["B001"]
    assert [(t.label, t.counter) for t in snap.active] == [("A001", 3)]


def test_two_stations_with_their_own_ranges_never_collide(tmp_path, clock) -> None:
    from counter_app.core.queue import TicketRange
    from counter_app.core.roles import Actor
    from counter_app.services.setup import initialise_store, open_context
    from counter_app.store import open_store

    labels = set()
    for number, rng in ((1, TicketRange(1, 499)), (2, TicketRange(500, 999))):
        store = open_store(tmp_path / f"s{number}")
        initialise_store(
            store,
            agency_code="000.00.01.H22",
            center_name="Trung tâm xã Tân Lập",
            now=clock.now,
            actor=Actor("admin", Role.ADMIN),
            station_number=number,
            ticket_range=rng,
        )
        ctx = open_context(store, clock=clock)
        labels |= {queue.take_ticket(ctx, group="A").ticket.label for _ in range(3)}
        store.close()
    assert labels == {"A001", "A002", "A003", "A500", "A501", "A502"}


def test_next_never_counts_a_called_citizen_served_without_being_told(ctx, store) -> None:
    for _ in range(3):
        queue.take_ticket(ctx, group="A")
    first = queue.call_next(ctx, counter=1)
    before = counts(store)
    with pytest.raises(DomainError) as err:
        queue.call_next(ctx, counter=1)
    assert err.value.code == "queue.not_arrived"
    assert "A001" in err.value.message("vi") and "vắng mặt" in err.value.message("vi")
    assert counts(store) == before  # nothing written
    assert store.tickets.get(first.id).state is TicketState.CALLED
    second = queue.call_next(ctx, counter=1, current_outcome=TicketState.NO_SHOW)
    assert store.tickets.get(first.id).state is TicketState.NO_SHOW
    queue.start_serving(ctx, counter=1)  # the citizen came: "next" now means served
    queue.call_next(ctx, counter=1)
    assert store.tickets.get(second.id).state is TicketState.DONE


def test_a_no_show_who_comes_back_is_restored_with_audit(ctx, store, clock) -> None:
    queue.take_ticket(ctx, group="A")
    clock.now += timedelta(minutes=1)
    queue.take_ticket(ctx, group="A")
    first = queue.call_next(ctx, counter=1)
    queue.no_show(ctx, counter=1)
    clock.now += timedelta(minutes=2)
    back = queue.restore_no_show(ctx, label="a001", counter=2)
    assert (back.id, back.state, back.counter, back.recalls) == (
        first.id, TicketState.WAITING, None, 0)  # fmt: skip
    assert back.arrived_at == first.arrived_at and back.finished_at is None
    assert queue.call_next(ctx, counter=1).label == "A001"  # their turn is kept
    entry = store.query_one("SELECT * FROM audit WHERE action = 'ticket.restored'")
    assert entry is not None and '"by_counter": 2' in entry["detail"]
    assert store.audit.verify() is None


def test_only_a_no_show_can_be_restored_and_refusals_write_nothing(ctx, store) -> None:
    queue.take_ticket(ctx, group="A")
    before = counts(store)
    with pytest.raises(DomainError) as err:
        queue.restore_no_show(ctx, label="A001", counter=1)  # still waiting
    assert err.value.code == "queue.bad_transition"
    with pytest.raises(NotFound):
        queue.restore_no_show(ctx, label="A009", counter=1)
    with pytest.raises(NotFound):
        queue.restore_no_show(ctx, label="A001", counter=9)
    assert counts(store) == before
