"""Dossier use cases: intake with code and due time, status changes, search, clock sanity."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import ClockError, DomainError, Forbidden, NotFound, ValidationError
from counter_app.core.queue import TicketState
from counter_app.core.roles import Role
from counter_app.services import dossiers, queue
from counter_app.services.search import search_dossiers
from counter_app.services.setup import confirm_clock
from sync.adapters import portal_view
from tests.conftest import make_ctx

DUONG = dossiers.ApplicantInput(
    full_name="nguyễn  thị   đường",
    citizen_id="001 190 012 345",
    phone="+84 912 345 678",
    address="Thôn 3,   xã Tân Lập",
)


def rows(store) -> dict[str, int]:
    return {
        t: store.query_one(f"SELECT count(*) FROM {t}")[0]
        for t in ("dossiers", "dossier_events", "outbox", "audit", "sequences")
    }


def receive(ctx, **kw):
    return dossiers.receive_dossier(ctx, procedure_code=kw.pop("procedure", "1.001193"),
                                    applicant=kw.pop("applicant", DUONG), **kw)  # fmt: skip


def test_receive_issues_code_due_time_and_normalised_data(ctx, store) -> None:
    d = receive(ctx)
    assert d.code == "000.00.01.H22-260429-0001"
    assert d.status is DossierStatus.RECEIVED
    # Same-day procedure received at 09:00: due at closing time the same day.
    assert d.due_at == datetime(2026, 4, 29, 17, 0, tzinfo=VN_TZ)
    assert d.applicant.full_name == "Nguyễn Thị Đường"
    assert d.applicant.citizen_id == "001190012345"
    assert d.applicant.phone == "0912345678"
    assert d.applicant.address == "Thôn 3, xã Tân Lập"
    assert store.dossiers.get(d.code) == d
    assert rows(store)["outbox"] == 1  # station.init pushes nothing; the receipt does
    item = store.outbox.pending()[-1]
    sent = portal_view(store, item)
    assert sent["MaHoSo"] == d.code and sent["NgayHenTra"] == "20260429170000"


def test_three_working_days_over_the_april_holidays(ctx, clock) -> None:
    d = receive(ctx, procedure="1.003583")  # khai sinh lưu động: 3 working days
    assert d.due_at == datetime(2026, 5, 6, 9, 0, tzinfo=VN_TZ)


def test_codes_count_per_day_and_restart_each_day(ctx, clock) -> None:
    codes = [receive(ctx).code for _ in range(3)]
    clock.now += timedelta(days=1)
    codes.append(receive(ctx).code)
    assert [c[-11:] for c in codes] == ["260429-0001", "260429-0002", "260429-0003", "260430-0001"]


def test_bad_input_gets_a_vietnamese_message_and_writes_nothing(ctx, store) -> None:
    before = rows(store)
    bad = [
        {"applicant": dossiers.ApplicantInput(full_name="")},
        {"applicant": dossiers.ApplicantInput(full_name="Lê Văn 3")},
        {"applicant": dossiers.ApplicantInput(full_name="Lê Văn An", citizen_id="12345")},
        {"applicant": dossiers.ApplicantInput(full_name="Lê Văn An", phone="12345")},
        {"applicant": dossiers.ApplicantInput(full_name="Lê Văn An", email="a@b")},
        {"procedure": "9.999999"},
        {"sets": 0},
        {"documents": ()},
    ]
    for kwargs in bad:
        with pytest.raises((ValidationError, NotFound)) as err:
            receive(ctx, **kwargs)
        assert err.value.message("vi") != err.value.message("en")
    assert rows(store) == before


def test_receipt_with_a_ticket_marks_it_served(ctx, store) -> None:
    queue.take_ticket(ctx, group="A")
    called = queue.call_next(ctx, counter=1)
    d = receive(ctx, ticket_id=called.id)
    assert store.tickets.get(called.id).state is TicketState.SERVING
    assert store.query_one("SELECT dossier_code FROM tickets WHERE id = ?", (called.id,))[0] == (
        d.code
    )


def test_status_changes_follow_the_machine_and_keep_history(ctx, clock) -> None:
    d = receive(ctx)
    clock.now += timedelta(hours=1)
    dossiers.change_status(ctx, code=d.code, to=4)
    with pytest.raises(ValidationError):
        dossiers.change_status(ctx, code=d.code, to=5)  # supplement needs a reason
    dossiers.change_status(ctx, code=d.code, to=5, note="Bổ sung bản sao giấy chứng sinh")
    with pytest.raises(DomainError):
        dossiers.change_status(ctx, code=d.code, to=10)
    detail = dossiers.show_dossier(ctx, d.code.lower())
    assert [e.to_status for e in detail.events] == [2, 4, 5]
    assert detail.events[-1].note == "Bổ sung bản sao giấy chứng sinh"
    assert not detail.overdue


def test_overdue_shows_after_the_due_time(ctx, clock) -> None:
    d = receive(ctx)
    clock.now = d.due_at + timedelta(minutes=1)
    assert dossiers.show_dossier(ctx, d.code).overdue


def test_search_by_code_id_phone_and_name_with_or_without_marks(ctx, clock) -> None:
    d = receive(ctx)
    receive(ctx, applicant=dossiers.ApplicantInput(full_name="Trần Văn Đông"))
    assert len(search_dossiers(ctx, d.code[:20])) == 2  # a code prefix: that day's dossiers
    texts = [d.code, "001190012345", "0912 345 678", "+84912345678", "Nguyễn Thị Đường"]
    texts += ["nguyen duong", "NGUYEN THI DUONG", "đường", "duo"]
    for text in texts:
        found = search_dossiers(ctx, text)
        assert [x.code for x in found] == [d.code], text
    assert search_dossiers(ctx, "le van") == []
    assert search_dossiers(ctx, '"') == []


def test_volunteer_drafts_and_only_a_clerk_accepts(store, clock, station) -> None:
    volunteer = make_ctx(store, clock, station, Role.VOLUNTEER, "tnv1")
    clerk = make_ctx(store, clock, station)
    with pytest.raises(Forbidden):
        receive(volunteer)
    with pytest.raises(Forbidden):
        search_dossiers(volunteer, "nguyen")
    draft = receive(volunteer, draft=True)
    assert draft.status is DossierStatus.NEW and draft.due_at is None
    assert store.outbox.pending() == []  # nothing is pushed before a clerk accepts it
    with pytest.raises(Forbidden):
        dossiers.accept_draft(volunteer, code=draft.code)
    clock.now += timedelta(minutes=10)
    accepted = dossiers.accept_draft(clerk, code=draft.code)
    assert accepted.status is DossierStatus.RECEIVED
    assert accepted.received_at == clock.now and accepted.receiver == "canbo1"
    assert accepted.due_at == datetime(2026, 4, 29, 17, 0, tzinfo=VN_TZ)


def test_clock_gone_back_refuses_codes_until_an_admin_confirms(store, clock, station) -> None:
    clerk = make_ctx(store, clock, station)
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    receive(clerk)
    clock.set(2000, 1, 1, 8, 0)  # the CMOS battery died
    before = rows(store)
    with pytest.raises(ClockError) as err:
        receive(clerk)
    assert "quản trị viên xác nhận" in err.value.message("vi")
    assert rows(store) == before
    with pytest.raises(Forbidden):
        confirm_clock(clerk)
    confirm_clock(admin)
    assert receive(clerk).code.endswith("-000101-0001")


def test_appointment_writes_nothing(ctx, store) -> None:
    before = rows(store)
    due = dossiers.appointment(
        ctx, procedure_code="1.001193", at=datetime(2026, 4, 29, 15, 30, tzinfo=VN_TZ)
    )
    assert due == datetime(2026, 5, 4, 15, 30, tzinfo=VN_TZ)
    assert rows(store) == before


def test_receipt_time_in_the_future_is_refused(ctx, clock) -> None:
    with pytest.raises(ValidationError):
        receive(ctx, received_at=clock.now + timedelta(hours=1))


def test_a_clock_late_against_the_portal_refuses_codes_until_confirmed(store, clock, station):
    clerk = make_ctx(store, clock, station)
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    store.sync_state.set("clock_behind_s", 1800)  # the last sync measured 30 minutes
    with pytest.raises(ClockError) as err:
        receive(clerk)
    assert "chậm 30 phút so với Cổng" in err.value.message("vi")
    confirm_clock(admin)
    assert receive(clerk).status is DossierStatus.RECEIVED
