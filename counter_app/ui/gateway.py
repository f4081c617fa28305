"""The UI's one door onto the services: widgets import this module, never the store.

Most functions are the services themselves, re-exported; the rest wrap one service call
(printing and background work live in counter_app.ui.printing and counter_app.ui.background).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_app.core.dossier import Dossier
    from counter_app.core.roles import Actor
    from counter_app.services import portal_link
    from counter_app.services.context import ServiceContext
    from counter_app.store import Store

# The services as they are: name -> (module of counter_app.services, its attribute). Each
# module loads the first time a page uses one of its names (see __getattr__).
SERVICES = {
    "take_ticket": ("queue", "take_ticket"),
    "call_next": ("queue", "call_next"),
    "recall": ("queue", "recall"),
    "no_show": ("queue", "no_show"),
    "finish": ("queue", "finish"),
    "transfer": ("queue", "transfer"),
    "start_serving": ("queue", "start_serving"),
    "snapshot": ("queue", "snapshot"),
    "find_ticket": ("queue", "find_ticket"),
    "restore_no_show": ("queue", "restore_no_show"),
    "absent_today": ("queue", "absent_today"),
    "call_ticket": ("queue", "call_ticket"),
    "pause_counter": ("queue_desk", "pause_counter"),
    "resume_counter": ("queue_desk", "resume_counter"),
    "open_pause": ("queue_desk", "open_pause"),
    "counter_states": ("queue_desk", "counter_states"),
    "clerks": ("queue_desk", "clerks"),
    "current_policy": ("queue_desk", "current_policy"),
    "set_policy": ("queue_desk", "set_policy"),
    "queue_figures": ("queue_desk", "queue_figures"),
    "appointment": ("dossiers", "appointment"),
    "receive_dossier": ("dossiers", "receive_dossier"),
    "change_status": ("dossiers", "change_status"),
    "accept_draft": ("dossiers", "accept_draft"),
    "extend_due": ("dossier_notices", "extend_due"),
    "stop_dossier": ("dossier_notices", "stop_dossier"),
    "show_dossier": ("dossiers", "show_dossier"),
    "checklist": ("dossiers", "checklist"),
    "default_fee": ("dossiers", "default_fee"),
    "validate_applicant": ("dossiers", "validate_applicant"),
    "ApplicantInput": ("dossiers", "ApplicantInput"),
    "is_offline_code": ("code_pool", "is_offline_code"),
    "search_dossiers": ("search", "search_dossiers"),
    "find_dossiers": ("search", "find_dossiers"),
    "search_procedures": ("procedures", "search_procedures"),
    "procedure_uses": ("procedures", "procedure_uses"),
    "online_dossiers": ("online_inbox", "inbox"),
    "online_waiting": ("station_status", "online_waiting"),
    "accept_online": ("online_inbox", "accept_online"),
    "supplement_online": ("online_inbox", "supplement_online"),
    "refuse_online": ("online_inbox", "refuse_online"),
    "low_room": ("room", "low_room"),
    "SyncStatus": ("station_status", "SyncStatus"),
    "sync_status": ("station_status", "sync_status"),
    "set_aside": ("station_status", "set_aside"),
    "list_dossiers": ("search", "list_dossiers"),
    "PublicStatus": ("dossiers", "PublicStatus"),
    "public_status": ("dossiers", "public_status"),
    "read_settings": ("admin", "read_settings"),
    "save_settings": ("admin", "save_settings"),
    "update_station": ("admin", "update_station"),
    "RESULT_STATUSES": ("papers", "RESULT_STATUSES"),  # when result papers may be attached
}


def may_check_online(actor: Actor) -> bool:
    """Whether the account sees the online inbox (core.roles, the CLI's own check)."""
    from counter_app.core.roles import may_check_online as allowed

    return allowed(actor)


def __getattr__(name: str):
    """A service named in SERVICES, imported on first use and kept: the counter page, built
    while the login waits, needs the queue's services, not the dossiers', papers' or portal's
    (they load with the pages that use them)."""
    try:
        module, attr = SERVICES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"counter_app.services.{module}"), attr)
    globals()[name] = value
    return value


