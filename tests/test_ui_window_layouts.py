"""Every window at the screens communes have, checked from widget geometry (layout_check).

One demo store and one signed-in station window per module: each case only resizes, picks a
page and checks. Set COUNTER_APP_LAYOUT_PNG to a folder to also save what each case checked.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from counter_app.core.clock import VN_TZ
from counter_app.core.roles import Actor, Role
from counter_app.services.demo import DEMO_ACCOUNTS, ensure_demo_store
from counter_app.ui import gateway
from counter_app.ui.kiosk_view import TOUCH_MIN_PX
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.layout_check import layout_faults

# The tablet-sized PC before the portrait screen: a page shown turned keeps its tall minimum
# when the screen turns back (the known case below), which is not what this size checks.
SIZES = [(1366, 768), (1920, 1080), (1024, 600), (1080, 1920)]
TABLET = (1024, 600)  # the kiosk's and the rating screen's smallest screen
NOW = datetime(2026, 4, 29, 9, 30, tzinfo=VN_TZ)  # a Wednesday morning
QR_SAMPLE = (
    "001190012345|012345678|Nguyễn Thị Thanh Hương Giang|12031990|Nữ|"
    "Thôn Nà Pồng, xã Tân Lập, huyện Chiêm Hóa, tỉnh Tuyên Quang|15082021"
)


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def check(window: QWidget, size: tuple[int, int], picture: str, **options) -> None:
    """Lay `window` out at `size`, save the picture if asked, and assert it has no fault."""
    window.resize(*size)
    window.show()
    settle()
    folder = os.environ.get("COUNTER_APP_LAYOUT_PNG")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(folder) / f"{picture}-{size_id(size)}.png"))
    faults = layout_faults(window, screen=size, **options)
    assert not faults, "\n".join(map(str, faults))


class FixedClock:
    def __call__(self) -> datetime:
        return NOW


@pytest.fixture(scope="module")
def demo(qapp, tmp_path_factory):
    """A demo store with a queue, a called ticket and a dossier of long names."""
    make_app("vi")
    store, _ = ensure_demo_store(tmp_path_factory.mktemp("layout-demo"), now=NOW, days=5)
    session = Session(store, clock=FixedClock(), data_dir=str(store.path.parent), demo=True)
    kiosk = session.kiosk_ctx()
    for group, priority in (("A", ""), ("A", "elderly"), ("B", ""), ("C", ""),
                            ("B", "pregnant"), ("E", ""), ("A", "")):  # fmt: skip
        gateway.take_ticket(kiosk, group=group, priority=priority)
    yield session
    session.close()
    store.close()


def signed_in(demo, username: str):
    from counter_app.ui.shell import StationWindow

    window = StationWindow()
    window.attach(demo, demo_accounts=DEMO_ACCOUNTS)
    window.resize(*SIZES[0])
    window.show()
    window.login.username.setText(username)
    window.login.password.setText(DEMO_ACCOUNTS[username][1])
    window.login.submit.click()
    settle()
    return window


@pytest.fixture(scope="module")
def admin_window(demo):
    window = signed_in(demo, "admin")
    counter = window.show_page("counter")
    counter.view.call_next.click()
    settle()
    yield window
    window.idle.stop()
    window.close()


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_login(demo, size):
    from counter_app.ui.shell import StationWindow

    window = StationWindow()
    window.attach(demo, demo_accounts=DEMO_ACCOUNTS)
    try:
        check(window, size, "login")
    finally:
        window.close()


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_counter(admin_window, size):
    counter = admin_window.show_page("counter")
    assert counter.current is not None  # a citizen is being served
    check(admin_window, size, "counter")


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_intake_with_a_procedure_and_a_citizen(admin_window, size):
    intake = admin_window.show_page("intake")
    intake.start(admin_window.pages["counter"].current)
    intake.view.procedure_search.setText("khai sinh")
    intake.view.procedure_search.returnPressed.emit()
    intake.view.qr.setText(QR_SAMPLE)
    intake.view.qr.returnPressed.emit()
    check(admin_window, size, "intake")


TWENTY_PAPERS = (
    "Tờ khai theo mẫu",
    "Giấy chứng sinh hoặc văn bản xác nhận của người làm chứng về việc sinh",
    "Căn cước của người yêu cầu",
    "Giấy chứng nhận kết hôn của cha, mẹ",
    "Văn bản ủy quyền có chứng thực",
    "Sổ hộ khẩu hoặc giấy xác nhận thông tin về cư trú",
    "Bản sao giấy tờ chứng minh nhân thân của cha",
    "Bản sao giấy tờ chứng minh nhân thân của mẹ",
    "Giấy tờ chứng minh quan hệ cha, mẹ, con",
    "Văn bản thỏa thuận của cha, mẹ về việc chọn quốc tịch cho con",
    "Biên bản xác nhận việc trẻ bị bỏ rơi",
    "Giấy xác nhận của cơ sở y tế",
    "Ảnh 4x6",
    "Phiếu lý lịch tư pháp",
    "Giấy khám sức khỏe do cơ sở y tế có thẩm quyền cấp trong 6 tháng",
    "Bản sao quyết định của Tòa án",
    "Giấy tờ chứng minh nơi cư trú",
    "Tờ khai đăng ký thường trú",
    "Giấy xác nhận tình trạng hôn nhân",
    "Văn bản cam đoan về nội dung khai",
)


@pytest.fixture
def twenty_papers(demo):
    """The birth registration with a checklist of 20 papers (some optional), as some
    provinces' procedures have: the demo store's catalogue, changed for this test only."""
    from dataclasses import replace

    from counter_app.core.catalogue import DocumentForm, RequiredDocument

    store = demo.store
    before = store.catalogue.current()
    papers = tuple(
        RequiredDocument(
            name, DocumentForm.COPY if i % 3 else DocumentForm.ORIGINAL, optional=i % 4 == 3
        )  # fmt: skip
        for i, name in enumerate(TWENTY_PAPERS)
    )
    changed = tuple(
        replace(p, documents=papers) if p.code == "1.001193" else p for p in before.procedures
    )
    store.catalogue.replace(replace(before, procedures=changed), at=NOW)
    yield papers
    store.catalogue.replace(before, at=NOW)


def whole_rows(table) -> int:
    """How many checklist rows are seen whole, without scrolling."""
    room = table.viewport().height()
    return sum(
        1
        for row in range(table.rowCount())
        if table.rowViewportPosition(row) >= 0
        and table.rowViewportPosition(row) + table.rowHeight(row) <= room
    )


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_intake_with_a_twenty_paper_checklist(admin_window, twenty_papers, size):
    intake = admin_window.show_page("intake")
    intake.start(admin_window.pages["counter"].current)
    intake.view.procedure_search.setText("khai sinh")
    intake.view.procedure_search.returnPressed.emit()
    assert intake.view.checklist.rowCount() == 20
    check(admin_window, size, "intake-20-papers")
    accept = intake.view.accept
    assert admin_window.rect().contains(QRect(accept.mapTo(admin_window, QPoint()), accept.size()))
    # Issue 20: three and a half rows at 1366x768. Each row now holds its paper's scan and
    # import buttons under its state (issue 17), two lines high: 9/18/20 rows without them.
    least = {(1366, 768): 5, (1920, 1080): 13, (1024, 600): 3, (1080, 1920): 15}[size]
    assert whole_rows(intake.view.checklist) >= least


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_dossiers_with_one_open(admin_window, size):
    dossiers = admin_window.show_page("dossiers")
    settle()
    dossiers.run_search()
    dossiers.view.table.selectRow(0)
    check(admin_window, size, "dossiers")


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_reports_of_the_month(admin_window, size):
    reports = admin_window.show_page("reports")
    reports.period.setCurrentIndex(reports.period.findData("month"))
    reports.refresh()
    check(admin_window, size, "reports")


# The admin's settings are not yet laid out for a 1024x600 PC (a tab is 682 px tall there):
# the clerk's pages are, the admin sets the center up on a larger screen.
@pytest.mark.parametrize("size", [s for s in SIZES if s != TABLET], ids=size_id)
def test_every_settings_tab(admin_window, size):
    settings = admin_window.show_page("settings")
    for i in range(settings.tabs.count()):
        settings.tabs.setCurrentIndex(i)
        check(admin_window, size, f"settings-{i + 1}")


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_volunteer_mode(demo, size):
    window = signed_in(demo, "tinhnguyen")
    try:
        assert "volunteer" in window.pages
        check(window, size, "volunteer")
    finally:
        window.idle.stop()
        window.close()
        demo.sign_in(Actor("admin", Role.ADMIN))


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_first_run_every_step(qapp, tmp_path, size):
    from counter_app.store import open_store
    from counter_app.ui.first_run import FirstRunWidget
    from counter_app.ui.shell import StationWindow

    make_app("vi")
    store = open_store(tmp_path / "new")
    window = StationWindow()
    wizard = FirstRunWidget(store, clock=FixedClock())
    window.stack.addWidget(wizard)
    window.stack.setCurrentWidget(wizard)
    answers = {
        wizard.center_name: "Trung tâm phục vụ hành chính công xã Tân Lập",
        wizard.agency_code: "000.00.01.H22",
        wizard.admin_password: "mat-khau-quan-tri-2026",
        wizard.admin_repeat: "mat-khau-quan-tri-2026",
        wizard.passphrase: "mat-khau-du-lieu-2026",
        wizard.passphrase_repeat: "mat-khau-du-lieu-2026",
    }
    try:
        for field, text in answers.items():
            field.setText(text)
        for step in range(wizard.setup_steps):
            assert wizard.pages.currentIndex() == step
            check(window, size, f"first-run-{step + 1}")
            wizard.next.click()
        assert wizard.pages.currentWidget() is wizard.recovery_page
        check(window, size, "first-run-recovery")
    finally:
        window.close()
        store.close()


KIOSK_SIZES = SIZES  # the tablet is among them


@pytest.fixture(scope="module")
def kiosk(demo):
    from counter_app.ui.shell import make_screen

    widget = make_screen("kiosk", demo)
    yield widget
    widget.close()


@pytest.mark.parametrize("size", KIOSK_SIZES, ids=size_id)
def test_kiosk_every_page(kiosk, size):
    view = kiosk.view
    for key, page in {"home": view.home, "lookup": view.lookup_page}.items():
        view.pages.setCurrentWidget(page)
        check(kiosk, size, f"kiosk-{key}", min_button_px=TOUCH_MIN_PX)
    view.pages.setCurrentWidget(view.home)
    longest = max(view.priority_tiles, key=lambda tile: len(tile.accessibleName()))
    longest.click()  # the choice is said above the row: the home page with it must still fit
    check(kiosk, size, "kiosk-priority", min_button_px=TOUCH_MIN_PX)
    kiosk.group_buttons["G"].click()  # the longest group name, on a real slip
    assert view.pages.currentWidget() is view.ticket_page
    check(kiosk, size, "kiosk-ticket", min_button_px=TOUCH_MIN_PX)
    view.ticket_done.click()
    kiosk.group_buttons["G"].click()  # no priority chosen first: asked after the group
    assert view.pages.currentWidget() is view.ask_page
    check(kiosk, size, "kiosk-ask", min_button_px=TOUCH_MIN_PX)
    view.ask_back.click()


@pytest.fixture(scope="module")
def board(demo):
    from counter_app.ui.shell import make_screen

    widget = make_screen("display", demo)
    widget.announcer.announce = lambda *_, **__: "silent"  # no sound from the tests
    yield widget
    widget.close()


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_display_board(board, size):
    board.refresh()
    check(board, size, "display")


@pytest.fixture(scope="module")
def rating(demo, admin_window):
    from counter_app.ui.shell import make_screen

    widget = make_screen("satisfaction", demo)
    widget.ask(admin_window.pages["counter"].current)
    yield widget
    widget.close()


@pytest.mark.parametrize("size", [*KIOSK_SIZES, (1024, 500)], ids=size_id)
def test_satisfaction(rating, size):
    """(1024, 500): the tablet's screen less a title bar and a task bar."""
    check(rating, size, "satisfaction", min_button_px=TOUCH_MIN_PX)
    texts = [w for w in rating.findChildren(QLabel) + rating.findChildren(QPushButton)
             if w.isVisible() and w.text()]  # fmt: skip
    small = [(w.text(), w.font().pixelSize()) for w in texts if w.font().pixelSize() < 20]
    assert texts and not small  # issue 20: 14 px


