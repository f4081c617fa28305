"""The dossier page's extension (Form 04) and stop (Form 05), pressed as a clerk would."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import DossierStatus
from counter_app.core.roles import Actor, Role
from counter_app.ui import gateway
from counter_app.ui.dossiers import EXTEND, DossiersWidget
from counter_app.ui.extend_dialog import ExtendDialog
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.test_ui_dossier_page import PAGE, answer


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    s = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    yield s
    s.close()


@pytest.fixture
def page(qtbot, session):
    widget = DossiersWidget(session)
    qtbot.addWidget(widget)
    widget.resize(*PAGE)
    widget.show()
    qtbot.waitUntil(lambda: widget._loaded and widget.view.procedure.count() > 1)
    return widget


def shown(page) -> ExtendDialog:
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, ExtendDialog) and w.isVisible() and w.parent() is page]  # fmt: skip
    assert len(dialogs) == 1
    return dialogs[0]


def a_dossier(session, page):
    d = gateway.receive_dossier(
        session.ctx(),
        procedure_code="1.000689",
        applicant=gateway.ApplicantInput(full_name="Lò Văn Páo"),
    )
    page.run_search()
    page.select_code(d.code)
    return d


def type_due(qtbot, dialog, text: str) -> None:
    dialog.until.selectAll()
    qtbot.keyClick(dialog.until, Qt.Key_Backspace)
    qtbot.keyClicks(dialog.until, text)


def test_extension_is_asked_checked_recorded_and_printed(qtbot, session, page):
    d = a_dossier(session, page)
    forms = []
    page.form_requested.connect(lambda form, code: forms.append((form, code)))
    qtbot.mouseClick(page.action_buttons[EXTEND], Qt.LeftButton)
    dialog = shown(page)
    assert d.code in dialog.intro.text() and "Ông/Bà Lò Văn Páo" in dialog.intro.text()
    assert dialog.until.text() == f"{d.due_at + timedelta(days=7):%H:%M %d/%m/%Y}"  # to start
    type_due(qtbot, dialog, "16:30 8 thang 5")
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    assert "ví dụ 16:30 08/05/2026" in dialog.error.text() and dialog.isVisible()
    # a date before the current due date: refused in the dialog, which stays open
    type_due(qtbot, dialog, "16:30 01/05/2026")
    qtbot.keyClicks(dialog.reason, "Can xac minh them tai thon.")  # QTest types ASCII only
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    assert "phải sau ngày hẹn trả hiện tại" in dialog.error.text() and dialog.isVisible()
    type_due(qtbot, dialog, "16:30 08/05/6300")
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    assert "quá một năm" in dialog.error.text() and dialog.isVisible()
    assert gateway.show_dossier(session.ctx(), d.code).dossier.due_at == d.due_at
    type_due(qtbot, dialog, "16:30 08/05/2026")
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    assert not dialog.isVisible()
    after = gateway.show_dossier(session.ctx(), d.code).dossier
    assert after.due_at == datetime(2026, 5, 8, 16, 30, tzinfo=VN_TZ)
    assert forms == [("form04", d.code)]
    assert "đã gia hạn, hẹn trả mới 16:30 08/05/2026" in page.view.message.text()
    assert "08/05/2026" in page.view.detail.text()
    last = page.view.history.item(page.view.history.count() - 1).text()
    assert "Gia hạn  (canbo1) – Gia hạn hẹn trả từ" in last


def test_stop_takes_the_reason_and_asks_for_form_05(qtbot, session, page):
    d = a_dossier(session, page)
    forms = []
    page.form_requested.connect(lambda form, code: forms.append((form, code)))
    seen = answer(qtbot, yes=True)
    qtbot.mouseClick(page.action_buttons[int(DossierStatus.STOPPED)], Qt.LeftButton)
    assert seen and "Cần ghi rõ lý do" in page.view.note_error.text() and forms == []
    qtbot.keyClicks(page.view.note, "Giay to bi tay xoa.")
    seen = answer(qtbot, yes=True)
    qtbot.mouseClick(page.action_buttons[int(DossierStatus.STOPPED)], Qt.LeftButton)
    assert seen and gateway.show_dossier(session.ctx(), d.code).dossier.status == 8
    assert forms == [("form05", d.code)]
    assert EXTEND not in page.action_buttons  # a stopped dossier is not extended


def test_a_cancelled_extension_records_nothing(qtbot, session, page):
    d = a_dossier(session, page)
    qtbot.mouseClick(page.action_buttons[EXTEND], Qt.LeftButton)
    dialog = shown(page)
    QTimer.singleShot(0, lambda: qtbot.mouseClick(dialog.cancel, Qt.LeftButton))
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert gateway.show_dossier(session.ctx(), d.code).dossier.due_at == d.due_at


def test_the_station_prints_form_04_on_the_default_printer_or_previews_it(
    qtbot, session, store, clock, station, tmp_path
):
    import subprocess

    from counter_app.services import admin
    from counter_app.ui.shell import StationWindow
    from tests.conftest import make_ctx

    window = StationWindow()
    qtbot.addWidget(window)
    window.attach(session)
    applicant = gateway.ApplicantInput(full_name="Lò Văn Páo")
    d = gateway.receive_dossier(session.ctx(), procedure_code="1.000689", applicant=applicant)
    later = datetime(2026, 5, 8, 16, 30, tzinfo=VN_TZ)
    gateway.extend_due(session.ctx(), code=d.code, until=later, reason="Can xac minh them.")
    window.print_form("form04", d.code)  # no printer yet: shown on screen
    assert window.preview.isVisible() and d.code in window.preview.document.title
    assert window.preview.document.kind == "form04"
    window.preview.close()

    folder = tmp_path / "phieu"
    admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                        printers={"a4": f"pdf://{folder}", "default": "a4"})  # fmt: skip
    printing = session.printing()
    printing.refresh()
    qtbot.waitUntil(lambda: printing.state.configured, timeout=5000)
    with qtbot.waitSignal(printing.printed, timeout=20_000) as printed:
        window.print_form("form04", d.code)
    assert printed.args[0].ok
    (pdf,) = folder.iterdir()
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN" in text and "Ông/Bà Lò Văn Páo" in text


def test_the_extension_in_the_history_is_said_in_english_too(qtbot, session, store, clock):
    """Issue 20: the history's extension note stayed Vietnamese in the English window."""
    make_app("en")
    try:
        d = gateway.receive_dossier(
            session.ctx(), procedure_code="1.000689",
            applicant=gateway.ApplicantInput(full_name="Lò Văn Páo"),
        )  # fmt: skip
        gateway.extend_due(session.ctx(), code=d.code, reason="Cần xác minh thêm",
                           until=datetime(2026, 5, 8, 16, 30, tzinfo=VN_TZ))  # fmt: skip
        widget = DossiersWidget(session)
        qtbot.addWidget(widget)
        widget.resize(*PAGE)
        widget.show()
        qtbot.waitUntil(lambda: widget._loaded and widget.view.procedure.count() > 1)
        widget.run_search()
        assert widget.select_code(d.code)
        last = widget.view.history.item(widget.view.history.count() - 1).text()
        assert "Due date extended from" in last and "to 16:30 08/05/2026" in last, last
        assert "Gia hạn hẹn trả" not in last
    finally:
        make_app("vi")
