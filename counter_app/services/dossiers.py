"""Dossier use cases: receive, change status, show, and compute an appointment."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from counter_app.core import dossier as rules
from counter_app.core.catalogue import Procedure, ReturnMethod
from counter_app.core.citizen import (
    Sex,
    check_birth_date,
    normalize_name,
    normalize_phone,
    validate_citizen_id,
)
from counter_app.core.clock import BACKDATE_WINDOW, check_receipt_time, vn_time
from counter_app.core.dossier import (
    Applicant,
    Dossier,
    DossierStatus,
    ReceivedDocument,
)
from counter_app.core.dossier_code import format_dossier_code
from counter_app.core.errors import Forbidden, NotFound, ValidationError
from counter_app.core.messages import register
from counter_app.core.queue import TicketState
from counter_app.core.queue import start_serving as start_serving_ticket
from counter_app.core.roles import Permission
from counter_app.core.text import nfc
from counter_app.services.code_pool import take_dossier_code, uses_pool
from counter_app.services.context import ServiceContext
from counter_app.services.events import dossier_event
from counter_app.services.queue import save_ticket_change
from counter_app.services.room import check_room_for_the_day

log = logging.getLogger(__name__)

register(
    {
        "dossier.unknown": {
            "vi": "Không tìm thấy hồ sơ có mã {code}.",
            "en": "No dossier with code {code}.",
        },
        "dossier.address_too_long": {
            "vi": "Địa chỉ dài quá 250 ký tự.",
            "en": "The address is longer than 250 characters.",
        },
        "dossier.email_too_long": {
            "vi": "Địa chỉ thư điện tử dài quá {max} ký tự.",
            "en": "The email address is longer than {max} characters.",
        },
        "dossier.bad_sex": {
            "vi": "Giới tính phải là nam (male) hoặc nữ (female).",
            "en": "Sex must be male or female.",
        },
        "dossier.bad_email": {
            "vi": "Địa chỉ thư điện tử không đúng dạng (ví dụ ten@example.vn).",
            "en": "The email address is not valid (e.g. name@example.vn).",
        },
        "dossier.received_in_future": {
            "vi": "Thời điểm tiếp nhận không được muộn hơn thời điểm hiện tại.",
            "en": "The time of receipt cannot be later than now.",
        },
        "dossier.bad_fee": {
            "vi": "Lệ phí phải từ 0 đến {high:,} đồng.",
            "en": "The fee must be between 0 and {high:,} dong.",
        },
        "dossier.bad_return_method": {
            "vi": "Thủ tục này không trả kết quả theo hình thức đã chọn.",
            "en": "This procedure does not return results that way.",
        },
    }
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_FEE_VND = 100_000_000  # far above any commune fee; beyond, a typing slip
EMAIL_MAX_LENGTH = 254  # RFC 5321's limit for a path: longer cannot be delivered


@dataclass(frozen=True)
class ApplicantInput:
    """What the clerk typed or the scanner filled in, before validation."""

    full_name: str
    citizen_id: str = ""
    phone: str = ""
    address: str = ""
    email: str = ""
    birth_date: date | None = None
    sex: str = ""

    def __repr__(self) -> str:  # personal data stays out of tracebacks
        return "ApplicantInput(<hidden>)"


@dataclass(frozen=True)
class DossierDetail:
    dossier: Dossier
    events: list
    overdue: bool


def validate_applicant(raw: ApplicantInput, *, today: date | None = None) -> Applicant:
    """Normalise every field; the first bad one raises with its own message. With `today`,
    a date of birth after it is refused (core.citizen.check_birth_date)."""
    if today is not None:
        check_birth_date(raw.birth_date, today=today)
    try:
        sex = Sex(raw.sex) if raw.sex else None
    except ValueError:
        raise ValidationError("dossier.bad_sex", field="sex") from None
    address = " ".join(nfc(raw.address).split())
    if len(address) > 250:
        raise ValidationError("dossier.address_too_long", field="address")
    email = raw.email.strip()
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError("dossier.email_too_long", field="email", max=EMAIL_MAX_LENGTH)
    if email and not _EMAIL.match(email):
        raise ValidationError("dossier.bad_email", field="email")
    return Applicant(
        full_name=normalize_name(raw.full_name),
        citizen_id=validate_citizen_id(raw.citizen_id, birth_date=raw.birth_date, sex=sex)
        if raw.citizen_id.strip()
        else "",
        phone=normalize_phone(raw.phone) if raw.phone.strip() else "",
        address=address,
        email=email.lower(),
        birth_date=raw.birth_date,
        sex=sex.value if sex else "",
    )


def checklist(
    procedure: Procedure, *, required_received: bool = False
) -> tuple[ReceivedDocument, ...]:
    """The procedure's documents, none marked received: the clerk ticks what they checked.

    Pre-ticked boxes let a clerk in a hurry certify papers nobody looked at. Only a caller
    told that every required paper was checked (`--documents all`, the demo) declares them.
    """
    return tuple(
        ReceivedDocument(
            doc.name, doc.form, doc.count, received=required_received and not doc.optional
        )
        for doc in procedure.documents
    )


def default_fee(procedure: Procedure) -> int:
    """The fee of a plain case; per-page and late fees are entered by the clerk."""
    for fee in procedure.fees:
        if fee.unit == "per_case" and fee.amount_vnd is not None:
            return fee.amount_vnd
    return 0


def appointment(
    ctx: ServiceContext, *, procedure_code: str, at: datetime, with_verification: bool = False
) -> datetime:
    """The due date and time for a dossier received at `at`; writes nothing."""
    ctx.actor.require(Permission.LOOK_UP_PROCEDURES)
    procedure = ctx.catalogue().procedure(procedure_code)
    return ctx.calendar().due_at(
        vn_time(at), procedure.processing, with_verification=with_verification
    )


def receive_dossier(
    ctx: ServiceContext,
    *,
    procedure_code: str,
    applicant: ApplicantInput,
    documents: tuple[ReceivedDocument, ...] | None = None,
    sets: int = 1,
    return_method: ReturnMethod = ReturnMethod.COUNTER,
    with_verification: bool = False,
    fee_vnd: int | None = None,
    ticket_id: int | None = None,
    received_at: datetime | None = None,
    note: str = "",
    draft: bool = False,
    then: Callable[[Dossier], Dossier] | None = None,
) -> Dossier:
    """Accept a dossier at the counter: code, due time, event, outbox and audit at once.

    With `draft`, a volunteer registers it as "Mới đăng ký" (status 1) without a due time;
    only a clerk's `accept_draft` starts the legal clock. `then` runs in the same
    transaction on the new dossier (a decision taken at the counter).
    """
    ctx.actor.require(Permission.DRAFT_DOSSIER if draft else Permission.RECEIVE_DOSSIER)
    now = ctx.check_clock()
    note = rules.check_note(note)
    if fee_vnd is not None and not 0 <= fee_vnd <= MAX_FEE_VND:
        raise ValidationError("dossier.bad_fee", field="fee", high=MAX_FEE_VND)
    at = vn_time(received_at) if received_at else now
    if at > now:
        raise ValidationError("dossier.received_in_future", field="received_at")
    if now - at > BACKDATE_WINDOW and Permission.CHANGE_SETTINGS not in ctx.actor.permissions:
        raise Forbidden("clock.backdated", minutes=round(BACKDATE_WINDOW.total_seconds() / 60))
    if received_at is not None:  # a time given, not the checked clock's
        check_receipt_time(
            at, created=ctx.store.audit.first_time(), trusted=ctx.store.audit.trusted_time()
        )
    check_room_for_the_day(ctx, now)
    procedure = ctx.catalogue().procedure(procedure_code)
    if return_method not in procedure.return_methods:
        raise ValidationError("dossier.bad_return_method", field="return_method")
    person = validate_applicant(applicant, today=now.date())
    docs = checklist(procedure, required_received=True) if documents is None else documents
    rules.check_documents(docs, sets)
    due = (
        None
        if draft
        else ctx.calendar().due_at(at, procedure.processing, with_verification=with_verification)
    )
    status = DossierStatus.NEW if draft else DossierStatus.RECEIVED
    with ctx.store.transaction():
        code, source = _new_code(ctx, at, now)
        entry = ctx.store.sequences.take("book", str(at.year), lambda last: (last or 0) + 1)
        dossier = Dossier(
            code=code,
            procedure_code=procedure.code,
            procedure_name=procedure.name,
            status=status,
            applicant=person,
            received_at=at,
            due_at=due,
            documents=docs,
            sets=sets,
            fee_vnd=default_fee(procedure) if fee_vnd is None else fee_vnd,
            return_method=return_method,
            receiver=ctx.actor.username,
            book_entry=entry,
            ticket_id=ticket_id,
            with_verification=with_verification,
            note=note,
            updated_at=now,
        )
        ctx.store.dossiers.insert(dossier, station_id=ctx.station.id)
        ctx.store.dossiers.add_event(
            dossier.code,
            at=at,
            kind="draft" if draft else "received",
            actor=ctx.actor.username,
            to_status=status,
        )
        if ticket_id is not None:
            _link_ticket(ctx, ticket_id, dossier.code, now)
        ctx.journal(
            at=now,
            action="dossier.draft" if draft else "dossier.receive",
            entity="dossier",
            entity_id=dossier.code,
            detail={"procedure": procedure.code, "status": int(dossier.status), "code": source},
            payload=dossier_event(ctx, dossier, at=now, sector=procedure.sector),
            # A draft reaches the other counters at once, the portal once a clerk accepts it.
            portal=not draft,
        )
        if then is not None:
            dossier = then(dossier)
    log.info("dossier %s %s for procedure %s", dossier.code, dossier.status.name, procedure.code)
    return dossier


def _new_code(ctx: ServiceContext, at: datetime, now: datetime) -> tuple[str, str]:
    """The dossier's code for life, inside the intake transaction, and where it came from:
    our own daily sequence ("own"), or under a `motcua` upstream its pool ("pool") or the
    reserved offline block ("offline"; services/code_pool.py)."""
    if uses_pool(ctx.store):
        code, offline = take_dossier_code(ctx, at.date(), now)
        return code, "offline" if offline else "pool"
    sequence = ctx.store.sequences.take(
        f"dossier:{ctx.station.agency_code}",
        at.date().isoformat(),
        lambda last: ctx.station.dossier_block.next_number(last, at.date()),
    )
    return format_dossier_code(ctx.station.agency_code, at.date(), sequence), "own"


def _link_ticket(ctx: ServiceContext, ticket_id: int, code: str, now: datetime) -> None:
    ticket = ctx.store.tickets.get(ticket_id)
    if ticket is None:
        raise NotFound("queue.unknown_ticket", label=str(ticket_id))
    ctx.store.tickets.link_dossier(ticket_id, code)
    if ticket.state is TicketState.CALLED:
        save_ticket_change(ctx, ticket, start_serving_ticket(ticket, at=now), now)


def get_dossier(ctx: ServiceContext, code: str) -> Dossier:
    dossier = ctx.store.dossiers.get(code.strip().upper())
    if dossier is None:
        raise NotFound("dossier.unknown", code=code.strip().upper())
    return dossier


def show_dossier(ctx: ServiceContext, code: str) -> DossierDetail:
    ctx.actor.require(Permission.READ_DOSSIERS)
    dossier = get_dossier(ctx, code)
    return DossierDetail(
        dossier, ctx.store.dossiers.events(dossier.code), dossier.is_overdue(ctx.now())
    )


def change_status(
    ctx: ServiceContext, *, code: str, to: DossierStatus | int, note: str = ""
) -> Dossier:
    """Move a dossier along the portal's status machine, with a reason where one is due."""
    ctx.actor.require(Permission.CHANGE_STATUS)
    target = rules.parse_status(to)
    note = rules.check_note(note)
    ctx.check_clock()
    with ctx.store.transaction():
        return _change_status_in_transaction(ctx, code, target, note)