def portal_form(ctx: ServiceContext) -> portal_link.PortalForm:
    """Settings' portal page: the stored link, read through sync's dialects (the port)."""
    from counter_app.services import portal_link
    from sync.portal_port import DIALECT_PORTAL

    return portal_link.portal_form(ctx, portal=DIALECT_PORTAL)


def save_portal(
    ctx: ServiceContext, form: portal_link.PortalForm, *, secret: str = ""
) -> portal_link.PortalForm:
    from counter_app.services import portal_link
    from sync.portal_port import DIALECT_PORTAL

    return portal_link.save_portal(ctx, form, portal=DIALECT_PORTAL, secret=secret)


def login(
    store: Store,
    *,
    username: str,
    password: str,
    now: datetime,
    verify: Callable[[str, str], bool] | None = None,
) -> Actor:
    """`verify`: how the password check runs (services.accounts.login), by default inline."""
    from counter_app.services.accounts import login as service_login

    how = {"verify": verify} if verify is not None else {}
    return service_login(store, username=username, password=password, now=now, **how)


def list_users(ctx: ServiceContext) -> list:
    from counter_app.services.accounts import list_users as service_list_users

    return service_list_users(ctx)


def add_user(ctx: ServiceContext, **account):
    from counter_app.services.accounts import add_user as service_add_user

    return service_add_user(ctx, **account)


def update_user(ctx: ServiceContext, *, username: str, full_name: str, title: str):
    from counter_app.services.accounts import update_user as service_update_user

    return service_update_user(ctx, username=username, full_name=full_name, title=title)


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


def figure_meaning(column: str) -> str:
    """What a report figure means, in one line of the user's language."""
    from counter_app.services.reports import MEANINGS
    from counter_app.ui.i18n import pick

    return pick(*MEANINGS[column])


def export_report(report, path: str) -> None:
    from counter_app.services import reports

    if str(path).lower().endswith(".csv"):
        reports.export_csv(report, path)
    else:
        reports.export_xlsx(report, path)


# --- station status, settings, intake decisions (their names are in SERVICES) ---------


def dossiers_received_today(ctx: ServiceContext) -> int:
    """Dossiers this clerk received today (their figure in today's report)."""
    from counter_app.services.reports import received_by

    return received_by(ctx, ctx.actor.username, ctx.now().date())


def refuse_at_intake(ctx: ServiceContext, *, reasons: str, **dossier) -> Dossier:
    """Refused at the counter (Form 03): one transaction, with its reason."""
    from counter_app.core.dossier import DossierStatus
    from counter_app.services import dossiers

    return dossiers.decide_at_intake(
        ctx, decision=DossierStatus.REFUSED, reasons=reasons, **dossier
    )


def supplement_at_intake(ctx: ServiceContext, *, reasons: str, **dossier) -> Dossier:
    """Supplements requested at the counter (Form 02): one transaction, with its reason."""
    from counter_app.core.dossier import DossierStatus
    from counter_app.services import dossiers

    return dossiers.decide_at_intake(
        ctx, decision=DossierStatus.SUPPLEMENT, reasons=reasons, **dossier
    )


def tracking_book_pdf(ctx: ServiceContext, *, start: date, end: date, out) -> tuple[int, int]:
    """Form 07 (Sổ theo dõi hồ sơ) for a period, as a PDF: (dossiers, pages)."""
    from printers.service import tracking_book

    return tracking_book(ctx, start=start, end=end, out=out)


def calendar_overrides(ctx: ServiceContext) -> list:
    from counter_app.services.admin import read_settings

    return list(read_settings(ctx)["calendar_overrides"])


def set_calendar_override(ctx: ServiceContext, override) -> object:
    from counter_app.services import admin

    return admin.set_calendar_override(ctx, override)


def test_print_document(ctx: ServiceContext, printer: str):
    from printers.service import test_doc

    return test_doc(ctx, printer)


