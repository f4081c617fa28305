"""The receipt screen says when a dossier's code is an offline one (dialect `motcua`, the
day's pool empty): through the real intake widget and key presses, and on the preview."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from counter_app.core.roles import Actor, Role
from counter_app.ui.intake import IntakeWidget
from counter_app.ui.qtapp import make_app
from counter_app.ui.receipt import ReceiptPreview, dossier_document
from counter_app.ui.session import Session
from sync.testing_dialects import configure_motcua
from tests.conftest import AGENCY


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screens are saved: COUNTER_APP_SHOTS when set, else the test's own folder
    (never a shared one: tests run in parallel)."""
    folder = Path(os.environ.get("COUNTER_APP_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    configure_motcua(store, "http://127.0.0.1:9")
    return Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK), counter=1)


def receive_by_keys(qtbot, intake: IntakeWidget):
    intake.show()
    intake.activateWindow()
    qtbot.waitUntil(intake.isActiveWindow)
    qtbot.keyClicks(intake.view.procedure_search, "dang ky khai sinh")
    qtbot.keyClick(intake.view.procedure_search, Qt.Key_Return)
    qtbot.keyClicks(intake.view.full_name, "Nguyen Van An")
    for row, doc in enumerate(intake.procedure.documents):
        if not doc.optional:
            qtbot.mouseClick(intake.document_box(row), Qt.LeftButton)
    with qtbot.waitSignal(intake.received) as received:
        qtbot.keyClick(intake.view.accept, Qt.Key_Return, Qt.ControlModifier)
    return received.args[0]


def test_an_offline_code_is_said_on_the_receipt_screen_and_stays(
    qtbot, session, store, clock, shots
):
    intake = IntakeWidget(session)
    qtbot.addWidget(intake)
    dossier = receive_by_keys(qtbot, intake)
    assert dossier.code == f"{AGENCY}-20260429-0009000"
    message = intake.view.message
    assert message.property("role") == "message-notice"
    assert "mã dự phòng khi mất kết nối" in message.text() and dossier.code in message.text()
    assert message.text().count(dossier.code) == 1
    assert not message._timer.isActive()  # stays until the next message
    notice = message.text().split(". ", 1)[1]
    assert notice.startswith("Mã hồ sơ này là mã dự phòng")
    preview = ReceiptPreview(dossier_document(session.ctx(), dossier), notice=notice)
    qtbot.addWidget(preview)
    assert dossier.code in preview.text
    assert preview.notice.isVisibleTo(preview) and "dải số" in preview.notice.text()
    for width, height in ((1366, 768), (1920, 1080), (1080, 1920)):
        intake.resize(width, height)
        qtbot.wait(20)
        intake.grab().save(str(shots / f"intake-offline-{width}x{height}.png"))
    preview.show()
    qtbot.wait(20)
    preview.grab().save(str(shots / "receipt-preview-offline.png"))


def test_a_code_from_the_pool_gets_the_usual_message(qtbot, session, store, clock):
    with store.transaction():
        store.code_pool.add(f"{AGENCY}-20260429-0000007", day="2026-04-29", at=clock.now)
    intake = IntakeWidget(session)
    qtbot.addWidget(intake)
    dossier = receive_by_keys(qtbot, intake)
    assert dossier.code == f"{AGENCY}-20260429-0000007"
    assert intake.view.message.property("role") == "message-ok"
    assert "dự phòng" not in intake.view.message.text()


def test_after_intake_the_counter_and_the_preview_say_it(qtbot, session, store, clock, shots):
    """What the station window does once intake is done: back to the counter, which keeps
    the notice, and (no printer set up) the receipt preview, which shows it too."""
    from counter_app.ui import gateway
    from counter_app.ui.shell import StationWindow

    window = StationWindow()
    qtbot.addWidget(window)
    window.attach(session)
    window.resize(1366, 768)
    window.show()
    window.show_page("counter")
    dossier = gateway.receive_dossier(
        session.ctx(),
        procedure_code="1.001193",
        applicant=gateway.ApplicantInput(full_name="Lò Văn Páo"),
    )
    window._after_intake(dossier)
    counter = window.pages["counter"]
    assert window.stack.currentWidget() is counter
    assert counter.view.message.property("role") == "message-notice"
    assert counter.view.message.text().startswith(f"{dossier.code}: Mã hồ sơ này là mã dự phòng")
    assert window.preview.notice.isVisibleTo(window.preview)
    window.preview.close()
    qtbot.wait(50)
    window.grab().save(str(shots / "counter-offline-1366x768.png"))
