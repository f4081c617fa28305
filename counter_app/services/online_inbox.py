"""The online inbox (issue 18): dossiers citizens filed on the portal, checked at the counter.

An online dossier is a local dossier (status 1 "Mới đăng ký") with an online record beside
it (store/online_dossiers.py): the upstream's code, the round (LanNop), the citizen's notice
channel, and whether it waits for a clerk. The pull takes them in
(services/online_intake.py); here a clerk sees them and decides, each decision in one
transaction with its event, audit entry and outbox row, so the upstream hears of it exactly
once through the sync engine (sync/dialects/motcua_inbox.py sends it):

- accept: status 2, received now, due date counted from the acceptance; Form 01;
- ask for supplements: status 5 with what is missing; Form 02;
- refuse: status 3 with the reason; Form 03.

The local dossier's code is the upstream's code (the one the citizen holds from the portal
and will type at the kiosk); the online record keeps it as `upstream_code` beside
`dossier_code`. Who may see and decide: `core.roles.may_check_online` (the window asks the
same).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from counter_app.core import dossier as rules
from counter_app.core.dossier import STATUS_NAMES, Dossier, DossierStatus
from counter_app.core.errors import DomainError, NotFound, ValidationError
from counter_app.core.messages import register
from counter_app.core.online_check import (
    DEFAULT_CHECK_DAYS,
    MAX_CHECK_DAYS,
    Urgency,
    check_clock,
)
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext
from counter_app.services.dossiers import _record_status, get_dossier
from counter_app.services.events import dossier_event
from counter_app.services.online_claims import take_online

# the status bar's count, kept beside the bar's other figures so the counter page loads no
# dossier service for it; named here too, as the inbox's own count
from counter_app.services.station_status import online_waiting as inbox_count  # noqa: F401
from counter_app.store.online_dossiers import OnlineRecord

log = logging.getLogger(__name__)

CHECK_DAYS_SETTING = "online_check_days"
ACTIONS = {  # journal action of each decision; the motcua dialect sends these upstream
    DossierStatus.RECEIVED: "dossier.online.accept",
    DossierStatus.SUPPLEMENT: "dossier.online.supplement",
    DossierStatus.REFUSED: "dossier.online.refuse",
}

register(
    {
        "online.unknown": {
            "vi": "Không có hồ sơ trực tuyến mã {code}.",
            "en": "No online dossier with code {code}.",
        },
        "online.decided": {
            "vi": "Hồ sơ trực tuyến {code} đã được xử lý ({status}); chỉ quyết định được hồ sơ "
            "đang chờ kiểm tra.",
            "en": "Online dossier {code} was already decided ({status_en}); only a dossier "
            "waiting for its check can be decided.",
        },
        "online.reason_required": {
            "vi": "Cần ghi rõ {what}.",
            "en": "Please write {what_en}.",
        },
    }
)

_REASON_WHAT = {
    DossierStatus.SUPPLEMENT: ("những giấy tờ cần bổ sung, hoàn thiện", "what is missing"),
    DossierStatus.REFUSED: ("lý do từ chối tiếp nhận", "the reason for the refusal"),
}


@dataclass(frozen=True)
class OnlinePaper:
    """One paper as it arrived, openable with services.papers.read_paper(paper_id)."""

    paper_id: str
    paper_no: int  # the checklist row
    title: str
    pages: int


@dataclass(frozen=True)
class OnlineDossierRow:
    """One line of the inbox: what the clerk needs to choose which dossier to check."""

    upstream_code: str
    dossier_code: str
    citizen_name: str = ""  # personal data: shown to the clerk, never logged
    procedure_code: str = ""
    procedure_name: str = ""
    papers: tuple[OnlinePaper, ...] = ()
    submitted_at: datetime | None = None
    round: int = 1  # LanNop: 2, 3... a resubmission after a supplement request
    status: DossierStatus = DossierStatus.NEW
    check_due_at: datetime | None = None  # the deadline of the check (core/online_check.py)
    time_left: timedelta = timedelta()  # working time; negative once late
    level: Urgency = Urgency.OK  # ok / amber / red
    notify_email: bool = False  # the citizen's channel for the notice
    notify_sms: bool = False

    def __repr__(self) -> str:  # the citizen's name stays out of tracebacks
        return f"OnlineDossierRow({self.upstream_code}, round {self.round})"


def check_days(ctx: ServiceContext) -> int:
    """Working days to check an online dossier: the setting, else the default (1)."""
    value = ctx.store.settings.get(CHECK_DAYS_SETTING, DEFAULT_CHECK_DAYS)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_CHECK_DAYS:
        return value
    return DEFAULT_CHECK_DAYS


def inbox(ctx: ServiceContext) -> list[OnlineDossierRow]:
    """The online dossiers waiting for a clerk's check, the longest waiting first, each with
    its papers and the working time left to check it."""
    from counter_app.services.papers import papers_of

    ctx.actor.require(Permission.CHECK_ONLINE)
    now, days, calendar = ctx.now(), check_days(ctx), ctx.calendar()
    rows = []
    for record in ctx.store.online.waiting():
        dossier = ctx.store.dossiers.get(record.dossier_code)
        if dossier is None:  # a replica's record ahead of its dossier: shown once both came
            continue
        clock = check_clock(calendar, record.submitted_at, now, days=days)
        papers = tuple(
            OnlinePaper(p.paper_id, p.paper_no, p.title, p.pages)
            for p in papers_of(ctx, dossier.code, "intake")
        )
        rows.append(
            OnlineDossierRow(
                upstream_code=record.upstream_code,
                dossier_code=dossier.code,
                citizen_name=dossier.applicant.full_name,
                procedure_code=dossier.procedure_code,
                procedure_name=dossier.procedure_name,
                papers=papers,
                submitted_at=record.submitted_at,
                round=record.round,
                status=dossier.status,
                check_due_at=clock.deadline,
                time_left=clock.left,
                level=clock.urgency,
                notify_email=record.notify_email,
                notify_sms=record.notify_sms,
            )
        )
    return rows


def accept_online(ctx: ServiceContext, upstream_code: str) -> Dossier:
    """Accept the dossier (status 2): received now by this clerk, its due date counted from
    the acceptance by the procedure's processing time. Its Form 01 (two copies) comes from
    printers.service.decision_docs: printing sits above the services, never inside them."""
    return _decide(ctx, upstream_code, DossierStatus.RECEIVED, "")


def supplement_online(ctx: ServiceContext, upstream_code: str, reason: str) -> Dossier:
    """Ask for supplements (status 5), `reason` saying what is missing (Form 02). The
    citizen's resubmission comes back into the same dossier (services/online_intake.py)."""
    return _decide(ctx, upstream_code, DossierStatus.SUPPLEMENT, reason)


