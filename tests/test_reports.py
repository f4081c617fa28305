"""Reports count what happened: waits, service, no-shows, dossiers on time, satisfaction."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest

from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.roles import Role
from counter_app.services import accounts, dossiers, queue, ratings, reports
from tests.conftest import make_ctx


@pytest.fixture
def day(store, clock, station):
    """A short morning: three citizens, one absent, one dossier finished late, two ratings."""
    kiosk = make_ctx(store, clock, station, Role.VOLUNTEER, "kiosk")
    lan = make_ctx(store, clock, station, Role.CLERK, "canbo.lan")
    for group in "AAB":
        queue.take_ticket(kiosk, group=group)
        clock.now += timedelta(minutes=2)
    clock.now += timedelta(minutes=6)  # first call after 12 minutes of waiting
    first = queue.call_next(lan, counter=1)
    d = dossiers.receive_dossier(
        lan,
        procedure_code="1.001193",
        applicant=dossiers.ApplicantInput(full_name="Nguyễn Thị Đường"),
        ticket_id=first.id,
    )
    clock.now += timedelta(minutes=10)
    queue.finish(lan, counter=1)
    ratings.rate_service(kiosk, score=5, ticket_id=first.id)
    second = queue.call_next(lan, counter=1)
    queue.no_show(lan, counter=1)
    ratings.rate_service(kiosk, score=2, dossier_code=d.code)
    clock.now = d.due_at + timedelta(hours=1)  # the result comes an hour late
    dossiers.change_status(lan, code=d.code, to=9)
    return lan, first, second


def test_report_figures(day, clock) -> None:
    lan, first, _ = day
    report = reports.build_report(lan, start=clock.now.date(), end=clock.now.date())
    total = report.total
    assert (total.tickets, total.called, total.no_shows) == (3, 2, 1)
    assert total.avg_wait_min == pytest.approx((12 + 20) / 2)
    assert total.max_wait_min == pytest.approx(20)
    assert total.avg_service_min == pytest.approx(10)
    assert (total.dossiers, total.on_time, total.overdue) == (1, 0, 1)
    assert (total.ratings, total.avg_score, total.satisfied_pct) == (2, 3.5, 50.0)
    by_group = {r.key: r for r in report.by_group}
    assert (by_group["A"].tickets, by_group["B"].tickets) == (2, 1)
    clerk = {r.key: r for r in report.by_clerk}["canbo.lan"]
    assert (clerk.called, clerk.dossiers, clerk.ratings) == (2, 1, 2)
    assert [r.key for r in report.by_procedure] == ["1.001193"]


def test_the_counters_own_count_is_the_clerks_figure_in_the_days_report(
    day, store, clock, station
) -> None:
    """The counter page counts a clerk's dossiers of the day without the whole report; it
    must give the report's figure: another clerk's, a refused one and yesterday's not
    counted."""
    lan, _, _ = day
    hoa = make_ctx(store, clock, station, Role.CLERK, "canbo.hoa")
    citizen = dossiers.ApplicantInput(full_name="Trần Văn Bình")
    dossiers.receive_dossier(hoa, procedure_code="1.001193", applicant=citizen)
    dossiers.receive_dossier(lan, procedure_code="1.001193", applicant=citizen)
    dossiers.decide_at_intake(lan, decision=DossierStatus.REFUSED, reasons="Thiếu giấy tờ",
                              procedure_code="1.001193", applicant=citizen)  # fmt: skip
    today = clock.now.date()
    clerks = {r.key: r.dossiers for r in reports.build_report(lan, start=today, end=today).by_clerk}
    for name in ("canbo.lan", "canbo.hoa", "nobody"):
        assert reports.received_by(lan, name, today) == clerks.get(name, 0)
    assert clerks["canbo.lan"] == 2 and clerks["canbo.hoa"] == 1
    assert reports.received_by(lan, "canbo.lan", today + timedelta(days=1)) == 0


def test_exports_open_with_vietnamese_headers(day, clock, tmp_path) -> None:
    lan, _, _ = day
    report = reports.build_report(lan, start=clock.now.date(), end=clock.now.date())
    with open(reports.export_csv(report, tmp_path / "r.csv"), encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    assert table[0][:3] == ["Phần", "Mã", "Tên"] and "Tỷ lệ hài lòng (%)" in table[0]
    assert table[-1][:3] == ["Tổng cộng", "total", "Tổng cộng"]
    from openpyxl import load_workbook

    book = load_workbook(reports.export_xlsx(report, tmp_path / "r.xlsx"))
    assert book.sheetnames == [
        "Theo cán bộ", "Theo nhóm dịch vụ", "Theo thủ tục", "Theo quầy", "Theo ngày",
        "Tổng cộng",
    ]  # fmt: skip
    assert book["Theo thủ tục"]["B4"].value == "Thủ tục đăng ký khai sinh"


def test_rating_rules(day, store, clock, station) -> None:
    kiosk = make_ctx(store, clock, station, Role.VOLUNTEER, "kiosk")
    _, first, second = day
    with pytest.raises(DomainError):
        ratings.rate_service(kiosk, score=4, ticket_id=first.id)  # rated already
    with pytest.raises(ValidationError):
        ratings.rate_service(kiosk, score=9, ticket_id=second.id)
    with pytest.raises(ValidationError):
        ratings.rate_service(kiosk, score=4)
    assert [level[1] for level in ratings.scale(kiosk)][0] == "Rất hài lòng"


def test_tracking_book_lists_received_dossiers_in_entry_order(day, clock) -> None:
    lan, _, _ = day
    book = reports.tracking_book(
        lan, start=clock.now.date() - timedelta(days=5), end=clock.now.date()
    )
    assert [d.book_entry for d in book] == [1]


def test_clerks_by_full_name_and_every_figure_with_its_unit_and_meaning(
    day, store, clock, station, tmp_path
) -> None:
    lan, _, _ = day
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    accounts.add_user(admin, username="canbo.lan", role=Role.CLERK, password="mat-khau-dai")
    accounts.update_user(admin, username="canbo.lan", full_name="Nguyễn Thị Đường")
    report = reports.build_report(lan, start=clock.now.date(), end=clock.now.date())
    assert [(r.key, r.label) for r in report.by_clerk] == [("canbo.lan", "Nguyễn Thị Đường")]
    units = ("(lượt)", "(phút)", "(hồ sơ)", "(%)", "(điểm, 1–5)")
    figures = [c for c in reports.COLUMNS if c not in ("key", "label")]
    for column in figures:
        assert reports.HEADERS_VI[column].endswith(units), column
    for column in reports.COLUMNS:
        vi, en = reports.MEANINGS[column]
        assert vi.endswith(".") and "\n" not in vi and en, column

    with open(reports.export_csv(report, tmp_path / "r.csv"), encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    assert table[1][0] == "Ý nghĩa"
    assert table[1][1:] == [reports.MEANINGS_VI[c] for c in reports.COLUMNS]
    assert table[2][:3] == ["Theo cán bộ", "canbo.lan", "Nguyễn Thị Đường"]
    from openpyxl import load_workbook

    book = load_workbook(reports.export_xlsx(report, tmp_path / "r.xlsx"))
    sheet = book["Theo cán bộ"]
    headers = [c.value for c in sheet[2]]
    meanings = [c.value for c in sheet[3]]
    assert headers[headers.index("Chờ trung bình (phút)")] and "Hồ sơ tiếp nhận (hồ sơ)" in headers
    assert meanings == [reports.MEANINGS_VI[c] for c in reports.COLUMNS]
    assert sheet["B4"].value == "Nguyễn Thị Đường"


def test_the_reports_page_says_units_and_meanings(qtbot, qapp, day, store, clock) -> None:
    from counter_app.ui.qtapp import make_app
    from counter_app.ui.reports import COLUMNS, COUNTER_COLUMNS, ReportsWidget
    from counter_app.ui.session import Session

    make_app("vi")
    lan, _, _ = day
    session = Session(store, clock=clock, actor=lan.actor)
    page = ReportsWidget(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.report is not None)
    table = page.tables["clerk"]
    for j, column in enumerate(COLUMNS):
        item = table.horizontalHeaderItem(j)
        assert item.toolTip().split("\n")[0] == reports.MEANINGS_VI[column]
        if column != "label":
            assert item.text().endswith(("\n(lượt)", "\n(phút)", "\n(hồ sơ)", "\n(%)")), item.text()
    assert "hồ sơ tiếp nhận" in page.total.text() and "phút" in page.total.text()
    desks = page.tables["counter"]
    for j, column in enumerate(COUNTER_COLUMNS):
        item = desks.horizontalHeaderItem(j)
        assert item.toolTip().split("\n")[0] == reports.MEANINGS_VI[column]
    assert (
        desks.horizontalHeaderItem(COUNTER_COLUMNS.index("paused_min")).text().endswith("\n(phút)")
    )
    assert desks.rowCount() == len(page.report.by_counter) > 0
    session.close()


def test_counters_report_their_pauses_and_calls_out_of_turn(store, clock, station, tmp_path):
    """What the board showed (a counter paused, a citizen called before their turn) is in
    the report, per counter and in the total, and in the export."""
    from counter_app.services import queue_desk

    clerk = make_ctx(store, clock, station)
    kiosk = make_ctx(store, clock, station, Role.ADMIN, "admin")
    taken = [queue.take_ticket(kiosk, group="A") for _ in range(3)]
    queue_desk.pause_counter(clerk, counter=2, reason="lunch")
    clock.now += timedelta(minutes=45)
    queue_desk.resume_counter(clerk, counter=2)
    queue.call_ticket(clerk, counter=1, label=taken[2].ticket.label, reason="supplement")
    queue.call_next(clerk, counter=2)
    report = reports.build_report(clerk, start=clock.now.date(), end=clock.now.date())
    desks = {r.label: (r.called, r.out_of_turn, r.paused_min) for r in report.by_counter}
    assert desks == {"Quầy 1": (1, 1, 0.0), "Quầy 2": (1, 0, 45.0)}
    assert (report.total.out_of_turn, report.total.paused_min) == (1, 45.0)
    path = reports.export_csv(report, tmp_path / "r.csv")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert "Tạm nghỉ (phút)" in rows[0] and "Gọi trước lượt (lượt)" in rows[0]
    paused = rows[0].index("Tạm nghỉ (phút)")
    (second,) = [r for r in rows if r[2] == "Quầy 2"]
    assert (second[0], second[paused]) == ("Theo quầy", "45.0")


def test_the_english_total_counts_one_as_one_and_writes_a_decimal_point(
    qtbot, qapp, day, store, clock
) -> None:
    """Issue 20: "1 dossiers" and "1,4 min" in the English window."""
    import re

    from counter_app.ui.qtapp import make_app
    from counter_app.ui.reports import ReportsWidget
    from counter_app.ui.session import Session

    make_app("en")
    try:
        lan, _, _ = day
        session = Session(store, clock=clock, actor=lan.actor)
        page = ReportsWidget(session)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitUntil(lambda: page.report is not None)
        total = page.total.text()
        assert "3 tickets, 1 no-show," in total
        assert "1 dossier received, 0 dossiers on time, 1 dossier overdue; 2 ratings" in total
        assert re.search(r"average wait \d+\.\d min", total), total
        session.close()
    finally:
        make_app("vi")
    session = Session(store, clock=clock, actor=lan.actor)
    page = ReportsWidget(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.report is not None)
    assert re.search(r"chờ trung bình \d+,\d phút", page.total.text())  # Vietnamese: 1,4
    assert "1 hồ sơ tiếp nhận" in page.total.text()
    session.close()
