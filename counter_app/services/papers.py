"""A dossier's papers, digitised at intake or returned with its result.

Converting pages is slow next to a click (`prepare_paper`, run off the UI thread); the
store then seals the PDF under a key of its own, writes it beside the store and records
the row, its event, audit entry and deliveries in one transaction (`attach_pdf`). The file
is written before that transaction: a kill in between leaves a file no row names (an
unopened blob, swept later), never a row without its file.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from counter_app.core.dossier import STATUS_NAMES, Dossier, DossierStatus
from counter_app.core.errors import DomainError, NotFound, ValidationError
from counter_app.core.messages import register
from counter_app.core.paper_pdf import PaperPdf, make_pdf, read_inputs
from counter_app.core.roles import Permission
from counter_app.core.text import nfc
from counter_app.services.context import ServiceContext
from counter_app.services.dossiers import get_dossier
from counter_app.services.events import EVENT_VERSION
from counter_app.store import paper_files
from counter_app.store.papers import COLUMNS

log = logging.getLogger(__name__)

KINDS = ("intake", "result")
MAX_RESULT_PAPERS = 20
MAX_PAGES = 200
TITLE_MAX = 200
# intake papers are digitised while the dossier is being received or worked on; a refused
# or withdrawn one has none to add
INTAKE_STATUSES = frozenset(
    {
        DossierStatus.NEW,
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.SUPPLEMENT,
        DossierStatus.FINANCIAL,
    }
)
RESULT_STATUSES = frozenset({DossierStatus.DONE, DossierStatus.RETURNED})

register(
    {
        "paper.bad_kind": {
            "vi": "Loại giấy tờ phải là intake (khi tiếp nhận) hoặc result (kết quả).",
            "en": "The paper kind must be intake or result.",
        },
        "paper.bad_number": {
            "vi": "Số thứ tự giấy tờ phải từ 1 đến {high}.",
            "en": "The paper number must be between 1 and {high}.",
        },
        "paper.wrong_status": {
            "vi": "Hồ sơ đang ở trạng thái \u201c{status}\u201d: không đính kèm {what} được.",
            "en": "The dossier is \u201c{status_en}\u201d: {what_en} cannot be attached.",
        },
        "paper.unknown": {
            "vi": "Không tìm thấy giấy tờ này.",
            "en": "No such paper.",
        },
        "paper.not_here": {
            "vi": "Tệp giấy tờ chưa có trên máy này và không lấy được từ máy chủ trung tâm; "
            "hãy thử lại khi có kết nối.",
            "en": "The paper's file is not on this PC and the center hub could not be "
            "reached; try again when the link returns.",
        },
        "paper.bad_pages": {
            "vi": "Số trang phải từ 1 đến {high}.",
            "en": "The number of pages must be between 1 and {high}.",
        },
        "paper.title_too_long": {
            "vi": "Tên giấy tờ dài quá {max} ký tự.",
            "en": "The paper's title is longer than {max} characters.",
        },
    }
)

_WHAT = {"intake": ("giấy tờ hồ sơ", "intake papers"), "result": ("giấy tờ kết quả", "results")}


@dataclass(frozen=True)
class PaperFile:
    paper_id: str  # random hex, stable; never a person's name
    dossier_code: str
    paper_no: int  # 1-based row of the checklist (results: of the result papers)
    kind: str  # "intake" | "result"
    title: str  # the checklist paper's title: catalogue text, not personal data
    sha256: str  # of the PDF in clear
    size: int  # bytes of the PDF in clear
    pages: int
    added_at: datetime
    added_by: str


@runtime_checkable
class PaperSource(Protocol):
    def fetch_paper(self, paper_id: str) -> bytes | None:
        """The sealed blob from the center's object store; None when out of reach."""


def prepare_paper(paths: Sequence[Path | str], *, colour: bool = False) -> PaperPdf:
    """Pages to one PDF, touching no store: safe on a worker thread."""
    return make_pdf(read_inputs([Path(p) for p in paths]), colour=colour)


def attach_files(
    ctx: ServiceContext,
    dossier_code: str,
    paper_no: int,
    paths: Sequence[Path | str],
    *,
    kind: str = "intake",
    colour: bool = False,
    title: str | None = None,
) -> PaperFile:
    """Import files (or a scanner's pages saved as files) as one paper of the dossier."""
    _check_may_attach(ctx, get_dossier(ctx, dossier_code), kind)  # before the slow part
    return attach_pdf(
        ctx, dossier_code, paper_no, prepare_paper(paths, colour=colour), kind=kind, title=title
    )