def refuse_online(ctx: ServiceContext, upstream_code: str, reason: str) -> Dossier:
    """Refuse the dossier (status 3) for `reason` (Form 03)."""
    return _decide(ctx, upstream_code, DossierStatus.REFUSED, reason)


def online_record(ctx: ServiceContext, upstream_code: str) -> OnlineRecord:
    """The online record under that upstream code (as typed: spaces and case forgiven)."""
    ctx.actor.require(Permission.CHECK_ONLINE)
    code = upstream_code.strip().upper()
    record = ctx.store.online.get(code)
    if record is None:
        raise NotFound("online.unknown", code=code)
    return record


def _decide(ctx: ServiceContext, upstream_code: str, target: DossierStatus, reason: str) -> Dossier:
    ctx.actor.require(Permission.CHECK_ONLINE)
    reason = rules.check_note(reason)
    if target in _REASON_WHAT and not reason:
        what, what_en = _REASON_WHAT[target]
        raise ValidationError("online.reason_required", field="reason", what=what, what_en=what_en)
    now = ctx.check_clock()
    with ctx.store.transaction():
        record = online_record(ctx, upstream_code)
        before = get_dossier(ctx, record.dossier_code)
        if not record.waiting or before.status is not DossierStatus.NEW:
            vi, en = STATUS_NAMES[before.status]
            raise DomainError("online.decided", code=record.upstream_code, status=vi, status_en=en)
        take_online(ctx, record.upstream_code)  # in a center: this clerk's, nobody else's
        changes: dict = {}
        if target is DossierStatus.RECEIVED:
            procedure = ctx.catalogue().procedure(before.procedure_code)
            changes = {
                "received_at": now,
                "receiver": ctx.actor.username,
                "book_entry": ctx.store.sequences.take(
                    "book", str(now.year), lambda last: (last or 0) + 1
                ),
                "due_at": ctx.calendar().due_at(
                    now, procedure.processing, with_verification=before.with_verification
                ),
            }
        else:
            changes = {"receiver": ctx.actor.username}
        kind = "received" if target is DossierStatus.RECEIVED else "status"
        after = _record_status(ctx, before, target, reason, kind=kind, **changes)
        decided = replace(record, waiting=False, decided_at=now, decided_by=ctx.actor.username)
        ctx.store.online.put(decided, station_id=ctx.station.id)
        ctx.journal(
            at=now,
            action=ACTIONS[target],
            entity="dossier",
            entity_id=after.code,
            detail={"from": int(before.status), "to": int(after.status), "round": record.round},
            payload={
                **dossier_event(ctx, after, at=now, previous=before.status, note=reason),
                "online": online_payload(decided),
            },
        )
    log.info("online dossier %s decided: %s", after.code, after.status.name)
    return after


def online_payload(record: OnlineRecord) -> dict:
    """The online record as the center and the upstream dialect read it (no personal data)."""
    return {
        "upstream_code": record.upstream_code,
        "round": record.round,
        "submitted_at": record.submitted_at.isoformat(),
        "notify_email": record.notify_email,
        "notify_sms": record.notify_sms,
        "waiting": record.waiting,
        "decided_at": record.decided_at.isoformat() if record.decided_at else None,
        "decided_by": record.decided_by,
    }
