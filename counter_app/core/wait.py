"""How long a citizen who just took a ticket should expect to wait.

The kiosk shows it so that an elderly citizen can decide to sit down, fetch a paper or come
back later. It is an estimate, rounded to 5 minutes, never a promise: the figure comes only
from today's own pace, so a slow morning or a fast afternoon shows through.
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

DEFAULT_SERVICE_MINUTES = 8.0  # a commune counter's usual visit, until today has its own
ROUND_TO = 5


def estimated_wait_minutes(
    ahead: int, recent_service_minutes: Iterable[float], counters: int
) -> int:
    """Minutes until this citizen is called: people ahead x the median minutes one visit
    took today in their group (DEFAULT_SERVICE_MINUTES when nobody has finished yet),
    divided by the counters that call that group (at least one: a group nobody calls
    still gets the one-counter figure, not a division by zero). Rounded to ROUND_TO.

    The median, not the mean: one citizen with a tangled land file must not triple the
    figure shown to everyone after them. Negative or empty durations are ignored.
    """
    minutes = [m for m in recent_service_minutes if m > 0]
    per_visit = median(minutes) if minutes else DEFAULT_SERVICE_MINUTES
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
