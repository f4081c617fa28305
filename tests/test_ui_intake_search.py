"""The intake's procedure box, typed into like a clerk does: people's words choose the
procedure, and a search that finds nothing drops the one chosen before (Ctrl+Enter then
receives nothing under a stale procedure)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from counter_app.core.roles import Actor, Role
from counter_app.ui.intake import IntakeWidget
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from counter_app.ui.volunteer import VolunteerWidget


@pytest.fixture
def intake(qtbot, qapp, store, clock, station):
    make_app("vi")
    session = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    widget = IntakeWidget(session)
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    return widget


def type_text(widget, text: str) -> None:
    """Key events carrying each character, as a Vietnamese keyboard (Unikey, an IME) sends
    them: QTest's keyClicks aborts on letters outside Latin-1, such as "ử"."""
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def search(qtbot, widget: IntakeWidget, text: str) -> None:
    """Select what is in the box, type over it and press Enter."""
    box = widget.view.procedure_search
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_A, Qt.ControlModifier)
    type_text(box, text)
    qtbot.keyClick(box, Qt.Key_Return)


def ready_to_accept(qtbot, widget: IntakeWidget) -> None:
    """The citizen's name and every required paper ticked: only the procedure may be wrong."""
    if not widget.view.full_name.text():
        qtbot.keyClicks(widget.view.full_name, "Lo Van Pao")
    for row, doc in enumerate(widget.procedure.documents):
        if not doc.optional and not widget.document_box(row).isChecked():
            qtbot.mouseClick(widget.document_box(row), Qt.LeftButton)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("làm giấy khai sinh", "1.001193"),
        ("dk khai sinh", "1.001193"),
        ("sao y", "2.000815"),
        ("công chứng bản sao", "2.000815"),
        ("nhap ho khau", "1.004222"),
        ("xác nhận độc thân", "1.004873"),
        ("làm sổ đỏ", "1.013978"),
        ("mở hộ kinh doanh", "1.001612"),
        ("báo tử", "1.000656"),
    ],
)
def test_spoken_phrase_and_enter_choose_the_procedure(qtbot, intake, text, code) -> None:
    search(qtbot, intake, "khai tử")  # something else chosen first: Enter must replace it
    search(qtbot, intake, text)
    assert intake.procedure.code == code
    assert intake.view.checklist.rowCount() == len(intake.procedure.documents)
    assert "procedure" not in intake.error_texts()


def test_the_volunteer_look_up_finds_the_same(qtbot, qapp, store, clock, station) -> None:
    make_app("vi")
    session = Session(store, clock=clock, actor=Actor("tnv", Role.VOLUNTEER))
    page = VolunteerWidget(session)
    qtbot.addWidget(page)
    page.show()
    search(qtbot, page.intake, "photo công chứng")
    assert page.intake.procedure.code == "2.000815"


def test_no_match_drops_the_chosen_procedure_and_ctrl_enter_receives_nothing(
    qtbot, intake, store
) -> None:
    box = intake.view.procedure_search
    # Ctrl+Enter from the box does receive when the procedure is the right one ...
    search(qtbot, intake, "sao y")
    ready_to_accept(qtbot, intake)
    with qtbot.waitSignal(intake.received, timeout=2000) as received:
        qtbot.keyClick(box, Qt.Key_Return, Qt.ControlModifier)
    assert received.args[0].procedure_code == "2.000815"
    assert store.dossiers.count() == 1
    # ... but after a search that finds nothing, the old one and its papers are gone.
    search(qtbot, intake, "sao y")
    ready_to_accept(qtbot, intake)
    search(qtbot, intake, "qwzx vbnm")
    assert intake.procedure is None
    assert intake.view.checklist.rowCount() == 0
    error = intake.error_texts()["procedure"]
    assert "Không tìm thấy thủ tục nào" in error and "đã bỏ thủ tục đã chọn" in error
    assert intake.view.procedure_chosen.text() == "Chưa chọn thủ tục."
    qtbot.keyClick(box, Qt.Key_Return, Qt.ControlModifier)
    assert store.dossiers.count() == 1
    assert "chọn thủ tục" in intake.error_texts()["procedure"]
    # the next search that finds one takes the message away
    search(qtbot, intake, "giấy độc thân")
    assert intake.procedure.code == "1.004873" and "procedure" not in intake.error_texts()


def test_ctrl_enter_right_after_typing_searches_first(qtbot, intake, store) -> None:
    """Typed, no Enter, and Ctrl+Enter before the search ran: the search runs first."""
    search(qtbot, intake, "sao y")
    ready_to_accept(qtbot, intake)
    box = intake.view.procedure_search
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(box, "qwzx")
    qtbot.keyClick(box, Qt.Key_Return, Qt.ControlModifier)  # the 150 ms timer is still running
    assert store.dossiers.count() == 0
    assert intake.procedure is None
