"""The online inbox's services (issue 18) on a real store: taking a submission in (once per
round, the same dossier on a resubmission, a bad file refusing all of it), the clerk's three
decisions with their forms read back as PDF text, the permission, and the working-day clock
of the check across a weekend and the 30/4-1/5 holidays."""

from __future__ import annotations

import functools
import hashlib
import io
import subprocess
from datetime import datetime, timedelta

import pytest
from PIL import Image

from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import DomainError, Forbidden, ValidationError
from counter_app.core.online_check import Urgency, check_clock, working_time
from counter_app.core.paper_pdf import make_pdf
from counter_app.core.roles import Actor, Role, may_check_online
from counter_app.services import online_inbox as inbox
from counter_app.services.dossiers import ApplicantInput
from counter_app.services.online_intake import (
    OnlineComponent,
    OnlineFile,
    OnlineSubmission,
    TakenIn,
    take_in,
)
from counter_app.services.papers import read_paper
from printers.service import decision_docs
from tests.conftest import make_ctx

BIRTH = "1.001193"  # Đăng ký khai sinh: same day, cut-off 15:00
ROWS = ("Tờ khai đăng ký khai sinh theo mẫu", "Giấy tờ tùy thân của người yêu cầu (căn cước, "
        "hộ chiếu hoặc giấy tờ có ảnh do cơ quan có thẩm quyền cấp)")  # fmt: skip
CODE = "000.00.01.H22-20260429-0000001"


@functools.cache  # one PDF per shade: img2pdf stamps the time into each
def pdf(shade: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (200, 280), shade).save(buffer, "PNG")
    return make_pdf([buffer.getvalue()]).pdf


def file_of(data: bytes, digest: str | None = None) -> OnlineFile:
    return OnlineFile(sha256=digest or hashlib.sha256(data).hexdigest(), data=data)


def submission(round_no: int = 1, *, files=None, code: str = CODE, at=None) -> OnlineSubmission:
    files = files or [pdf(200), pdf(120)]
    return OnlineSubmission(
        upstream_code=code,
        procedure_code=BIRTH,
        submitted_at=at or datetime(2026, 4, 29, 8, 0, tzinfo=VN_TZ),
        round=round_no,
        applicant=ApplicantInput(
            full_name="Nguyễn Thị Đường", phone="0912345678", email="duong@example.vn"
        ),  # fmt: skip
        notify_email=True,
        notify_sms=False,
        components=tuple(
            OnlineComponent(name, (file_of(data),)) for name, data in zip(ROWS, files, strict=True)
        ),
    )


def counts(store) -> dict[str, int]:
    return {
        t: store.query_one(f"SELECT count(*) FROM {t}")[0]
        for t in ("dossiers", "dossier_events", "papers", "online_dossiers", "outbox", "audit")
    }