def _change_status_in_transaction(
    ctx: ServiceContext, code: str, target: DossierStatus, note: str
) -> Dossier:
    before = get_dossier(ctx, code)
    after = _record_status(ctx, before, target, note)
    ctx.journal(
        at=after.updated_at,
        action="dossier.status",
        entity="dossier",
        entity_id=after.code,
        detail={"from": int(before.status), "to": int(after.status)},
        payload=dossier_event(
            ctx, after, at=after.updated_at, previous=before.status, note=note.strip()
        ),
    )
    return after


def _record_status(
    ctx: ServiceContext,
    before: Dossier,
    target: DossierStatus,
    note: str,
    *,
    kind: str = "status",
    **changes,
) -> Dossier:
    """The status move (with any `changes` it brings) and its event; the caller journals it
    (what the portal is told)."""
    now = ctx.now()
    after = replace(rules.change_status(before, target, at=now, note=note.strip()), **changes)
    ctx.store.dossiers.update(after)
    ctx.store.dossiers.add_event(
        after.code,
        at=now,
        kind=kind,
        actor=ctx.actor.username,
        from_status=before.status,
        to_status=after.status,
        note=note.strip(),
    )
    return after


def accept_draft(ctx: ServiceContext, *, code: str) -> Dossier:
    """A clerk checks a volunteer's draft and accepts it: received now, due time computed."""
    ctx.actor.require(Permission.RECEIVE_DOSSIER)
    now = ctx.check_clock()
    with ctx.store.transaction():
        before = get_dossier(ctx, code)
        procedure = ctx.catalogue().procedure(before.procedure_code)
        accepted = _record_status(
            ctx,
            before,
            DossierStatus.RECEIVED,
            "",
            kind="received",
            received_at=now,
            receiver=ctx.actor.username,
            due_at=ctx.calendar().due_at(
                now, procedure.processing, with_verification=before.with_verification
            ),
        )
        ctx.journal(
            at=now,
            action="dossier.receive",
            entity="dossier",
            entity_id=accepted.code,
            detail={"procedure": procedure.code, "status": int(accepted.status), "draft": True},
            payload=dossier_event(ctx, accepted, at=now, sector=procedure.sector),
        )
    return accepted


