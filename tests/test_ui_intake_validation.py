"""Bad input in every intake field gets a Vietnamese message next to it and saves nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter_app.core.roles import Actor, Role
from counter_app.ui.intake import IntakeWidget
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session


@pytest.fixture
def intake(qtbot, qapp, store, clock, station):
    make_app("vi")
    session = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    widget = IntakeWidget(session)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.keyClicks(widget.view.procedure_search, "khai sinh")
    qtbot.keyClick(widget.view.procedure_search, Qt.Key_Return)
    qtbot.keyClicks(widget.view.full_name, "Lo Van Pao")
    return widget


def _fill(qtbot, line_edit, text: str) -> None:
    line_edit.clear()
    qtbot.keyClicks(line_edit, text)
    line_edit.editingFinished.emit()  # the clerk tabs out of the field


BAD = [
    ("full_name", "Nguyen 2", "chữ cái"),
    ("full_name", "", "không được để trống"),
    ("citizen_id", "12345", "12 chữ số"),
    ("citizen_id", "999190012345", "mã tỉnh"),
    ("birth_date", "31/02/1990", "ngày/tháng/năm"),
    ("birth_date", "01/01/2099", "sau ngày hôm nay"),
    ("phone", "0123", "Số điện thoại không hợp lệ"),
    ("email", "lan@", "thư điện tử"),
    ("address", "x" * 260, "250 ký tự"),
]


@pytest.mark.parametrize(("field", "text", "expected"), BAD)
def test_bad_field_shows_message_and_saves_nothing(qtbot, intake, store, field, text, expected):
    before = store.dossiers.count()
    _fill(qtbot, getattr(intake.view, field), text)
    assert expected in intake.error_texts()[field]
    qtbot.mouseClick(intake.view.accept, Qt.LeftButton)
    assert expected in intake.error_texts()[field]
    assert "chưa được lưu" in intake.view.message.text()
    assert store.dossiers.count() == before


def test_message_disappears_once_fixed(qtbot, intake):
    _fill(qtbot, intake.view.phone, "0912")
    assert "phone" in intake.error_texts()
    qtbot.keyClicks(intake.view.phone, "345678")
    assert "phone" not in intake.error_texts()


def test_id_must_match_birth_year_and_sex(qtbot, intake):
    _fill(qtbot, intake.view.birth_date, "12/03/1985")
    _fill(qtbot, intake.view.citizen_id, "001190012345")
    assert "năm sinh" in intake.error_texts()["citizen_id"]
    _fill(qtbot, intake.view.birth_date, "12/03/1990")
    assert "citizen_id" not in intake.error_texts()
    intake.view.sex.setCurrentIndex(intake.view.sex.findData("male"))
    assert "giới tính" in intake.error_texts()["citizen_id"]


def test_unreadable_qr_and_no_procedure_and_no_documents(qtbot, intake, store):
    _fill(qtbot, intake.view.qr, "abc|def")
    qtbot.keyClick(intake.view.qr, Qt.Key_Return)
    assert "QR" in intake.error_texts()["qr"]
    qtbot.mouseClick(intake.view.accept, Qt.LeftButton)  # nothing ticked: nothing checked
    assert "giấy tờ" in intake.error_texts()["documents"]
    intake.view.procedure_search.clear()
    qtbot.mouseClick(intake.view.clear, Qt.LeftButton)
    qtbot.keyClicks(intake.view.full_name, "Lo Van Pao")
    qtbot.mouseClick(intake.view.accept, Qt.LeftButton)
    assert "chọn thủ tục" in intake.error_texts()["procedure"]
    assert store.dossiers.count() == 0


def tick_required(qtbot, widget) -> None:
    """The clerk checks each required paper and ticks it, as a person would (by mouse)."""
    for row, doc in enumerate(widget.procedure.documents):
        if not doc.optional:
            qtbot.mouseClick(widget.document_box(row), Qt.LeftButton)


def test_refusal_needs_a_reason_then_records_status_3(qtbot, intake, store):
    tick_required(qtbot, intake)
    qtbot.mouseClick(intake.view.refuse, Qt.LeftButton)
    assert "lý do" in intake.error_texts()["note"]
    assert store.dossiers.count() == 0
    qtbot.keyClicks(intake.view.reason, "Ho so khong thuoc tham quyen")
    with qtbot.waitSignal(intake.decided) as decided:
        qtbot.mouseClick(intake.view.refuse, Qt.LeftButton)
    assert int(decided.args[0].status) == 3
    assert store.dossiers.count() == 1


def test_volunteer_saves_a_draft_not_a_received_dossier(qtbot, qapp, store, clock, station):
    make_app("vi")
    session = Session(store, clock=clock, actor=Actor("tnv", Role.VOLUNTEER))
    widget = IntakeWidget(session, draft=True)
    qtbot.addWidget(widget)
    widget.show()
    assert not widget.view.refuse.isVisible()
    qtbot.keyClicks(widget.view.procedure_search, "khai sinh")
    qtbot.keyClick(widget.view.procedure_search, Qt.Key_Return)
    qtbot.keyClicks(widget.view.full_name, "Lo Van Pao")
    tick_required(qtbot, widget)
    with qtbot.waitSignal(widget.received, timeout=1000) as saved:
        qtbot.mouseClick(widget.view.accept, Qt.LeftButton)
    assert int(saved.args[0].status) == 1 and saved.args[0].due_at is None


def test_khai_sinh_and_enter_picks_the_plain_birth_registration(qtbot, intake):
    # The fixture typed "khai sinh" and pressed Enter in the real search box.
    assert intake.procedure.code == "1.001193"  # same day, free; not 1.000689
    assert intake.view.fee.text() == "Không thu"
    intake.view.procedure_search.clear()
    qtbot.keyClicks(intake.view.procedure_search, "ket hon")
    qtbot.keyClick(intake.view.procedure_search, Qt.Key_Return)
    assert intake.procedure.code == "1.000894"  # not the mobile (lưu động) variant


def test_documents_start_unticked_and_only_ticked_ones_are_recorded(qtbot, intake, store):
    rows = intake.view.checklist.rowCount()
    assert rows >= 2
    assert not any(intake.document_box(row).isChecked() for row in range(rows))
    qtbot.mouseClick(intake.view.accept, Qt.LeftButton)
    assert "giấy tờ" in intake.error_texts()["documents"] and store.dossiers.count() == 0
    qtbot.mouseClick(intake.document_box(0), Qt.LeftButton)
    with qtbot.waitSignal(intake.received, timeout=1000) as saved:
        qtbot.mouseClick(intake.view.accept, Qt.LeftButton)
    received = [d.received for d in saved.args[0].documents]
    assert received == [True] + [False] * (rows - 1)
    stored = store.dossiers.get(saved.args[0].code)
    assert [d.received for d in stored.documents] == received


def test_number_of_sets_cannot_be_zero(qtbot, intake, store, ctx):
    from counter_app.core.errors import ValidationError
    from counter_app.services.dossiers import ApplicantInput, receive_dossier

    sets = intake.view.sets
    sets.selectAll()
    qtbot.keyClicks(sets, "0")
    qtbot.keyClick(sets, Qt.Key_Down)
    sets.interpretText()
    assert sets.value() >= 1 and sets.minimum() == 1
    for bad in (0, -1, 21):
        with pytest.raises(ValidationError) as err:
            receive_dossier(
                ctx, procedure_code="1.001193", applicant=ApplicantInput(full_name="Lê Văn An"),
                sets=bad,
            )  # fmt: skip
        assert err.value.field == "sets" and "Số bộ" in err.value.message("vi")
    assert store.dossiers.count() == 0


def test_the_papers_are_ticked_from_the_keyboard(qtbot, intake):
    # The fixture pressed Enter in the search box: the first paper of the checklist is current.
    table = intake.view.checklist
    assert table.hasFocus() and table.currentRow() == 0
    qtbot.keyClick(table, Qt.Key_Space)
    qtbot.keyClick(table, Qt.Key_Down)
    qtbot.keyClick(table, Qt.Key_Down)
    qtbot.keyClick(table, Qt.Key_Space)
    ticked = [intake.document_box(row).isChecked() for row in range(table.rowCount())]
    assert ticked[:3] == [True, False, True] and not any(ticked[3:])
    qtbot.keyClick(table, Qt.Key_Space)  # again: unticked
    assert not intake.document_box(2).isChecked()


def test_a_store_that_cannot_write_keeps_the_form_and_says_so(qtbot, intake, store):
    """A disk gone read-only as the clerk accepts: nothing saved, the citizen's data still
    on screen to try again, one Vietnamese line instead of a traceback."""
    tick_required(qtbot, intake)
    store.conn.execute("PRAGMA query_only = ON")
    try:
        qtbot.mouseClick(intake.view.accept, Qt.LeftButton)
    finally:
        store.conn.execute("PRAGMA query_only = OFF")
    assert intake.view.message.text().startswith("Không thực hiện được do lỗi không mong đợi")
    assert store.dossiers.count() == 0 and intake.view.full_name.text() == "Lo Van Pao"
    with qtbot.waitSignal(intake.received, timeout=1000):
        qtbot.mouseClick(intake.view.accept, Qt.LeftButton)  # the disk is back: it saves
    assert store.dossiers.count() == 1


def test_a_field_emptied_by_the_next_form_is_not_flagged_when_left(qtbot, intake):
    """Issue 20: after "Làm mới" (or a saved dossier) the cursor still sat in the cleared
    name field; leaving it put "không được để trống" on the next citizen's blank form."""
    intake.activateWindow()
    qtbot.waitUntil(intake.isActiveWindow)
    intake.view.full_name.setFocus()
    qtbot.keyClick(intake.view.full_name, Qt.Key_N, Qt.ControlModifier)  # Làm mới
    assert intake.view.full_name.text() == ""
    qtbot.keyClick(intake.view.full_name, Qt.Key_Tab)  # the clerk moves on
    assert intake.error_texts() == {} and intake.view.message.text() == ""
    intake.view.phone.setFocus()
    qtbot.keyClicks(intake.view.phone, "0123")  # a field typed in is still checked on leaving
    qtbot.keyClick(intake.view.phone, Qt.Key_Tab)
    assert "Số điện thoại không hợp lệ" in intake.error_texts()["phone"]


def test_optional_papers_say_if_any_and_the_dossier_keeps_the_catalogue_name(qtbot, intake, store):
    table = intake.view.checklist
    shown = [table.item(row, 1).text() for row in range(table.rowCount())]
    listed = intake.procedure.documents
    for text, doc in zip(shown, listed, strict=True):
        assert text.endswith("(nếu có)") == (doc.optional and "nếu có" not in doc.name)
    assert "Văn bản ủy quyền (trường hợp ủy quyền thực hiện) (nếu có)" in shown
    tick_required(qtbot, intake)
    with qtbot.waitSignal(intake.received, timeout=1000) as saved:
        qtbot.mouseClick(intake.view.accept, Qt.LeftButton)
    assert [d.name for d in saved.args[0].documents] == [d.name for d in listed]