def pdf_text(document, tmp_path) -> str:
    from printers.pdf import document_pdf

    out = tmp_path / f"{document.kind}-{document.copy}.pdf"
    document_pdf(document, out)
    text = subprocess.run(["pdftotext", "-raw", str(out), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    return " ".join(text.split())


# ---- taking in ------------------------------------------------------------------------------


def test_a_submission_becomes_one_waiting_dossier_with_its_papers_sealed(ctx, store):
    assert take_in(ctx, submission()) is TakenIn.NEW
    assert take_in(ctx, submission()) is TakenIn.SAME  # listed again before the ack: no-op
    [row] = inbox.inbox(ctx)
    assert (row.upstream_code, row.dossier_code, row.round) == (CODE, CODE, 1)
    assert row.citizen_name == "Nguyễn Thị Đường" and row.procedure_code == BIRTH
    assert row.status is DossierStatus.NEW and row.notify_email and not row.notify_sms
    assert [p.paper_no for p in row.papers] == [1, 3]  # by the checklist's own rows
    assert read_paper(ctx, row.papers[0].paper_id) == pdf(200)
    assert inbox.inbox_count(ctx) == 1
    stored = store.query_one("SELECT applicant_name, phone_sealed, email FROM dossiers")
    assert all(v.startswith("e1:") for v in stored)  # the citizen's fields sealed at rest
    assert store.query_one("SELECT count(*) FROM outbox")[0] == 0  # the upstream has it


def test_a_resubmission_updates_the_same_dossier_and_its_papers(ctx, store, clock):
    take_in(ctx, submission())
    inbox.supplement_online(ctx, CODE, "Bổ sung bản sao giấy tờ tùy thân có chứng thực.")
    assert inbox.inbox(ctx) == []
    clock.now += timedelta(hours=2)
    later = submission(2, files=[pdf(200), pdf(60)], at=clock.now)
    assert take_in(ctx, later) is TakenIn.RESUBMITTED
    assert take_in(ctx, later) is TakenIn.SAME
    assert take_in(ctx, submission(1)) is TakenIn.SAME  # an older round changes nothing
    [row] = inbox.inbox(ctx)
    assert (row.dossier_code, row.round, row.status) == (CODE, 2, DossierStatus.NEW)
    assert store.query_one("SELECT count(*) FROM dossiers")[0] == 1
    assert read_paper(ctx, row.papers[1].paper_id) == pdf(60)  # the new file in its row
    assert len(store.papers.current(CODE)) == 2  # the old one replaced, not added
    decided = inbox.accept_online(ctx, CODE)
    assert decided.status is DossierStatus.RECEIVED


@pytest.mark.parametrize("broken", ["hash", "undecodable"])
def test_a_bad_file_refuses_the_whole_submission_and_writes_nothing(ctx, store, broken):
    good, bad = pdf(200), b"%PDF-1.4 not really a pdf"
    before = counts(store)
    files = (file_of(good), file_of(good, "0" * 64) if broken == "hash" else file_of(bad))
    sent = OnlineSubmission(
        upstream_code=CODE, procedure_code=BIRTH, submitted_at=datetime(2026, 4, 29, 8, 0,
        tzinfo=VN_TZ), round=1, applicant=ApplicantInput(full_name="Nguyễn Thị Đường"),
        components=(OnlineComponent(ROWS[0], files),),
    )  # fmt: skip
    with pytest.raises(DomainError) as refused:
        take_in(ctx, sent)
    message = refused.value.message("vi")
    assert CODE in message and "tệp thứ 2" in message
    assert ("HashTepTin" if broken == "hash" else "không phải PDF") in message
    assert counts(store) == before
    assert store.papers.files.ids() == []  # no file written before the refusal


def test_an_unknown_procedure_or_a_bad_code_is_refused_in_vietnamese(ctx, store):
    before = counts(store)
    with pytest.raises(DomainError, match="online.unknown_procedure"):
        take_in(ctx, OnlineSubmission(CODE, "9.999999", datetime(2026, 4, 29, tzinfo=VN_TZ), 1,
                                      ApplicantInput(full_name="Nguyễn Văn An")))  # fmt: skip
    with pytest.raises(ValidationError, match="online.bad_code"):
        take_in(ctx, submission(code="g09 <b>x</b>"))
    assert counts(store) == before


# ---- deciding -------------------------------------------------------------------------------


def test_accept_counts_the_due_date_from_the_acceptance_and_prints_form_01(
    ctx, store, clock, tmp_path
):
    take_in(ctx, submission())
    clock.set(2026, 4, 29, 16, 0)  # after the 15:00 cut-off: due the next working day
    dossier = inbox.accept_online(ctx, CODE)
    documents = decision_docs(ctx, dossier)
    assert dossier.status is DossierStatus.RECEIVED and dossier.received_at == clock.now
    assert dossier.due_at == datetime(2026, 5, 4, 16, 0, tzinfo=VN_TZ)  # after 30/4-1/5
    assert [d.kind for d in documents] == ["form01", "form01"]
    text = pdf_text(documents[0], tmp_path)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and CODE in text
    assert "16 giờ 00 phút, ngày 04/05/2026" in text and "Nguyễn Thị Đường" in text
    [item] = store.outbox.due_waiting(1e12, 10)
    assert item.op == "dossier.online.accept"
    assert item.payload["online"]["upstream_code"] == CODE and item.payload["previous"] == 1
    assert inbox.inbox(ctx) == [] and inbox.inbox_count(ctx) == 0


@pytest.mark.parametrize(
    ("decide", "status", "form", "heading"),
    [
        (inbox.supplement_online, DossierStatus.SUPPLEMENT, "form02",
         "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
        (inbox.refuse_online, DossierStatus.REFUSED, "form03",
         "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    ],
)  # fmt: skip
def test_supplement_and_refuse_print_their_form_with_the_reason(
    ctx, store, tmp_path, decide, status, form, heading
):
    take_in(ctx, submission())
    reason = "Giấy chứng sinh chưa có dấu của cơ sở y tế; đề nghị nộp bản có đóng dấu."
    with pytest.raises(ValidationError, match="online.reason_required"):
        decide(ctx, CODE, "  ")
    dossier = decide(ctx, CODE.lower(), reason)  # typed in lower case: found
    [document] = decision_docs(ctx, dossier)
    assert dossier.status is status and document.kind == form
    text = pdf_text(document, tmp_path)
    assert heading in text and reason in text and CODE in text
    [item] = store.outbox.due_waiting(1e12, 10)
    assert item.payload["note"] == reason


def test_only_a_waiting_dossier_can_be_decided_once(ctx, store):
    take_in(ctx, submission())
    inbox.accept_online(ctx, CODE)
    before = counts(store)
    for decide in (
        lambda: inbox.accept_online(ctx, CODE),
        lambda: inbox.refuse_online(ctx, CODE, "Không đúng thẩm quyền."),
    ):
        with pytest.raises(DomainError, match="online.decided") as second:
            decide()
        assert "đã được xử lý (Được tiếp nhận)" in second.value.message("vi")
    assert counts(store) == before
    with pytest.raises(DomainError, match="online.unknown"):
        inbox.accept_online(ctx, "KHONG-CO")


def test_a_volunteer_can_neither_see_nor_decide(ctx, store, clock, station):
    take_in(ctx, submission())
    volunteer = make_ctx(store, clock, station, Role.VOLUNTEER, "tnv1")
    assert not may_check_online(volunteer.actor) and may_check_online(ctx.actor)
    assert may_check_online(Actor("admin", Role.ADMIN))
    assert inbox.inbox_count(volunteer) == 0
    for call in (
        lambda: inbox.inbox(volunteer),
        lambda: inbox.accept_online(volunteer, CODE),
        lambda: inbox.supplement_online(volunteer, CODE, "Thiếu giấy tờ."),
        lambda: inbox.refuse_online(volunteer, CODE, "Sai thẩm quyền."),
        lambda: take_in(volunteer, submission(2)),
    ):
        with pytest.raises(Forbidden, match="auth.forbidden"):
            call()
    assert store.dossiers.get(CODE).status is DossierStatus.NEW


# ---- the check's clock ----------------------------------------------------------------------


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("now", "left", "urgency"),
    [
        (at(2026, 4, 29, 10, 0), timedelta(hours=6, minutes=30), Urgency.OK),
        (at(2026, 4, 29, 16, 0), timedelta(hours=2, minutes=30), Urgency.AMBER),
        (at(2026, 4, 30, 10, 0), timedelta(hours=1, minutes=30), Urgency.RED),  # a holiday
        (at(2026, 5, 3, 20, 0), timedelta(hours=1, minutes=30), Urgency.RED),  # a Sunday
        (at(2026, 5, 4, 10, 0), -timedelta(hours=1), Urgency.RED),  # late
    ],
)
def test_the_check_clock_runs_on_working_hours_over_the_holidays(ctx, now, left, urgency):
    # submitted on Wednesday 29/4 at 9:00; 30/4 and 1/5 are holidays, then the weekend
    clock = check_clock(ctx.calendar(), at(2026, 4, 29, 9, 0), now, days=1)
    assert clock.deadline == at(2026, 5, 4, 9, 0)
    assert (clock.left, clock.urgency) == (left, urgency)


def test_the_check_clock_over_a_weekend_and_the_setting(ctx, store):
    calendar = ctx.calendar()
    friday = check_clock(calendar, at(2026, 5, 8, 16, 0), at(2026, 5, 9, 12, 0))
    assert friday.deadline == at(2026, 5, 11, 16, 0)
    assert (friday.left, friday.urgency) == (timedelta(hours=6, minutes=30), Urgency.OK)
    saturday = check_clock(calendar, at(2026, 5, 9, 10, 0), at(2026, 5, 11, 7, 0))
    assert saturday.deadline == at(2026, 5, 12, 7, 30)  # counted from Monday's opening
    assert saturday.left == working_time(calendar, at(2026, 5, 11, 7, 30), at(2026, 5, 12, 7, 30))
    assert saturday.left == timedelta(hours=7, minutes=30)
    store.settings.set(inbox.CHECK_DAYS_SETTING, 2)
    assert inbox.check_days(ctx) == 2
    store.settings.set(inbox.CHECK_DAYS_SETTING, "two")
    assert inbox.check_days(ctx) == 1  # a setting that is no number of days: the default


def test_the_inbox_row_carries_the_clock(ctx, clock):
    take_in(ctx, submission(at=at(2026, 4, 29, 9, 0)))
    clock.set(2026, 4, 29, 16, 0)
    [row] = inbox.inbox(ctx)
    assert row.check_due_at == at(2026, 5, 4, 9, 0)
    assert (row.time_left, row.level) == (timedelta(hours=2, minutes=30), Urgency.AMBER)
    assert "Đường" not in repr(row)


def test_a_saturday_morning_the_doors_open_is_no_working_time():
    """Some centers open on Saturday morning for the public; the legal clock does not run."""
    from datetime import time

    from counter_app.core.calendar import OpeningHours, WorkingCalendar

    office = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
    hours = OpeningHours((office,) * 5 + (((time(7, 30), time(11, 30)),), ()))
    calendar = WorkingCalendar(opening_hours=hours)
    assert calendar.is_open(at(2026, 5, 9, 9, 0))  # Saturday 9/5: open, not a working day
    friday = check_clock(calendar, at(2026, 5, 8, 16, 0), at(2026, 5, 9, 8, 0))
    assert friday.deadline == at(2026, 5, 11, 16, 0)
    assert friday.left == timedelta(hours=6, minutes=30)  # Monday only, not Saturday
