"""Printing use cases: build a document from the store, spool it, try to print it now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from counter_app.core.catalogue import ProcessingTime
from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import Dossier, DossierStatus
from counter_app.core.dossier_notices import EXTENDED_KIND, read_extension, read_stop
from counter_app.core.errors import NotFound, ValidationError
from counter_app.core.messages import register
from counter_app.core.oserrors import NOT_CREATED, cannot_write
from counter_app.core.roles import Permission
from counter_app.core.wait import wait_text_vi
from counter_app.services.accounts import officer
from counter_app.services.context import ServiceContext
from counter_app.services.dossiers import show_dossier
from counter_app.services.queue import estimated_wait, find_ticket
from printers.backends import parse_printer_url
from printers.documents import (
    Document,
    HandOver,
    Header,
    form01_document,
    form02_document,
    form03_document,
    form06_document,
    test_document,
    ticket_document,
)
from printers.documents_notices import form04_document, form05_document
from printers.spool import Enqueued, Job, Sealer, Spool

register(
    {
        "printer.unknown_name": {
            "vi": "Chưa có máy in tên «{name}» trong cài đặt (các tên đã có: {names}).",
            "en": "No printer named '{name}' in the settings (known names: {names}).",
        },
        "printer.no_printer": {
            "vi": "Chưa chọn máy in: dùng --printer với địa chỉ (ví dụ tcp://192.168.1.50:9100) "
            "hoặc tên máy in trong cài đặt.",
            "en": "No printer chosen: pass --printer with an address "
            "(e.g. tcp://192.168.1.50:9100) or a printer name from the settings.",
        },
        "printer.bad_period": {
            "vi": "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.",
            "en": "The end date must not be before the start date.",
        },
        "printer.unknown_form": {
            "vi": "Không có mẫu phiếu này; các mẫu: {forms}.",
            "en": "No such form; the forms are: {forms}.",
        },
        "printer.not_extended": {
            "vi": "Hồ sơ {code} chưa được gia hạn nên chưa có Văn bản xin lỗi (Mẫu 04).",
            "en": "Dossier {code} was never extended, so it has no Form 04.",
        },
        "printer.not_stopped": {
            "vi": "Hồ sơ {code} không ở trạng thái «Dừng xử lý» nên chưa có Mẫu 05.",
            "en": "Dossier {code} is not stopped, so it has no Form 05.",
        },
        "printer.bad_copies": {
            "vi": "Số liên phải là 1 hoặc 2.",
            "en": "The number of copies must be 1 or 2.",
        },
    }
)

SPOOL_FILE = "spool.db"


def open_spool(data_dir: Path, *, clock, sealer: Sealer | None = None) -> Spool:
    return Spool(Path(data_dir) / SPOOL_FILE, clock=clock, sealer=sealer)


def resolve_printer(ctx: ServiceContext, name_or_url: str | None) -> str:
    """A URL as given, or a name looked up in the settings' `printers` table."""
    named: dict[str, str] = ctx.store.settings.get("printers", {}) or {}
    value = (name_or_url or named.get("default") or "").strip()
    if not value:
        raise ValidationError("printer.no_printer", field="printer")
    if "://" in value:
        parse_printer_url(value)
        return value
    if value not in named:
        raise ValidationError(
            "printer.unknown_name",
            field="printer",
            name=value,
            names=", ".join(sorted(named)) or "—",
        )
    return parse_printer_url(named[value]).url


def header(ctx: ServiceContext) -> Header:
    return Header.from_station(ctx.station)


def processing_text(processing: ProcessingTime, *, with_verification: bool) -> str:
    days = processing.working_days + (
        processing.verification_extra_days if with_verification else 0
    )
    if days == 0:
        cutoff = processing.same_day_cutoff
        after = f"; nhận sau {cutoff:%H:%M} trả vào ngày làm việc tiếp theo" if cutoff else ""
        return f"Trong ngày{after}"
    return f"{days} ngày làm việc"


