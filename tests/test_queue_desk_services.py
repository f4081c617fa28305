"""Services of the counter beyond "next", with a clock the test moves: pause minutes in the
figures, what each counter shows the board, and the rules the windows alone used to hold."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.roles import Role
from counter_app.services import admin, dossiers, queue, queue_desk
from counter_app.services.station import load_station
from tests.conftest import make_ctx


def test_pause_minutes_and_counter_states(ctx, clock):
    queue.take_ticket(ctx, group="A")
    queue_desk.pause_counter(ctx, counter=2, reason="lunch")
    clock.now += timedelta(minutes=45)
    queue.call_next(ctx, counter=1)
    states = {s.counter: s for s in queue_desk.counter_states(ctx)}
    assert states[1].ticket.label == "A001" and states[1].pause is None
    assert states[2].pause_reason == ("Nghỉ trưa", "Lunch break") and states[2].ticket is None
    with pytest.raises(DomainError) as refused:
        queue.call_next(ctx, counter=2)
    assert refused.value.code == "desk.paused" and "09:00" in refused.value.message()
    queue_desk.resume_counter(ctx, counter=2)
    queue_desk.pause_counter(ctx, counter=2, reason="meeting")
    clock.now += timedelta(minutes=15)  # still open: counts until now
    figures = queue_desk.queue_figures(ctx, start=date(2026, 4, 29), end=date(2026, 4, 29))
    assert figures.pause_minutes == {2: 60.0}
    assert queue_desk.queue_figures(ctx, start=date(2026, 4, 30), end=date(2026, 5, 1)) == (
        queue_desk.QueueFigures({}, {})
    )


def test_only_an_admin_sets_the_policy_and_a_volunteer_cannot_pause(store, clock, station):
    from counter_app.core.queue import PolicyKind, QueuePolicy

    with pytest.raises(DomainError):
        queue_desk.set_policy(make_ctx(store, clock, station), QueuePolicy(PolicyKind.RATIO))
    with pytest.raises(DomainError):
        queue_desk.pause_counter(
            make_ctx(store, clock, station, Role.VOLUNTEER, "tnv"), counter=1, reason="lunch"
        )
    admin_ctx = make_ctx(store, clock, station, Role.ADMIN, "admin")
    queue_desk.set_policy(admin_ctx, QueuePolicy(PolicyKind.RATIO, ratio=4))
    assert queue_desk.current_policy(admin_ctx).ratio == 4


def test_a_counter_with_no_service_group_is_refused_by_the_service(store, clock, station):
    admin_ctx = make_ctx(store, clock, station, Role.ADMIN, "admin")
    with pytest.raises(ValidationError) as refused:
        admin.update_station(admin_ctx, counters={1: ("A",), 2: ()})
    assert refused.value.code == "desk.no_groups" and "Quầy số 2" in refused.value.message()
    with pytest.raises(ValidationError):
        admin.update_station(admin_ctx, counters={1: ("Z",)})
    assert load_station(store).counters == station.counters  # nothing written


def test_a_birth_date_after_today_is_refused_by_the_service(ctx, clock):
    tomorrow = clock.now.date() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        dossiers.receive_dossier(
            ctx,
            procedure_code="1.001193",
            applicant=dossiers.ApplicantInput(full_name="Lê Văn An", birth_date=tomorrow),
        )
    assert refused.value.field == "birth_date"
    assert ctx.store.query_one("SELECT count(*) FROM dossiers")[0] == 0


def test_a_report_period_that_runs_backwards_is_refused(ctx):
    from counter_app.services import reports

    for service in (reports.build_report, reports.tracking_book, queue_desk.queue_figures):
        with pytest.raises(ValidationError) as refused:
            service(ctx, start=date(2026, 5, 2), end=date(2026, 5, 1))
        assert refused.value.code == "calendar.bad_period"


def test_a_call_out_of_turn_is_a_plain_call_with_its_reason_in_the_detail(ctx):
    """center/link.py claims a call made while cut off by its op, "ticket.called": a call
    out of turn must be one too, or two counters could call the same citizen."""
    import json

    for _ in range(2):
        queue.take_ticket(ctx, group="A")
    queue.call_ticket(ctx, counter=1, label="A002", reason="supplement")
    row = ctx.store.query_one("SELECT action, detail FROM audit ORDER BY id DESC LIMIT 1")
    assert row["action"] == "ticket.called"
    assert json.loads(row["detail"])["out_of_turn"] == "supplement"
