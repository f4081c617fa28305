"""The online dossiers page as a clerk meets it: Ctrl+5 opens it, F7 accepts, F8 asks what is
missing, F9 refuses; the stored dossier and the slip that came out of a real printer (ESC/POS
bytes decoded) say what was decided. Dossiers come in through the inbox's own take-in
service, papers and all; a volunteer never reaches the page."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import DossierStatus
from counter_app.core.roles import Role
from counter_app.services import accounts, admin
from counter_app.services.dossiers import ApplicantInput
from counter_app.services.online_intake import (
    OnlineComponent,
    OnlineFile,
    OnlineSubmission,
    take_in,
)
from counter_app.ui import gateway
from counter_app.ui.confirm import ConfirmDialog
from counter_app.ui.online_dialogs import OnlineReasonDialog
from counter_app.ui.paper_viewer import PaperViewer
from counter_app.ui.print_failed import PrintFailedDialog
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from printers.escpos_decode import decode_escpos
from tests.conftest import make_ctx

PASSWORD = "matkhau-2026"
CITIZENS = ("Hoàng Thị Thanh Hương", "Lò Văn Páo", "Nguyễn Văn Đức")


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def paper_bytes(label: str) -> bytes:
    """A PNG like a photographed form, as a citizen uploads it."""
    image = Image.new("L", (620, 880), 245)
    draw = ImageDraw.Draw(image)
    for y in range(60, 820, 40):
        draw.rectangle([50, y, 50 + (y * 7) % 480, y + 14], fill=40)
    draw.text((60, 20), label, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def submission(code: str, name: str, *, hours_ago: float, round_no: int = 1) -> OnlineSubmission:
    import hashlib

    data = paper_bytes(code)
    papers = (
        OnlineComponent("Tờ khai đăng ký khai sinh", (OnlineFile(hashlib.sha256(data).hexdigest(),
                                                                data),)),
    )  # fmt: skip
    return OnlineSubmission(
        upstream_code=code,
        procedure_code="1.001193",
        submitted_at=datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ) - timedelta(hours=hours_ago),
        round=round_no,
        applicant=ApplicantInput(full_name=name, phone="0912345678"),
        notify_sms=True,
        components=papers,
    )


def seed_online(store, clock, station, count: int = 3) -> list[str]:
    """Online dossiers as the pull takes them in: the longest waiting first."""
    ctx = make_ctx(store, clock, station, Role.CLERK, "dongbo")
    codes = []
    for n in range(count):
        code = f"G22.99-260428-{n + 1:04d}"
        take_in(ctx, submission(code, CITIZENS[n % 3], hours_ago=30 - 10 * n,
                                round_no=2 if n == 1 else 1))  # fmt: skip
        codes.append(code)
    return codes


@pytest.fixture
def people(qapp, store, clock, station):
    make_app("vi")
    boss = make_ctx(store, clock, station, Role.ADMIN, "admin")
    accounts.add_user(boss, username="canbo", role=Role.CLERK, password=PASSWORD,
                      full_name="Trần Thị Mai")  # fmt: skip
    accounts.add_user(boss, username="tinhnguyen", role=Role.VOLUNTEER, password=PASSWORD)


@pytest.fixture
def slips(store, clock, station, tmp_path):
    """The station's thermal printer: a file that keeps the ESC/POS bytes of every job."""
    out = tmp_path / "slips.bin"
    printers = {"quay1": f"file://{out}?mode=text", "default": "quay1"}
    admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"), printers=printers)
    return out


@pytest.fixture(autouse=True)
def close_dialogs():
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.close()


def sign_in(qtbot, store, clock, username: str):
    from counter_app.ui.shell import StationWindow

    session = Session(store, clock=clock)
    window = StationWindow()
    qtbot.addWidget(window)
    window.attach(session)
    window.resize(1366, 768)
    window.show()
    qtbot.keyClicks(window.login.username, username)
    qtbot.keyClicks(window.login.password, PASSWORD)
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    qtbot.waitUntil(window.side.isVisible)
    return window