def ticket_doc(ctx: ServiceContext, label: str) -> Document:
    ticket = find_ticket(ctx, label)
    group = ctx.catalogue().group(ticket.letter)
    priority = next((p.name_vi for p in ctx.station.priorities if p.key == ticket.priority), "")
    ahead = ctx.store.tickets.waiting_ahead(ticket)
    return ticket_document(
        ticket,
        header=header(ctx),
        group_name=group.name,
        ahead=ahead,
        priority_name=priority,
        wait_text=wait_text_vi(estimated_wait(ctx, ticket.group, ahead, ticket.day)),
    )


def receipt_docs(ctx: ServiceContext, code: str, *, copies: int = 1) -> list[Document]:
    if copies not in (1, 2):
        raise ValidationError("printer.bad_copies", field="copies")
    d = show_dossier(ctx, code).dossier
    try:
        processing = ctx.catalogue().procedure(d.procedure_code).processing
        text = processing_text(processing, with_verification=d.with_verification)
    except NotFound:
        text = ""
    name, title = officer(ctx.store, d.receiver)
    return [
        form01_document(
            d,
            header=header(ctx),
            copy=copy,
            processing=text,
            receiver_name=name,
            receiver_title=title,
        )
        for copy in range(1, copies + 1)
    ]


def _latest_note(events, status: DossierStatus, fallback: str) -> str:
    for event in reversed(events):
        if event.to_status == status and event.note:
            return event.note
    return fallback


def notice_doc(ctx: ServiceContext, form: str, detail) -> Document:
    """Form 04 from the latest extension in the history, Form 05 from the stop."""
    d = detail.dossier
    latest = list(reversed(detail.events))
    if form == "form04":
        event = next((e for e in latest if e.kind == EXTENDED_KIND), None)
    else:  # the stop, whoever recorded it (this station, another of the center)
        event = next((e for e in latest if e.to_status == DossierStatus.STOPPED), None)
    if form == "form04":
        extension = read_extension(event.note, d.received_at.tzinfo) if event else None
        if extension is None:
            raise NotFound("printer.not_extended", code=d.code)
        name, title = officer(ctx.store, event.actor)
        return form04_document(d, header=header(ctx), at=event.at, extension=extension,
                               officer=name, officer_title=title)  # fmt: skip
    if event is None or d.status is not DossierStatus.STOPPED:
        raise NotFound("printer.not_stopped", code=d.code)
    name, title = officer(ctx.store, event.actor)
    return form05_document(d, header=header(ctx), at=event.at, decided=read_stop(event.note),
                           officer=name, officer_title=title)  # fmt: skip


def form_doc(ctx: ServiceContext, form: str, code: str) -> Document:
    detail = show_dossier(ctx, code)
    d, now = detail.dossier, ctx.now()
    if form in ("form04", "form05"):
        return notice_doc(ctx, form, detail)
    name, title = officer(ctx.store, d.receiver)
    if form in ("form02", "form03"):
        status = DossierStatus.SUPPLEMENT if form == "form02" else DossierStatus.REFUSED
        make = form02_document if form == "form02" else form03_document
        reasons = _latest_note(detail.events, status, d.note)
        return make(d, header=header(ctx), reasons=reasons, at=now, receiver_name=name,
                    receiver_title=title)  # fmt: skip
    rows = [HandOver("Bộ phận Một cửa", "Bộ phận chuyên môn", d.received_at)]
    for event in detail.events:
        if event.kind == "status" and event.to_status is not None:
            giver = officer(ctx.store, event.actor)[0]
            rows.append(HandOver(giver, "—", event.at, note=event.note))
    rows += [HandOver("Bộ phận chuyên môn", "Bộ phận Một cửa", None)]
    return form06_document(d, header=header(ctx), rows=tuple(rows))


FORMS = ("form01", "form02", "form03", "form04", "form05", "form06")


