"""The waiting list keeps the clerk's place across its refreshes: it is updated in place every
REFRESH_MS (another counter calls, the kiosk adds), and the row chosen with the arrow keys
stays chosen, the arrows go on from it, and Ctrl+F2 calls it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter_app.core.queue import TicketState
from counter_app.ui import gateway
from counter_app.ui.counter import CounterWidget
from counter_app.ui.counter_dialogs import CallReasonDialog
from tests.conftest import make_ctx
from tests.test_ui_counter_desk import in_dialog, select
from tests.test_ui_counter_keys import key
from tests.test_ui_counter_keys import session as session  # noqa: F401 (fixture)


@pytest.fixture
def counter(qtbot, session, monkeypatch):  # noqa: F811 (this file's own, quick to refresh)
    monkeypatch.setattr("counter_app.ui.counter.REFRESH_MS", 150)
    for _ in range(5):
        gateway.take_ticket(session.kiosk_ctx(), group="A")
    widget = CounterWidget(session)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: len(widget.waiting_labels()) == 5)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def chosen(counter) -> str:
    item = counter.view.queue.currentItem()
    assert item is not None and item.isSelected(), "no row chosen"
    return item.text(0)


def elsewhere(session, store, clock, station) -> None:
    """Counter 2 calls the next citizen; the kiosk hands out one more A number."""
    other = make_ctx(store, clock, station, name="canbo2")
    gateway.call_next(other, counter=2, current_outcome=TicketState.DONE)
    gateway.take_ticket(session.kiosk_ctx(), group="A")


def test_the_chosen_row_survives_refreshes_that_add_and_remove_tickets(
    qtbot, counter, session, store, clock, station
):
    select(qtbot, counter, "A003")  # Down, Down, Down from the group's heading
    tree = counter.view.queue
    elsewhere(session, store, clock, station)  # A001 leaves the list, A006 joins it
    qtbot.waitUntil(lambda: counter.waiting_labels() == ["A002", "A003", "A004", "A005", "A006"])
    assert chosen(counter) == "A003"
    qtbot.keyClick(tree, Qt.Key_Down)  # the arrows go on from the chosen row
    assert chosen(counter) == "A004"
    qtbot.keyClick(tree, Qt.Key_Up)
    elsewhere(session, store, clock, station)  # A002 called, A007 taken
    qtbot.waitUntil(lambda: "A007" in counter.waiting_labels())
    assert counter.waiting_labels()[0] == "A003" and chosen(counter) == "A003"
    seen = in_dialog(qtbot, CallReasonDialog, Qt.Key_Return)
    key(qtbot, counter, Qt.Key_F2, Qt.ControlModifier)  # out of turn: the chosen one
    assert seen and counter.current.label == "A003"
    assert gateway.find_ticket(session.ctx(), "A003").state is TicketState.CALLED


def test_a_chosen_ticket_called_elsewhere_leaves_no_stale_row(
    qtbot, counter, session, store, clock, station
):
    select(qtbot, counter, "A001")
    elsewhere(session, store, clock, station)
    qtbot.waitUntil(lambda: "A006" in counter.waiting_labels())
    assert "A001" not in counter.waiting_labels()
    item = counter.view.queue.currentItem()
    assert item is None or item.data(0, Qt.UserRole + 1) != "A001"