def test_the_dossier_pane_at_1366_shows_the_whole_history_and_a_note_of_lines(admin_window):
    """Issue 20: three history lines with the newest cut, a one-line note box, and the
    status column cutting "Không được tiếp nhận"."""
    from counter_app.core.dossier import DossierStatus

    session = admin_window.session
    ctx = session.ctx()
    dossier = gateway.receive_dossier(
        ctx, procedure_code="1.000689",
        applicant=gateway.ApplicantInput(full_name="Nguyễn Thị Thanh Hương Giang"),
    )  # fmt: skip
    for status, note in ((DossierStatus.PROCESSING, "Chuyển phòng Tư pháp"),
                         (DossierStatus.SUPPLEMENT, "Bổ sung giấy chứng sinh bản chính"),
                         (DossierStatus.PROCESSING, "Đã nhận đủ giấy tờ bổ sung"),
                         (DossierStatus.SUPPLEMENT, "Bổ sung ảnh 4x6"),
                         (DossierStatus.PROCESSING, "")):  # fmt: skip
        gateway.change_status(ctx, code=dossier.code, to=status, note=note)
    dossiers = admin_window.show_page("dossiers")
    admin_window.resize(*SIZES[0])
    settle()
    dossiers.run_search()
    assert dossiers.select_code(dossier.code)
    check(admin_window, SIZES[0], "dossiers-history")
    history = dossiers.view.history
    assert history.count() == 1 + 6  # the digitised papers on top, then six steps
    settle()
    room = history.viewport().rect()
    lines = history.fontMetrics().lineSpacing()
    assert room.height() >= 5 * lines  # not three lines
    newest = history.visualItemRect(history.item(history.count() - 1))
    assert room.contains(newest)  # the newest step seen whole, not cut at the bottom
    lines = dossiers.view.note.fontMetrics().lineSpacing()
    assert dossiers.view.note.height() >= 4 * lines  # a reason of a few lines, seen whole
    table = dossiers.view.table
    needed = table.fontMetrics().horizontalAdvance("Không được tiếp nhận")
    assert table.columnWidth(3) >= needed + 12


