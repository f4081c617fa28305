"""No single key changes what happened to a citizen without a question or a visible undo.

The keys are pressed on the real counter window and the stored ticket states are checked.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from counter_app.core.queue import TicketState
from counter_app.core.roles import Actor, Role
from counter_app.ui import gateway
from counter_app.ui.confirm import ConfirmDialog
from counter_app.ui.counter import CounterWidget
from counter_app.ui.counter_dialogs import OutcomeDialog, RestoreDialog
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    return Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK), counter=1)


@pytest.fixture
def counter(qtbot, session, monkeypatch):
    monkeypatch.setattr("counter_app.ui.counter.UNDO_MS", 600)  # the test need not wait 10 s
    for group in ("A", "A", "A"):
        gateway.take_ticket(session.kiosk_ctx(), group=group)
    widget = CounterWidget(session)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: len(widget.waiting_labels()) == 3)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def key(qtbot, counter, key, modifier=Qt.NoModifier) -> None:
    """A key pressed on the counter window, brought to the front first (after a dialog)."""
    counter.activateWindow()
    qtbot.waitUntil(counter.isActiveWindow)
    qtbot.keyClick(counter, key, modifier)


def state(session, label: str) -> TicketState:
    return gateway.find_ticket(session.ctx(), label).state


def answer_dialog(qtbot, kind, key) -> list:
    """Press `key` in the next dialog of type `kind` once it opens; returns what it saw."""
    seen = []

    def press() -> None:
        # the open dialog of that kind itself: another test's window may hold the modal slot
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        if not shown:
            QTimer.singleShot(20, press)
            return
        dialog = shown[-1]
        focused = QApplication.focusWidget()
        if not dialog.isActiveWindow() or focused is None or not dialog.isAncestorOf(focused):
            # a busy machine: the dialog shows before it is active, and its buttons' keys
            # (F6, F4, Esc) act only in the active window; pressed earlier they were lost
            QTimer.singleShot(20, press)
            return
        seen.append(dialog)
        qtbot.keyClick(focused, key)

    QTimer.singleShot(20, press)
    return seen


def test_f2_on_a_called_citizen_asks_and_esc_changes_nothing(qtbot, counter, session):
    key(qtbot, counter, Qt.Key_F2)
    assert counter.current.label == "A001"
    seen = answer_dialog(qtbot, OutcomeDialog, Qt.Key_Escape)
    key(qtbot, counter, Qt.Key_F2)
    assert seen and "A001" in seen[0].findChild(type(counter.view.title)).text()
    assert state(session, "A001") is TicketState.CALLED
    assert state(session, "A002") is TicketState.WAITING
    seen = answer_dialog(qtbot, OutcomeDialog, Qt.Key_Return)  # Enter from habit: the default
    key(qtbot, counter, Qt.Key_F2)
    assert seen and state(session, "A001") is TicketState.CALLED


def test_f2_then_f6_counts_served_and_f2_then_f4_absent(qtbot, counter, session):
    key(qtbot, counter, Qt.Key_F2)
    answer_dialog(qtbot, OutcomeDialog, Qt.Key_F6)
    key(qtbot, counter, Qt.Key_F2)
    assert state(session, "A001") is TicketState.DONE
    assert counter.current.label == "A002"
    answer_dialog(qtbot, OutcomeDialog, Qt.Key_F4)
    key(qtbot, counter, Qt.Key_F2)
    assert state(session, "A002") is TicketState.NO_SHOW
    assert counter.current.label == "A003"
    assert counter.view.undo.isVisible()  # absent through the question: undo offered too


def test_f4_shows_undo_for_a_while_and_ctrl_z_brings_the_citizen_back(qtbot, counter, session):
    key(qtbot, counter, Qt.Key_F2)
    key(qtbot, counter, Qt.Key_F4)
    assert state(session, "A001") is TicketState.NO_SHOW
    assert counter.view.undo.isVisible() and "A001" in counter.view.message.text()
    key(qtbot, counter, Qt.Key_Z, Qt.ControlModifier)
    assert state(session, "A001") is TicketState.WAITING
    assert not counter.view.undo.isVisible()
    assert "A001" in counter.waiting_labels()
    key(qtbot, counter, Qt.Key_F2)
    assert counter.current.label == "A001"  # first again: the place is kept
    key(qtbot, counter, Qt.Key_F4)
    qtbot.waitUntil(lambda: not counter.view.undo.isVisible(), timeout=3000)
    key(qtbot, counter, Qt.Key_Z, Qt.ControlModifier)  # too late: nothing happens
    assert state(session, "A001") is TicketState.NO_SHOW


def test_f8_brings_back_a_citizen_absent_minutes_ago(qtbot, counter, session, clock):
    from datetime import timedelta

    key(qtbot, counter, Qt.Key_F2)
    key(qtbot, counter, Qt.Key_F4)
    clock.now += timedelta(minutes=2)
    seen = answer_dialog(qtbot, RestoreDialog, Qt.Key_Return)
    key(qtbot, counter, Qt.Key_F8)
    assert seen and seen[0].tickets.count() == 1
    assert state(session, "A001") is TicketState.WAITING
    assert "trở lại hàng chờ" in counter.view.message.text()


def test_the_counter_selector_never_takes_keyboard_focus(qtbot, counter, session):
    picker = counter.view.counter_picker
    assert picker.focusPolicy() == Qt.NoFocus
    key(qtbot, counter, Qt.Key_F2)
    for pressed in (Qt.Key_Tab, Qt.Key_Down, Qt.Key_Down, Qt.Key_Up, Qt.Key_PageDown):
        qtbot.keyClick(QApplication.focusWidget() or counter, pressed)
        assert not picker.hasFocus()
    assert session.counter == 1 and picker.currentData() == 1
    assert state(session, "A001") is TicketState.CALLED


def test_moving_counter_with_a_called_citizen_asks_first(qtbot, counter, session):
    key(qtbot, counter, Qt.Key_F2)
    picker = counter.view.counter_picker
    answer_dialog(qtbot, ConfirmDialog, Qt.Key_Return)  # the default: stay
    picker.setCurrentIndex(picker.findData(2))  # as a mouse pick would
    assert session.counter == 1 and picker.currentData() == 1


def test_a_store_that_cannot_write_is_one_vietnamese_line_not_a_traceback(
    qtbot, counter, session, caplog
):
    """A disk gone read-only under the clerk's F2: the call is not made, the clerk reads one
    Vietnamese sentence, and the details go to the log only."""
    session.store.conn.execute("PRAGMA query_only = ON")  # every write now fails in SQLite
    try:
        key(qtbot, counter, Qt.Key_F2)
    finally:
        session.store.conn.execute("PRAGMA query_only = OFF")
    shown = counter.view.message.label.text()
    assert shown.startswith("Không thực hiện được do lỗi không mong đợi; không có gì bị ghi dở")
    assert "readonly" not in shown and "Traceback" not in shown
    assert any("operation failed" in r.message for r in caplog.records)
    assert counter.current is None and counter.waiting_labels() == ["A001", "A002", "A003"]
    assert state(session, "A001") is TicketState.WAITING
