"""The UI's one door onto the services: widgets import this module, never the store.

Most functions are the services themselves, re-exported. The few marked GAP read through a
repository because the service does not exist yet; each names the service that replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import Dossier, DossierStatus
from counter_app.core.roles import Actor, Permission
from counter_app.services import dossiers, queue, search
from counter_app.services.context import ServiceContext
from counter_app.store import Store

# --- queue and dossiers: the services as they are ------------------------------------------
take_ticket = queue.take_ticket
call_next = queue.call_next
recall = queue.recall
no_show = queue.no_show
finish = queue.finish
transfer = queue.transfer
start_serving = queue.start_serving
snapshot = queue.snapshot
find_ticket = queue.find_ticket
appointment = dossiers.appointment
receive_dossier = dossiers.receive_dossier
change_status = dossiers.change_status
accept_draft = dossiers.accept_draft
show_dossier = dossiers.show_dossier
checklist = dossiers.checklist
default_fee = dossiers.default_fee
validate_applicant = dossiers.validate_applicant
ApplicantInput = dossiers.ApplicantInput
search_dossiers = search.search_dossiers


def login(store: Store, *, username: str, password: str, now: datetime) -> Actor:
    from counter_app.services.accounts import login as service_login

    return service_login(store, username=username, password=password, now=now)


def demo_accounts() -> dict:
    from counter_app.services.demo import DEMO_ACCOUNTS

    return dict(DEMO_ACCOUNTS)


def rating_scale(ctx: ServiceContext) -> list[tuple[int, str, str]]:
    from counter_app.services import ratings

    return ratings.scale(ctx)


def rate_service(
    ctx: ServiceContext, *, score: int, ticket_id: int | None, dossier_code: str | None = None
):
    from counter_app.services import ratings

    return ratings.rate_service(ctx, score=score, ticket_id=ticket_id, dossier_code=dossier_code)


def build_report(ctx: ServiceContext, *, start: date, end: date):
    from counter_app.services import reports

    return reports.build_report(ctx, start=start, end=end)


def export_report(report, path: str) -> None:
    from counter_app.services import reports

    if str(path).lower().endswith(".csv"):
        reports.export_csv(report, path)
    else:
        reports.export_xlsx(report, path)


# --- GAP: read-only views the services do not offer yet ----------------------------------


@dataclass(frozen=True)
class SyncStatus:
    waiting: int  # records not yet accepted by the portal
    attention: int  # set aside for an admin
    oldest: datetime | None  # the oldest record still waiting
    last_ok: datetime | None  # the last successful round with the portal


def sync_status(ctx: ServiceContext) -> SyncStatus:
    """GAP: services.sync_status.sync_status(ctx) -> SyncStatus."""
    try:
        from counter_app.services.sync_status import sync_status as service

        return service(ctx)
    except ImportError:
        pass
    counts = ctx.store.outbox.counts()
    last = None
    sync_state = getattr(ctx.store, "sync_state", None)
    if sync_state is not None:
        round_ = sync_state.last_round(ok_only=True)
        last = round_.finished_at if round_ else None
    return SyncStatus(
        waiting=counts.get("waiting", 0) + counts.get("sending", 0),
        attention=counts.get("attention", 0),
        oldest=ctx.store.outbox.oldest_pending_at(),
        last_ok=last,
    )


def list_dossiers(
    ctx: ServiceContext,
    *,
    statuses: list[DossierStatus] | None = None,
    procedure_code: str | None = None,
    since: date | None = None,
    until: date | None = None,
    overdue: bool = False,
    limit: int = 200,
) -> list[Dossier]:
    """GAP: search.list_dossiers(ctx, *, statuses, procedure_code, since, until, overdue, limit)."""
    if hasattr(search, "list_dossiers"):
        return search.list_dossiers(
            ctx,
            statuses=statuses,
            procedure_code=procedure_code,
            since=since,
            until=until,
            overdue=overdue,
            limit=limit,
        )
    ctx.actor.require(Permission.READ_DOSSIERS)
    start = datetime.combine(since, time(0), VN_TZ) if since else None
    end = datetime.combine(until + timedelta(days=1), time(0), VN_TZ) if until else None
    return ctx.store.dossiers.listing(
        statuses=statuses,
        procedure_code=procedure_code or None,
        received_from=start,
        received_to=end,
        overdue_at=ctx.now() if overdue else None,
        limit=limit,
    )


@dataclass(frozen=True)
class PublicStatus:
    """What the kiosk may show a stranger about a dossier: no personal data."""

    code: str
    procedure_name: str
    status: DossierStatus
    due_at: datetime | None
    overdue: bool


def public_status(ctx: ServiceContext, code: str) -> PublicStatus:
    """GAP: dossiers.public_status(ctx, code) -> PublicStatus (kiosk look-up, no permission)."""
    if hasattr(dossiers, "public_status"):
        return dossiers.public_status(ctx, code)
    found = dossiers.get_dossier(ctx, code)
    return PublicStatus(
        found.code, found.procedure_name, found.status, found.due_at, found.is_overdue(ctx.now())
    )


def dossiers_received_today(ctx: ServiceContext) -> int:
    """GAP: part of a future `reports.today_counts(ctx)`; counts today's received dossiers."""
    today = ctx.now().date()
    found = list_dossiers(ctx, since=today, until=today, limit=10_000)
    return sum(1 for d in found if d.receiver == ctx.actor.username)


