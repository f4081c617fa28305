"""The clock of an online dossier waiting for a clerk's check: working time only.

A dossier filed online must be checked (accepted, sent back for supplements, or refused)
within a deadline counted in working days from its submission, as the portal's practice
has it (OpenCPS and the provincial one-door systems show one working day; DOMAIN.md). The
deadline is the station's setting `online_check_days` (default 1), counted by the same
calendar as due dates (core/calendar.py: holidays, swapped Saturdays, the center's days off
and opening hours): a dossier submitted on Friday evening is due on Monday evening, one
submitted on the eve of a holiday after it.

What is left is working time (hours the doors are open on working days), so the count does
not run over a weekend. Amber once less than half of the window is left, red once less than
a quarter is (or the deadline passed): the clerk sees a dossier turn before it is late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from counter_app.core.calendar import WorkingCalendar
from counter_app.core.catalogue import ProcessingTime
from counter_app.core.clock import vn_time

DEFAULT_CHECK_DAYS = 1
MAX_CHECK_DAYS = 10


class Urgency(StrEnum):
    OK = "ok"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True)
class CheckClock:
    deadline: datetime
    left: timedelta  # working time left; negative once late (the working time past it)
    urgency: Urgency


def working_time(calendar: WorkingCalendar, start: datetime, end: datetime) -> timedelta:
    """The opening hours of working days between `start` and `end` (zero when end <= start)."""
    start, end = vn_time(start), vn_time(end)
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            for opens, closes in calendar.sessions(day):
                a = max(start, datetime.combine(day, opens, start.tzinfo))
                b = min(end, datetime.combine(day, closes, start.tzinfo))
                if b > a:
                    total += b - a
        day += timedelta(days=1)
    return total


def check_clock(
    calendar: WorkingCalendar, submitted: datetime, now: datetime, *, days: int = DEFAULT_CHECK_DAYS
) -> CheckClock:
    """The check deadline of a dossier submitted at `submitted`, and where `now` stands."""
    deadline = calendar.due_at(submitted, ProcessingTime(working_days=days))
    window = working_time(calendar, calendar.next_opening(submitted), deadline)
    if now <= deadline:
        left = working_time(calendar, now, deadline)
    else:
        left = -working_time(calendar, deadline, now)
    if left <= window / 4:
        urgency = Urgency.RED
    elif left <= window / 2:
        urgency = Urgency.AMBER
    else:
        urgency = Urgency.OK
    return CheckClock(deadline, left, urgency)
