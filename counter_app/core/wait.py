"""How long a citizen who just took a ticket should expect to wait.

The kiosk shows it so that an elderly citizen can decide to sit down, fetch a paper or come
back later. It is an estimate, rounded to 5 minutes, never a promise. It once promised
"khoảng 10 phút" to someone with 88 people ahead because two quick questions at opening
time were the whole of "today's pace": a pace needs MIN_VISITS visits before it counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from statistics import median

from counter_app.core.messages import MESSAGES, register

register(
    {
        "wait.about": {
            "vi": "Thời gian chờ dự kiến: khoảng {minutes} phút",
            "en": "Estimated wait: about {minutes} minutes",
        },
        "wait.under": {
            "vi": "Thời gian chờ dự kiến: dưới {minutes} phút",
            "en": "Estimated wait: under {minutes} minutes",
        },
    }
)

DEFAULT_SERVICE_MINUTES = 8.0  # a commune counter's usual visit, until the group has its own
MIN_VISITS = 5  # fewer finished visits than this say more about luck than about the pace
USUAL_DAYS = 28  # the group's usual visit: its finished visits over the last four weeks
ROUND_TO = 5


def minutes_per_visit(today: Iterable[float], usual: Iterable[float] = ()) -> float:
    """One visit's minutes in a group: the median of today's finished visits once there are
    MIN_VISITS of them (a slow morning or a fast afternoon shows through), else the median of
    the group's visits on earlier days (`usual`, MIN_VISITS of them too), else
    DEFAULT_SERVICE_MINUTES.

    The median, not the mean: one citizen with a tangled land file must not triple the
    figure shown to everyone after them. Empty or negative durations are ignored.
    """
    for minutes in (today, usual):
        kept = [m for m in minutes if m > 0]
        if len(kept) >= MIN_VISITS:
            return median(kept)
    return DEFAULT_SERVICE_MINUTES


def open_counters(calling: Iterable[int], *, paused: Iterable[int], worked: Iterable[int]) -> int:
    """How many counters share a group's queue now: those that call the group and are not
    paused; once some of them have called a citizen today, only those (a counter set up but
    with nobody at it serves no one). At least one: a group nobody calls still gets the
    one-counter figure, not a division by zero."""
    candidates = set(calling) - set(paused)
    working = candidates & set(worked)
    return max(len(working or candidates), 1)


def estimated_wait_minutes(ahead: int, per_visit: float, counters: int) -> int:
    """Minutes until this citizen is called: people ahead x one visit's minutes
    (`minutes_per_visit`), shared by the open counters (`open_counters`), rounded to
    ROUND_TO."""
    raw = max(ahead, 0) * per_visit / max(counters, 1)
    return int(round(raw / ROUND_TO)) * ROUND_TO


def wait_message(minutes: int) -> tuple[str, dict[str, int]]:
    """The message key and parameters saying `minutes` (rounded) to a citizen: "khoảng 15
    phút", or "dưới 5 phút" when the estimate rounds to nothing (never "0 phút")."""
    if minutes < ROUND_TO:
        return "wait.under", {"minutes": ROUND_TO}
    return "wait.about", {"minutes": minutes}


def wait_text_vi(minutes: int) -> str:
    """The Vietnamese line, for the printed slip (slips are always in Vietnamese)."""
    key, params = wait_message(minutes)
    return MESSAGES[key]["vi"].format(**params)
