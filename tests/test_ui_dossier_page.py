"""The dossier page: verbs on buttons that fit at 1366, final moves asked about, the detail
kept after a change, an honest count, and a typed search that keeps the filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication

from counter_app.core.dossier import DossierStatus
from counter_app.core.roles import Actor, Role
from counter_app.services import search
from counter_app.ui import gateway
from counter_app.ui.confirm import ConfirmDialog
from counter_app.ui.dossiers import DossiersWidget
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.conftest import make_ctx

PAGE = (1366 - 210, 768 - 60)  # the window at 1366x768 less the menu and the status bar


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    s = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    yield s
    s.close()


def receive(session, name: str, procedure: str = "1.001193"):
    return gateway.receive_dossier(
        session.ctx(), procedure_code=procedure, applicant=gateway.ApplicantInput(full_name=name)
    )


@pytest.fixture
def page(qtbot, session):
    widget = DossiersWidget(session)
    qtbot.addWidget(widget)
    widget.resize(*PAGE)
    widget.show()
    qtbot.waitUntil(lambda: widget._loaded and widget.view.procedure.count() > 1)
    return widget


def answer(qtbot, yes: bool) -> list:
    seen = []

    def press() -> None:
        # the open dialog itself: another test's window may hold the modal slot
        shown = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, ConfirmDialog) and w.isVisible()
        ]
        if not shown:
            QTimer.singleShot(20, press)
            return
        dialog = shown[-1]
        seen.append(dialog.findChild(type(dialog.yes)).text())
        qtbot.mouseClick(dialog.yes if yes else dialog.no, Qt.LeftButton)

    QTimer.singleShot(20, press)
    return seen


def test_actions_are_verbs_and_fit_at_1366(qtbot, session, page):
    d = receive(session, "Nguyễn Thị Thanh Hương Giang")
    page.run_search()
    page.select_code(d.code)
    QApplication.processEvents()
    names = [b.text() for b in page.action_buttons.values()]
    assert "Chuyển xử lý" in names and "Dừng xử lý" in names and "Báo đã có kết quả" in names
    assert not {"Đang xử lý", "Đã xử lý xong", "Công dân yêu cầu rút hồ sơ"} & set(names)
    for button in page.action_buttons.values():
        assert button.isVisible()
        assert button.width() >= button.sizeHint().width(), button.text()  # text not cut
        assert not clipped(button, page), button.text()


def clipped(widget, top) -> bool:
    """True when any ancestor up to `top` cuts part of the widget off."""
    rect = widget.rect()
    child = widget
    while child is not top:
        parent = child.parentWidget()
        rect = QRect(child.mapTo(parent, rect.topLeft()), rect.size())
        if not parent.rect().contains(rect):
            return True
        child = parent
    return False


def test_final_moves_are_asked_about_and_the_detail_stays(qtbot, session, page):
    d = receive(session, "Lò Văn Páo")
    page.run_search()
    page.select_code(d.code)
    qtbot.keyClicks(page.view.note, "Cong dan xin dung")
    seen = answer(qtbot, yes=False)
    qtbot.mouseClick(page.action_buttons[int(DossierStatus.STOPPED)], Qt.LeftButton)
    assert seen and gateway.show_dossier(session.ctx(), d.code).dossier.status == 2
    qtbot.keyClicks(page.view.note, "Cong dan xin dung")
    seen = answer(qtbot, yes=True)
    qtbot.mouseClick(page.action_buttons[int(DossierStatus.STOPPED)], Qt.LeftButton)
    assert seen and gateway.show_dossier(session.ctx(), d.code).dossier.status == 8
    assert "Dừng xử lý" in page.view.message.text()
    assert d.code in page.view.detail.text() and page.selected.code == d.code


def test_after_a_change_the_message_and_detail_stay_even_when_filtered_out(qtbot, session, page):
    d = receive(session, "Lò Văn Páo")
    v = page.view
    v.status.setCurrentIndex(v.status.findData(DossierStatus.RECEIVED))
    page.run_search()
    page.select_code(d.code)
    qtbot.mouseClick(page.action_buttons[int(DossierStatus.PROCESSING)], Qt.LeftButton)
    assert gateway.show_dossier(session.ctx(), d.code).dossier.status == 4
    assert v.table.rowCount() == 0  # no longer "received": out of the filtered list...
    assert "Đang xử lý" in v.message.text()  # ...but the message and its detail stay
    assert d.code in v.detail.text() and "Đang xử lý" in v.detail.text()
    assert int(DossierStatus.DONE) in page.action_buttons  # and the next moves are offered


def test_the_count_says_how_many_match_beyond_the_list(qtbot, session, page, monkeypatch):
    monkeypatch.setattr("counter_app.ui.dossiers.LIST_LIMIT", 5)
    for i in range(7):
        receive(session, f"Nguyễn Văn An {chr(65 + i)}")
    page.run_search()
    assert page.view.table.rowCount() == 5
    assert page.view.count.text().startswith("5 / 7 hồ sơ")
    page.view.query.setText("an b")
    page.run_search()
    assert page.view.count.text() == "1 hồ sơ"


def test_the_service_counts_all_matches(session):
    for i in range(7):
        receive(session, f"Trần Thị Bình {chr(65 + i)}")
    found = search.find_dossiers(session.ctx(), text="binh", limit=5)
    assert (len(found.dossiers), found.total) == (5, 7)


def test_a_typed_search_keeps_the_filters(qtbot, session, page, clock):
    first = receive(session, "Nguyễn Thị Đường")
    receive(session, "Nguyễn Thị Đường", procedure="1.000894")
    gateway.change_status(session.ctx(), code=first.code, to=4)
    v = page.view
    qtbot.keyClicks(v.query, "nguyen duong")
    qtbot.keyClick(v.query, Qt.Key_Return)
    assert v.table.rowCount() == 2
    v.status.setCurrentIndex(v.status.findData(DossierStatus.PROCESSING))
    qtbot.keyClick(v.query, Qt.Key_Return)
    assert [page.found[0].code] == [first.code] and v.table.rowCount() == 1
    v.status.setCurrentIndex(0)
    v.procedure.setCurrentIndex(v.procedure.findData("1.000894"))
    qtbot.keyClick(v.query, Qt.Key_Return)
    assert v.table.rowCount() == 1 and page.found[0].procedure_code == "1.000894"
    v.procedure.setCurrentIndex(0)
    clock.now += timedelta(days=40)  # received before the dates chosen: filtered out too
    v.since.setDate(v.since.date().addDays(35))
    qtbot.keyClick(v.query, Qt.Key_Return)
    assert v.table.rowCount() == 0 and v.count.text().startswith("0 hồ sơ · còn 2 hồ sơ")


def test_the_history_names_the_officer_not_the_login(qtbot, session, page, store, clock, station):
    from counter_app.services.accounts import add_user

    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    add_user(admin, username="canbo1", role=Role.CLERK, password="mat-khau-dai",
             full_name="Nguyễn Thị Đường", title="Công chức Tư pháp - Hộ tịch")  # fmt: skip
    d = receive(session, "Lê Văn An")
    page.run_search()
    assert page.select_code(d.code)
    qtbot.waitUntil(lambda: page.view.history.count() > 0)
    # item 0 sums up the digitised papers; the steps follow, oldest first
    assert page.view.history.item(1).text().endswith("Được tiếp nhận  (Nguyễn Thị Đường)")


def test_the_date_popup_shows_every_week_of_the_month_whole(qtbot, page):
    """Issue 20: the month popup scrolled by a few pixels: the last week was cut."""
    from PySide6.QtWidgets import QStyle, QStyleOptionSpinBox, QTableView

    for edit in (page.view.since, page.view.until):
        option = QStyleOptionSpinBox()
        edit.initStyleOption(option)
        arrow = edit.style().subControlRect(QStyle.CC_SpinBox, option, QStyle.SC_SpinBoxDown,
                                            edit)  # fmt: skip
        qtbot.mouseClick(edit, Qt.LeftButton, pos=arrow.center())
        month = edit.calendarWidget()
        qtbot.waitUntil(month.isVisible)
        view = month.findChild(QTableView)
        last = view.model().rowCount() - 1
        assert view.rowViewportPosition(0) >= 0  # the weekday names, not scrolled away
        bottom = view.rowViewportPosition(last) + view.rowHeight(last)
        assert bottom <= view.viewport().height()  # the last week whole
        month.window().hide()