def press(qtbot, window, key, modifier=Qt.NoModifier) -> None:
    """A key reaches only the active window: bring it to the front first (after a dialog)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


def online_page(qtbot, window):
    press(qtbot, window, Qt.Key_5, Qt.ControlModifier)
    page = window.pages["online"]
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.view.table.rowCount() > 0 and page.selected is not None)
    return page


def dialog_of(qtbot, kind):
    def shown() -> list:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()))
    dialog = shown()[-1]
    dialog.activateWindow()  # its keys work in the active window only
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def send(qtbot, dialog) -> None:
    """Ctrl+Enter in the dialog's reason, the dialog in front (after a question closed)."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.reason, Qt.Key_Return, Qt.ControlModifier)


def status_of(window, code: str) -> DossierStatus:
    return gateway.show_dossier(window.session.ctx(), code).dossier.status


def printed_text(qtbot, window, slips, cuts: int) -> str:
    qtbot.waitUntil(lambda: slips.exists() and decode_escpos(slips.read_bytes()).cuts >= cuts,
                    timeout=20_000)  # fmt: skip
    return flat(decode_escpos(slips.read_bytes()).text)


def test_ctrl_5_lists_them_and_f7_accepts_and_prints_form_01(
    qtbot, people, store, clock, station, slips
):
    codes = seed_online(store, clock, station)
    window = sign_in(qtbot, store, clock, "canbo")
    bar = window.statusBar()
    assert bar.online.isVisible() and bar.online.text() == "3 hồ sơ trực tuyến chờ kiểm tra"
    page = online_page(qtbot, window)
    table = page.view.table
    cells = [[table.item(r, c).text() for c in range(4)] for r in range(3)]
    assert [c[0] for c in cells] == list(CITIZENS)  # the longest waiting first
    assert cells[1][2] == "Nộp lại lần 2" and cells[0][2] == ""  # only a resubmission
    assert cells[0][3].startswith("Quá hạn ")  # submitted 30 hours ago: past its one day
    late = table.item(0, 3)
    assert late.foreground().color().name() == "#b3261e" and late.font().bold()
    assert (
        cells[2][3].startswith("Còn ") and not table.item(2, 3).font().bold()
    )  # submitted 30 hours ago: past its one day
    assert "Tờ khai đăng ký khai sinh" in page.view.papers.item(0).text()
    assert table.hasFocus()

    qtbot.keyClick(table, Qt.Key_Down)  # the second citizen
    assert page.selected.upstream_code == codes[1]
    press(qtbot, window, Qt.Key_F7)
    assert status_of(window, codes[1]) is DossierStatus.RECEIVED
    assert status_of(window, codes[0]) is DossierStatus.NEW
    assert f"Đã tiếp nhận hồ sơ {codes[1]} của Ông/Bà Lò Văn Páo" in page.view.message.text()
    text = printed_text(qtbot, window, slips, cuts=2)  # Form 01, both copies
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "Lò Văn Páo" in text
    assert codes[1] in text
    assert table.rowCount() == 2 and codes[1] not in [r.upstream_code for r in page.rows]
    assert bar.online.text() == "2 hồ sơ trực tuyến chờ kiểm tra"  # the count follows


def test_f5_reads_the_list_again_and_the_status_bar_counts_with_it(
    qtbot, people, store, clock, station
):
    seed_online(store, clock, station, count=1)
    window = sign_in(qtbot, store, clock, "canbo")
    page = online_page(qtbot, window)
    bar = window.statusBar()
    assert bar.online.text() == "1 hồ sơ trực tuyến chờ kiểm tra"
    ctx = make_ctx(store, clock, station, Role.CLERK, "dongbo")
    take_in(ctx, submission("G22.99-260429-0009", "Vi Thị Hoa", hours_ago=1))  # a sync's pull
    press(qtbot, window, Qt.Key_F5)
    assert page.view.table.rowCount() == 2 and page.view.table.item(1, 0).text() == "Vi Thị Hoa"
    assert bar.online.text() == "2 hồ sơ trực tuyến chờ kiểm tra"
    assert page.view.count.text() == "2 hồ sơ chờ kiểm tra · 1 hồ sơ đã quá hạn kiểm tra"


