"""Printing as a clerk meets it: the preview's In and Lưu PDF, the dialog when an intake
print fails (a real TCP printer on 127.0.0.1 that refuses, or hangs up), the printer
indicator, and reprints from the dossier page marked "BẢN IN LẠI" and audited."""

from __future__ import annotations

import socket
import subprocess
import threading
import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFileDialog, QLineEdit

from counter_app.core.roles import Actor, Role
from counter_app.services import accounts, admin
from counter_app.ui import gateway
from counter_app.ui.print_failed import PrintFailedDialog
from counter_app.ui.qtapp import make_app
from counter_app.ui.receipt import ReceiptPreview, dossier_document
from counter_app.ui.session import Session
from printers.escpos_decode import decode_escpos
from tests.conftest import make_ctx
from tests.test_print_spool import FakeLanPrinter

NAME = "Nguyễn Thị Đường"
TITLE = "Công chức Tư pháp - Hộ tịch"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def flat(text: str) -> str:
    return " ".join(nfc(text).split())


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    accounts.add_user(
        make_ctx(store, clock, station, Role.ADMIN, "admin"), username="canbo.duong",
        role=Role.CLERK, password="mat-khau-dai", full_name=NAME, title=TITLE,
    )  # fmt: skip
    s = Session(store, clock=clock, actor=Actor("canbo.duong", Role.CLERK))
    yield s
    s.close()


@pytest.fixture
def lan():
    printer = FakeLanPrinter()
    yield printer
    printer.stop()


def set_printers(store, clock, station, **named) -> None:
    first = next(iter(named))
    admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                        printers={**named, "default": first})  # fmt: skip


def receive(session):
    return gateway.receive_dossier(
        session.ctx(), procedure_code="1.000689",
        applicant=gateway.ApplicantInput(full_name="Trần Văn Ẩn"),
    )  # fmt: skip


def free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def shown(kind, parent=None):
    """Visible top-level widgets of a kind (this test's own: the window that opened them)."""
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()
            and (parent is None or w.parentWidget() is parent)]  # fmt: skip


@pytest.fixture(autouse=True)
def close_dialogs():
    """Dialogs left open would answer the next test's printer signals."""
    yield
    for dialog in shown(QDialog):
        dialog.close()


def pdf_text(path) -> str:
    return nfc(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout)  # fmt: skip


def station_window(qtbot, session):
    from counter_app.ui.shell import StationWindow

    window = StationWindow()
    qtbot.addWidget(window)
    window.attach(session)
    return window


# --- the preview: In and Lưu PDF ----------------------------------------------------------


def test_the_preview_prints_on_the_thermal_printer(qtbot, session, store, clock, station,
                                                    tmp_path):  # fmt: skip
    out = tmp_path / "slip.bin"
    set_printers(store, clock, station, quay1=f"file://{out}?mode=text")
    dossier = receive(session)
    preview = ReceiptPreview(dossier_document(session.ctx(), dossier), session=session)
    qtbot.addWidget(preview)
    preview.show()
    assert "Máy in phiếu nhiệt: quay1" in preview.printer.currentText()
    with qtbot.waitSignal(session.printing().printed, timeout=10_000):
        qtbot.mouseClick(preview.print_button, Qt.LeftButton)
    paper = flat(decode_escpos(out.read_bytes()).text)
    assert NAME in paper and TITLE in paper and "canbo.duong" not in paper
    qtbot.waitUntil(lambda: "Đã in" in preview.message.text())


def test_luu_pdf_writes_the_form_through_qt_print_support(qtbot, session, tmp_path):
    dossier = receive(session)
    preview = ReceiptPreview(dossier_document(session.ctx(), dossier), session=session)
    qtbot.addWidget(preview)
    preview.show()
    assert not preview.print_button.isEnabled()  # no printer set up: only the PDF
    qtbot.mouseClick(preview.pdf_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(shown(QFileDialog, preview)))
    dialog = shown(QFileDialog, preview)[0]
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    target = tmp_path / "giay-tiep-nhan.pdf"
    name.setText(str(target))  # as a paste: typed keys drive the folder completer
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Save)
    qtbot.mouseClick(save, Qt.LeftButton)
    qtbot.waitUntil(lambda: target.exists())
    text = flat(pdf_text(target))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and NAME in text
    assert "BẢN IN LẠI" not in text  # the first print of a dossier just received
    assert "Đã lưu PDF" in preview.message.text()


# --- a failed print during intake ---------------------------------------------------------


