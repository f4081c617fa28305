"""Working days, opening hours and the due time printed on a receipt slip.

Legal processing time counts working days (weekends, public holidays and announced days off
skipped); opening hours only say when the doors are open, so a ward open on Saturday morning
does not make Saturday a working day.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, Protocol

from counter_app.core.catalogue import ProcessingTime
from counter_app.core.clock import VN_TZ, vn_time
from counter_app.core.errors import ValidationError
from counter_app.core.messages import register

__all__ = [
    "DEFAULT_OPENING_HOURS",
    "DEFAULT_SAME_DAY_CUTOFF",
    "CalendarOverride",
    "HolidayProvider",
    "OpeningHours",
    "OverrideKind",
    "Session",
    "VietnamHolidays",
    "WorkingCalendar",
    "validate_override",
]

register(
    {
        "calendar.bad_period": {
            "vi": "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.",
            "en": "The end date must be on or after the start date.",
        },
        "calendar.bad_time": {
            "vi": "Giờ “{value}” không hợp lệ; hãy nhập theo dạng GG:PP, ví dụ 07:30.",
            "en": "Invalid time “{value}”; use HH:MM, for example 07:30.",
        },
        "calendar.bad_weekday": {
            "vi": "Không có ngày “{value}” trong tuần; dùng mon, tue, wed, thu, fri, sat, sun.",
            "en": "Unknown weekday “{value}”; use mon, tue, wed, thu, fri, sat, sun.",
        },
        "calendar.bad_hours": {
            "vi": "Buổi làm việc {day_vi} từ {start} đến {end} không hợp lệ: "
            "giờ kết thúc phải sau giờ bắt đầu.",
            "en": "The session on {day_en} from {start} to {end} is invalid: "
            "it must end after it starts.",
        },
        "calendar.overlapping_hours": {
            "vi": "Các buổi làm việc {day_vi} bị chồng lên nhau ({first} và {second}).",
            "en": "Sessions on {day_en} overlap ({first} and {second}).",
        },
        "calendar.no_hours": {
            "vi": "Phải có ít nhất một buổi làm việc trong các ngày từ thứ Hai đến thứ Sáu.",
            "en": "At least one session is needed on a weekday from Monday to Friday.",
        },
        "calendar.bad_date": {
            "vi": "Ngày “{value}” không hợp lệ; hãy nhập theo dạng NNNN-TT-NN.",
            "en": "Invalid date “{value}”; use YYYY-MM-DD.",
        },
        "calendar.bad_override_kind": {
            "vi": "Loại ngày “{value}” không hợp lệ; chọn “off” (ngày nghỉ) "
            "hoặc “work” (ngày làm việc).",
            "en": "Invalid day type “{value}”; choose “off” (day off) or “work” (working day).",
        },
        "calendar.note_too_long": {
            "vi": "Ghi chú quá dài (tối đa {limit} ký tự).",
            "en": "The note is too long (at most {limit} characters).",
        },
        "calendar.conflicting_override": {
            "vi": "Ngày {day} vừa được đặt là ngày nghỉ vừa là ngày làm việc.",
            "en": "{day} is set both as a day off and as a working day.",
        },
    }
)


def check_period(start: date, end: date) -> None:
    """A report's period runs forward: the reports window used to be the only one to say so;
    the command line and every service of a period now refuse it the same way."""
    if end < start:
        raise ValidationError("calendar.bad_period", field="end")


Session = tuple[time, time]

DEFAULT_SAME_DAY_CUTOFF = time(15, 0)
NOTE_LIMIT = 200

_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_DAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})")


def _parse_time(value: Any, field_name: str) -> time:
    match = _TIME_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError("calendar.bad_time", field=field_name, value=str(value))
    return time(int(match[1]), int(match[2]))


def _hhmm(t: time) -> str:
    return t.strftime("%H:%M")


@dataclass(frozen=True)
class OpeningHours:
    """Sessions per weekday, Monday (0) to Sunday (6), to the minute, each sorted by start.

    A session is open from its start up to, not including, its end.
    """

    days: tuple[tuple[Session, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("OpeningHours needs exactly 7 weekdays")
        normalised = []
        for weekday, sessions in enumerate(self.days):
            ordered = tuple(sorted((tuple(s) for s in sessions), key=lambda s: s[0]))
            field_name = f"hours.{_DAY_KEYS[weekday]}"
            names = {"day_vi": _DAY_NAMES_VI[weekday], "day_en": _DAY_NAMES_EN[weekday]}
            for start, end in ordered:
                for t in (start, end):
                    if t.second or t.microsecond or t.tzinfo is not None:
                        raise ValidationError("calendar.bad_time", field=field_name, value=str(t))
                if end <= start:
                    raise ValidationError(
                        "calendar.bad_hours",
                        field=field_name,
                        start=_hhmm(start),
                        end=_hhmm(end),
                        **names,
                    )
            for (s1, e1), (s2, e2) in zip(ordered, ordered[1:], strict=False):
                if s2 < e1:
                    raise ValidationError(
                        "calendar.overlapping_hours",
                        field=field_name,
                        first=f"{_hhmm(s1)}–{_hhmm(e1)}",
                        second=f"{_hhmm(s2)}–{_hhmm(e2)}",
                        **names,
                    )
            normalised.append(ordered)
        if not any(normalised[:5]):
            raise ValidationError("calendar.no_hours", field="hours")
        object.__setattr__(self, "days", tuple(normalised))

    def sessions(self, weekday: int) -> tuple[Session, ...]:
        return self.days[weekday]

    def standard_sessions(self) -> tuple[Session, ...]:
        """Hours of a working day that has none of its own, e.g. a swapped working Saturday."""
        return next(s for s in self.days[:5] if s)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OpeningHours:
        """Read {"mon": [["07:30", "11:30"], ...], ...}; a missing weekday is closed."""
        unknown = sorted(set(data) - set(_DAY_KEYS))
        if unknown:
            raise ValidationError("calendar.bad_weekday", field="hours", value=unknown[0])
        days = []
        for key in _DAY_KEYS:
            field_name = f"hours.{key}"
            sessions = []
            for pair in data.get(key) or ():
                if isinstance(pair, str) or not isinstance(pair, Iterable):
                    raise ValidationError("calendar.bad_time", field=field_name, value=str(pair))
                pair = list(pair)
                if len(pair) != 2:
                    raise ValidationError("calendar.bad_time", field=field_name, value=str(pair))
                start, end = (_parse_time(value, field_name) for value in pair)
                sessions.append((start, end))
            days.append(tuple(sessions))
        return cls(tuple(days))

    def to_dict(self) -> dict[str, list[list[str]]]:
        return {
            key: [[_hhmm(start), _hhmm(end)] for start, end in sessions]
            for key, sessions in zip(_DAY_KEYS, self.days, strict=True)
        }


_OFFICE_DAY: tuple[Session, ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
DEFAULT_OPENING_HOURS = OpeningHours((_OFFICE_DAY,) * 5 + ((), ()))


class OverrideKind(StrEnum):
    OFF = "off"  # ngày nghỉ thêm
    WORK = "work"  # ngày làm việc (làm bù, thứ Bảy đi làm)


@dataclass(frozen=True)
class CalendarOverride:
    """A day the local table declares off or working, beating weekends and holidays."""

    day: date
    kind: OverrideKind | str
    note: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalendarOverride:
        raw_day = data.get("day")
        try:
            day = date.fromisoformat(raw_day) if isinstance(raw_day, str) else None
        except ValueError:
            day = None
        if day is None:
            raise ValidationError("calendar.bad_date", field="day", value=str(raw_day))
        return validate_override(cls(day, data.get("kind", ""), data.get("note") or ""))

    def to_dict(self) -> dict[str, str]:
        return {"day": self.day.isoformat(), "kind": str(self.kind), "note": self.note}


def validate_override(override: CalendarOverride) -> CalendarOverride:
    """Return the override with its kind as an `OverrideKind` and its note trimmed."""
    if isinstance(override.day, datetime) or not isinstance(override.day, date):
        raise ValidationError("calendar.bad_date", field="day", value=str(override.day))
    try:
        kind = OverrideKind(override.kind)
    except ValueError:
        raise ValidationError(
            "calendar.bad_override_kind", field="kind", value=str(override.kind)
        ) from None
    note = (override.note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise ValidationError("calendar.note_too_long", field="note", limit=NOTE_LIMIT)
    return CalendarOverride(override.day, kind, note)


class HolidayProvider(Protocol):
    """Public holidays of one year by day, named in `lang` ("vi" or "en").

    The days are the same whatever the language; a name may be empty when untranslated.
    """

    def holidays(self, year: int, lang: str) -> Mapping[date, str]: ...

    def weekend_workdays(self, year: int) -> Collection[date]: ...


class VietnamHolidays:
    """The `holidays` package's Vietnam calendar: lunar dates, observed and swapped days."""

    _LANGUAGES = {"vi": "vi", "en": "en_US"}

    def __init__(self) -> None:
        self._cache: dict[tuple[int, str], Any] = {}

    def _year(self, year: int, lang: str) -> Any:
        language = self._LANGUAGES.get(lang, "en_US")
        key = (year, language)
        if key not in self._cache:
            import holidays  # heavy: only when a calendar is first asked about a year

            self._cache[key] = holidays.country_holidays(
                "VN", years=year, language=language, expand=False
            )
        return self._cache[key]

    def holidays(self, year: int, lang: str) -> Mapping[date, str]:
        return self._year(year, lang)

    def weekend_workdays(self, year: int) -> Collection[date]:
        return frozenset(d for d in self._year(year, "vi").weekend_workdays if d.year == year)


