"""A dossier (hồ sơ) and its life: the portal's statuses 1-10 and the moves allowed between.

Statuses are the National Public Service Portal's TrangThaiHoSo values, so what the counter
records can be pushed as is and what the portal sends back passes the same machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import IntEnum

from counter_app.core.catalogue import DocumentForm, ReturnMethod
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register


class DossierStatus(IntEnum):
    NEW = 1  # Mới đăng ký: a volunteer's draft or an online registration
    RECEIVED = 2  # Được tiếp nhận
    REFUSED = 3  # Không được tiếp nhận
    PROCESSING = 4  # Đang xử lý
    SUPPLEMENT = 5  # Yêu cầu bổ sung giấy tờ
    FINANCIAL = 6  # Yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = 7  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8  # Dừng xử lý
    DONE = 9  # Đã xử lý xong
    RETURNED = 10  # Đã trả kết quả


STATUS_NAMES: dict[DossierStatus, tuple[str, str]] = {
    DossierStatus.NEW: ("Mới đăng ký", "New"),
    DossierStatus.RECEIVED: ("Được tiếp nhận", "Received"),
    DossierStatus.REFUSED: ("Không được tiếp nhận", "Refused"),
    DossierStatus.PROCESSING: ("Đang xử lý", "Processing"),
    DossierStatus.SUPPLEMENT: ("Yêu cầu bổ sung giấy tờ", "Supplement requested"),
    DossierStatus.FINANCIAL: ("Yêu cầu thực hiện nghĩa vụ tài chính", "Payment requested"),
    DossierStatus.WITHDRAWN: ("Công dân yêu cầu rút hồ sơ", "Withdrawn by citizen"),
    DossierStatus.STOPPED: ("Dừng xử lý", "Processing stopped"),
    DossierStatus.DONE: ("Đã xử lý xong", "Result ready"),
    DossierStatus.RETURNED: ("Đã trả kết quả", "Result returned"),
}

_S = DossierStatus
TRANSITIONS: dict[DossierStatus, frozenset[DossierStatus]] = {
    _S.NEW: frozenset({_S.RECEIVED, _S.REFUSED, _S.SUPPLEMENT, _S.WITHDRAWN}),
    _S.RECEIVED: frozenset(
        {_S.PROCESSING, _S.SUPPLEMENT, _S.FINANCIAL, _S.WITHDRAWN, _S.STOPPED, _S.DONE}
    ),
    _S.REFUSED: frozenset(),
    _S.PROCESSING: frozenset({_S.SUPPLEMENT, _S.FINANCIAL, _S.WITHDRAWN, _S.STOPPED, _S.DONE}),
    _S.SUPPLEMENT: frozenset({_S.RECEIVED, _S.PROCESSING, _S.WITHDRAWN, _S.STOPPED}),
    _S.FINANCIAL: frozenset({_S.PROCESSING, _S.DONE, _S.WITHDRAWN, _S.STOPPED}),
    _S.WITHDRAWN: frozenset(),
    _S.STOPPED: frozenset(),
    _S.DONE: frozenset({_S.RETURNED}),
    _S.RETURNED: frozenset(),
}
FINAL_STATUSES = frozenset(s for s, nexts in TRANSITIONS.items() if not nexts)
# Statuses in which the due date still runs (used for "overdue").
OPEN_STATUSES = frozenset({_S.RECEIVED, _S.PROCESSING, _S.SUPPLEMENT, _S.FINANCIAL})
# Moves that must say why, on paper (Form 02, Form 03, Form 05).
NEEDS_NOTE = frozenset({_S.REFUSED, _S.SUPPLEMENT, _S.STOPPED})
# A reason fits on a form and in the portal's GhiChu; a megabyte pasted by mistake would be
# printed, sealed and queued for the portal.
NOTE_MAX_LENGTH = 2000

register(
    {
        "dossier.bad_transition": {
            "vi": "Hồ sơ {code} đang «{status}», không thể chuyển sang «{target}».",
            "en": "Dossier {code} is '{status_en}' and cannot become '{target_en}'.",
        },
        "dossier.note_too_long": {
            "vi": "Ghi chú dài quá {max} ký tự.",
            "en": "The note is longer than {max} characters.",
        },
        "dossier.note_required": {
            "vi": "Cần ghi rõ lý do khi chuyển hồ sơ sang «{target}».",
            "en": "A reason is required to set the dossier to '{target_en}'.",
        },
        "dossier.bad_status": {
            "vi": "Trạng thái hồ sơ phải là một số từ 1 đến 10.",
            "en": "A dossier status is a number from 1 to 10.",
        },
        "dossier.no_documents": {
            "vi": "Chưa đánh dấu giấy tờ nào đã nhận trong hồ sơ.",
            "en": "No document of the checklist is marked as received.",
        },
        "dossier.bad_sets": {
            "vi": "Số bộ hồ sơ phải từ 1 đến 20.",
            "en": "The number of sets must be between 1 and 20.",
        },
    }
)


def parse_status(value: int | str) -> DossierStatus:
    try:
        return DossierStatus(int(value))
    except (TypeError, ValueError):
        raise ValidationError("dossier.bad_status", field="status") from None


@dataclass(frozen=True)
class Applicant:
    """The citizen who files the dossier (chủ hồ sơ). Personal data: never logged."""

    full_name: str = field(repr=False)
    citizen_id: str = field(default="", repr=False)
    phone: str = field(default="", repr=False)
    address: str = field(default="", repr=False)
    email: str = field(default="", repr=False)
    birth_date: date | None = field(default=None, repr=False)
    sex: str = ""


@dataclass(frozen=True)
class ReceivedDocument:
    name: str
    form: DocumentForm
    count: int = 1
    received: bool = True


@dataclass(frozen=True)
class Dossier:
    code: str
    procedure_code: str
    procedure_name: str
    status: DossierStatus
    applicant: Applicant
    received_at: datetime
    due_at: datetime | None
    documents: tuple[ReceivedDocument, ...] = ()
    sets: int = 1
    fee_vnd: int = 0
    return_method: ReturnMethod = ReturnMethod.COUNTER
    receiver: str = ""
    book_volume: int = 1
    book_entry: int | None = None
    ticket_id: int | None = None
    with_verification: bool = False
    note: str = ""
    result_at: datetime | None = None
    returned_at: datetime | None = None
    updated_at: datetime | None = None

    def is_overdue(self, now: datetime) -> bool:
        if self.due_at is None:
            return False
        if self.status in OPEN_STATUSES:
            return now > self.due_at
        if self.status in (_S.DONE, _S.RETURNED) and self.result_at is not None:
            return self.result_at > self.due_at
        return False


MIN_SETS, MAX_SETS = 1, 20  # "Số bộ" on Form 01: a dossier is at least one set of papers


def check_documents(documents: tuple[ReceivedDocument, ...], sets: int) -> None:
    """At least one set, and at least one document the clerk marked as received."""
    if not MIN_SETS <= sets <= MAX_SETS:
        raise ValidationError("dossier.bad_sets", field="sets")
    if not any(d.received for d in documents):
        raise ValidationError("dossier.no_documents", field="documents")


def check_note(note: str) -> str:
    """A clerk's note or reason, trimmed; too long is refused rather than cut."""
    text = note.strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError("dossier.note_too_long", field="note", max=NOTE_MAX_LENGTH)
    return text


def change_status(
    dossier: Dossier, target: DossierStatus, *, at: datetime, note: str = ""
) -> Dossier:
    if target not in TRANSITIONS[dossier.status]:
        raise DomainError(
            "dossier.bad_transition",
            code=dossier.code,
            status=STATUS_NAMES[dossier.status][0],
            target=STATUS_NAMES[target][0],
            status_en=STATUS_NAMES[dossier.status][1],
            target_en=STATUS_NAMES[target][1],
        )
    if target in NEEDS_NOTE and not note.strip():
        raise ValidationError(
            "dossier.note_required",
            field="note",
            target=STATUS_NAMES[target][0],
            target_en=STATUS_NAMES[target][1],
        )
    changes: dict = {"status": target, "updated_at": at}
    if target is _S.DONE:
        changes["result_at"] = at
    if target is _S.RETURNED:
        changes["returned_at"] = at
    return replace(dossier, **changes)
