"""Officers by name: accounts carry a full name and title, which every printed form shows
where it used to print the login ("canbo"); decoded ESC/POS text and pdftotext read them."""

from __future__ import annotations

import json
import subprocess
import unicodedata

import pytest
from PIL import ImageChops

from counter_app.cli import main
from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import Forbidden, ValidationError
from counter_app.core.roles import Role
from counter_app.services import accounts
from counter_app.services.dossiers import (
    ApplicantInput,
    change_status,
    decide_at_intake,
    receive_dossier,
)
from counter_app.services.events import account_event
from counter_app.services.replica import _apply_account
from printers import service
from printers.escpos_decode import decode_escpos
from printers.escpos_render import PrinterProfile, encode_document
from printers.pdf import document_pdf
from printers.raster import render_raster
from tests.conftest import AGENCY, make_ctx

NAME = "Nguyễn Thị Đường"
TITLE = "Công chức Tư pháp - Hộ tịch"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture
def officer_ctx(store, clock, station):
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    accounts.add_user(
        admin, username="canbo.duong", role=Role.CLERK, password="mat-khau-dai",
        full_name="nguyễn  thị đường", title=TITLE,
    )  # fmt: skip
    return make_ctx(store, clock, station, Role.CLERK, "canbo.duong")


def received(ctx):
    return receive_dossier(
        ctx, procedure_code="1.000689", applicant=ApplicantInput(full_name="Trần Văn Ẩn")
    )


def test_an_account_keeps_a_full_name_and_title_written_properly(officer_ctx, store) -> None:
    user = store.users.get("canbo.duong")
    assert (user.full_name, user.title) == (NAME, TITLE)
    assert accounts.officer(store, "canbo.duong") == (NAME, TITLE)
    assert accounts.officer(store, "kiosk") == ("kiosk", "")  # no account: the name as given


def test_update_changes_only_what_is_given_and_audits_no_name(store, clock, station) -> None:
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    accounts.add_user(admin, username="canbo2", role=Role.CLERK, password="mat-khau-dai")
    assert store.users.get("canbo2").display_name == "canbo2"  # the login until a name is set
    user = accounts.update_user(admin, username="canbo2", full_name=NAME)
    assert (user.full_name, user.title) == (NAME, "")
    user = accounts.update_user(admin, username="canbo2", title=TITLE)
    assert (user.full_name, user.title) == (NAME, TITLE)
    entries = store.query("SELECT action, detail FROM audit WHERE entity_id = 'canbo2'")
    assert [e["action"] for e in entries] == ["user.add", "user.update", "user.update"]
    assert all(NAME not in (e["detail"] or "") for e in entries)
    with pytest.raises(ValidationError) as error:
        accounts.update_user(admin, username="canbo2", full_name="Nguyễn 2")
    assert error.value.field == "full_name"
    with pytest.raises(ValidationError) as error:
        accounts.update_user(admin, username="canbo2", title="x" * 81)
    assert error.value.field == "title"
    clerk = make_ctx(store, clock, station, Role.CLERK, "canbo2")
    with pytest.raises(Forbidden):
        accounts.update_user(clerk, username="canbo2", full_name="Trần Văn Ẩn")


def test_the_account_event_carries_name_and_title_to_other_stations(officer_ctx, store) -> None:
    event = account_event(officer_ctx, "canbo.duong", officer_ctx.now())
    assert (event["user"]["full_name"], event["user"]["title"]) == (NAME, TITLE)
    store.conn.execute("DELETE FROM users WHERE username = 'canbo.duong'")
    _apply_account(officer_ctx, event["user"])
    assert accounts.officer(store, "canbo.duong") == (NAME, TITLE)
    older = {k: v for k, v in event["user"].items() if k not in ("full_name", "title")}
    older["username"] = "canbo.cu"
    _apply_account(officer_ctx, older)  # an older station's event: no name yet
    assert accounts.officer(store, "canbo.cu") == ("canbo.cu", "")