@functools.cache
def shared_vietnam_holidays() -> VietnamHolidays:
    """One provider per process: building the holiday tables was half of receiving a dossier."""
    return VietnamHolidays()


class WorkingCalendar:
    """Legal working days and the doors' opening hours of one Center."""

    def __init__(
        self,
        overrides: Iterable[CalendarOverride] = (),
        opening_hours: OpeningHours = DEFAULT_OPENING_HOURS,
        holiday_provider: HolidayProvider | None = None,
    ) -> None:
        by_day: dict[date, CalendarOverride] = {}
        for raw in overrides:
            override = validate_override(raw)
            previous = by_day.get(override.day)
            if previous is not None and previous.kind != override.kind:
                raise ValidationError(
                    "calendar.conflicting_override",
                    field="day",
                    day=override.day.strftime("%d/%m/%Y"),
                )
            by_day[override.day] = override
        self.overrides: tuple[CalendarOverride, ...] = tuple(
            sorted(by_day.values(), key=lambda o: o.day)
        )
        self.opening_hours = opening_hours
        self.holiday_provider: HolidayProvider = holiday_provider or shared_vietnam_holidays()
        self._overrides = by_day
        self._holidays: set[date] = set()
        self._workdays: set[date] = set()
        self._loaded: set[int] = set()

    # --- days -------------------------------------------------------------------------

    def _load(self, year: int) -> None:
        # Observed days of one year may fall early in the next, so a day looks at its
        # own year and the one before.
        for y in (year - 1, year):
            if y not in self._loaded:
                self._holidays.update(self.holiday_provider.holidays(y, "vi"))
                self._workdays.update(self.holiday_provider.weekend_workdays(y))
                self._loaded.add(y)

    def _is_holiday(self, d: date) -> bool:
        self._load(d.year)
        return d in self._holidays

    def is_working_day(self, d: date) -> bool:
        override = self._overrides.get(d)
        if override is not None:
            return override.kind == OverrideKind.WORK
        if self._is_holiday(d):
            return False
        return d.weekday() < 5 or d in self._workdays

    def next_working_day(self, d: date) -> date:
        """The first working day after `d`."""
        return self.add_working_days(d, 1)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d` (`d` itself does not count); `d` when n is 0."""
        if n < 0:
            raise ValueError("n must not be negative")
        ordinal = d.toordinal()
        while n:
            ordinal += 1
            if self.is_working_day(date.fromordinal(ordinal)):
                n -= 1
        return date.fromordinal(ordinal)

    def holiday_name(self, d: date, lang: str = "vi") -> str | None:
        """Why `d` is a day off other than a weekend: an off override's note or the holiday.

        None on a working day or an ordinary weekend. Names fall back to English.
        """
        override = self._overrides.get(d)
        if override is not None:
            return (override.note or None) if override.kind == OverrideKind.OFF else None
        if not self._is_holiday(d):
            return None
        for code in dict.fromkeys((lang, "en")):
            for year in (d.year, d.year - 1):
                name = self.holiday_provider.holidays(year, code).get(d)
                if name:
                    return name
        return None

    # --- hours ------------------------------------------------------------------------

    def sessions(self, d: date) -> tuple[Session, ...]:
        """When the doors are open on `d`.

        A working day on a weekend (a swapped Saturday) keeps normal weekday hours; a
        holiday or an off override is closed; an ordinary weekend has its own hours.
        """
        if self.is_working_day(d):
            own = self.opening_hours.sessions(d.weekday())
            return own if own and d.weekday() < 5 else self.opening_hours.standard_sessions()
        if d in self._overrides or self._is_holiday(d):
            return ()
        return self.opening_hours.sessions(d.weekday())

    def is_open(self, at: datetime) -> bool:
        """Whether the doors are open at `at` (also on a Saturday that is not a working day)."""
        at = vn_time(at)
        t = at.time()
        return any(start <= t < end for start, end in self.sessions(at.date()))

    def in_working_hours(self, at: datetime) -> bool:
        """On a working day within a session, its closing minute included (a due time)."""
        at = vn_time(at)
        if not self.is_working_day(at.date()):
            return False
        t = at.time()
        return any(start <= t <= end for start, end in self.sessions(at.date()))

    def next_opening(self, at: datetime) -> datetime:
        """`at` when a working day's session is open then, else the next such session's start."""
        at = vn_time(at)
        d, t = at.date(), at.time()
        if self.is_working_day(d):
            for start, end in self.sessions(d):
                if t < start:
                    return datetime.combine(d, start, VN_TZ)
                if t < end:
                    return at
        d = self.next_working_day(d)
        return datetime.combine(d, self.sessions(d)[0][0], VN_TZ)

    def _closing(self, d: date) -> datetime:
        return datetime.combine(d, self.sessions(d)[-1][1], VN_TZ)

    def _shift(self, at: datetime, n: int) -> datetime:
        """n working days later at the same clock time, moved into opening hours if needed."""
        moved = datetime.combine(self.add_working_days(at.date(), n), at.timetz())
        return moved if self.in_working_hours(moved) else self.next_opening(moved)

    # --- due time ---------------------------------------------------------------------

    def due_at(
        self,
        received: datetime,
        processing: ProcessingTime,
        *,
        with_verification: bool = False,
    ) -> datetime:
        """When the result is due, to the minute printed on the slip.

        A receipt outside a working day's opening hours (lunch, evening, weekend, holiday)
        counts from the next opening. N working days: the same clock time N working days
        later, moved to the next opening if that falls outside hours. Same day: closing time
        if received at or before the cut-off minute, else the next working day at the same
        clock time. Verification adds its extra working days on top.
        """
        if processing.working_days < 0 or processing.verification_extra_days < 0:
            raise ValueError("processing time must not be negative")
        extra = processing.verification_extra_days if with_verification else 0
        start = self.next_opening(received)
        if not processing.is_same_day:
            return self._shift(start, processing.working_days + extra)
        cutoff = processing.same_day_cutoff
        if cutoff is None:
            cutoff = DEFAULT_SAME_DAY_CUTOFF
        if start.time().replace(second=0, microsecond=0) <= cutoff:
            due = self._closing(start.date())
        else:
            due = self._shift(start, 1)
        return self._shift(due, extra) if extra else due
