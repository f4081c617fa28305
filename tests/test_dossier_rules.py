"""Dossier code format, the status machine and the clock-sanity rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.core import dossier as d
from counter_app.core.catalogue import ReturnMethod
from counter_app.core.clock import VN_TZ, check_clock
from counter_app.core.dossier_code import (
    SequenceBlock,
    format_dossier_code,
    parse_dossier_code,
    validate_agency_code,
)
from counter_app.core.errors import ClockError, DomainError, ValidationError

AT = datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ)


def test_code_format_matches_the_circular() -> None:
    assert format_dossier_code("000.00.01.H22", date(2026, 4, 29), 12) == (
        "000.00.01.H22-260429-0012"
    )


@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)), st.integers(1, 9999))
def test_code_round_trip(day: date, seq: int) -> None:
    parsed = parse_dossier_code(format_dossier_code("000.00.01.H22", day, seq))
    assert (parsed.agency_code, parsed.day, parsed.sequence) == ("000.00.01.H22", day, seq)


@pytest.mark.parametrize("bad", ["", "000.00.01.H22-260230-0001", "H22-260429-0001", "x"])
def test_bad_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        parse_dossier_code(bad)


def test_agency_code_is_normalised_and_checked() -> None:
    assert validate_agency_code(" 000.00.01.h22 ") == "000.00.01.H22"
    with pytest.raises(ValidationError) as err:
        validate_agency_code("000.00.01")
    assert "Mã định danh cơ quan" in err.value.message("vi")


def test_station_blocks_never_overlap_numbers() -> None:
    first, second = SequenceBlock(1, 4999), SequenceBlock(5000, 9999)
    assert first.next_number(None, AT.date()) == 1
    assert second.next_number(None, AT.date()) == 5000
    with pytest.raises(DomainError):
        first.next_number(4999, AT.date())


def dossier(status: d.DossierStatus = d.DossierStatus.RECEIVED) -> d.Dossier:
    return d.Dossier(
        code="000.00.01.H22-260429-0001",
        procedure_code="1.001193",
        procedure_name="Thủ tục đăng ký khai sinh",
        status=status,
        applicant=d.Applicant("Nguyễn Thị Đường"),
        received_at=AT,
        due_at=AT + timedelta(hours=8),
        return_method=ReturnMethod.COUNTER,
    )


def test_a_normal_life() -> None:
    x = dossier()
    for target in (d.DossierStatus.PROCESSING, d.DossierStatus.DONE, d.DossierStatus.RETURNED):
        x = d.change_status(x, target, at=AT + timedelta(hours=1))
    assert x.status is d.DossierStatus.RETURNED
    assert x.result_at and x.returned_at


@pytest.mark.parametrize("final", sorted(d.FINAL_STATUSES))
def test_final_statuses_go_nowhere(final) -> None:
    for target in d.DossierStatus:
        with pytest.raises(DomainError):
            d.change_status(dossier(final), target, at=AT)


def test_status_never_goes_back_from_returned_to_processing() -> None:
    with pytest.raises(DomainError) as err:
        d.change_status(dossier(d.DossierStatus.DONE), d.DossierStatus.PROCESSING, at=AT)
    assert "«Đã xử lý xong», không thể chuyển sang «Đang xử lý»" in err.value.message("vi")


@pytest.mark.parametrize(
    "source,target",
    [
        (d.DossierStatus.NEW, d.DossierStatus.REFUSED),
        (d.DossierStatus.RECEIVED, d.DossierStatus.SUPPLEMENT),
        (d.DossierStatus.PROCESSING, d.DossierStatus.STOPPED),
    ],
)
def test_refusal_supplement_and_stop_need_a_reason(source, target) -> None:
    with pytest.raises(ValidationError) as err:
        d.change_status(dossier(source), target, at=AT, note="  ")
    assert err.value.field == "note"
    assert d.change_status(dossier(source), target, at=AT, note="Thiếu tờ khai").status is target


def test_every_status_is_reachable_from_new() -> None:
    seen, frontier = {d.DossierStatus.NEW}, [d.DossierStatus.NEW]
    while frontier:
        for nxt in d.TRANSITIONS[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(d.DossierStatus)


def test_overdue_only_while_open_or_if_finished_late() -> None:
    x = dossier()
    assert not x.is_overdue(AT + timedelta(hours=7))
    assert x.is_overdue(AT + timedelta(hours=9))
    late = d.change_status(x, d.DossierStatus.DONE, at=AT + timedelta(days=2))
    assert late.is_overdue(AT + timedelta(days=3))
    refused = dossier(d.DossierStatus.NEW)
    refused = d.change_status(refused, d.DossierStatus.REFUSED, at=AT, note="Sai thẩm quyền")
    assert not refused.is_overdue(AT + timedelta(days=30))


def test_bad_status_number() -> None:
    with pytest.raises(ValidationError):
        d.parse_status(11)
    assert d.parse_status("4") is d.DossierStatus.PROCESSING


def test_applicant_repr_hides_personal_data() -> None:
    text = repr(d.Applicant("Nguyễn Thị Đường", citizen_id="001190012345", phone="0912345678"))
    for secret in ("Đường", "001190012345", "0912345678"):
        assert secret not in text


def test_clock_behind_the_last_event_is_refused_with_both_times() -> None:
    last = datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ)
    check_clock(last + timedelta(minutes=1), last)
    check_clock(last - timedelta(minutes=4), last)  # small NTP steps are tolerated
    with pytest.raises(ClockError) as err:
        check_clock(datetime(2000, 1, 1, 0, 0, tzinfo=VN_TZ), last)
    message = err.value.message("vi")
    assert "01/01/2000" in message and "29/04/2026" in message
    check_clock(datetime(2000, 1, 1, tzinfo=VN_TZ), None)  # a new store has nothing to compare