def test_a_dossier_opened_on_a_wide_screen_then_narrowed(admin_window):
    # Its action buttons were laid out two a row for the wide pane and stayed so.
    dossiers = admin_window.show_page("dossiers")
    admin_window.resize(*SIZES[1])
    settle()
    dossiers.run_search()
    dossiers.view.table.selectRow(0)
    settle()
    check(admin_window, SIZES[0], "dossiers-narrowed")


@pytest.mark.xfail(strict=False, reason="known: a page shown turned (portrait) keeps the window "
                   "at its tall minimum when the screen turns back to landscape")  # fmt: skip
def test_the_intake_shown_while_the_screen_turns(admin_window):
    admin_window.show_page("intake")
    for size in (SIZES[3], SIZES[0]):
        check(admin_window, size, "intake-turned")


def test_a_dossier_opened_in_portrait_then_another_page(admin_window):
    # Hidden, the dossier page lays its halves side by side again: its buttons, two a row
    # for the wide portrait pane, must not hold the window wider than the screen.
    dossiers = admin_window.show_page("dossiers")
    admin_window.resize(*SIZES[3])
    settle()
    dossiers.run_search()
    dossiers.view.table.selectRow(0)
    settle()
    admin_window.show_page("counter")
    check(admin_window, SIZES[3], "counter-after-dossier")


def test_the_english_station_at_1366_and_the_english_kiosk_on_a_tablet(demo):
    """English strings are longer: the same pages in English on the smallest screens."""
    from counter_app.ui.shell import make_screen

    make_app("en")
    window = kiosk = None
    try:
        window = signed_in(demo, "admin")
        for key in ("counter", "intake", "dossiers", "reports"):
            window.show_page(key)
            check(window, SIZES[0], f"en-{key}")
        settings = window.show_page("settings")
        for i in range(settings.tabs.count()):
            settings.tabs.setCurrentIndex(i)
            check(window, SIZES[0], f"en-settings-{i + 1}")
        kiosk = make_screen("kiosk", demo)
        check(kiosk, TABLET, "en-kiosk", min_button_px=TOUCH_MIN_PX)
    finally:
        for widget in (window, kiosk):
            if widget is not None:
                widget.close()
        make_app("vi")