def scan_paper(
    ctx: ServiceContext,
    dossier_code: str,
    paper_no: int,
    *,
    device: str | None = None,
    pages: int = 1,
    colour: bool = False,
    kind: str = "intake",
    title: str | None = None,
) -> PaperFile:
    """`pages` pages from the scanner (one press each on a flatbed) as one paper."""
    from counter_app.scanner import scan_page

    _check_may_attach(ctx, get_dossier(ctx, dossier_code), kind)
    if not 1 <= pages <= MAX_PAGES:
        raise ValidationError("paper.bad_pages", field="pages", high=MAX_PAGES)
    images = [scan_page(device, colour=colour).image for _ in range(pages)]
    pdf = make_pdf(images, colour=colour)
    return attach_pdf(ctx, dossier_code, paper_no, pdf, kind=kind, title=title)


def attach_pdf(
    ctx: ServiceContext,
    dossier_code: str,
    paper_no: int,
    pdf: PaperPdf,
    *,
    kind: str = "intake",
    title: str | None = None,
) -> PaperFile:
    """Seal and keep a prepared paper; one already in its place is replaced (the portal
    hears of the removal too)."""
    now = ctx.check_clock()
    with ctx.store.transaction():
        dossier = get_dossier(ctx, dossier_code)
        paper, replaced = attach_in_transaction(
            ctx, dossier, paper_no, pdf, kind=kind, title=title, now=now
        )
    for old in replaced:
        ctx.store.papers.files.delete(old)
    return paper


def attach_in_transaction(
    ctx: ServiceContext,
    dossier: Dossier,
    paper_no: int,
    pdf: PaperPdf,
    *,
    kind: str,
    title: str | None,
    now: datetime,
) -> tuple[PaperFile, list[str]]:
    """Inside the caller's transaction (intake attaches its papers in the one that
    receives the dossier); returns the paper and the files to delete once it commits."""
    store = ctx.store
    _check_may_attach(ctx, dossier, kind)
    name = _title(dossier, kind, paper_no, title)
    paper_id = secrets.token_hex(16)
    # written inside the write lock, before the commit: a kill leaves a file without a row
    store.papers.files.write(paper_id, paper_files.seal(pdf.pdf, store.crypto, paper_id))
    replaced = [r for r in store.papers.current(dossier.code, kind) if r["paper_no"] == paper_no]
    for old in replaced:
        _remove_in_transaction(ctx, old, now)
    row = {
        "paper_id": paper_id,
        "dossier_code": dossier.code,
        "paper_no": paper_no,
        "kind": kind,
        "title": name,
        "sha256": pdf.sha256,
        "size": len(pdf.pdf),
        "pages": pdf.pages,
        "added_at": now.isoformat(),
        "added_by": ctx.actor.username,
        "station_id": ctx.station.id,
    }
    store.papers.insert(row)
    ctx.journal(
        at=now,
        action="paper.attach",
        entity="paper",
        entity_id=paper_id,
        detail={"dossier": dossier.code, "paper_no": paper_no, "kind": kind},
        payload=paper_event(ctx, row, at=now),
        portal=dossier.status is not DossierStatus.NEW,  # a draft's papers go with it
    )
    log.info("paper %s attached (%s, %d pages)", paper_id, kind, pdf.pages)
    return _paper(row), [r["paper_id"] for r in replaced]


def _remove_in_transaction(ctx: ServiceContext, row, now: datetime) -> None:
    ctx.store.papers.remove(row["paper_id"], at=now, by=ctx.actor.username)
    ctx.journal(
        at=now,
        action="paper.remove",
        entity="paper",
        entity_id=row["paper_id"],
        detail={"dossier": row["dossier_code"], "paper_no": row["paper_no"]},
        payload=paper_event(ctx, dict(row), at=now, removed=True),
    )


def paper_event(ctx: ServiceContext, row: dict, *, at: datetime, removed: bool = False) -> dict:
    """What the center and the portal learn of a paper: its row, never its bytes (those
    travel sealed through the center's object store and the upstream upload)."""
    return {
        "v": EVENT_VERSION,
        "paper": {k: row[k] for k in COLUMNS},
        "removed": removed,
        "actor": ctx.actor.username,
        "at": at.isoformat(),
    }


