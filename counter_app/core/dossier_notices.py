"""The two moves that owe the citizen a letter: extending the due date (Form 04) and stopping
the dossier (Form 05) of Circular 03/2025/TT-VPCP Appendix I.

The note of each move is one sentence in a fixed shape, so the history, the portal's
NoiDungXuLy and another station of the center read the same text, and the form can be
printed again later from the history alone (`read_extension`, `read_stop`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from counter_app.core.dossier import (
    NOTE_MAX_LENGTH,
    OPEN_STATUSES,
    STATUS_NAMES,
    Dossier,
    check_note,
)
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register

register(
    {
        "dossier.extend_not_open": {
            "vi": "Hồ sơ {code} đang «{status}»: chỉ gia hạn được hồ sơ đang giải quyết.",
            "en": "Dossier {code} is '{status_en}': only a dossier in progress can be extended.",
        },
        "dossier.extend_not_later": {
            "vi": "Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại ({due}).",
            "en": "The new due date must be later than the current one ({due}).",
        },
        "dossier.extend_in_past": {
            "vi": "Ngày hẹn trả mới phải sau thời điểm hiện tại.",
            "en": "The new due date must be later than now.",
        },
        "dossier.extend_too_far": {
            "vi": "Ngày hẹn trả mới không được quá một năm kể từ hôm nay.",
            "en": "The new due date cannot be more than a year from today.",
        },
        "dossier.reason_required": {
            "vi": "Cần ghi rõ lý do.",
            "en": "A reason is required.",
        },
    }
)

# A typing slip (6300 for 2026) must not become a due date; no commune procedure is
# extended by a year.
MAX_EXTENSION = timedelta(days=365)
EXTENDED_KIND = "extended"  # dossier_events.kind of an extension (the status stays)
_STAMP = "%H:%M %d/%m/%Y"
_EXTENSION = re.compile(
    r"^Gia hạn hẹn trả từ (?P<old>\d\d:\d\d \d\d/\d\d/\d{4}|—) "
    r"đến (?P<new>\d\d:\d\d \d\d/\d\d/\d{4})\. Lý do: (?P<reason>.*)$",
    re.S,
)
GUIDANCE_MARK = "\nĐề nghị Ông/Bà: "
DEFAULT_GUIDANCE = "liên hệ Bộ phận Một cửa để nhận lại hồ sơ và được hướng dẫn."


@dataclass(frozen=True)
class Extension:
    old_due: datetime | None
    new_due: datetime
    reason: str


@dataclass(frozen=True)
class Stop:
    reason: str
    guidance: str


def _reason(text: str) -> str:
    reason = check_note(text)
    if not reason:
        raise ValidationError("dossier.reason_required", field="reason")
    return reason


def extend_due(
    dossier: Dossier, new_due: datetime, *, at: datetime, reason: str
) -> tuple[Dossier, Extension]:
    """A dossier still in progress gets a later due date, with the reason the citizen reads.

    The status does not move: the portal learns of it as a progress step with the new
    NgayHenTra / NgayKetThucTheoQuyDinh.
    """
    if dossier.status not in OPEN_STATUSES:
        raise DomainError(
            "dossier.extend_not_open",
            code=dossier.code,
            status=STATUS_NAMES[dossier.status][0],
            status_en=STATUS_NAMES[dossier.status][1],
        )
    text = _reason(reason)
    if dossier.due_at is not None and new_due <= dossier.due_at:
        raise ValidationError(
            "dossier.extend_not_later", field="until", due=f"{dossier.due_at:{_STAMP}}"
        )
    if new_due <= at:
        raise ValidationError("dossier.extend_in_past", field="until")
    if new_due > at + MAX_EXTENSION:
        raise ValidationError("dossier.extend_too_far", field="until")
    extension = Extension(dossier.due_at, new_due, text)
    if len(extension_note(extension)) > NOTE_MAX_LENGTH:
        raise ValidationError("dossier.note_too_long", field="reason", max=NOTE_MAX_LENGTH)
    return replace(dossier, due_at=new_due, updated_at=at), extension


def extension_note(extension: Extension) -> str:
    old = f"{extension.old_due:{_STAMP}}" if extension.old_due else "—"
    return f"Gia hạn hẹn trả từ {old} đến {extension.new_due:{_STAMP}}. Lý do: {extension.reason}"


def read_extension(note: str, tz) -> Extension | None:
    """The extension an `extension_note` describes; None for any other note."""
    found = _EXTENSION.match(note)
    if found is None:
        return None

    def when(text: str) -> datetime | None:
        return None if text == "—" else datetime.strptime(text, _STAMP).replace(tzinfo=tz)

    new_due = when(found["new"])
    assert new_due is not None  # the pattern never lets "—" through for the new date
    return Extension(when(found["old"]), new_due, found["reason"])


def decide_stop(*, reason: str, guidance: str = "") -> Stop:
    """Stopping processing ("Dừng xử lý", status 8) says why and what the citizen should do
    next; the status machine (core.dossier) decides from which statuses it may happen."""
    decided = Stop(_reason(reason), check_note(guidance) or DEFAULT_GUIDANCE)
    if len(stop_note(decided)) > NOTE_MAX_LENGTH:
        raise ValidationError("dossier.note_too_long", field="reason", max=NOTE_MAX_LENGTH)
    return decided


def stop_note(decided: Stop) -> str:
    return f"{decided.reason}{GUIDANCE_MARK}{decided.guidance}"


def read_stop(note: str) -> Stop:
    """A stop's note back into its parts; a note written without guidance (an older
    version, or `dossier status --to 8`) gets the default guidance."""
    reason, mark, guidance = note.partition(GUIDANCE_MARK)
    return Stop(reason, guidance if mark else DEFAULT_GUIDANCE)