class ClosingListener:
    """A real listener on 127.0.0.1 that takes each connection and closes it at once."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.mark.parametrize("printer_kind", ["nothing_listens", "closes_at_once", "hangs_up"])
def test_a_failed_intake_print_says_what_to_do_and_offers_ways_on(
    qtbot, session, store, clock, station, tmp_path, lan, printer_kind, request
):
    if printer_kind == "hangs_up":
        lan.mode = "hangup"  # takes the connection, closes it in the middle of the job
        lan.start()
        url = lan.url
    elif printer_kind == "closes_at_once":
        closing = ClosingListener()
        request.addfinalizer(closing.close)
        url = f"tcp://127.0.0.1:{closing.port}?timeout=1"
    else:
        url = f"tcp://127.0.0.1:{free_port()}?timeout=1"
    spare = tmp_path / "spare.bin"
    set_printers(store, clock, station, quay1=url, quay2=f"file://{spare}")
    window = station_window(qtbot, session)
    dossier = receive(session)
    window._after_intake(dossier)
    qtbot.waitUntil(lambda: bool(shown(PrintFailedDialog, window)), timeout=15_000)
    dialog = shown(PrintFailedDialog, window)[0]
    words = flat(" ".join(label.text() for label in dialog.findChildren(type(dialog.reason))))
    assert f"Chưa in được phiếu của hồ sơ {dossier.code}" in words
    assert "Hồ sơ đã được lưu: không cần tiếp nhận lại" in words
    for check in ("Nguồn: máy in đã bật", "Giấy: còn giấy", "Cáp: cáp nguồn"):
        assert check in words
    reason = dialog.reason.text()  # the printer's own answer, in Vietnamese
    assert reason and "Errno" not in reason and "refused" not in reason
    if printer_kind == "nothing_listens":
        assert "không có máy in nào trả lời ở địa chỉ này" in reason
    assert "quay2" in dialog.others.currentText()  # another printer is offered first
    assert gateway.show_dossier(session.ctx(), dossier.code).dossier.code == dossier.code

    # the slip on screen
    qtbot.mouseClick(dialog.show_slip, Qt.LeftButton)
    assert dialog.preview is not None and dialog.preview.isVisible()
    assert NAME in dialog.preview.text
    dialog.preview.close()

    # try again: still nothing, and it says so
    qtbot.mouseClick(dialog.retry, Qt.LeftButton)
    qtbot.waitUntil(lambda: "Vẫn chưa in được" in dialog.message.text(), timeout=15_000)

    # another printer from the list: the thermal spare prints both copies
    index = next(i for i in range(dialog.others.count()) if "quay2" in dialog.others.itemText(i))
    dialog.others.setCurrentIndex(index)
    qtbot.mouseClick(dialog.elsewhere, Qt.LeftButton)
    qtbot.waitUntil(lambda: "Đã in phiếu" in dialog.message.text(), timeout=15_000)
    assert decode_escpos(spare.read_bytes()).cuts == 2
    # what waited for the first printer is cancelled: no second slip when it comes back
    printing = session.printing()
    printing.wait_idle()
    printing.load_stuck()
    with qtbot.waitSignal(printing.stuck_loaded, timeout=5000) as stuck:
        pass
    assert [j for j in stuck.args[0] if j.printer == url and j.state != "cancelled"] == []


def test_retry_prints_once_the_printer_is_back(qtbot, session, store, clock, station, lan):
    set_printers(store, clock, station, quay1=lan.url)  # the printer is off: refuses
    window = station_window(qtbot, session)
    window._after_intake(receive(session))
    qtbot.waitUntil(lambda: bool(shown(PrintFailedDialog, window)), timeout=15_000)
    dialog = shown(PrintFailedDialog, window)[0]
    lan.start()  # switched on
    qtbot.mouseClick(dialog.retry, Qt.LeftButton)
    qtbot.waitUntil(lambda: "Đã in phiếu" in dialog.message.text(), timeout=15_000)
    assert len(lan.printed()) == 2  # both copies of Form 01, once


def test_a_form_printer_that_is_gone_opens_the_dialog_at_once(qtbot, session, store, clock,
                                                              station):  # fmt: skip
    admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                        form_printer="HP LaserJet phòng một cửa")  # fmt: skip
    window = station_window(qtbot, session)
    window._after_intake(receive(session))
    dialog = shown(PrintFailedDialog, window)[0]
    assert "Không tìm thấy máy in «HP LaserJet phòng một cửa»" in dialog.reason.text()


# --- the printer indicator ----------------------------------------------------------------


def test_the_indicator_reads_ready_only_when_the_printer_answers(qtbot, session, store, clock,
                                                                 station, lan):  # fmt: skip
    set_printers(store, clock, station, quay1=lan.url)
    window = station_window(qtbot, session)
    bar, printing = window.statusBar(), session.printing()
    printing.refresh()
    qtbot.waitUntil(lambda: "không kết nối" in bar.printer.text(), timeout=10_000)
    assert "sẵn sàng" not in bar.printer.text()
    lan.start()
    printing.refresh()
    qtbot.waitUntil(lambda: "sẵn sàng" in bar.printer.text(), timeout=10_000)


# --- reprints from the dossier page -------------------------------------------------------


def test_reprint_from_the_dossier_page_is_marked_and_audited(qtbot, session, store, clock,
                                                             station, tmp_path):  # fmt: skip
    from counter_app.ui.dossiers import DossiersWidget
    from counter_app.ui.reprint import ReprintDialog

    out = tmp_path / "slip.bin"
    set_printers(store, clock, station, quay1=f"file://{out}?mode=text")
    dossier = receive(session)
    page = DossiersWidget(session)
    qtbot.addWidget(page)
    page.resize(1156, 708)
    page.show()
    qtbot.waitUntil(lambda: page._loaded and page.view.procedure.count() > 1)
    page.run_search()
    assert page.select_code(dossier.code)
    qtbot.mouseClick(page.view.reprint_button, Qt.LeftButton)
    dialog = shown(ReprintDialog, page)[0]
    forms = [dialog.form.itemData(i) for i in range(dialog.form.count())]
    assert forms == ["form01", "form06"]
    with qtbot.waitSignal(session.printing().printed, timeout=10_000):
        qtbot.mouseClick(dialog.print_button, Qt.LeftButton)
    paper = flat(decode_escpos(out.read_bytes()).text)
    assert paper.count("BẢN IN LẠI") == 4  # two copies, marked at the top and the bottom
    assert f"in lại lúc {clock.now:%H} giờ {clock.now:%M} phút" in paper
    assert NAME in paper
    audit = store.query("SELECT actor, action, entity_id, detail FROM audit "
                        "WHERE action = 'print.reprint'")  # fmt: skip
    assert [(a["actor"], a["entity_id"]) for a in audit] == [("canbo.duong", dossier.code)] * 2
    assert all("Trần" not in (a["detail"] or "") for a in audit)  # no personal data
    qtbot.waitUntil(lambda: "Đã in lại" in dialog.message.text())


def test_the_dossier_pages_preview_prints_a_marked_reprint(qtbot, session, store, clock,
                                                           station, tmp_path):  # fmt: skip
    """ "Xem phiếu in" on the dossier page shows a form printed before: In from there is
    a reprint, marked and audited, never a second original."""
    out = tmp_path / "slip.bin"
    set_printers(store, clock, station, quay1=f"file://{out}?mode=text")
    dossier = receive(session)
    window = station_window(qtbot, session)
    window.resize(1366, 768)
    window.show()
    page = window.show_page("dossiers")
    qtbot.waitUntil(lambda: page._loaded and page.view.procedure.count() > 1)
    page.run_search()
    assert page.select_code(dossier.code)
    qtbot.mouseClick(page.view.print_button, Qt.LeftButton)
    preview = window.preview
    assert preview is not None and preview.isVisible() and preview.reprint
    assert preview.text.count("BẢN IN LẠI") == 2  # the preview shows what the paper will say
    with qtbot.waitSignal(session.printing().printed, timeout=10_000):
        qtbot.mouseClick(preview.print_button, Qt.LeftButton)
    paper = flat(decode_escpos(out.read_bytes()).text)
    assert paper.count("BẢN IN LẠI") == 2
    assert (
        store.query("SELECT count(*) AS n FROM audit WHERE action = 'print.reprint'")[0]["n"] == 1
    )


def test_the_indicator_names_a_forms_printer_that_is_not_installed(qtbot, session, store,
                                                                   clock, station):  # fmt: skip
    admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                        form_printer="HP LaserJet phòng một cửa")  # fmt: skip
    window = station_window(qtbot, session)
    bar = window.statusBar()
    bar.refresh()
    assert bar.printer.text() == "Máy in giấy tờ: không thấy «HP LaserJet phòng một cửa»"
    assert "b3261e" in bar.printer.styleSheet()
