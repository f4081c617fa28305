"""Working days, opening hours and due times, against Vietnam's real 2025–2026 holidays."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import counter_app
from counter_app.core.calendar import (
    DEFAULT_OPENING_HOURS,
    CalendarOverride,
    OpeningHours,
    OverrideKind,
    WorkingCalendar,
    validate_override,
)
from counter_app.core.catalogue import ProcessingTime
from counter_app.core.clock import VN_TZ
from counter_app.core.errors import ValidationError

CAL = WorkingCalendar()  # shared so the holidays package is asked once per year
SAME_DAY = ProcessingTime(working_days=0)


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=VN_TZ)


def days(n: int, extra: int = 0) -> ProcessingTime:
    return ProcessingTime(working_days=n, verification_extra_days=extra)


# --- required example and holidays -----------------------------------------------------


def test_three_working_days_over_30_4_and_1_5():
    due = CAL.due_at(vn(2026, 4, 29, 9, 0), days(3))
    assert due == vn(2026, 5, 6, 9, 0)
    assert due.tzinfo is VN_TZ


def test_tet_2026_is_skipped():
    for day in range(16, 21):
        assert not CAL.is_working_day(date(2026, 2, day))
    assert CAL.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"
    # Friday 13/2 + 1 working day: Tết 16–20, weekend 21–22, so Monday 23/2.
    assert CAL.due_at(vn(2026, 2, 13, 9, 0), days(1)) == vn(2026, 2, 23, 9, 0)
    assert CAL.add_working_days(date(2026, 2, 12), 2) == date(2026, 2, 23)


def test_national_day_2025():
    assert not CAL.is_working_day(date(2025, 9, 1))
    assert not CAL.is_working_day(date(2025, 9, 2))
    assert CAL.due_at(vn(2025, 8, 29, 10, 15), days(1)) == vn(2025, 9, 3, 10, 15)


def test_national_day_2026_with_the_packages_swapped_days():
    # The holidays package knows Monday 31/8/2026 is off in exchange for Saturday 22/8.
    assert not CAL.is_working_day(date(2026, 8, 31))
    assert CAL.is_working_day(date(2026, 8, 22))
    assert CAL.due_at(vn(2026, 8, 28, 9, 0), days(1)) == vn(2026, 9, 3, 9, 0)
    # The swapped Saturday keeps normal weekday hours.
    assert CAL.due_at(vn(2026, 8, 21, 16, 0), days(1)) == vn(2026, 8, 22, 16, 0)


def test_holiday_names_in_vietnamese_and_english():
    assert CAL.holiday_name(date(2026, 9, 2)) == "Quốc khánh"
    assert CAL.holiday_name(date(2026, 9, 2), lang="en") == "National Day"
    assert CAL.holiday_name(date(2026, 5, 6)) is None  # working day
    assert CAL.holiday_name(date(2026, 5, 9)) is None  # ordinary Saturday


class FakeHolidays:
    """One holiday named only in English, one working Sunday."""

    def holidays(self, year, lang):
        return {date(year, 3, 2): "Founders' Day" if lang == "en" else ""}

    def weekend_workdays(self, year):
        return {date(year, 3, 8)} if year == 2026 else set()


def test_injected_provider_and_english_fallback():
    cal = WorkingCalendar(holiday_provider=FakeHolidays())
    assert not cal.is_working_day(date(2026, 3, 2))  # a Monday
    assert cal.holiday_name(date(2026, 3, 2), lang="vi") == "Founders' Day"
    assert cal.is_working_day(date(2026, 3, 8))  # a Sunday
    assert cal.is_working_day(date(2026, 4, 30))  # not a holiday for this provider


# --- overrides -------------------------------------------------------------------------


def test_work_override_on_a_saturday_counts():
    cal = WorkingCalendar([CalendarOverride(date(2026, 5, 9), "work", "Làm bù")])
    assert cal.is_working_day(date(2026, 5, 9))
    assert cal.due_at(vn(2026, 5, 8, 9, 0), days(1)) == vn(2026, 5, 9, 9, 0)
    assert cal.due_at(vn(2026, 5, 8, 9, 0), days(2)) == vn(2026, 5, 11, 9, 0)
    assert cal.sessions(date(2026, 5, 9)) == DEFAULT_OPENING_HOURS.sessions(0)
    assert not CAL.is_working_day(date(2026, 5, 9))


def test_work_override_beats_a_holiday():
    cal = WorkingCalendar([CalendarOverride(date(2026, 4, 30), OverrideKind.WORK)])
    assert cal.is_working_day(date(2026, 4, 30))
    assert cal.holiday_name(date(2026, 4, 30)) is None
    assert cal.due_at(vn(2026, 4, 29, 9, 0), days(1)) == vn(2026, 4, 30, 9, 0)


def test_off_override_on_a_weekday_is_skipped():
    cal = WorkingCalendar([CalendarOverride(date(2026, 5, 12), "off", "Nghỉ bão")])
    assert not cal.is_working_day(date(2026, 5, 12))
    assert not cal.is_open(vn(2026, 5, 12, 9, 0))
    assert cal.holiday_name(date(2026, 5, 12)) == "Nghỉ bão"
    assert cal.due_at(vn(2026, 5, 11, 10, 0), days(1)) == vn(2026, 5, 13, 10, 0)
    # Received on the day off itself: counting starts at the next opening.
    assert cal.due_at(vn(2026, 5, 12, 10, 0), days(1)) == vn(2026, 5, 14, 7, 30)


def test_override_validation():
    with pytest.raises(ValidationError) as exc:
        WorkingCalendar([CalendarOverride(date(2026, 5, 12), "holiday")])
    assert exc.value.code == "calendar.bad_override_kind"
    assert exc.value.field == "kind"
    assert "“holiday”" in exc.value.message("vi")

    with pytest.raises(ValidationError) as exc:
        WorkingCalendar(
            [
                CalendarOverride(date(2026, 5, 12), "off"),
                CalendarOverride(date(2026, 5, 12), "work"),
            ]
        )
    assert exc.value.code == "calendar.conflicting_override"
    assert "12/05/2026" in exc.value.message("vi")

    with pytest.raises(ValidationError) as exc:
        validate_override(CalendarOverride(date(2026, 5, 12), "off", "x" * 201))
    assert exc.value.code == "calendar.note_too_long"

    with pytest.raises(ValidationError) as exc:
        validate_override(CalendarOverride(datetime(2026, 5, 12, 8), "off"))
    assert exc.value.code == "calendar.bad_date"

    ok = validate_override(CalendarOverride(date(2026, 5, 12), "off", "  Bão  "))
    assert ok.kind is OverrideKind.OFF
    assert ok.note == "Bão"


def test_override_dict_round_trip():
    override = CalendarOverride(date(2026, 8, 22), OverrideKind.WORK, "Làm bù 31/8")
    assert CalendarOverride.from_dict(override.to_dict()) == override
    with pytest.raises(ValidationError) as exc:
        CalendarOverride.from_dict({"day": "22/08/2026", "kind": "work"})
    assert exc.value.code == "calendar.bad_date"


# --- same-day procedures ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (vn(2026, 5, 11, 14, 59), vn(2026, 5, 11, 17, 0)),
        (vn(2026, 5, 11, 15, 0), vn(2026, 5, 11, 17, 0)),
        (vn(2026, 5, 11, 15, 0, 45), vn(2026, 5, 11, 17, 0)),  # the slip shows 15:00
        (vn(2026, 5, 11, 15, 1), vn(2026, 5, 12, 15, 1)),
        (vn(2026, 5, 11, 16, 59), vn(2026, 5, 12, 16, 59)),
        (vn(2026, 5, 15, 15, 1), vn(2026, 5, 18, 15, 1)),  # Friday -> Monday
        (vn(2026, 5, 11, 12, 0), vn(2026, 5, 11, 17, 0)),  # lunch: counts from 13:30
        (vn(2026, 5, 11, 17, 30), vn(2026, 5, 12, 17, 0)),  # evening: counts from 07:30
        (vn(2026, 5, 9, 9, 0), vn(2026, 5, 11, 17, 0)),  # Saturday -> Monday
        (vn(2026, 4, 29, 15, 30), vn(2026, 5, 4, 15, 30)),  # after cut-off over 30/4, 1/5
    ],
)
def test_same_day_cut_off(received, due):
    assert CAL.due_at(received, SAME_DAY) == due


def test_same_day_with_own_cut_off():
    noon = ProcessingTime(working_days=0, same_day_cutoff=time(11, 0))
    assert CAL.due_at(vn(2026, 5, 11, 11, 0), noon) == vn(2026, 5, 11, 17, 0)
    assert CAL.due_at(vn(2026, 5, 11, 11, 1), noon) == vn(2026, 5, 12, 11, 1)


def test_same_day_closes_with_the_last_session_of_that_day():
    mornings_only_friday = OpeningHours.from_dict(
        {
            **DEFAULT_OPENING_HOURS.to_dict(),
            "fri": [["07:30", "11:30"]],
        }
    )
    cal = WorkingCalendar(opening_hours=mornings_only_friday)
    assert cal.due_at(vn(2026, 5, 15, 9, 0), SAME_DAY) == vn(2026, 5, 15, 11, 30)


# --- N working days --------------------------------------------------------------------


def test_receipt_at_lunch_counts_from_the_afternoon():
    assert CAL.next_opening(vn(2026, 5, 11, 12, 0)) == vn(2026, 5, 11, 13, 30)
    assert CAL.due_at(vn(2026, 5, 11, 12, 0), days(2)) == vn(2026, 5, 13, 13, 30)


def test_receipt_on_a_saturday_counts_from_monday_even_where_saturday_is_open():
    saturday_morning = OpeningHours.from_dict(
        {**DEFAULT_OPENING_HOURS.to_dict(), "sat": [["07:30", "11:30"]]}
    )
    cal = WorkingCalendar(opening_hours=saturday_morning)
    saturday = vn(2026, 5, 9, 9, 0)
    assert cal.is_open(saturday)
    assert not cal.is_working_day(saturday.date())
    assert not CAL.is_open(saturday)
    for calendar in (cal, CAL):
        assert calendar.next_opening(saturday) == vn(2026, 5, 11, 7, 30)
        assert calendar.due_at(saturday, days(2)) == vn(2026, 5, 13, 7, 30)

    # A working Saturday there is a full office day, not just its usual morning.
    swapped = WorkingCalendar(
        [CalendarOverride(date(2026, 5, 9), "work")], opening_hours=saturday_morning
    )
    assert swapped.sessions(date(2026, 5, 9)) == DEFAULT_OPENING_HOURS.sessions(0)
    assert swapped.due_at(vn(2026, 5, 8, 16, 0), days(1)) == vn(2026, 5, 9, 16, 0)


def test_receipt_before_opening_and_at_closing():
    assert CAL.due_at(vn(2026, 5, 11, 6, 45), days(1)) == vn(2026, 5, 12, 7, 30)
    assert CAL.due_at(vn(2026, 5, 11, 17, 0), days(1)) == vn(2026, 5, 13, 7, 30)


def test_receipt_at_1630_stays_1630():
    assert CAL.due_at(vn(2026, 5, 11, 16, 30), days(2)) == vn(2026, 5, 13, 16, 30)


def test_due_outside_that_days_hours_moves_to_the_next_opening():
    wednesday_morning_only = OpeningHours.from_dict(
        {**DEFAULT_OPENING_HOURS.to_dict(), "wed": [["07:30", "11:30"]]}
    )
    cal = WorkingCalendar(opening_hours=wednesday_morning_only)
    assert cal.due_at(vn(2026, 5, 11, 14, 0), days(2)) == vn(2026, 5, 14, 7, 30)
    assert cal.due_at(vn(2026, 5, 11, 9, 0), days(2)) == vn(2026, 5, 13, 9, 0)


def test_verification_extends():
    three_plus_two = days(3, extra=2)
    received = vn(2026, 5, 11, 10, 0)
    assert CAL.due_at(received, three_plus_two) == vn(2026, 5, 14, 10, 0)
    assert CAL.due_at(received, three_plus_two, with_verification=True) == vn(2026, 5, 18, 10, 0)

    same_day_plus_one = days(0, extra=1)
    assert CAL.due_at(received, same_day_plus_one) == vn(2026, 5, 11, 17, 0)
    assert CAL.due_at(received, same_day_plus_one, with_verification=True) == vn(2026, 5, 12, 17, 0)
    late = vn(2026, 5, 15, 15, 30)  # Friday after cut-off: Monday, then Tuesday
    assert CAL.due_at(late, same_day_plus_one, with_verification=True) == vn(2026, 5, 19, 15, 30)


def test_naive_and_foreign_times_are_vietnam_time():
    naive = datetime(2026, 4, 29, 9, 0)
    utc = datetime(2026, 4, 29, 2, 0, tzinfo=UTC)
    assert CAL.due_at(naive, days(3)) == CAL.due_at(utc, days(3)) == vn(2026, 5, 6, 9, 0)
    assert CAL.due_at(utc, days(3)).utcoffset() == timedelta(hours=7)


def test_working_day_arithmetic():
    assert CAL.next_working_day(date(2026, 4, 29)) == date(2026, 5, 4)
    assert CAL.add_working_days(date(2026, 5, 9), 0) == date(2026, 5, 9)
    assert CAL.add_working_days(date(2026, 5, 9), 1) == date(2026, 5, 11)
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 5, 9), -1)


# --- opening hours ---------------------------------------------------------------------


def test_default_opening_hours():
    hours = DEFAULT_OPENING_HOURS.to_dict()
    assert hours["mon"] == [["07:30", "11:30"], ["13:30", "17:00"]]
    assert hours["fri"] == hours["mon"]
    assert hours["sat"] == [] and hours["sun"] == []
    assert OpeningHours.from_dict(hours) == DEFAULT_OPENING_HOURS
    assert CAL.is_open(vn(2026, 5, 11, 7, 30))
    assert not CAL.is_open(vn(2026, 5, 11, 11, 30))
    assert not CAL.is_open(vn(2026, 5, 11, 17, 0))
    assert not CAL.is_open(vn(2026, 4, 30, 9, 0))  # holiday


def test_unsorted_sessions_are_sorted():
    hours = OpeningHours.from_dict({"mon": [["13:30", "17:00"], ["7:30", "11:30"]]})
    assert hours.to_dict()["mon"] == [["07:30", "11:30"], ["13:30", "17:00"]]
    assert hours.to_dict()["tue"] == []


@pytest.mark.parametrize(
    ("spec", "code", "field"),
    [
        ({"mon": [["11:30", "07:30"]]}, "calendar.bad_hours", "hours.mon"),
        ({"mon": [["07:30", "07:30"]]}, "calendar.bad_hours", "hours.mon"),
        (
            {"tue": [["07:30", "12:00"], ["11:30", "17:00"]]},
            "calendar.overlapping_hours",
            "hours.tue",
        ),
        ({"mon": [["7h30", "11:30"]]}, "calendar.bad_time", "hours.mon"),
        ({"mon": [["07:30", "24:00"]]}, "calendar.bad_time", "hours.mon"),
        ({"mon": [["07:30"]]}, "calendar.bad_time", "hours.mon"),
        ({"monday": [["07:30", "11:30"]]}, "calendar.bad_weekday", "hours"),
        ({"sat": [["07:30", "11:30"]]}, "calendar.no_hours", "hours"),
    ],
)
def test_bad_opening_hours(spec, code, field):
    with pytest.raises(ValidationError) as exc:
        OpeningHours.from_dict(spec)
    assert exc.value.code == code
    assert exc.value.field == field
    assert exc.value.message("vi") and exc.value.message("en")


def test_bad_hours_messages_name_the_day():
    with pytest.raises(ValidationError) as exc:
        OpeningHours.from_dict({"mon": [["11:30", "07:30"]]})
    assert exc.value.message("vi") == (
        "Buổi làm việc thứ Hai từ 11:30 đến 07:30 không hợp lệ: giờ kết thúc phải sau giờ bắt đầu."
    )
    assert "Monday" in exc.value.message("en")


def test_core_calendar_imports_neither_qt_nor_sqlite():
    code = (
        "import sys, counter_app.core.calendar; "
        "assert 'PySide6' not in sys.modules and 'sqlite3' not in sys.modules"
    )
    root = Path(counter_app.__file__).resolve().parent.parent
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# --- properties ------------------------------------------------------------------------

received_times = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31))
working_moments = st.builds(
    lambda d, minutes: (
        CAL.next_opening(datetime.combine(d, time(7, 30), VN_TZ)) + timedelta(minutes=minutes)
    ),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    st.sampled_from([0, 1, 89, 239, 361, 500, 569]),  # 07:30 + m, inside both sessions
)


@settings(max_examples=300, deadline=None)
@given(received_times, st.integers(0, 40), st.booleans(), st.integers(0, 5))
def test_due_is_later_and_inside_working_hours(received, n, verify, extra):
    due = CAL.due_at(received, days(n, extra), with_verification=verify)
    assert due >= received.replace(tzinfo=VN_TZ)
    assert CAL.is_working_day(due.date())
    assert CAL.in_working_hours(due)


@settings(max_examples=200, deadline=None)
@given(working_moments, st.integers(1, 30), st.integers(1, 30))
def test_n_then_m_equals_n_plus_m(start, n, m):
    assert CAL.is_open(start)
    assert CAL.due_at(CAL.due_at(start, days(n)), days(m)) == CAL.due_at(start, days(n + m))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)), st.integers(0, 30))
def test_working_day_addition_composes(d, n):
    later = CAL.add_working_days(d, n)
    assert later >= d
    assert CAL.add_working_days(later, 5) == CAL.add_working_days(d, n + 5)


@settings(max_examples=200, deadline=None)
@given(received_times, st.integers(0, 30))
def test_due_is_monotonic_in_n(received, n):
    assert CAL.due_at(received, days(n)) <= CAL.due_at(received, days(n + 1))
    assert CAL.due_at(received, days(n)) < CAL.due_at(received, days(n + 2))