@pytest.mark.parametrize("form", ["form01", "form02", "form03", "form06"])
def test_every_form_names_the_officer_not_the_login(officer_ctx, form, qapp, tmp_path) -> None:
    if form in ("form02", "form03"):
        d = decide_at_intake(
            officer_ctx,
            decision=DossierStatus.SUPPLEMENT if form == "form02" else DossierStatus.REFUSED,
            reasons="Thiếu giấy tờ",
            procedure_code="1.000689",
            applicant=ApplicantInput(full_name="Lê Thị Hồng"),
        )
        doc = service.form_doc(officer_ctx, form, d.code)
    elif form == "form06":
        d = received(officer_ctx)
        change_status(officer_ctx, code=d.code, to=DossierStatus.PROCESSING)
        doc = service.form_doc(officer_ctx, form, d.code)
    else:
        doc = service.receipt_docs(officer_ctx, received(officer_ctx).code, copies=1)[0]
    out = tmp_path / f"{form}.pdf"
    document_pdf(doc, out)
    text = nfc(subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                              text=True, check=True).stdout)  # fmt: skip
    assert NAME in text
    assert "canbo.duong" not in text
    if form != "form06":  # the control slip names who handed over, without titles
        assert TITLE in " ".join(text.split())


def test_thermal_receipt_prints_the_officer_in_text_and_raster(officer_ctx) -> None:
    d = received(officer_ctx)
    doc = service.receipt_docs(officer_ctx, d.code, copies=1)[0]
    text_mode = decode_escpos(encode_document(doc, PrinterProfile(mode="text")))
    paper = " ".join(nfc(text_mode.text).split())  # the title wraps in its half-width column
    assert NAME in paper and TITLE in paper
    assert "canbo.duong" not in text_mode.text
    # raster (the default): the paper is exactly the drawing of the text that names her
    picture = decode_escpos(encode_document(doc, PrinterProfile())).picture().convert("L")
    drawn = render_raster(doc).convert("L")
    assert picture.size == drawn.size and ImageChops.difference(picture, drawn).getbbox() is None
    assert NAME in doc.all_text() and "canbo.duong" not in doc.all_text()


def test_cli_adds_updates_and_lists_officers(tmp_path, capsys, monkeypatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    assert main(["--data-dir", str(data), "init", "--agency-code", AGENCY,
                 "--center-name", "Trung tâm xã Tân Lập"]) == 0  # fmt: skip
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_NEW_PASSWORD", "mat-khau-can-bo")
    base = ["--data-dir", str(data), "users"]
    assert main([*base, "add", "canbo.duong", "--role", "clerk", "--full-name",
                 "Nguyễn Thị Đường", "--title", TITLE]) == 0  # fmt: skip
    assert main([*base, "add", "canbo.x", "--role", "clerk", "--full-name", "Nguyễn 9"]) != 0
    assert "Họ và tên chỉ được gồm chữ cái" in capsys.readouterr().err
    assert main([*base, "update", "canbo.duong", "--title", "Phó Chủ tịch UBND xã"]) == 0
    assert main([*base, "list", "--json"]) == 0
    out = capsys.readouterr().out
    users = {u["username"]: u for u in json.loads(out[out.index("[") :])}
    assert users["canbo.duong"]["full_name"] == NAME
    assert users["canbo.duong"]["title"] == "Phó Chủ tịch UBND xã"
    assert "canbo.x" not in users
    monkeypatch.setenv("COUNTER_APP_USER", "canbo.duong")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-can-bo")
    assert main([*base, "update", "canbo.duong", "--full-name", "Trần Văn Ẩn"]) == 1
    assert "không được phép" in capsys.readouterr().err


def test_a_dossier_offers_the_forms_it_has_had_a_reason_to_print(officer_ctx, clock) -> None:
    from datetime import timedelta

    from counter_app.services.dossier_notices import extend_due, stop_dossier

    d = received(officer_ctx)
    assert service.dossier_forms(officer_ctx, d.code) == ["form01", "form06"]
    extend_due(officer_ctx, code=d.code, until=d.due_at + timedelta(days=3),
               reason="Cần xác minh thêm.")  # fmt: skip
    assert service.dossier_forms(officer_ctx, d.code) == ["form01", "form04", "form06"]
    stop_dossier(officer_ctx, code=d.code, reason="Công dân đề nghị dừng.")
    assert service.dossier_forms(officer_ctx, d.code) == ["form01", "form04", "form05", "form06"]
    refused = decide_at_intake(
        officer_ctx, decision=DossierStatus.REFUSED, reasons="Không thuộc thẩm quyền",
        procedure_code="1.000689", applicant=ApplicantInput(full_name="Lê Thị Hồng"),
    )  # fmt: skip
    assert service.dossier_forms(officer_ctx, refused.code) == ["form03"]
    for form in service.dossier_forms(officer_ctx, d.code):  # each one prints the officer
        assert all(NAME in doc.all_text() for doc in service.form_docs(officer_ctx, form, d.code))