def test_the_time_left_keeps_running_while_the_page_is_open(qtbot, people, store, clock, station):
    seed_online(store, clock, station, count=3)
    window = sign_in(qtbot, store, clock, "canbo")
    page = online_page(qtbot, window)
    before = page.view.table.item(2, 3).text()
    assert page.clock.isActive()
    clock.now += timedelta(minutes=40)  # the clerk works on; nothing is written meanwhile
    page.clock.setInterval(100)  # a minute, for the test
    with qtbot.waitSignal(page.clock.timeout, timeout=5000):
        pass
    after = page.view.table.item(2, 3).text()
    assert after != before and after.startswith(("Còn ", "Sắp hết", "Gấp"))
    press(qtbot, window, Qt.Key_1, Qt.ControlModifier)  # the counter page
    assert not page.clock.isActive()


def test_f8_asks_what_is_missing_and_prints_form_02(qtbot, people, store, clock, station, slips):
    codes = seed_online(store, clock, station, count=1)
    window = sign_in(qtbot, store, clock, "canbo")
    page = online_page(qtbot, window)
    press(qtbot, window, Qt.Key_F8)
    dialog = dialog_of(qtbot, OnlineReasonDialog)
    assert "Lò" not in dialog.intro.text() and CITIZENS[0] in dialog.intro.text()
    send(qtbot, dialog)  # nothing written yet
    assert "Cần ghi rõ giấy tờ còn thiếu" in dialog.error.text() and dialog.isVisible()
    assert status_of(window, codes[0]) is DossierStatus.NEW
    qtbot.keyClicks(dialog.reason, "Thieu ban sao giay chung sinh.")  # QTest types ASCII only
    send(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    stored = gateway.show_dossier(window.session.ctx(), codes[0])
    assert stored.dossier.status is DossierStatus.SUPPLEMENT
    assert stored.events[-1].note == "Thieu ban sao giay chung sinh."
    text = printed_text(qtbot, window, slips, cuts=1)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Thieu ban sao giay chung sinh." in text and CITIZENS[0] in text
    assert page.view.list_or_empty.currentWidget() is page.view.empty
    assert "Không có hồ sơ trực tuyến nào chờ kiểm tra" in page.view.empty.text()
    assert not window.statusBar().online.isVisible()


def test_f9_refuses_only_with_a_reason_and_a_second_yes(
    qtbot, people, store, clock, station, slips
):
    codes = seed_online(store, clock, station, count=1)
    window = sign_in(qtbot, store, clock, "canbo")
    online_page(qtbot, window)
    press(qtbot, window, Qt.Key_F9)
    dialog = dialog_of(qtbot, OnlineReasonDialog)
    qtbot.keyClicks(dialog.reason, "Thu tuc khong thuoc tham quyen cua xa.")

    def answer(yes: bool) -> None:
        confirm = dialog_of(qtbot, ConfirmDialog)
        assert "không thể quay lại" in confirm.findChild(type(dialog.intro)).text()
        assert confirm.no.hasFocus()  # Enter from habit keeps the dossier
        if yes:
            qtbot.keyClick(confirm.no, Qt.Key_Tab, Qt.ShiftModifier)
            qtbot.keyClick(confirm.yes, Qt.Key_Space)
        else:
            qtbot.keyClick(confirm.no, Qt.Key_Return)

    QTimer.singleShot(50, lambda: answer(False))
    send(qtbot, dialog)
    assert dialog.isVisible() and status_of(window, codes[0]) is DossierStatus.NEW
    QTimer.singleShot(50, lambda: answer(True))
    send(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert status_of(window, codes[0]) is DossierStatus.REFUSED
    text = printed_text(qtbot, window, slips, cuts=1)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Thu tuc khong thuoc tham quyen cua xa." in text


def test_a_printer_that_fails_keeps_the_decision_and_says_what_to_do(
    qtbot, people, store, clock, station
):
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there: the printer is off
    admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"), printers={
        "quay1": f"tcp://127.0.0.1:{port}?timeout=1", "default": "quay1"})  # fmt: skip
    codes = seed_online(store, clock, station, count=1)
    window = sign_in(qtbot, store, clock, "canbo")
    online_page(qtbot, window)
    press(qtbot, window, Qt.Key_F7)
    failed = dialog_of(qtbot, PrintFailedDialog)
    assert codes[0] in failed.windowTitle() + failed.code
    assert status_of(window, codes[0]) is DossierStatus.RECEIVED