@dataclass(frozen=True)
class PrinterStatus:
    configured: bool
    ready: bool
    queued: int  # jobs in the spool waiting for the printer


def printer_status(ctx: ServiceContext) -> PrinterStatus:
    """GAP: the printing issue's spool (printers.spool.status(store) -> PrinterStatus)."""
    try:
        from printers.spool import status  # type: ignore[import-not-found]
    except ImportError:
        return PrinterStatus(configured=False, ready=False, queued=0)
    found = status(ctx.store)
    return PrinterStatus(bool(found.configured), bool(found.ready), int(found.queued))


def refuse_at_intake(ctx: ServiceContext, *, reasons: str, **dossier) -> Dossier:
    """GAP: dossiers.refuse_at_intake(ctx, *, procedure_code, applicant, documents, reasons).

    Until then: registered as a draft (status 1) and moved to "Không được tiếp nhận" (3), the
    same path the demo uses for a refused draft.
    """
    return _decide_at_intake(ctx, DossierStatus.REFUSED, reasons, dossier)


def supplement_at_intake(ctx: ServiceContext, *, reasons: str, **dossier) -> Dossier:
    """GAP: dossiers.supplement_at_intake(...), as refuse_at_intake with status 5."""
    return _decide_at_intake(ctx, DossierStatus.SUPPLEMENT, reasons, dossier)


def _decide_at_intake(ctx, status: DossierStatus, reasons: str, dossier: dict) -> Dossier:
    from counter_app.core.errors import ValidationError

    if not reasons.strip():  # checked first: nothing may be written without a reason
        raise ValidationError(
            "dossier.note_required", field="note", target=_status_vi(status),
            target_en=_status_en(status),
        )  # fmt: skip
    draft = dossiers.receive_dossier(ctx, draft=True, **dossier)
    return dossiers.change_status(ctx, code=draft.code, to=status, note=reasons)


def _status_vi(status: DossierStatus) -> str:
    from counter_app.core.dossier import STATUS_NAMES

    return STATUS_NAMES[status][0]


def _status_en(status: DossierStatus) -> str:
    from counter_app.core.dossier import STATUS_NAMES

    return STATUS_NAMES[status][1]


def tracking_book_pdf(ctx: ServiceContext, *, start: date, end: date, out) -> tuple[int, int]:
    """Form 07 (Sổ theo dõi hồ sơ) for a period, as a PDF: (dossiers, pages)."""
    from printers.service import tracking_book

    return tracking_book(ctx, start=start, end=end, out=out)


def station_settings(ctx: ServiceContext) -> dict:
    """GAP: admin.read_settings(ctx) -> dict with "printers", "sync" and "backup_dir"."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    return {
        "printers": ctx.store.settings.get("printers", {}) or {},
        "sync": ctx.store.settings.get("sync", {}) or {},
        "backup_dir": ctx.store.settings.get("backup_dir", "") or "",
    }


def calendar_overrides(ctx: ServiceContext) -> list:
    """GAP: admin.calendar_overrides(ctx) -> list[CalendarOverride]."""
    return ctx.store.catalogue.overrides()


def set_calendar_override(ctx: ServiceContext, override) -> object:
    from counter_app.services import admin

    return admin.set_calendar_override(ctx, override)


def test_print_document(ctx: ServiceContext, printer: str):
    from printers.service import test_doc

    return test_doc(ctx, printer)


def initialise_station(
    store: Store,
    *,
    agency_code: str,
    center_name: str,
    counters: int,
    admin_username: str,
    admin_password: str,
    now: datetime,
    portal_url: str = "",
):
    """The first-run wizard's one write. The admin's name is fixed by the service for now.

    GAP: setup.initialise_store(..., admin_username=...) and admin.set_portal_url(ctx, url).
    """
    from counter_app.core.roles import Role
    from counter_app.services.setup import initialise_store

    return initialise_store(
        store,
        agency_code=agency_code,
        center_name=center_name,
        now=now,
        actor=Actor(admin_username or "admin", Role.ADMIN),
        counters=counters,
        admin_password=admin_password,
    )
