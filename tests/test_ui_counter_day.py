"""A whole counter day through the real widgets, as a clerk and a citizen would do it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from counter_app.core.queue import TicketState
from counter_app.core.roles import Actor, Role
from counter_app.ui.counter import CounterWidget
from counter_app.ui.display import DisplayWidget
from counter_app.ui.intake import IntakeWidget
from counter_app.ui.kiosk import KioskWidget
from counter_app.ui.qtapp import make_app
from counter_app.ui.reports import ReportsWidget
from counter_app.ui.satisfaction import SatisfactionWidget
from counter_app.ui.session import Session

QR = "001190012345|012345678|nguyễn thị đường|12031990|Nữ|Thôn Nà Pồng, xã Tân Lập|15082021"


class FakeAnnouncer:
    def __init__(self) -> None:
        self.spoken: list[str] = []

    def announce(self, text: str, **_call) -> str:
        self.spoken.append(text)
        return "fake"


def type_text(widget, text: str) -> None:
    """Type like a keyboard (or a 2D scanner in keyboard mode), Vietnamese letters included.

    QTest.keyClicks only knows ASCII keys, so each character goes as a key event with text.
    """
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.NoModifier, ch))


def activate(qtbot, widget) -> None:
    """Bring the window to the front, as a clerk clicking on it would."""
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    return Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK), counter=1)


def test_kiosk_to_report(qtbot, session, clock, store):
    kiosk = KioskWidget(session)
    counter = CounterWidget(session)
    announcer = FakeAnnouncer()
    display = DisplayWidget(session, announcer=announcer)
    intake = IntakeWidget(session)
    satisfaction = SatisfactionWidget(session)
    for widget in (kiosk, counter, display, intake, satisfaction):
        qtbot.addWidget(widget)
        widget.show()

    # a citizen touches "A Hộ tịch" at the kiosk
    qtbot.mouseClick(kiosk.group_buttons["A"], Qt.LeftButton)
    qtbot.mouseClick(kiosk.view.ask_none, Qt.LeftButton)  # asked: no priority
    assert kiosk.view.ticket_number.text() == "A001"
    assert "tiếp theo" in kiosk.view.ticket_ahead.text()
    assert kiosk.last_document is not None and "A001" in kiosk.last_document.all_text()

    # it shows in the counter's waiting list; the clerk calls with F2
    qtbot.waitUntil(lambda: "A001" in counter.waiting_labels())
    clock.now += timedelta(minutes=4)
    activate(qtbot, counter)
    qtbot.keyClick(counter, Qt.Key_F2)
    assert counter.view.ticket_label.text() == "A001"
    assert "A001" not in counter.waiting_labels()

    # the display board shows it and announces it once
    assert display.view.number.text() == "A001" and display.view.counter.text() == "1"
    assert announcer.spoken == ["Mời số A001 đến quầy số 1"]
    assert display.recent_calls()[0] == ("A001", 1)

    # F7: receive a dossier for this citizen, the scanner types the chip card's QR
    intake.start(counter.current)
    activate(qtbot, intake)
    qtbot.keyClicks(intake.view.procedure_search, "dang ky khai sinh")
    qtbot.keyClick(intake.view.procedure_search, Qt.Key_Return)
    assert intake.procedure is not None and "khai sinh" in intake.procedure.name
    type_text(intake.view.qr, QR)
    qtbot.keyClick(intake.view.qr, Qt.Key_Return)
    assert intake.view.full_name.text() == "Nguyễn Thị Đường"
    assert intake.view.citizen_id.text() == "001190012345"
    assert intake.view.birth_date.text() == "12/03/1990"
    assert intake.view.sex.currentData() == "female"
    qtbot.keyClicks(intake.view.phone, "0912 345 678")
    assert intake.view.due.text() != "—"
    for row, doc in enumerate(intake.procedure.documents):  # the clerk ticks what they checked
        if not doc.optional:
            qtbot.mouseClick(intake.document_box(row), Qt.LeftButton)
    with qtbot.waitSignal(intake.received) as received:
        qtbot.keyClick(intake.view.accept, Qt.Key_Return, Qt.ControlModifier)
    dossier = received.args[0]
    assert dossier.applicant.full_name == "Nguyễn Thị Đường"
    assert dossier.ticket_id == counter.current.id

    # the receipt (Form 01) is produced for the preview
    from counter_app.ui.receipt import ReceiptPreview, dossier_document

    preview = ReceiptPreview(dossier_document(session.ctx(), dossier))
    qtbot.addWidget(preview)
    assert dossier.code in preview.text and "GIẤY TIẾP NHẬN" in preview.text

    # F6 finishes; the citizen rates the service on the rating screen
    clock.now += timedelta(minutes=6)
    activate(qtbot, counter)
    qtbot.keyClick(counter, Qt.Key_F6)
    assert counter.current is None
    assert satisfaction.buttons[5].isVisible()
    qtbot.mouseClick(satisfaction.buttons[5], Qt.LeftButton)  # a choice, then send
    with qtbot.waitSignal(satisfaction.rated):
        qtbot.mouseClick(satisfaction.submit, Qt.LeftButton)

    # today's report counts all of it
    reports = ReportsWidget(session)
    qtbot.addWidget(reports)
    reports.show()
    qtbot.mouseClick(reports.run, Qt.LeftButton)
    total = reports.report.total
    assert (total.tickets, total.dossiers, total.ratings) == (1, 1, 1)
    assert total.avg_wait_min == pytest.approx(4.0)
    assert "1 lượt lấy số" in reports.total.text()


def test_keyboard_only_counter(qtbot, session, clock):
    kiosk_ctx = session.kiosk_ctx()
    from counter_app.ui import gateway

    for group in ("A", "B", "A"):
        gateway.take_ticket(kiosk_ctx, group=group)
    counter = CounterWidget(session)
    qtbot.addWidget(counter)
    counter.show()
    qtbot.waitUntil(lambda: len(counter.waiting_labels()) == 3)
    activate(qtbot, counter)
    qtbot.keyClick(counter, Qt.Key_F2)
    assert counter.current.label == "A001"
    qtbot.keyClick(counter, Qt.Key_F3)  # recall
    assert counter.current.recalls == 1
    qtbot.keyClick(counter, Qt.Key_F4)  # no-show
    assert counter.current is None and counter.view.absent.text() == "1"
    qtbot.keyClick(counter, Qt.Key_F2)
    assert counter.current.label == "B001"

    def pick_group() -> None:
        from counter_app.ui.counter_dialogs import TransferDialog

        dialog = next(w for w in counter.findChildren(TransferDialog) if w.isVisible())
        dialog.lists[0].setCurrentRow(0)  # A – Hộ tịch
        qtbot.keyClick(dialog.lists[0], Qt.Key_Return)

    from PySide6.QtCore import QTimer

    QTimer.singleShot(50, pick_group)
    qtbot.keyClick(counter, Qt.Key_F5)  # transfer to group A
    assert counter.current is None
    assert "B001" in counter.waiting_labels()
    activate(qtbot, counter)
    qtbot.keyClick(counter, Qt.Key_F2)
    assert counter.current.label == "A002"  # same arrival time: the older row goes first
    qtbot.keyClick(counter, Qt.Key_F6)  # finish
    assert counter.view.served.text() == "1"
    assert counter.current is None
    session_ticket_states = {t.state for t in session.store.tickets.in_states(
        clock.now.date(), list(TicketState))}  # fmt: skip
    assert TicketState.TRANSFERRED in session_ticket_states


def test_empty_queue_says_so_in_vietnamese(qtbot, session):
    counter = CounterWidget(session)
    qtbot.addWidget(counter)
    counter.show()
    activate(qtbot, counter)
    qtbot.keyClick(counter, Qt.Key_F2)
    assert "Không còn ai đang chờ" in counter.view.message.text()