def keyring_available() -> bool:
    """Whether the OS keyring can hold the data key (else the wizard asks a passphrase)."""
    from counter_app.store.keys import os_keyring_available

    return os_keyring_available()


def initialise_station(
    store: Store,
    *,
    agency_code: str,
    center_name: str,
    counters: int,
    admin_username: str,
    admin_password: str,
    now: datetime,
    admin_full_name: str = "",
    admin_title: str = "",
    data_passphrase: str | None = None,
    on_recovery_code: Callable[[str], None] | None = None,
):
    """The first-run wizard's one write: station, first admin, catalogue and data key."""
    from counter_app.core.roles import Actor, Role
    from counter_app.services.setup import initialise_store

    return initialise_store(
        store,
        agency_code=agency_code,
        center_name=center_name,
        now=now,
        actor=Actor(admin_username or "admin", Role.ADMIN),
        counters=counters,
        admin_password=admin_password,
        admin_full_name=admin_full_name,
        admin_title=admin_title,
        data_passphrase=data_passphrase,
        on_recovery_code=on_recovery_code,
    )


def officer_name(ctx: ServiceContext, username: str) -> str:
    """Who did it, as the clerk knows them: the officer's full name, else the login."""
    from counter_app.services.accounts import officer

    return officer(ctx.store, username)[0]


# --- papers: scanning and converting run on a worker thread (ui/papers.py) ------------------


def prepare_scan(device: str | None, *, colour: bool, earlier: list[bytes]):
    """One more page from the scanner, then the paper's PDF with every page so far; slow:
    never on the UI thread. Returns (pages as images, the PDF, its thumbnail)."""
    from counter_app.scanner import scan_page

    return prepare_pages([*earlier, scan_page(device, colour=colour).image], colour=colour)


def prepare_files(paths: list[str], *, colour: bool, earlier: list[bytes]):
    from counter_app.core.paper_pdf import read_inputs

    return prepare_pages([*earlier, *read_inputs([Path(p) for p in paths])], colour=colour)


def prepare_pages(pages: list[bytes], *, colour: bool):
    from counter_app.core.paper_pdf import make_pdf, thumbnail

    pdf = make_pdf(pages, colour=colour)
    return pages, pdf, thumbnail(pdf.pdf)


def scanner_device(ctx: ServiceContext) -> str | None:
    """The scanner chosen in settings (`scanner_device`), else the first one found."""
    return ctx.store.settings.get("scanner_device")


def papers_of(ctx: ServiceContext, code: str, kind: str | None = None):
    from counter_app.services import papers

    return papers.papers_of(ctx, code, kind)


def read_paper(ctx: ServiceContext, paper_id: str) -> bytes:
    from counter_app.services import papers

    return papers.read_paper(ctx, paper_id)


def attach_pdf(ctx: ServiceContext, code: str, paper_no: int, pdf, *, kind: str, title=None):
    from counter_app.services import papers

    return papers.attach_pdf(ctx, code, paper_no, pdf, kind=kind, title=title)


def receive_with_papers(ctx: ServiceContext, prepared: dict, **intake) -> Dossier:
    """Receive the dossier and attach the papers scanned meanwhile, in one transaction."""
    from counter_app.services import dossiers, papers

    def attach(dossier: Dossier) -> Dossier:
        for paper_no, pdf in sorted(prepared.items()):  # a new dossier: nothing to replace
            papers.attach_in_transaction(
                ctx, dossier, paper_no, pdf, kind="intake", title=None, now=dossier.updated_at
            )
        return dossier

    return dossiers.receive_dossier(ctx, then=attach if prepared else None, **intake)


def attach_result(ctx: ServiceContext, code: str, pdf):
    """The next result paper of the dossier, titled after its procedure."""
    from counter_app.services import dossiers, papers

    held = papers.papers_of(ctx, code, "result")
    number = max((p.paper_no for p in held), default=0) + 1
    name = dossiers.get_dossier(ctx, code).procedure_name
    title = f"Kết quả: {name}"[: papers.TITLE_MAX]
    return papers.attach_pdf(ctx, code, number, pdf, kind="result", title=title)
