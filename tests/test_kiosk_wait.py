"""The estimated wait a citizen reads on the kiosk and on the slip: the pure rule, the
figure the service computes from today's finished visits, and the printed line."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from counter_app.core.wait import (
    DEFAULT_SERVICE_MINUTES,
    estimated_wait_minutes,
    wait_message,
    wait_text_vi,
)
from counter_app.services import queue
from printers.documents import Header, ticket_document
from printers.service import ticket_doc

durations = st.lists(st.floats(min_value=0.5, max_value=120), max_size=30)


def test_people_ahead_times_the_median_visit_over_the_counters() -> None:
    # median of 4, 6 and 60 is 6: one long land file does not triple everyone's figure
    assert estimated_wait_minutes(5, [4, 6, 60], 2) == 15  # 5 x 6 / 2
    assert estimated_wait_minutes(6, [4, 6, 60], 1) == 35  # 36 rounds to 35


def test_no_visit_finished_yet_uses_the_default() -> None:
    assert DEFAULT_SERVICE_MINUTES == 8
    assert estimated_wait_minutes(5, [], 1) == 40
    assert estimated_wait_minutes(5, [0, -3], 2) == 20  # bad durations are ignored


def test_no_counter_calling_the_group_counts_as_one() -> None:
    assert estimated_wait_minutes(3, [10], 0) == 30


def test_nobody_ahead_waits_under_five_minutes() -> None:
    assert estimated_wait_minutes(0, [30], 1) == 0
    assert wait_text_vi(0) == "Thời gian chờ dự kiến: dưới 5 phút"
    assert wait_text_vi(15) == "Thời gian chờ dự kiến: khoảng 15 phút"
    assert wait_message(5) == ("wait.about", {"minutes": 5})


@given(ahead=st.integers(0, 200), more=st.integers(1, 50), minutes=durations,
       counters=st.integers(0, 10))  # fmt: skip
def test_more_people_ahead_never_means_a_shorter_wait(ahead, more, minutes, counters) -> None:
    assert estimated_wait_minutes(ahead, minutes, counters) <= estimated_wait_minutes(
        ahead + more, minutes, counters
    )


@given(ahead=st.integers(0, 200), minutes=durations, counters=st.integers(1, 10))
def test_more_counters_never_mean_a_longer_wait(ahead, minutes, counters) -> None:
    one = estimated_wait_minutes(ahead, minutes, counters)
    assert estimated_wait_minutes(ahead, minutes, counters + 1) <= one
    assert one % 5 == 0 and one >= 0


def serve(ctx, clock, counter: int, minutes: int) -> None:
    queue.call_next(ctx, counter=counter)
    queue.start_serving(ctx, counter=counter)
    clock.now += timedelta(minutes=minutes)
    queue.finish(ctx, counter=counter)


def test_take_ticket_estimates_from_todays_visits_in_the_group(ctx, clock, station) -> None:
    counters = sum(1 for desk in station.counters if "A" in desk.groups)
    assert counters >= 1
    queue.take_ticket(ctx, group="B")
    queue.take_ticket(ctx, group="B")
    clock.now += timedelta(minutes=1)
    first = queue.take_ticket(ctx, group="A")
    assert first.ahead == 0 and first.wait_minutes == 0  # nobody ahead in A
    for _ in range(3):
        queue.take_ticket(ctx, group="A")
    # no visit finished today: 4 ahead x 8 minutes (the default) shared by the counters
    assert queue.take_ticket(ctx, group="A").wait_minutes == estimated_wait_minutes(4, [], counters)
    serve(ctx, clock, 1, 2)  # B001 and B002: two 2-minute visits in another group
    serve(ctx, clock, 1, 2)
    serve(ctx, clock, 1, 20)  # A001 and A002: two 20-minute visits
    serve(ctx, clock, 1, 20)
    taken = queue.take_ticket(ctx, group="A")
    assert taken.ahead == 3
    assert taken.wait_minutes == estimated_wait_minutes(3, [20, 20], counters)
    assert taken.wait_minutes != estimated_wait_minutes(3, [2, 2, 20, 20], counters)


def test_the_slip_prints_the_estimated_wait(ctx, clock) -> None:
    for _ in range(3):
        taken = queue.take_ticket(ctx, group="A")
    doc = ticket_doc(ctx, taken.ticket.label)
    lines = [getattr(block, "text", "") for block in doc.blocks]
    assert wait_text_vi(taken.wait_minutes) in lines
    plain = ticket_document(taken.ticket, header=Header.from_station(ctx.station),
                            group_name="Hộ tịch", ahead=2)  # fmt: skip
    assert not any("Thời gian chờ" in getattr(b, "text", "") for b in plain.blocks)


def test_the_command_line_says_the_wait_as_the_kiosk_does(capsys, tmp_path, monkeypatch):
    from counter_app.cli import main

    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "init", "--agency-code", "000.00.01.H22", "--center-name", "Xã Tân Lập",
                 "--admin-password", "mat-khau-dai"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main([*data, "ticket", "take", "--group", "A"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Thời gian chờ dự kiến: dưới 5 phút"
    for _ in range(3):
        main([*data, "ticket", "take", "--group", "A"])
    capsys.readouterr()
    assert main([*data, "ticket", "take", "--group", "A", "--json"]) == 0
    taken = json.loads(capsys.readouterr().out)
    assert taken["ahead"] == 4 and taken["wait_minutes"] > 0