@dataclass(frozen=True)
class PublicStatus:
    """What the kiosk may show anyone holding the code: no personal data at all."""

    code: str
    procedure_name: str
    status: DossierStatus
    due_at: datetime | None
    overdue: bool


def public_status(ctx: ServiceContext, code: str) -> PublicStatus:
    """The kiosk's "look up my dossier": allowed to the kiosk (volunteer) account."""
    ctx.actor.require(Permission.TAKE_TICKET)
    found = get_dossier(ctx, code)
    return PublicStatus(
        found.code, found.procedure_name, found.status, found.due_at, found.is_overdue(ctx.now())
    )


def decide_at_intake(
    ctx: ServiceContext,
    *,
    decision: DossierStatus,
    reasons: str,
    procedure_code: str,
    applicant: ApplicantInput,
    **intake,
) -> Dossier:
    """Refuse (Form 03) or ask for supplements (Form 02) at the counter, in one transaction.

    The dossier gets its code (the slip must carry one) and goes straight from "Mới đăng ký"
    to the decision, with the reason on record and on its way to the portal.
    """
    ctx.actor.require(Permission.RECEIVE_DOSSIER)
    if decision not in (DossierStatus.REFUSED, DossierStatus.SUPPLEMENT):
        raise ValidationError("dossier.bad_status", field="status")
    reasons = rules.check_note(reasons)
    if not reasons.strip():
        raise ValidationError(
            "dossier.note_required",
            field="note",
            target=rules.STATUS_NAMES[decision][0],
            target_en=rules.STATUS_NAMES[decision][1],
        )

    def decide(draft: Dossier) -> Dossier:
        decided = _record_status(ctx, draft, decision, reasons)
        procedure = ctx.catalogue().procedure(decided.procedure_code)
        ctx.journal(
            at=decided.updated_at,
            action="dossier.receive",  # the portal learns of it once, with its decision
            entity="dossier",
            entity_id=decided.code,
            detail={"procedure": procedure.code, "status": int(decided.status)},
            payload=dossier_event(ctx, decided, at=decided.updated_at, sector=procedure.sector),
        )
        return decided

    return receive_dossier(
        ctx, procedure_code=procedure_code, applicant=applicant, draft=True, then=decide, **intake
    )
