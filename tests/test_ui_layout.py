"""Start-up prefetch, the dossier list at 1366x768, the settings buttons, errors in English."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app.core.errors import DomainError
from counter_app.core.roles import Actor, Role
from counter_app.services.accounts import add_user
from counter_app.ui import gateway
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.conftest import make_ctx
from tests.helpers.login import clerk_login_window, sign_in


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    s = Session(store, clock=clock, actor=Actor("admin", Role.ADMIN))
    yield s
    s.close()


def test_the_store_opens_on_a_thread_and_the_counter_page_is_ready_before_login(
    qtbot, store, clock, station
):
    from counter_app.ui.launcher import _load_later
    from counter_app.ui.shell import StationWindow

    make_app("vi")
    add_user(make_ctx(store, clock, station, Role.ADMIN, "admin"), username="canbo",
             role=Role.CLERK, password="matkhau-dai-2026")  # fmt: skip
    window = StationWindow()
    qtbot.addWidget(window)
    window.show()
    _load_later(window, data_dir=store.path.parent, demo=False, clock=clock, probe=None)
    qtbot.waitUntil(lambda: "counter" in window._prebuilt, timeout=10_000)
    assert window.login.submit.isEnabled()
    prebuilt = window._prebuilt["counter"]
    assert not prebuilt.isVisible() and window.stack.currentWidget() is window.login

    qtbot.keyClicks(window.login.username, "canbo")
    qtbot.keyClicks(window.login.password, "matkhau-dai-2026")
    qtbot.keyClick(window.login.password, Qt.Key_Return)
    assert window.stack.currentWidget() is prebuilt  # the page built before, now shown
    assert window.pages["counter"] is prebuilt and window.login.last_check_s > 0
    window.close()


def test_a_clerk_who_signs_in_before_the_page_modules_arrive_gets_one_counter_page(
    qtbot, store, clock, station
):
    """The login takes a password as soon as the store is open; the page's modules may still
    be loading. The page is then built while the password is checked, and a late prebuild
    must not build a second, hidden one."""
    window = clerk_login_window(qtbot, store, clock, station)
    window.attach(Session(store, clock=clock))
    sign_in(qtbot, window)
    shown = window.stack.currentWidget()
    assert window.pages["counter"] is shown
    window.prebuild_pages()  # the prefetch's "pages ready" arriving after the sign-in
    assert window._prebuilt == {} and window.stack.count() == 2  # the login and the page
    window.close()


def test_dossier_list_fits_at_1366_without_a_horizontal_scrollbar(qtbot, session):
    from counter_app.ui.dossiers import DossiersWidget

    ctx = session.ctx()
    for name in ("Nguyễn Thị Thanh Hương Giang", "Lò Văn Páo"):
        gateway.receive_dossier(
            ctx,
            procedure_code=ctx.catalogue().procedures[0].code,
            applicant=gateway.ApplicantInput(full_name=name, phone="0912345678"),
        )
    page = DossiersWidget(session)
    qtbot.addWidget(page)
    page.resize(1366 - 210, 700)
    page.show()
    page.run_search()
    QApplication.processEvents()
    table = page.view.table
    assert table.rowCount() == 2
    header = table.horizontalHeader()
    status = header.sectionViewportPosition(3) + header.sectionSize(3)
    assert status <= table.viewport().width()  # the Status column is fully visible
    assert not table.horizontalScrollBar().isVisible()
    assert table.item(0, 1).toolTip() == table.item(0, 1).text()


def test_settings_save_buttons_keep_their_size_on_the_right(qtbot, session):
    from counter_app.ui.settings import SettingsWidget

    widget = SettingsWidget(session)
    qtbot.addWidget(widget)
    widget.resize(1156, 700)
    widget.show()
    hours = widget.pages[2]
    widget.tabs.setCurrentWidget(hours)
    QApplication.processEvents()
    button = hours.save_hours
    assert button.width() < hours.width() / 3
    assert button.geometry().right() > hours.width() * 2 / 3


def test_background_domain_errors_are_shown_in_the_ui_language(qtbot, session):
    from counter_app.ui.background import Housekeeping, PrintQueue

    make_app("en")
    try:
        seen: list[str] = []
        for worker in (session.printing(), session.housekeeping()):
            assert isinstance(worker, PrintQueue | Housekeeping)
            worker.failed.connect(seen.append)
            worker._finished("state" if isinstance(worker, PrintQueue) else "backup", None,
                             DomainError("auth.bad_login"))  # fmt: skip
        english = DomainError("auth.bad_login").message("en")
        assert seen == [english, english]
        assert english != DomainError("auth.bad_login").message("vi")
    finally:
        make_app("vi")
