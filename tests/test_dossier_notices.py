"""Extending a due date (Form 04) and stopping a dossier (Form 05): the rules, the write path
(dossier row, history, audit, outbox), the forms as PDF read back with pdftotext, and the
command line end to end."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from counter_app.cli import main
from counter_app.core import dossier_notices as rules
from counter_app.core.clock import VN_TZ, system_now
from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import DomainError, Forbidden, ValidationError
from counter_app.core.roles import Role
from counter_app.services import dossiers
from counter_app.services.dossier_notices import extend_due, stop_dossier
from printers import service as printing
from printers.pdf import document_pdf
from tests.conftest import make_ctx

DUONG = dossiers.ApplicantInput(full_name="nguyễn thị đường", phone="0912345678")
LATER = datetime(2026, 5, 8, 16, 30, tzinfo=VN_TZ)


def receive(ctx):
    # 1.000689: three working days, after the 30/4-1/5 days off: due 2026-05-06, before LATER
    return dossiers.receive_dossier(ctx, procedure_code="1.000689", applicant=DUONG)


def counts(store) -> dict[str, int]:
    return {
        t: store.query_one(f"SELECT count(*) FROM {t}")[0]
        for t in ("dossier_events", "outbox", "audit")
    }


def pdf_text(document, tmp_path: Path) -> str:
    out = tmp_path / f"{document.kind}.pdf"
    assert document_pdf(document, out) == 1
    return subprocess.run(
        ["pdftotext", "-raw", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout


def squeeze(text: str) -> str:
    return " ".join(text.split())


# ---- the rules ------------------------------------------------------------------------------


def test_extension_note_and_stop_note_read_back_as_written():
    ext = rules.Extension(datetime(2026, 5, 4, 16, 30, tzinfo=VN_TZ), LATER, "Chờ xác minh.")
    assert rules.read_extension(rules.extension_note(ext), VN_TZ) == ext
    assert rules.read_extension("Đã xử lý", VN_TZ) is None
    decided = rules.decide_stop(reason="Người dân chưa nộp phí.", guidance="")
    assert decided.guidance == rules.DEFAULT_GUIDANCE
    assert rules.read_stop(rules.stop_note(decided)) == decided
    assert rules.read_stop("Lý do cũ").guidance == rules.DEFAULT_GUIDANCE


def test_extension_needs_a_later_date_a_reason_and_an_open_dossier(ctx, store, clock):
    d = receive(ctx)
    before = counts(store)
    for until, reason, code in (
        (d.due_at, "Chờ xác minh", "dossier.extend_not_later"),
        (d.due_at - timedelta(days=1), "Chờ xác minh", "dossier.extend_not_later"),
        (LATER.replace(year=2027, day=1), "Chờ xác minh", "dossier.extend_too_far"),
        (LATER, "   ", "dossier.reason_required"),
        (LATER, "x" * 2001, "dossier.note_too_long"),
    ):
        with pytest.raises(ValidationError) as refused:
            extend_due(ctx, code=d.code, until=until, reason=reason)
        assert refused.value.code == code
    clock.now = LATER + timedelta(hours=1)  # long overdue: a new date must still be ahead
    with pytest.raises(ValidationError) as refused:
        extend_due(ctx, code=d.code, until=LATER, reason="Chờ xác minh")
    assert refused.value.code == "dossier.extend_in_past"
    assert counts(store) == before and store.dossiers.get(d.code).due_at == d.due_at
    stop_dossier(ctx, code=d.code, reason="Hồ sơ giả mạo")
    with pytest.raises(DomainError) as closed:
        extend_due(ctx, code=d.code, until=LATER + timedelta(days=2), reason="Chờ xác minh")
    assert closed.value.code == "dossier.extend_not_open"
    volunteer = make_ctx(store, clock, ctx.station, Role.VOLUNTEER, "tnv")
    with pytest.raises(Forbidden):
        stop_dossier(volunteer, code=d.code, reason="x")


# ---- the write path -------------------------------------------------------------------------


def test_extension_moves_the_due_date_through_the_write_path(ctx, store):
    d = receive(ctx)
    before = counts(store)
    after = extend_due(ctx, code=d.code, until=LATER, reason="Cần xác minh thêm tại thôn.")
    assert after.due_at == LATER and after.status is DossierStatus.RECEIVED
    assert store.dossiers.get(d.code).due_at == LATER
    assert counts(store) == {k: v + 1 for k, v in before.items()}
    event = store.dossiers.events(d.code)[-1]
    assert event.kind == "extended" and event.to_status is DossierStatus.RECEIVED
    assert rules.read_extension(event.note, VN_TZ) == rules.Extension(
        d.due_at, LATER, "Cần xác minh thêm tại thôn."
    )
    item = store.outbox.all_items()[-1]
    assert item.op == "dossier.status" and item.entity_id == d.code
    assert item.payload["dossier"]["due_at"] == LATER.isoformat()
    assert item.payload["note"] == event.note and item.payload["previous"] == 2
    audit = store.query_one("SELECT action, detail FROM audit ORDER BY id DESC LIMIT 1")
    assert audit["action"] == "dossier.status"
    assert json.loads(audit["detail"])["due_to"] == LATER.isoformat()


def test_stop_moves_to_status_8_with_reason_and_guidance(ctx, store):
    d = receive(ctx)
    after = stop_dossier(
        ctx, code=d.code, reason="Giấy tờ bị tẩy xóa.", guidance="nộp lại bản chính."
    )
    assert after.status is DossierStatus.STOPPED
    item = store.outbox.all_items()[-1]
    assert item.op == "dossier.status" and item.payload["dossier"]["status"] == 8
    assert item.payload["note"] == "Giấy tờ bị tẩy xóa.\nĐề nghị Ông/Bà: nộp lại bản chính."


# ---- the forms ------------------------------------------------------------------------------


def test_form04_pdf_carries_every_field_in_vietnamese(ctx, store, tmp_path):
    d = receive(ctx)
    extend_due(ctx, code=d.code, until=LATER, reason="Cần xác minh thêm tại thôn Thượng Đồng.")
    text = squeeze(pdf_text(printing.form_doc(ctx, "form04", d.code), tmp_path))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ TÂN LẬP",
        "Số: ……/XL",
        "ngày 29 tháng 04 năm 2026",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "Kính gửi: Ông/Bà Nguyễn Thị Đường",
        f"Mã hồ sơ: {d.code}",
        f"Nội dung yêu cầu giải quyết: {d.procedure_name}",
        "Thời hạn trả kết quả đã hẹn: " + f"{d.due_at:%H} giờ {d.due_at:%M} phút, ngày "
        f"{d.due_at:%d/%m/%Y}",
        "Lý do: Cần xác minh thêm tại thôn Thượng Đồng.",
        "thành thật xin lỗi",
        "Thời gian trả kết quả mới: 16 giờ 30 phút, ngày 08/05/2026",
        "(Ký và ghi rõ họ tên)",
        "canbo1",
    ):
        assert expected in text, expected


def test_a_reason_typed_without_a_full_stop_ends_its_sentence_on_paper(ctx, tmp_path):
    d = receive(ctx)
    extend_due(ctx, code=d.code, until=LATER, reason="Cần xác minh thêm tại thôn Thượng Đồng")
    text = squeeze(pdf_text(printing.form_doc(ctx, "form04", d.code), tmp_path))
    assert "Lý do: Cần xác minh thêm tại thôn Thượng Đồng. Sự chậm trễ này" in text
    other = receive(ctx)
    stop_dossier(ctx, code=other.code, reason="Giấy tờ bị tẩy xóa", guidance="Nộp lại bản chính")
    text = squeeze(pdf_text(printing.form_doc(ctx, "form05", other.code), tmp_path))
    assert "Lý do: Giấy tờ bị tẩy xóa. Đề nghị Ông/Bà: Nộp lại bản chính. Xin thông báo" in text


def test_form05_pdf_carries_reason_guidance_and_signer(ctx, store, tmp_path):
    d = receive(ctx)
    stop_dossier(ctx, code=d.code, reason="Giấy tờ bị tẩy xóa, sửa chữa.", guidance="")
    text = squeeze(pdf_text(printing.form_doc(ctx, "form05", d.code), tmp_path))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Số: ……/TB",
        "Kính gửi: Ông/Bà Nguyễn Thị Đường",
        f"Mã hồ sơ: {d.code}",
        "thông báo dừng giải quyết hồ sơ của Ông/Bà. Lý do: Giấy tờ bị tẩy xóa, sửa chữa.",
        "Đề nghị Ông/Bà: " + rules.DEFAULT_GUIDANCE,
        "Xin thông báo để Ông/Bà được biết.",
        "canbo1",
    ):
        assert expected in text, expected


def test_forms_04_and_05_need_their_move(ctx):
    d = receive(ctx)
    for form, code in (("form04", "printer.not_extended"), ("form05", "printer.not_stopped")):
        with pytest.raises(DomainError) as missing:
            printing.form_doc(ctx, form, d.code)
        assert missing.value.code == code


# ---- the command line -----------------------------------------------------------------------


@pytest.fixture
def cli_data(tmp_path, capsys, monkeypatch) -> Path:
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    folder = tmp_path / "data"
    assert main(["--data-dir", str(folder), "init", "--agency-code", "000.00.01.H22",
                 "--center-name", "Trung tâm xã Tân Lập", "--admin-password",
                 "mat-khau-dai"]) == 0  # fmt: skip
    capsys.readouterr()
    return folder


def cli(capsys, folder: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(folder), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_extend_and_stop_print_forms_04_and_05(cli_data, capsys, tmp_path):
    code, out, _ = cli(capsys, cli_data, "dossier", "receive", "--documents", "all",
                       "--procedure", "1.000689", "--name", "Trần Văn Ẩn", "--json")  # fmt: skip
    dossier, due = json.loads(out)["code"], datetime.fromisoformat(json.loads(out)["due_at"])
    until = system_now().date() + timedelta(days=40)  # a date alone keeps the due time of day
    folder = tmp_path / "phieu"
    code, out, err = cli(capsys, cli_data, "dossier", "extend", dossier, "--until",
                         until.isoformat(), "--reason", "Chờ ý kiến của Sở Tư pháp.",
                         "--printer", f"pdf://{folder}")  # fmt: skip
    assert code == 0, err
    assert f"hẹn trả mới {due:%H} giờ {due:%M} phút, ngày {until:%d/%m/%Y}" in out
    assert "Đã in Văn bản xin lỗi, gia hạn" in out
    shown = json.loads(cli(capsys, cli_data, "dossier", "show", dossier, "--json")[1])
    assert shown["due_at"].startswith(until.isoformat())
    history = cli(capsys, cli_data, "dossier", "show", dossier)[1]
    assert "Gia hạn  (admin) — Gia hạn hẹn trả từ" in history

    code, out, err = cli(capsys, cli_data, "dossier", "stop", dossier, "--reason",
                         "Công dân đề nghị dừng.", "--printer", f"pdf://{folder}")  # fmt: skip
    assert code == 0 and "Dừng xử lý" in out, err
    pdfs = sorted(folder.iterdir())
    assert [p.name[-10:] for p in pdfs] == ["form04.pdf", "form05.pdf"]
    texts = [
        squeeze(subprocess.run(["pdftotext", "-raw", str(p), "-"], capture_output=True, text=True,
                               check=True).stdout)
        for p in pdfs
    ]  # fmt: skip
    assert "Lý do: Chờ ý kiến của Sở Tư pháp." in texts[0]
    assert f"ngày {until:%d/%m/%Y}" in texts[0] and "Ông/Bà Trần Văn Ẩn" in texts[0]
    assert "Lý do: Công dân đề nghị dừng." in texts[1] and "admin" in texts[1]

    # bad input: a clear message, exit 2, nothing written
    code, _, err = cli(capsys, cli_data, "dossier", "extend", dossier, "--until", "mai",
                       "--reason", "x")  # fmt: skip
    assert code == 2 and "YYYY-MM-DD" in err and "Traceback" not in err
    code, _, err = cli(capsys, cli_data, "dossier", "extend", dossier, "--until",
                       until.isoformat(), "--reason", "x")  # fmt: skip
    assert code == 1 and "chỉ gia hạn được hồ sơ đang giải quyết" in err


def test_cli_without_a_printer_says_how_to_print_later(cli_data, capsys):
    out = cli(capsys, cli_data, "dossier", "receive", "--documents", "all", "--procedure",
              "1.000689", "--name", "Lê Văn Cường", "--json")[1]  # fmt: skip
    dossier = json.loads(out)["code"]
    code, out, _ = cli(capsys, cli_data, "dossier", "stop", dossier, "--reason", "Thiếu hồ sơ")
    assert code == 0 and f"counter-app print form05 {dossier}" in out


def test_the_signer_is_the_officers_full_name_and_title_where_accounts_have_them(
    store, clock, station, tmp_path
):
    """Accounts carry a full name and title (m009): the letters print them, and the login
    only for an account that has none (or no account at all)."""
    from counter_app.services import accounts

    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    d = receive(admin)
    stop_dossier(admin, code=d.code, reason="Công dân đề nghị dừng.")
    assert "admin" in squeeze(pdf_text(printing.form_doc(admin, "form05", d.code), tmp_path))
    accounts.add_user(admin, username="admin", role=Role.ADMIN, password="mat-khau-dai",
                      full_name="Hoàng Thị Lan", title="Công chức Tư pháp - Hộ tịch")  # fmt: skip
    text = squeeze(pdf_text(printing.form_doc(admin, "form05", d.code), tmp_path))
    assert "Hoàng Thị Lan" in text and "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH" in text
