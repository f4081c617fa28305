"""The rating screen: no default choice, real taps, a reset after each rating and when left
alone, big touch targets on a 1024x600 tablet and three TVs; and reports that keep ratings
anonymous to the clerk (no rate from fewer than MIN_RATINGS_FOR_A_RATE ratings)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from counter_app.core.queue import TicketState
from counter_app.core.ratings import MIN_RATINGS_FOR_A_RATE
from counter_app.core.roles import Actor, Role
from counter_app.services import queue, ratings, reports
from counter_app.ui.kiosk_view import TOUCH_MIN_PX
from counter_app.ui.qtapp import make_app
from counter_app.ui.satisfaction import SatisfactionWidget
from counter_app.ui.session import Session
from tests.conftest import make_ctx
from tests.test_ui_kiosk_screens import layout_faults, settle

SCREENS = [(1024, 600), (1366, 768), (1920, 1080), (1080, 1920)]
MM15_AT_96_DPI = 57


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    s = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    yield s
    s.close()


def served(store, clock, station, n: int = 1) -> list:
    kiosk = make_ctx(store, clock, station, Role.VOLUNTEER, "kiosk")
    clerk = make_ctx(store, clock, station)
    done = []
    for _ in range(n):
        queue.take_ticket(kiosk, group="A")
        done.append(queue.call_next(clerk, counter=1, current_outcome=TicketState.DONE))
    queue.finish(clerk, counter=1)
    return done


@pytest.fixture
def screen(qtbot, session):
    widget = SatisfactionWidget(session, timeout_ms=300)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    widget.show()
    return widget


def test_nothing_is_chosen_until_the_citizen_touches(qtbot, screen, store, clock, station):
    ticket = served(store, clock, station)[0]
    screen.ask(ticket)
    assert all(b.isVisible() and not b.isChecked() for b in screen.buttons.values())
    assert screen.chosen() is None and not screen.submit.isEnabled()
    qtbot.mouseClick(screen.submit, Qt.LeftButton)  # a disabled button records nothing
    assert store.query("SELECT count(*) AS n FROM ratings")[0]["n"] == 0
    qtbot.mouseClick(screen.buttons[2], Qt.LeftButton)
    assert screen.chosen() == 2 and screen.submit.isEnabled()
    qtbot.mouseClick(screen.buttons[4], Qt.LeftButton)  # changing one's mind: one choice only
    assert screen.chosen() == 4 and not screen.buttons[2].isChecked()
    with qtbot.waitSignal(screen.rated) as rated:
        qtbot.mouseClick(screen.submit, Qt.LeftButton)
    assert rated.args[0].score == 4 and rated.args[0].ticket_id == ticket.id
    assert screen.chosen() is None and not screen.buttons[4].isVisible()  # reset, thanked
    assert "Cảm ơn quý khách" in screen.title.text()


def test_the_next_citizen_never_finds_the_last_ones_choice(qtbot, screen, store, clock,
                                                           station):  # fmt: skip
    first, second = served(store, clock, station, 2)
    screen.ask(first)
    qtbot.mouseClick(screen.buttons[1], Qt.LeftButton)  # touched, then walked away
    qtbot.waitUntil(lambda: screen.ticket is None, timeout=3000)  # the idle timeout
    assert screen.chosen() is None and not screen.submit.isVisible()
    screen.ask(second)
    assert screen.chosen() is None and not screen.submit.isEnabled()
    assert store.query("SELECT count(*) AS n FROM ratings")[0]["n"] == 0


def test_the_screen_asks_politely_in_vietnamese(screen, store, clock, station):
    screen.ask(served(store, clock, station)[0])
    words = " ".join(w.text() for w in (screen.title, screen.question, screen.note, screen.submit))
    assert screen.question.text() == "Quý khách hài lòng với phục vụ hôm nay không?"
    assert "bạn" not in words.lower().split()


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_it_fits_the_tablet_and_the_tvs_with_big_touch_targets(screen, store, clock, station,
                                                                size):  # fmt: skip
    screen.ask(served(store, clock, station)[0])
    screen.buttons[3].click()
    screen.resize(*size)
    settle()
    assert screen.size().toTuple() == size
    assert layout_faults(screen) == [], size
    for btn in (*screen.buttons.values(), screen.submit):
        assert min(btn.width(), btn.height()) >= max(MM15_AT_96_DPI, TOUCH_MIN_PX), btn.text()
        place = btn.mapTo(screen, btn.rect().bottomRight())
        assert place.x() < size[0] and place.y() < size[1]
    if size[1] > size[0]:  # portrait: one column, filling the height
        assert len({b.x() for b in screen.buttons.values()}) == 1
    else:
        assert len({b.y() for b in screen.buttons.values()}) == 1


def test_hiding_the_screen_drops_a_half_given_answer(qtbot, screen, store, clock, station):
    screen.ask(served(store, clock, station)[0])
    qtbot.mouseClick(screen.buttons[5], Qt.LeftButton)
    screen.hide()
    assert screen.chosen() is None and screen.ticket is None
    assert not screen._timeout.isActive()


# --- reports keep ratings anonymous to the clerk


def rate_many(store, clock, station, scores: list[int]) -> None:
    kiosk = make_ctx(store, clock, station, Role.VOLUNTEER, "kiosk")
    for ticket, score in zip(served(store, clock, station, len(scores)), scores, strict=True):
        ratings.rate_service(kiosk, score=score, ticket_id=ticket.id)
        clock.now += timedelta(seconds=30)


def test_no_rate_for_a_clerk_from_a_handful_of_ratings(store, clock, station):
    rate_many(store, clock, station, [1, 5, 5])
    report = reports.build_report(make_ctx(store, clock, station), start=clock.now.date(),
                                  end=clock.now.date())  # fmt: skip
    clerk = {r.key: r for r in report.by_clerk}["canbo1"]
    assert clerk.ratings == 3 and (clerk.avg_score, clerk.satisfied_pct) == (None, None)
    group = {r.key: r for r in report.by_group}["A"]  # one clerk can be the whole group
    assert (group.avg_score, group.satisfied_pct) == (None, None)
    assert report.total.satisfied_pct == pytest.approx(66.7)  # the centre's figure names nobody


def test_a_rate_appears_from_the_threshold_on(store, clock, station):
    scores = [5] * (MIN_RATINGS_FOR_A_RATE - 1)
    rate_many(store, clock, station, scores)
    ctx = make_ctx(store, clock, station)
    day = clock.now.date()
    clerk = {r.key: r for r in reports.build_report(ctx, start=day, end=day).by_clerk}["canbo1"]
    assert clerk.ratings == MIN_RATINGS_FOR_A_RATE - 1 and clerk.satisfied_pct is None
    rate_many(store, clock, station, [2])
    clerk = {r.key: r for r in reports.build_report(ctx, start=day, end=day).by_clerk}["canbo1"]
    assert clerk.ratings == MIN_RATINGS_FOR_A_RATE
    assert clerk.satisfied_pct == pytest.approx(95.0) and clerk.avg_score == pytest.approx(4.85)


def test_the_threshold_is_large_enough_to_hide_one_citizen():
    assert MIN_RATINGS_FOR_A_RATE >= 20


def test_long_level_names_break_before_hai_long():
    from counter_app.ui.satisfaction import two_lines

    assert two_lines("Rất không hài lòng") == "Rất không\nhài lòng"
    assert two_lines("Rất hài lòng") == "Rất\nhài lòng"
    assert two_lines("Hài lòng") == "Hài lòng"


def test_the_reports_page_says_why_a_clerks_rate_is_blank(qtbot, session):
    from counter_app.ui.reports import COLUMNS, ReportsWidget

    page = ReportsWidget(session)
    qtbot.addWidget(page)
    header = page.tables["clerk"].horizontalHeaderItem(COLUMNS.index("satisfied_pct"))
    assert f"từ {MIN_RATINGS_FOR_A_RATE} lượt đánh giá" in header.toolTip()