def _check_may_attach(ctx: ServiceContext, dossier: Dossier, kind: str) -> None:
    """Who may add which paper when: a volunteer only to a draft (status 1), a clerk while
    the dossier is open, results only once it is done."""
    if kind not in KINDS:
        raise ValidationError("paper.bad_kind", field="kind")
    if kind == "result":
        ctx.actor.require(Permission.CHANGE_STATUS)
        allowed = RESULT_STATUSES
    else:
        draft = dossier.status is DossierStatus.NEW
        ctx.actor.require(Permission.DRAFT_DOSSIER if draft else Permission.RECEIVE_DOSSIER)
        allowed = INTAKE_STATUSES
    if dossier.status not in allowed:
        vi, en = STATUS_NAMES[dossier.status]
        raise DomainError(
            "paper.wrong_status", status=vi, status_en=en,
            what=_WHAT[kind][0], what_en=_WHAT[kind][1],
        )  # fmt: skip


def _title(dossier: Dossier, kind: str, paper_no: int, title: str | None) -> str:
    if kind == "intake":
        if not 1 <= paper_no <= len(dossier.documents):
            raise ValidationError("paper.bad_number", field="paper", high=len(dossier.documents))
        return dossier.documents[paper_no - 1].name
    if not 1 <= paper_no <= MAX_RESULT_PAPERS:
        raise ValidationError("paper.bad_number", field="paper", high=MAX_RESULT_PAPERS)
    text = " ".join(nfc(title or "").split()) or f"Kết quả giải quyết ({paper_no})"
    if len(text) > TITLE_MAX:
        raise ValidationError("paper.title_too_long", field="title", max=TITLE_MAX)
    return text


def _paper(row) -> PaperFile:
    return PaperFile(
        paper_id=row["paper_id"],
        dossier_code=row["dossier_code"],
        paper_no=row["paper_no"],
        kind=row["kind"],
        title=row["title"],
        sha256=row["sha256"],
        size=row["size"],
        pages=row["pages"],
        added_at=datetime.fromisoformat(row["added_at"]),
        added_by=row["added_by"],
    )


def _check_may_read(ctx: ServiceContext, dossier: Dossier) -> None:
    """Papers are a citizen's data: a clerk reads them; a volunteer only a draft's."""
    if dossier.status is DossierStatus.NEW:
        ctx.actor.require(Permission.DRAFT_DOSSIER)
    else:
        ctx.actor.require(Permission.READ_DOSSIERS)


def papers_of(ctx: ServiceContext, dossier_code: str, kind: str | None = None) -> list[PaperFile]:
    """The dossier's current papers, by kind then checklist row."""
    if kind is not None and kind not in KINDS:
        raise ValidationError("paper.bad_kind", field="kind")
    dossier = get_dossier(ctx, dossier_code)
    _check_may_read(ctx, dossier)
    return [_paper(r) for r in ctx.store.papers.current(dossier.code, kind)]


def read_paper(ctx: ServiceContext, paper_id: str, *, source: PaperSource | None = None) -> bytes:
    """The PDF in clear. A paper scanned at another counter is fetched from the center
    (`source`, the station's link) the first time and kept sealed here."""
    row = ctx.store.papers.get(paper_id) if paper_files.PAPER_ID.match(paper_id) else None
    if row is None or row["removed_at"] is not None:
        raise NotFound("paper.unknown")
    _check_may_read(ctx, get_dossier(ctx, row["dossier_code"]))
    if source is None and isinstance(ctx.claims, PaperSource):  # a center's counter
        source = ctx.claims
    blob = paper_blob(ctx.store, paper_id, source=source)
    if blob is None:
        raise DomainError("paper.not_here")
    return paper_files.open_blob(blob, ctx.store.crypto, paper_id)


def paper_blob(store, paper_id: str, *, source: PaperSource | None = None) -> bytes | None:
    """The sealed bytes, from this station's folder or else the center (then kept)."""
    blob = store.papers.files.read(paper_id)
    if blob is None and source is not None:
        blob = source.fetch_paper(paper_id)
        if blob is not None:
            paper_files.open_blob(blob, store.crypto, paper_id)  # refuse a damaged one
            store.papers.files.write(paper_id, blob)
    return blob


def forget_papers(ctx: ServiceContext, dossier_codes: list[str], now: datetime) -> list[str]:
    """Inside the caller's transaction (erasure, retention): the rows are marked removed;
    the caller deletes the returned files once it commits."""
    rows = ctx.store.papers.of_dossiers(dossier_codes)
    for row in rows:
        ctx.store.papers.remove(row["paper_id"], at=now, by=ctx.actor.username)
    return [r["paper_id"] for r in rows]
