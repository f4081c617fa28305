"""The calling board on a 43" TV: sizes from the screen, nothing cut, a second monitor chosen,
the line of paused counters, and each call handed to the voice with its ticket and counter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

from counter_app.core.queue import TicketState
from counter_app.core.roles import Actor, Role
from counter_app.ui import gateway
from counter_app.ui.board_view import board_screen
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.conftest import make_ctx
from tests.test_ui_kiosk_screens import layout_faults, settle

TVS = [(1366, 768), (1920, 1080), (1080, 1920)]


def letter_cm(label, size) -> float:
    """Height of a capital on a 43-inch 16:9 TV (95.2 x 53.5 cm) showing the board at `size`."""
    cm_per_px = 95.2 / max(size)
    return label.fontMetrics().tightBoundingRect("A0").height() * cm_per_px


class Voice:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def announce(self, text: str, **call) -> str:
        self.calls.append((text, call))
        return "test"


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    s = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    yield s
    s.close()


@pytest.fixture
def board(qtbot, session, store, clock, station):
    from counter_app.ui.display import DisplayWidget

    widget = DisplayWidget(session, announcer=Voice())
    qtbot.addWidget(widget)
    widget.show()
    kiosk, clerk = session.kiosk_ctx(), make_ctx(store, clock, station)
    for group in "AABACBAEAB":
        gateway.take_ticket(kiosk, group=group)
    widget.made = []  # (ticket, counter) of each call, oldest first
    for counter in (1, 2, 3, 1, 2, 3, 1, 2):
        ticket = gateway.call_next(clerk, counter=counter, current_outcome=TicketState.DONE)
        widget.made.append((ticket.label, ticket.counter))
        widget.refresh()
    return widget


@pytest.mark.parametrize(
    ("screens", "primary", "chosen"),
    [
        ([(0, 0, 1366, 768)], 0, None),  # one screen: the board opens where asked
        ([(0, 0, 1366, 768), (1366, 0, 1920, 1080)], 0, 1),  # the TV beside the counter
        ([(1920, 0, 1366, 768), (0, 0, 1920, 1080)], 0, 1),  # primary first, TV on its left
        ([(0, 0, 1920, 1080), (1920, 0, 1366, 768)], 1, 0),  # the primary is the second one
        ([(0, 0, 1366, 768), (1366, 0, 1920, 1080), (3286, 0, 1080, 1920)], 0, 2),  # the last
    ],
)
def test_the_board_takes_the_last_screen_that_is_not_the_primary(screens, primary, chosen):
    assert board_screen(screens, primary) == chosen


@pytest.mark.parametrize("size", TVS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_called_number_is_readable_from_5_m_and_nothing_is_cut(board, size):
    board.resize(*size)
    settle()
    v = board.view
    width, height = size
    assert board.size().toTuple() == size  # not grown past the screen
    label, counter = board.made[-1]
    assert (v.number.text(), v.counter.text()) == (label, str(counter))
    assert v.number.height() >= 0.15 * height
    assert v.counter.font().pixelSize() == v.number.font().pixelSize()  # equally big
    assert v.counter.height() == v.number.height()
    assert letter_cm(v.number, size) >= 6  # sign makers ask 4 cm of letter at 5 m
    assert layout_faults(board) == [], size
    for cell in (v.number, v.counter, *(c for row in v.recent_rows for c in row)):
        if cell.isVisible():
            place = QRect(cell.mapTo(board, cell.rect().topLeft()), cell.size())
            assert QRect(0, 0, *size).contains(place)
            assert cell.height() >= cell.fontMetrics().height(), cell.text()  # not squeezed
    shown = [row for row in v.recent_rows if row[0].isVisible()]
    assert len(shown) >= 3 and (shown[0][0].text(), shown[0][1].text()) == (label, str(counter))
    assert letter_cm(shown[0][0], size) >= 2.5


@pytest.mark.parametrize("size", TVS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_empty_half(board, size):
    board.resize(*size)
    settle()
    v = board.view
    width, height = size
    panel = QRect(v.panel.mapTo(board, v.panel.rect().topLeft()), v.panel.size())
    recent = QRect(v.recent_box.mapTo(board, v.recent_box.rect().topLeft()), v.recent_box.size())
    if width > height:  # side by side, both nearly as tall as the screen
        assert panel.right() < recent.left()
        assert min(panel.height(), recent.height()) > 0.6 * height
        assert recent.right() > 0.95 * width
    else:  # stacked, the list reaching down to the notice
        assert panel.bottom() < recent.top()
        assert panel.width() > 0.9 * width and recent.bottom() > 0.8 * height


def test_fonts_follow_the_screen_not_fixed_points(board):
    sizes = {}
    for size in ((1366, 768), (1920, 1080)):
        board.resize(*size)
        settle()
        sizes[size] = board.view.number.font().pixelSize()
    assert sizes[(1920, 1080)] / sizes[(1366, 768)] == pytest.approx(1080 / 768, rel=0.05)


def test_one_board_turned_from_screen_to_screen_always_fits(board):
    for size in (TVS[1], TVS[2], TVS[0], TVS[2], TVS[1]):
        board.resize(*size)
        settle()
        assert board.size().toTuple() == size
        assert layout_faults(board) == [], size


def test_paused_counters_show_in_their_own_line_on_every_screen(board):
    board.set_counter_states([(2, "Tạm nghỉ (Nghỉ trưa)"), (4, "Tạm nghỉ (Họp)")])
    states = board.view.states
    assert states.text() == "Quầy 2: Tạm nghỉ (Nghỉ trưa)   ·   Quầy 4: Tạm nghỉ (Họp)"
    for size in TVS:
        board.resize(*size)
        settle()
        assert states.isVisible() and layout_faults(board) == [], size
        assert board.size().toTuple() == size
    board.set_counter_states([(2, "Tạm nghỉ (Nghỉ trưa)")])  # the common case: one pause
    for size in TVS:
        board.resize(*size)
        settle()
        assert layout_faults(board) == [], size
        # read from across the lobby (issue 20: it was no larger than a caption)
        caption = board.view.number_caption.font().pixelSize()
        assert states.font().pixelSize() >= 1.15 * caption, size
    reasons = ["Nghỉ trưa", "Họp giao ban đầu tuần", "Tập huấn phần mềm một cửa"] * 2
    board.set_counter_states([(n, f"Tạm nghỉ ({r})") for n, r in enumerate(reasons, 1)])
    assert states.text().startswith("Quầy 1, 4: Tạm nghỉ (Nghỉ trưa)   ·   Quầy 2, 5: ")
    for size in TVS:
        board.resize(*size)
        settle()
        assert layout_faults(board) == [], size
        for big in (board.view.number, board.view.counter):
            assert big.height() >= big.fontMetrics().height()  # the call is never squeezed
    board.set_counter_states([])
    settle()
    assert not states.isVisible()


def test_a_pause_made_at_a_counter_shows_on_the_board_until_it_resumes(board, store, clock,
                                                                       station):  # fmt: skip
    clerk = make_ctx(store, clock, station)
    gateway.call_next(clerk, counter=3, current_outcome=TicketState.DONE)
    gateway.call_next(clerk, counter=3, current_outcome=TicketState.DONE)  # the queue ran dry
    gateway.finish(clerk, counter=3)
    gateway.pause_counter(clerk, counter=3, reason="lunch")
    board.refresh()
    assert board.view.states.text() == "Quầy 3: Tạm nghỉ (Nghỉ trưa)"
    gateway.resume_counter(clerk, counter=3)
    board.refresh()
    assert board.view.states.text() == "" and not board.view.states.isVisible()


def test_a_call_is_announced_with_its_ticket_and_counter_and_listed_first(board, store, clock,
                                                                          station):  # fmt: skip
    clerk = make_ctx(store, clock, station)
    new = gateway.call_next(clerk, counter=3, current_outcome=TicketState.DONE)
    board.refresh()
    text, call = board.announcer.calls[-1]
    assert text == f"Mời số {new.label} đến quầy số 3"
    assert call == {"label": new.label, "counter": 3}
    assert board.recent_calls()[:2] == [(new.label, 3), board.made[-1]]
    gateway.recall(clerk, counter=board.made[-1][1])
    board.refresh()
    assert board.recent_calls()[:3] == [board.made[-1], (new.label, 3), board.made[-2]]
    assert board.recent_calls().count(board.made[-1]) == 1  # moved up, not listed twice
    assert board.view.panel.objectName() == "panelHot"


def test_the_board_stops_its_timers_when_hidden(board):
    board.hide()
    assert not board._poll.isActive() and not board._clock.isActive()
    assert not board.view.notice._timer.isActive()
    board.show()
    assert board._poll.isActive() and board.view.notice._timer.isActive()


def test_before_the_first_call_the_panel_invites_citizens(qtbot, session, store, clock, station):
    from counter_app.ui.display import DisplayWidget

    board = DisplayWidget(session, announcer=Voice())
    qtbot.addWidget(board)
    board.show()
    v = board.view
    for size in TVS:
        board.resize(*size)
        settle()
        assert v.welcome.isVisible() and not v.number.isVisible()
        assert v.welcome.text() == "Xin mời quý khách lấy số thứ tự và chờ đến lượt"
        assert layout_faults(board) == [], size
    gateway.take_ticket(session.kiosk_ctx(), group="A")
    gateway.call_next(make_ctx(store, clock, station), counter=2)
    board.refresh()
    assert not v.welcome.isVisible() and v.number.text() == "A001" and v.counter.text() == "2"


def test_with_one_screen_the_board_opens_as_asked(qtbot, session):
    from PySide6.QtGui import QGuiApplication

    from counter_app.ui.display import DisplayWidget, show_board

    assert len(QGuiApplication.screens()) == 1  # the offscreen platform has one
    board = DisplayWidget(session, announcer=Voice())
    qtbot.addWidget(board)
    assert show_board(board, fullscreen=False) is False
    assert board.isVisible() and not board.isFullScreen()
    board.close()
    assert not board._poll.isActive()
