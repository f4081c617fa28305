"""Taking an online dossier in from the upstream's inbox (the pull, sync/dialects/motcua_inbox.py).

A submission becomes a local dossier in "Mới đăng ký" (status 1) waiting for a clerk's
check, its citizen's fields sealed like any dossier's, its papers in the paper store (one
paper per checklist row, services/papers.py), and the online record beside it. Everything
that can be refused is checked before the transaction: every file's HashTepTin (sha256),
every file readable as a paper, the procedure known, the citizen's fields valid. So a bad
file refuses the whole submission with a Vietnamese reason and leaves nothing of it.

Taking the same round in again changes nothing (the pull acknowledges only after the
commit, so a crash between the two lists it again); a higher round (a resubmission after a
supplement request) updates the same dossier and its papers and puts it back in the inbox.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from counter_app.core.catalogue import DocumentForm, Procedure, ReturnMethod
from counter_app.core.clock import vn_time
from counter_app.core.dossier import Dossier, DossierStatus, ReceivedDocument
from counter_app.core.errors import DomainError, NotFound, ValidationError
from counter_app.core.messages import register
from counter_app.core.paper_pdf import MAX_INPUT_BYTES, PaperPdf, make_pdf
from counter_app.core.roles import Permission
from counter_app.core.text import fold, nfc
from counter_app.services.context import ServiceContext
from counter_app.services.dossiers import ApplicantInput, default_fee, validate_applicant
from counter_app.services.events import dossier_event
from counter_app.services.online_inbox import online_payload
from counter_app.services.papers import TITLE_MAX, attach_in_transaction
from counter_app.store.online_dossiers import OnlineRecord

log = logging.getLogger(__name__)

# The upstream's code as we may keep and print it (its own shape, G09.20-20260609-0092637):
# letters in capitals, digits and . - _ / only, so a hostile answer cannot print text.
UPSTREAM_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,99}$")
MAX_COMPONENTS = 40  # checklist rows of one dossier; a commune procedure has a handful
MAX_FILES = 20  # files of one row
MAX_ROUND = 1000

register(
    {
        "online.bad_code": {
            "vi": "Mã hồ sơ trực tuyến (MaHoSo) không đúng dạng mã do hệ thống một cửa cấp.",
            "en": "The online dossier's code (MaHoSo) is not in the one-door system's shape.",
        },
        "online.code_taken": {
            "vi": "Mã hồ sơ trực tuyến {code} trùng với một hồ sơ tiếp nhận tại quầy.",
            "en": "Online dossier code {code} is already used by a dossier received here.",
        },
        "online.unknown_procedure": {
            "vi": "Hồ sơ trực tuyến {code}: thủ tục {procedure} không có trong danh mục của "
            "trạm; hãy cập nhật danh mục thủ tục.",
            "en": "Online dossier {code}: procedure {procedure} is not in this station's "
            "catalogue; update the catalogue.",
        },
        "online.bad_hash": {
            "vi": "Hồ sơ trực tuyến {code}: tệp thứ {n} không khớp mã kiểm tra (HashTepTin); "
            "tệp bị hỏng hoặc bị thay đổi trên đường truyền.",
            "en": "Online dossier {code}: file number {n} does not match its HashTepTin; it "
            "was damaged or changed on the way.",
        },
        "online.bad_file": {
            "vi": "Hồ sơ trực tuyến {code}: tệp thứ {n} không phải PDF, JPEG hay PNG đọc được.",
            "en": "Online dossier {code}: file number {n} is not a readable PDF, JPEG or PNG.",
        },
        "online.file_too_big": {
            "vi": "Hồ sơ trực tuyến {code}: tệp thứ {n} lớn quá {mb} MB.",
            "en": "Online dossier {code}: file number {n} is larger than {mb} MB.",
        },
        "online.bad_field": {
            "vi": "Hồ sơ trực tuyến {code}: trường {field} không hợp lệ{reason}.",
            "en": "Online dossier {code}: field {field} is not valid{reason}.",
        },
        "online.too_many": {
            "vi": "Hồ sơ trực tuyến {code} có quá nhiều thành phần hoặc tệp (tối đa {rows} "
            "thành phần, {files} tệp mỗi thành phần).",
            "en": "Online dossier {code} has too many components or files (at most {rows} "
            "components, {files} files each).",
        },
        "online.already_decided": {
            "vi": "Hồ sơ trực tuyến {code} được nộp lại (lần {round}) nhưng đã được xử lý "
            "(«{status}»), không phải đang chờ bổ sung.",
            "en": "Online dossier {code} was resubmitted (round {round}) but was already "
            "decided ('{status_en}'), not waiting for supplements.",
        },
    }
)


class TakenIn(StrEnum):
    NEW = "new"
    RESUBMITTED = "resubmitted"
    SAME = "same"  # this round was taken in before: nothing changed


@dataclass(frozen=True)
class OnlineFile:
    """One file as the upstream sent it (decoded from Base64 or fetched from its link)."""

    sha256: str  # HashTepTin: what the bytes must hash to
    data: bytes = field(repr=False)  # a citizen's paper: never in a traceback


@dataclass(frozen=True)
class OnlineComponent:
    """One ThanhPhanHoSo: a checklist paper and its files."""

    name: str
    files: tuple[OnlineFile, ...] = ()


@dataclass(frozen=True)
class OnlineSubmission:
    """One record of the inbox, in our terms (the wire's names: docs/dialects.md)."""

    upstream_code: str  # MaHoSo
    procedure_code: str  # MaTTHC
    submitted_at: datetime  # NgayNop
    round: int  # LanNop
    applicant: ApplicantInput
    notify_email: bool = False  # NhanThongBao.Email
    notify_sms: bool = False  # NhanThongBao.SMS
    components: tuple[OnlineComponent, ...] = ()

    def __repr__(self) -> str:
        return f"OnlineSubmission({self.upstream_code}, round {self.round})"


def take_in(ctx: ServiceContext, submission: OnlineSubmission) -> TakenIn:
    """Keep the submission as a dossier waiting for a clerk's check (see the module)."""
    ctx.actor.require(Permission.CHECK_ONLINE)
    code = submission.upstream_code
    if not UPSTREAM_CODE.match(code):
        raise ValidationError("online.bad_code", field="MaHoSo")
    if not 1 <= submission.round <= MAX_ROUND:
        raise ValidationError("online.bad_field", field="LanNop", code=code, reason="")
    held = ctx.store.online.get(code)
    if held is not None and submission.round <= held.round:
        return TakenIn.SAME
    now = ctx.check_clock()
    procedure = _procedure(ctx, submission)
    person = _person(submission, now)
    local = ctx.store.dossiers.get(code) if held is not None else None
    base = local.documents if local is not None else _checklist(procedure)
    rows, papers = _papers(submission, base)
    with ctx.store.transaction():
        held = ctx.store.online.get(code)  # another process may have taken it meanwhile
        if held is not None and submission.round <= held.round:
            return TakenIn.SAME
        local = ctx.store.dossiers.get(code)
        if held is None and local is not None:
            raise DomainError("online.code_taken", code=code)
        at = vn_time(submission.submitted_at)
        record = OnlineRecord(
            upstream_code=code,
            dossier_code=code,
            round=submission.round,
            submitted_at=at,
            notify_email=submission.notify_email,
            notify_sms=submission.notify_sms,
            waiting=True,
            taken_at=now,
            decided_at=None,
            decided_by="",
        )
        if held is None or local is None:
            dossier = _new_dossier(ctx, code, procedure, person, rows, at, now)
            outcome = TakenIn.NEW
        else:
            dossier = _resubmitted(ctx, local, person, rows, submission.round, now)
            outcome = TakenIn.RESUBMITTED
        ctx.store.online.put(record, station_id=ctx.station.id)
        ctx.journal(
            at=now,
            action=f"dossier.online.{'receive' if outcome is TakenIn.NEW else 'resubmit'}",
            entity="dossier",
            entity_id=code,
            detail={"procedure": procedure.code, "round": submission.round},
            payload={
                **dossier_event(ctx, dossier, at=now, sector=procedure.sector),
                "online": online_payload(record),
            },
            portal=False,  # the upstream holds it already: it hears only of the decision
        )
        replaced: list[str] = []
        for paper_no, pdf in papers.items():
            _, old = attach_in_transaction(
                ctx, dossier, paper_no, pdf, kind="intake", title=None, now=now
            )
            replaced += old
    for paper_id in replaced:
        ctx.store.papers.files.delete(paper_id)
    log.info("online dossier %s taken in (%s, round %d)", code, outcome, submission.round)
    return outcome


def _procedure(ctx: ServiceContext, submission: OnlineSubmission) -> Procedure:
    try:
        return ctx.catalogue().procedure(submission.procedure_code)
    except NotFound:
        raise DomainError(
            "online.unknown_procedure",
            code=submission.upstream_code,
            procedure=submission.procedure_code[:40],
        ) from None


def _person(submission: OnlineSubmission, now: datetime):
    try:
        return validate_applicant(submission.applicant, today=now.date())
    except ValidationError as error:
        raise DomainError(
            "online.bad_field",
            code=submission.upstream_code,
            field=error.field or "ThongTinNguoiNop",
            reason=f" ({error.message('vi').rstrip('.')})",
        ) from None


def _checklist(procedure: Procedure) -> tuple[ReceivedDocument, ...]:
    return tuple(
        ReceivedDocument(doc.name, doc.form, doc.count, received=False)
        for doc in procedure.documents
    )


def _papers(
    submission: OnlineSubmission, base: tuple[ReceivedDocument, ...]
) -> tuple[tuple[ReceivedDocument, ...], dict[int, PaperPdf]]:
    """The checklist (`base`: the procedure's rows, or the dossier's own on a resubmission;
    then any paper it does not list) with what arrived marked received, and one PDF per row
    that has files, every file checked against its hash and read as a paper first."""
    code = submission.upstream_code
    if len(submission.components) > MAX_COMPONENTS or any(
        len(c.files) > MAX_FILES for c in submission.components
    ):
        raise DomainError("online.too_many", code=code, rows=MAX_COMPONENTS, files=MAX_FILES)
    rows = list(base)
    names = [doc.name for doc in rows]
    files: dict[int, list[bytes]] = {}
    first: dict[int, int] = {}  # the row's first file number, for a message
    n = 0
    for component in submission.components:
        name = " ".join(nfc(component.name).split())
        if not name or len(name) > TITLE_MAX:
            raise DomainError("online.bad_field", code=code, field="TenThanhPhanHoSo", reason="")
        row = next((i for i, known in enumerate(names, 1) if fold(known) == fold(name)), None)
        if row is None:
            names.append(name)
            rows.append(ReceivedDocument(name, DocumentForm.COPY, 1, received=False))
            row = len(names)
        for file in component.files:
            n += 1
            first.setdefault(row, n)
            if len(file.data) > MAX_INPUT_BYTES:
                raise DomainError("online.file_too_big", code=code, n=n, mb=MAX_INPUT_BYTES >> 20)
            if hashlib.sha256(file.data).hexdigest() != file.sha256.strip().lower():
                raise DomainError("online.bad_hash", code=code, n=n)
            files.setdefault(row, []).append(file.data)
    papers = {}
    for row, contents in files.items():
        try:
            papers[row] = make_pdf(contents)
        except ValidationError as error:
            at = first[row] + int(error.params.get("n", 1)) - 1
            raise DomainError("online.bad_file", code=code, n=at) from None
    documents = tuple(
        replace(doc, received=doc.received or row in files) for row, doc in enumerate(rows, 1)
    )
    return documents, papers


def _new_dossier(ctx, code, procedure, person, rows, at, now) -> Dossier:
    """The dossier as the upstream handed it: "Mới đăng ký", no due date until accepted."""
    method = (
        ReturnMethod.COUNTER
        if ReturnMethod.COUNTER in procedure.return_methods
        else procedure.return_methods[0]
    )
    dossier = Dossier(
        code=code,
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        status=DossierStatus.NEW,
        applicant=person,
        received_at=at,
        due_at=None,
        documents=rows,
        fee_vnd=default_fee(procedure),
        return_method=method,
        updated_at=now,
    )
    ctx.store.dossiers.insert(dossier, station_id=ctx.station.id)
    ctx.store.dossiers.add_event(
        code, at=at, kind="online", actor=ctx.actor.username, to_status=DossierStatus.NEW
    )
    return dossier


def _resubmitted(ctx, local: Dossier, person, rows, round_no: int, now) -> Dossier:
    """The citizen's answer to a supplement request: the same dossier back to "Mới đăng
    ký" (the upstream moved it there; our status machine has no such move for a clerk),
    its papers updated, waiting for a check again."""
    if local.status not in (DossierStatus.SUPPLEMENT, DossierStatus.NEW):
        from counter_app.core.dossier import STATUS_NAMES

        vi, en = STATUS_NAMES[local.status]
        raise DomainError(
            "online.already_decided", code=local.code, round=round_no, status=vi, status_en=en
        )
    after = replace(
        local, status=DossierStatus.NEW, applicant=person, documents=rows, updated_at=now
    )
    ctx.store.dossiers.update(after)
    ctx.store.dossiers.add_event(
        local.code,
        at=now,
        kind="resubmitted",
        actor=ctx.actor.username,
        from_status=local.status,
        to_status=DossierStatus.NEW,
        note=f"Công dân nộp bổ sung (lần {round_no}).",
    )
    return after
