"""Rules of a counter beyond "call the next one": calls out of turn, pauses, long waits.

They live here, not in the counter window, so the command line and every station of a
center obey the same ones: a paused counter cannot call, a call out of turn names a reason
from a short list, a counter calls at least one service group.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from counter_app.core.text import nfc

# Why a clerk called a ticket before its turn (kept with the ticket, counted in reports).
CALL_REASONS: dict[str, tuple[str, str]] = {
    "late_elderly": ("Người cao tuổi đến muộn", "Elderly person who came late"),
    "supplement": ("Hồ sơ bổ sung", "Bringing missing papers"),
    "other": ("Khác", "Other"),
}
# Why a counter stops calling for a while (shown on the board, counted in reports).
PAUSE_REASONS: dict[str, tuple[str, str]] = {
    "lunch": ("Nghỉ trưa", "Lunch break"),
    "meeting": ("Họp", "Meeting"),
    "other": ("Việc khác", "Other business"),
}
NOTE_MAX = 80
# A note is for the reason, never for the citizen: a run of digits is an ID or a phone.
_PERSONAL_DIGITS = re.compile(r"\d{6,}")

# Colours of the waiting list on the counter screen: amber past the first, red past the second.
WAIT_AMBER_MINUTES = 15
WAIT_RED_MINUTES = 30

register(
    {
        "desk.bad_call_reason": {
            "vi": "Lý do gọi trước phải là một trong: {choices}.",
            "en": "The reason for calling out of turn must be one of: {choices}.",
        },
        "desk.note_needed": {
            "vi": "Lý do «Khác» cần ghi chú ngắn (tối đa {max} ký tự).",
            "en": "The reason 'Other' needs a short note (at most {max} characters).",
        },
        "desk.note_too_long": {
            "vi": "Ghi chú dài tối đa {max} ký tự.",
            "en": "A note has at most {max} characters.",
        },
        "desk.note_personal": {
            "vi": "Ghi chú chỉ nêu lý do, không ghi số giấy tờ hay số điện thoại của công dân.",
            "en": "A note gives the reason only: no ID or phone number of the citizen.",
        },
        "desk.bad_pause_reason": {
            "vi": "Lý do tạm nghỉ phải là một trong: {choices}.",
            "en": "The reason for a pause must be one of: {choices}.",
        },
        "desk.paused": {
            "vi": "Quầy số {counter} đang tạm nghỉ ({reason}) từ {since}: bấm «Tiếp tục» "
            "ở trang Quầy trước khi gọi số.",
            "en": "Counter {counter} is paused ({reason_en}) since {since}: press 'Resume' on "
            "the Counter page before calling.",
            "cli_vi": "Tiếp tục làm việc: counter-app queue resume",
            "cli_en": "To resume: counter-app queue resume",
        },
        "desk.already_paused": {
            "vi": "Quầy số {counter} đã đang tạm nghỉ.",
            "en": "Counter {counter} is already paused.",
        },
        "desk.not_paused": {
            "vi": "Quầy số {counter} không tạm nghỉ.",
            "en": "Counter {counter} is not paused.",
        },
        "desk.busy": {
            "vi": "Quầy số {counter} đang gọi hoặc phục vụ số {label}: hãy kết thúc trước "
            "khi tạm nghỉ.",
            "en": "Counter {counter} is still calling or serving {label}: finish it first.",
        },
        "desk.no_groups": {
            "vi": "Quầy số {counter} phải gọi ít nhất một nhóm dịch vụ.",
            "en": "Counter {counter} must call at least one service group.",
        },
        "desk.unknown_group": {
            "vi": "Quầy số {counter} gọi nhóm dịch vụ không có trong danh mục.",
            "en": "Counter {counter} calls a service group that is not in the catalogue.",
        },
        "desk.unknown_clerk": {
            "vi": "Không có cán bộ «{username}» đang làm việc để nhận chuyển.",
            "en": "There is no active clerk '{username}' to send the ticket to.",
        },
        "desk.not_waiting": {
            "vi": "Số {label} không đang chờ nên không thể gọi trước.",
            "en": "Ticket {label} is not waiting, so it cannot be called out of turn.",
        },
        "desk.claimed_elsewhere": {
            "vi": "Số {label} vừa được một quầy khác nhận gọi. Nếu quầy đó không gọi, số sẽ "
            "được nhả ra trong vòng {seconds} giây; hãy thử lại sau.",
            "en": "Ticket {label} was just taken by another counter. If that counter does not "
            "call it, it is released within {seconds} seconds; try again then.",
        },
        "desk.other_group": {
            "vi": "Số {label} thuộc nhóm {group}, quầy số {counter} không gọi nhóm này.",
            "en": "Ticket {label} is in group {group}, which counter {counter} does not call.",
        },
    }
)


def _choices(table: dict[str, tuple[str, str]]) -> str:
    return ", ".join(f"{key} ({vi})" for key, (vi, _en) in table.items())


def check_note(note: str, *, required: bool) -> str:
    """A short note on a reason: trimmed, bounded, and with no ID or phone number in it."""
    text = " ".join(nfc(note or "").split())
    if required and not text:
        raise ValidationError("desk.note_needed", field="note", max=NOTE_MAX)
    if len(text) > NOTE_MAX:
        raise ValidationError("desk.note_too_long", field="note", max=NOTE_MAX)
    if _PERSONAL_DIGITS.search(text.replace(" ", "").replace(".", "")):
        raise ValidationError("desk.note_personal", field="note")
    return text


def check_call_reason(reason: str, note: str = "") -> tuple[str, str]:
    """(code, note) for a call out of turn; "other" needs the note to say what."""
    if reason not in CALL_REASONS:
        raise ValidationError(
            "desk.bad_call_reason", field="reason", choices=_choices(CALL_REASONS)
        )
    return reason, check_note(note, required=reason == "other")


def check_pause_reason(reason: str) -> str:
    if reason not in PAUSE_REASONS:
        raise ValidationError(
            "desk.bad_pause_reason", field="reason", choices=_choices(PAUSE_REASONS)
        )
    return reason


@dataclass(frozen=True)
class Pause:
    """A counter not calling: why, since when, and (once over) until when."""

    counter: int
    reason: str
    started_at: datetime
    ended_at: datetime | None = None
    actor: str = ""
    uid: str = ""

    def minutes(self, now: datetime) -> float:
        end = self.ended_at or now
        return max(0.0, (end - self.started_at).total_seconds() / 60)


def ensure_can_call(pause: Pause | None) -> None:
    """A paused counter calls nobody: the citizen would walk to an empty desk."""
    if pause is not None and pause.ended_at is None:
        vi, en = PAUSE_REASONS.get(pause.reason, (pause.reason, pause.reason))
        raise DomainError(
            "desk.paused", counter=pause.counter, reason=vi, reason_en=en,
            since=f"{pause.started_at:%H:%M}",
        )  # fmt: skip


def check_counters(counters: dict[int, Iterable[str]], known_groups: Iterable[str]) -> None:
    """Every counter calls at least one group, and only groups of the catalogue."""
    known = set(known_groups)
    for number, groups in sorted(counters.items()):
        groups = set(groups)
        if not groups:
            raise ValidationError("desk.no_groups", field="counters", counter=number)
        if not groups <= known:
            raise ValidationError("desk.unknown_group", field="counters", counter=number)


def wait_level(minutes: float) -> str:
    """ "ok", "long" (amber) or "very_long" (red): how the waiting list colours a wait."""
    if minutes > WAIT_RED_MINUTES:
        return "very_long"
    if minutes > WAIT_AMBER_MINUTES:
        return "long"
    return "ok"
