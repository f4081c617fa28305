"""Intake with papers, as a clerk does it: tick a paper, scan it from SANE's `test` device
with the row's button, drop a PNG on another row, save; the dossier holds both, sealed."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from counter_app.core.roles import Actor, Role
from counter_app.services import papers
from counter_app.ui.intake import IntakeWidget
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.test_papers import text_page


@pytest.fixture
def intake(qtbot, qapp, store, clock, station):
    make_app("vi")
    with store.transaction():
        store.settings.set("scanner_device", "test")
    session = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    widget = IntakeWidget(session)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.keyClicks(widget.view.procedure_search, "khai sinh")
    qtbot.keyClick(widget.view.procedure_search, Qt.Key_Return)
    return widget


def drop_files(widget, paths) -> None:
    """What the window system delivers when files are dragged onto the widget."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    at = QPointF(widget.rect().center())
    enter = QDragEnterEvent(at.toPoint(), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(at, Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(widget, drop)


def test_scan_and_drop_then_save_keeps_both_papers(qtbot, intake, store, tmp_path):
    v, rows = intake.view, intake.papers
    v.checklist.setFocus()
    v.checklist.setCurrentCell(0, 1)
    qtbot.keyClick(v.checklist, Qt.Key_Space)  # ticked: received, not yet digitised
    assert "chưa số hóa" in rows.cell(0).state.text()
    assert rows.cell(0).state.property("role") == "error"  # it stands out
    assert rows.cell(1).state.property("role") == "hint"  # an unticked row does not

    scan = rows.cell(0).scan
    scan.setFocus()
    qtbot.keyClick(scan, Qt.Key_Space)
    assert rows.cell(0).state.text() == "Đang số hóa…"  # the window did not wait for it
    qtbot.waitUntil(lambda: rows.cell(0).state.text() == "đã số hóa · 1 trang", timeout=20_000)
    qtbot.keyClick(scan, Qt.Key_Space)  # a second page
    qtbot.waitUntil(lambda: rows.cell(0).state.text() == "đã số hóa · 2 trang", timeout=20_000)
    assert rows.cell(0).state.property("role") == "hint"
    assert not rows.cell(0).thumb.pixmap().isNull()

    page = text_page(tmp_path / "giay-chung-sinh.png")
    drop_files(rows.cell(1), [page])
    qtbot.waitUntil(lambda: rows.cell(1).state.text() == "đã số hóa · 1 trang", timeout=20_000)
    assert rows.prepared()[2].pages == 1

    qtbot.keyClicks(v.full_name, "Lo Van Pao")
    qtbot.mouseClick(v.accept, Qt.LeftButton)
    assert "Đã tiếp nhận hồ sơ" in v.message.text()
    code = intake.last_dossier.code
    ctx = intake._session.ctx()
    held = papers.papers_of(ctx, code)
    assert [(p.paper_no, p.pages) for p in held] == [(1, 2), (2, 1)]
    for paper in held:
        pdf = papers.read_paper(ctx, paper.paper_id)
        assert hashlib.sha256(pdf).hexdigest() == paper.sha256
    # saved: the rows start empty for the next citizen
    assert rows.prepared() == {}


def test_a_bad_file_and_a_missing_scanner_say_so_on_the_row(qtbot, intake, store, tmp_path):
    rows = intake.papers
    bad = tmp_path / "khong-phai-anh.png"
    bad.write_bytes(b"garbage")
    drop_files(rows.cell(0), [bad])
    qtbot.waitUntil(lambda: "không phải PDF, JPEG hay PNG" in rows.cell(0).state.text())
    with store.transaction():
        store.settings.set("scanner_device", "khong-co-may-quet")
    rows.cell(1).scan.click()
    qtbot.waitUntil(lambda: "Máy quét báo lỗi" in rows.cell(1).state.text(), timeout=20_000)
    assert rows.prepared() == {}


def history(page) -> list[str]:
    return [page.view.history.item(i).text() for i in range(page.view.history.count())]


def test_result_papers_on_the_dossier_page_say_what_when_and_by_whom(
    qtbot, qapp, store, clock, station, tmp_path
):
    from counter_app.core.dossier import DossierStatus
    from counter_app.ui import gateway
    from counter_app.ui.dossiers import RESULT_FILE, RESULT_SCAN, DossiersWidget

    make_app("vi")
    with store.transaction():
        store.settings.set("scanner_device", "test")
    session = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    ctx = session.ctx()
    dossier = gateway.receive_dossier(
        ctx, procedure_code="1.001193", applicant=gateway.ApplicantInput(full_name="Lo Van Pao")
    )
    page = DossiersWidget(session)
    qtbot.addWidget(page)
    page.resize(1366 - 210, 768 - 60)
    page.show()
    qtbot.waitUntil(lambda: page._loaded and page.view.procedure.count() > 1)
    page.run_search()
    assert page.select_code(dossier.code)
    assert "Giấy tờ đã số hóa: 0/5 (0 trang)" in history(page)
    assert RESULT_SCAN not in page.action_buttons  # not before the result is ready
    for status in (DossierStatus.PROCESSING, DossierStatus.DONE):
        gateway.change_status(ctx, code=dossier.code, to=status)
    page.run_search()
    page.select_code(dossier.code)
    scan = page.action_buttons[RESULT_SCAN]
    scan.setFocus()
    qtbot.keyClick(scan, Qt.Key_Space)
    attached = "Đã đính kèm giấy tờ kết quả"
    qtbot.waitUntil(lambda: attached in page.view.message.text(), timeout=20_000)
    page.results.import_files(dossier.code, [str(text_page(tmp_path / "kq.png"))])
    results = lambda: gateway.papers_of(ctx, dossier.code, "result")  # noqa: E731
    qtbot.waitUntil(lambda: len(results()) == 2, timeout=20_000)
    assert RESULT_FILE in page.action_buttons
    page.select_code(dossier.code)
    lines = history(page)
    returned = [line for line in lines if "Trả kèm kết quả: Kết quả: " in line]
    assert len(returned) == 2
    assert all(line.startswith("09:00 29/04/2026") and "· 1 trang (canbo1)" in line
               for line in returned)  # fmt: skip


def test_colour_when_asked_from_the_arrow_beside_scan(qtbot, intake):
    import io

    import pikepdf

    rows = intake.papers
    rows.cell(2).scan.menu().actions()[0].trigger()  # "Quét màu" under the arrow
    qtbot.waitUntil(lambda: rows.cell(2).state.text() == "đã số hóa · 1 trang", timeout=20_000)
    rows.cell(3).scan.click()  # a plain press stays grey
    qtbot.waitUntil(lambda: rows.cell(3).state.text() == "đã số hóa · 1 trang", timeout=20_000)
    spaces = {}
    for number in (3, 4):
        with pikepdf.open(io.BytesIO(rows.prepared()[number].pdf)) as document:
            image = next(iter(document.pages[0].get_images().values()))
            spaces[number] = str(image.ColorSpace)
    assert spaces == {3: "/DeviceRGB", 4: "/DeviceGray"}
