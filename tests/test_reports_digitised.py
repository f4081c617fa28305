"""The digitised share: dossiers received with every required paper digitised, over the
dossiers received, per day and per clerk, in the service, the command line and the page."""

from __future__ import annotations

from datetime import date

import pytest

from counter_app.core.roles import Role
from counter_app.services import papers, reports
from counter_app.services.accounts import add_user
from tests.conftest import make_ctx
from tests.test_cli import run
from tests.test_papers import receive, text_page

REQUIRED = (1, 2, 3)  # 1.001193's papers not marked optional; 4 and 5 are


@pytest.fixture
def day_two(store, clock, station, tmp_path):
    """29/04: canbo1 digitises all required papers of one dossier, only two of another;
    30/04: canbo2 digitises every required paper but no optional one."""
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    add_user(admin, username="canbo2", role=Role.CLERK, password="mat-khau-dai")
    page = text_page(tmp_path / "p.png", size=(827, 1169))
    first = make_ctx(store, clock, station)
    full = receive(first)
    for n in REQUIRED:
        papers.attach_files(first, full.code, n, [page])
    part = receive(first, "Lê Văn An")
    for n in (1, 4):
        papers.attach_files(first, part.code, n, [page])
    receive(first, "Trần Văn Bình")  # nothing digitised
    clock.set(2026, 4, 30, 9, 0)
    second = make_ctx(store, clock, station, Role.CLERK, "canbo2")
    other = receive(second, "Phạm Thị Hằng")
    for n in REQUIRED:
        papers.attach_files(second, other.code, n, [page])
    return first


def test_the_share_per_day_and_per_clerk(day_two):
    built = reports.build_report(day_two, start=date(2026, 4, 29), end=date(2026, 4, 30))
    days = {r.label: (r.digitised, r.dossiers, r.digitised_pct) for r in built.by_day}
    assert days == {"29/04/2026": (1, 3, 33.3), "30/04/2026": (1, 1, 100.0)}
    clerks = {r.key: (r.digitised, r.dossiers) for r in built.by_clerk}
    assert clerks == {"canbo1": (1, 3), "canbo2": (1, 1)}
    assert (built.total.digitised, built.total.dossiers, built.total.digitised_pct) == (2, 4, 50.0)
    assert reports.HEADERS_VI["digitised_pct"].endswith("(%)")


def test_the_report_command_says_it_in_vietnamese(day_two, capsys, monkeypatch):
    monkeypatch.setenv("COUNTER_APP_USER", "canbo2")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    data = day_two.store.path.parent
    code, out, err = run(capsys, data, "report", "--from", "2026-04-29", "--to", "2026-04-30")
    assert code == 0, err
    assert "Tổng cộng: 2/4 hồ sơ số hóa đủ giấy tờ (50.0%)" in out
    assert "29/04/2026: 1/3 hồ sơ số hóa đủ giấy tờ (33.3%)" in out
    assert "canbo2 (canbo2): 1/1 hồ sơ số hóa đủ giấy tờ (100.0%)" in out


def test_the_reports_page_has_a_day_tab_with_the_share(qtbot, qapp, day_two, store, clock):
    from PySide6.QtCore import QDate, Qt

    from counter_app.core.roles import Actor
    from counter_app.ui.qtapp import make_app
    from counter_app.ui.reports import DAY_COLUMNS, ReportsWidget
    from counter_app.ui.session import Session

    make_app("vi")
    session = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    page = ReportsWidget(session)
    qtbot.addWidget(page)
    page.period.setCurrentIndex(page.period.findData("custom"))
    page.start.setDate(QDate(2026, 4, 29))
    page.end.setDate(QDate(2026, 4, 30))
    page.show()
    qtbot.keyClick(page, Qt.Key_F5)  # the run button's shortcut
    days = page.tables["day"]
    qtbot.waitUntil(lambda: days.rowCount() == 2)
    column = DAY_COLUMNS.index("digitised_pct")
    assert [days.item(r, column).text() for r in range(2)] == ["33,3", "100,0"]
    assert "số hóa đủ giấy tờ 50,0% hồ sơ" in page.total.text()
