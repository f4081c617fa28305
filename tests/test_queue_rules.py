"""Queue rules: numbering ranges, who is called next, recalls, transfers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.core import queue as q
from counter_app.core.clock import VN_TZ
from counter_app.core.errors import DomainError, ValidationError

T0 = datetime(2026, 4, 29, 8, 0, tzinfo=VN_TZ)


def ticket(id_: int, minutes: int, weight: int = 0, group: str = "A") -> q.Ticket:
    return q.Ticket(
        id=id_,
        day=date(2026, 4, 29),
        group=group,
        letter=group,
        number=id_,
        state=q.TicketState.WAITING,
        arrived_at=T0 + timedelta(minutes=minutes),
        station_id="s1",
        priority="elderly" if weight else "",
        priority_weight=weight,
    )


def test_label_has_three_digits() -> None:
    assert ticket(12, 0).label == "A012"


def test_range_numbers_and_refuses_when_full() -> None:
    r = q.TicketRange(500, 502)
    assert r.next_number(None, "A") == 500
    assert r.next_number(17, "A") == 500  # another station's numbers are not ours
    assert r.next_number(501, "A") == 502
    with pytest.raises(DomainError) as err:
        r.next_number(502, "A")
    assert "Đã hết số thứ tự của nhóm A" in err.value.message("vi")


def test_bad_range_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        q.TicketRange(10, 5)


def test_priority_first_then_arrival() -> None:
    waiting = [ticket(1, 0), ticket(2, 5, weight=20), ticket(3, 1), ticket(4, 9, weight=30)]
    assert q.choose_next(waiting, ["A"]).id == 4
    assert q.choose_next(waiting[:3], ["A"]).id == 2
    assert q.choose_next([waiting[0], waiting[2]], ["A"]).id == 1


def test_choose_next_only_from_the_counters_groups() -> None:
    waiting = [ticket(1, 0, group="A"), ticket(2, 5, group="B")]
    assert q.choose_next(waiting, ["B"]).id == 2
    with pytest.raises(DomainError) as err:
        q.choose_next(waiting, ["C"])
    assert err.value.code == "queue.empty"


@given(
    st.lists(st.tuples(st.integers(0, 600), st.sampled_from([0, 20, 30])), min_size=1, max_size=30)
)
def test_called_ticket_is_never_overtaken_by_a_lower_priority_or_a_later_arrival(items) -> None:
    waiting = [ticket(i + 1, m, w) for i, (m, w) in enumerate(items)]
    chosen = q.choose_next(waiting, ["A"])
    for other in waiting:
        assert other.priority_weight <= chosen.priority_weight
        if other.priority_weight == chosen.priority_weight:
            assert (other.arrived_at, other.id) >= (chosen.arrived_at, chosen.id)


def test_life_of_a_ticket_records_every_time() -> None:
    t = q.call(ticket(1, 0), counter=2, at=T0 + timedelta(minutes=10))
    assert (t.state, t.counter) == (q.TicketState.CALLED, 2)
    t = q.start_serving(t, at=T0 + timedelta(minutes=11))
    t = q.finish(t, at=T0 + timedelta(minutes=20))
    assert t.state is q.TicketState.DONE
    assert t.called_at < t.serving_at < t.finished_at


def test_finish_straight_after_call_counts_service_from_the_call() -> None:
    t = q.call(ticket(1, 0), counter=1, at=T0 + timedelta(minutes=10))
    done = q.finish(t, at=T0 + timedelta(minutes=15))
    assert done.serving_at == t.called_at


def test_recall_up_to_the_limit_then_no_show() -> None:
    t = q.call(ticket(1, 0), counter=1, at=T0)
    for n in range(1, 4):
        t = q.recall(t, at=T0 + timedelta(minutes=n), max_recalls=3)
        assert (t.state, t.recalls) == (q.TicketState.CALLED, n)
    t = q.recall(t, at=T0 + timedelta(minutes=5), max_recalls=3)
    assert t.state is q.TicketState.NO_SHOW


def test_a_finished_ticket_cannot_be_called_again() -> None:
    t = q.finish(q.call(ticket(1, 0), counter=1, at=T0), at=T0)
    with pytest.raises(DomainError) as err:
        q.call(t, counter=1, at=T0)
    assert "không thể chuyển sang «Đã gọi»" in err.value.message("vi")
    assert "cannot become Called" in err.value.message("en")


def test_transfer_keeps_paper_number_and_arrival() -> None:
    t = q.call(ticket(7, 3), counter=1, at=T0 + timedelta(minutes=30))
    closed, moved = q.transfer(t, to_group="C", at=T0 + timedelta(minutes=31))
    assert closed.state is q.TicketState.TRANSFERRED
    assert (moved.group, moved.label, moved.state) == ("C", "A007", q.TicketState.WAITING)
    assert moved.arrived_at == t.arrived_at and moved.transferred_from == 7
    with pytest.raises(ValidationError):
        q.transfer(t, to_group="A", at=T0)


def test_unknown_priority_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        q.priority_weight("vip", q.DEFAULT_PRIORITIES)
    assert "vip" in err.value.message("vi")