def test_enter_opens_the_paper_on_screen(qtbot, people, store, clock, station):
    seed_online(store, clock, station, count=1)
    window = sign_in(qtbot, store, clock, "canbo")
    page = online_page(qtbot, window)
    assert page.view.table.hasFocus()
    press(qtbot, window, Qt.Key_Tab)  # on to the papers
    assert page.view.papers.hasFocus(), QApplication.focusWidget()
    qtbot.keyClick(page.view.papers, Qt.Key_Return)
    viewer = dialog_of(qtbot, PaperViewer)
    assert len(viewer.pages) == 1 and not viewer.pages[0].pixmap().isNull()
    assert "Tờ khai đăng ký khai sinh" in viewer.windowTitle()
    qtbot.keyClick(viewer.scroll, Qt.Key_Escape)
    assert not viewer.isVisible()


def test_a_typed_pdf_from_the_portal_is_drawn_too(qtbot, people, store, clock, station):
    """The portal's files are PDFs made by its own software (text, no scan): the viewer draws
    those from memory as well, with the text's dark marks on the page."""
    import hashlib

    from sync.emulator_online_seed import small_pdf

    pdf = small_pdf(["TO KHAI DANG KY KHAI SINH", "Ho ten: Vi Thi Hoa"] * 8)
    typed = OnlineComponent("Tờ khai", (OnlineFile(hashlib.sha256(pdf).hexdigest(), pdf),))
    base = submission("G22.99-260429-0042", "Vi Thị Hoa", hours_ago=1)
    take_in(make_ctx(store, clock, station, Role.CLERK, "dongbo"),
            replace(base, components=(typed,)))  # fmt: skip
    window = sign_in(qtbot, store, clock, "canbo")
    page = online_page(qtbot, window)
    press(qtbot, window, Qt.Key_F3)
    viewer = dialog_of(qtbot, PaperViewer)
    image = viewer.pages[0].pixmap().toImage()
    dark = sum(1 for x in range(0, image.width(), 4) for y in range(0, image.height() // 3, 4)
               if image.pixelColor(x, y).lightness() < 128)  # fmt: skip
    assert dark > 50, "the page's text is drawn"
    assert page.viewer is viewer


def test_a_volunteer_never_reaches_the_page(qtbot, people, store, clock, station):
    seed_online(store, clock, station, count=2)
    window = sign_in(qtbot, store, clock, "tinhnguyen")
    keys = [window.nav.item(r).data(Qt.UserRole) for r in range(window.nav.count())]
    assert keys == ["volunteer"]
    press(qtbot, window, Qt.Key_5, Qt.ControlModifier)
    window.open_online()  # the status bar's way in
    assert "online" not in window.pages
    assert not window.statusBar().online.isVisible()
    # and the page itself, were it built for them, shows nothing but the service's refusal
    from counter_app.ui.online import OnlineWidget

    page = OnlineWidget(window.session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: bool(page.view.message.text()))
    assert "không được phép kiểm tra hồ sơ trực tuyến" in page.view.message.text()
    assert page.view.table.rowCount() == 0


def test_the_page_speaks_english_when_switched(qtbot, people, store, clock, station):
    seed_online(store, clock, station, count=2)
    make_app("en")
    try:
        window = sign_in(qtbot, store, clock, "canbo")
        page = online_page(qtbot, window)
        assert page.view.title.text() == "Online dossiers"
        assert page.view.table.item(0, 3).text().startswith("Late by ")
        assert page.view.table.item(1, 2).text() == "Resubmitted (2)"
        assert page.view.accept.text() == "Accept, print the receipt  [F7]"
        assert window.statusBar().online.text() == "2 online dossiers to check"
    finally:
        make_app("vi")