def dossier_forms(ctx: ServiceContext, code: str) -> list[str]:
    """The forms this dossier has had a reason to print, in the order of the law's annex:
    Form 01 once received, 02 and 03 once asked for or refused, 04 once extended, 05 while
    stopped, 06 once received."""
    detail = show_dossier(ctx, code)
    seen = {detail.dossier.status} | {e.to_status for e in detail.events if e.to_status}
    received = bool(seen - {DossierStatus.NEW, DossierStatus.REFUSED})
    forms = ["form01"] if received else []
    if DossierStatus.SUPPLEMENT in seen:
        forms.append("form02")
    if DossierStatus.REFUSED in seen:
        forms.append("form03")
    if any(e.kind == EXTENDED_KIND for e in detail.events):
        forms.append("form04")
    if detail.dossier.status is DossierStatus.STOPPED:
        forms.append("form05")
    if received:
        forms.append("form06")
    return forms


def form_docs(ctx: ServiceContext, form: str, code: str) -> list[Document]:
    """Any form of a dossier by its name; Form 01 in its two copies."""
    if form == "form01":
        return receipt_docs(ctx, code, copies=2)
    if form not in FORMS:
        raise ValidationError("printer.unknown_form", field="form", forms=", ".join(FORMS))
    return [form_doc(ctx, form, code)]


_DECISION_FORMS = {
    DossierStatus.RECEIVED: "form01",
    DossierStatus.SUPPLEMENT: "form02",
    DossierStatus.REFUSED: "form03",
}


def decision_docs(ctx: ServiceContext, dossier: Dossier) -> list[Document]:
    """What a clerk's decision on an online dossier prints: Form 01 (two copies) for an
    acceptance, Form 02 for a supplement request, Form 03 for a refusal."""
    form = _DECISION_FORMS.get(dossier.status)
    if form is None:
        raise ValidationError("printer.unknown_form", field="form", forms=", ".join(FORMS))
    return form_docs(ctx, form, dossier.code)


def mark_reprint(ctx: ServiceContext, documents: list[Document]) -> list[Document]:
    """Documents printed again: each marked "BẢN IN LẠI" with the time on paper, and each
    recorded in the audit through the one write path (what and which copy, no name)."""
    ctx.actor.require(Permission.READ_DOSSIERS)
    now = ctx.now()
    with ctx.store.transaction():
        for document in documents:
            ctx.journal(
                at=now,
                action="print.reprint",
                entity="ticket" if document.kind == "ticket" else "dossier",
                entity_id=document.key,
                detail={"form": document.kind, "copy": document.copy},
            )
    return [document.as_reprint(now) for document in documents]


def test_doc(ctx: ServiceContext, printer: str) -> Document:
    return test_document(header=header(ctx), printer_url=printer, at=ctx.now())


@dataclass(frozen=True)
class PrintOutcome:
    job: Job
    created: bool


def print_now(spool: Spool, documents: list[Document], printer: str) -> list[PrintOutcome]:
    """Spool every document first, then send what is due for this printer, oldest first."""
    enqueued: list[Enqueued] = [spool.enqueue(doc, printer) for doc in documents]
    spool.run_due(printer=printer, force=True)
    return [PrintOutcome(spool.get(e.job.id), e.created) for e in enqueued]


def tracking_book(ctx: ServiceContext, *, start: date, end: date, out: Path) -> tuple[int, int]:
    """Form 07 for the dossiers received from `start` to `end` inclusive: (dossiers, pages)."""
    ctx.actor.require(Permission.READ_DOSSIERS)
    if end < start:
        raise ValidationError("printer.bad_period", field="to")
    from printers.pdf import DeviceRefused, tracking_book_pdf

    dossiers = ctx.store.dossiers.listing(
        received_from=datetime.combine(start, time(0), VN_TZ),
        received_to=datetime.combine(end + timedelta(days=1), time(0), VN_TZ),
        limit=1_000_000,
    )
    try:
        pages = tracking_book_pdf(
            dossiers, out, center_name=ctx.station.center_name, start=start, end=end
        )
    except DeviceRefused:  # Qt could not open the file: said as the OS would say it
        raise cannot_write(out, NOT_CREATED) from None
    return len(dossiers), pages
