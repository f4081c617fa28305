"""Reports count what happened: waits, service, no-shows, dossiers on time, satisfaction."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest

from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.roles import Role
from counter_app.services import dossiers, queue, ratings, reports
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


def test_exports_open_with_vietnamese_headers(day, clock, tmp_path) -> None:
    lan, _, _ = day
    report = reports.build_report(lan, start=clock.now.date(), end=clock.now.date())
    with open(reports.export_csv(report, tmp_path / "r.csv"), encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    assert table[0][:3] == ["Phần", "Mã", "Tên"] and "Tỷ lệ hài lòng (%)" in table[0]
    assert table[-1][:3] == ["Tổng cộng", "total", "Tổng cộng"]
    from openpyxl import load_workbook

    book = load_workbook(reports.export_xlsx(report, tmp_path / "r.xlsx"))
    assert book.sheetnames == ["Theo cán bộ", "Theo nhóm dịch vụ", "Theo thủ tục", "Tổng cộng"]
    assert book["Theo thủ tục"]["B3"].value == "Thủ tục đăng ký khai sinh"


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
