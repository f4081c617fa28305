"""The counter window beyond "next", with real key presses on real widgets: Ctrl+F2 calls the
ticket selected in the waiting list with a reason, F9 pauses and resumes, F5 sends a citizen
to a named counter, the visit timer ticks (and stops when hidden), long waits are coloured."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from counter_app.core.counter_desk import WAIT_AMBER_MINUTES, WAIT_RED_MINUTES
from counter_app.core.queue import TicketState
from counter_app.ui import gateway
from counter_app.ui.counter_dialogs import CallReasonDialog, PauseDialog, TransferDialog
from tests.test_ui_counter_keys import answer_dialog, key, state
from tests.test_ui_counter_keys import counter as counter  # noqa: F401 (fixture)
from tests.test_ui_counter_keys import session as session  # noqa: F401 (fixture)


def in_dialog(qtbot, kind, *keys) -> list:
    """Press `keys` (key or (key, modifier)) in turn on the focused widget of the next
    dialog of type `kind` found among the top-level widgets."""
    seen = []

    def press() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        if not shown:
            QTimer.singleShot(20, press)
            return
        dialog = shown[-1]
        focused = QApplication.focusWidget()
        if not dialog.isActiveWindow() or focused is None or not dialog.isAncestorOf(focused):
            QTimer.singleShot(20, press)  # a busy machine: keys go where the clerk looks
            return
        seen.append(dialog)
        for k in keys:
            k, modifier = k if isinstance(k, tuple) else (k, Qt.NoModifier)
            focused = QApplication.focusWidget()
            target = focused if focused is not None and dialog.isAncestorOf(focused) else dialog
            if isinstance(k, str):
                type_text(target, k)
            else:
                qtbot.keyClick(target, k, modifier)

    QTimer.singleShot(20, press)
    return seen


def type_text(widget, text: str) -> None:
    """Key events carrying each character, as a Vietnamese keyboard (Unikey, an IME) delivers
    them: QTest's keyClicks aborts on letters outside Latin-1, such as "ử"."""
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def select(qtbot, counter, label: str) -> None:
    """Arrow down the waiting list until `label` is the current row."""
    tree = counter.view.queue
    tree.setFocus()
    for _ in range(10):
        item = tree.currentItem()
        if item is not None and item.text(0).startswith(label):
            return
        qtbot.keyClick(tree, Qt.Key_Down)
    raise AssertionError(f"{label} not reached with the arrows")


def test_ctrl_f2_calls_the_selected_ticket_with_the_reason_chosen(qtbot, counter, session):
    key(qtbot, counter, Qt.Key_F2, Qt.ControlModifier)  # nothing selected: says what to do
    assert "Ctrl+F2" in counter.view.message.text()
    select(qtbot, counter, "A003")
    seen = in_dialog(qtbot, CallReasonDialog, Qt.Key_Return)  # the first: elderly came late
    key(qtbot, counter, Qt.Key_F2, Qt.ControlModifier)
    assert seen and counter.current.label == "A003"
    called = gateway.find_ticket(session.ctx(), "A003")
    assert (called.state, called.call_reason) == (TicketState.CALLED, "late_elderly")
    assert "gọi trước lượt" in counter.view.ticket_detail.text()
    assert state(session, "A001") is TicketState.WAITING


def test_other_needs_a_note_and_the_called_citizen_is_asked_about(qtbot, counter, session):
    key(qtbot, counter, Qt.Key_F2)  # A001 called, not yet served
    select(qtbot, counter, "A003")
    reason = in_dialog(qtbot, CallReasonDialog, Qt.Key_Down, Qt.Key_Down, Qt.Key_Return,
                       "Xin sửa giấy hẹn", Qt.Key_Return)  # fmt: skip
    from counter_app.ui.counter_dialogs import OutcomeDialog

    outcome = answer_dialog(qtbot, OutcomeDialog, Qt.Key_F6)
    key(qtbot, counter, Qt.Key_F2, Qt.ControlModifier)
    assert reason and outcome
    called = gateway.find_ticket(session.ctx(), "A003")
    assert (called.call_reason, called.call_note) == ("other", "Xin sửa giấy hẹn")
    assert state(session, "A001") is TicketState.DONE


def test_f9_pauses_with_a_reason_refuses_f2_and_f9_resumes(qtbot, counter, session):
    seen = in_dialog(qtbot, PauseDialog, Qt.Key_Return)  # Nghỉ trưa
    key(qtbot, counter, Qt.Key_F9)
    assert seen and "tạm nghỉ (Nghỉ trưa)" in counter.view.ticket_state.text()
    assert counter.view.pause.text().startswith("Tiếp tục")
    key(qtbot, counter, Qt.Key_F2)
    said = counter.view.message.text()
    assert counter.current is None and "đang tạm nghỉ" in said
    assert "bấm «Tiếp tục»" in said and "counter-app" not in said  # what to do here, no command
    assert state(session, "A001") is TicketState.WAITING
    states = {s.counter: s for s in gateway.counter_states(session.ctx())}
    assert states[1].pause.reason == "lunch"
    key(qtbot, counter, Qt.Key_F9)
    assert counter.view.pause.text().startswith("Tạm nghỉ")
    key(qtbot, counter, Qt.Key_F2)
    assert counter.current.label == "A001"


def test_f5_sends_the_citizen_to_a_named_counter(qtbot, counter, session):
    key(qtbot, counter, Qt.Key_F2)
    seen = in_dialog(qtbot, TransferDialog, (Qt.Key_Tab, Qt.ControlModifier), Qt.Key_Return)
    key(qtbot, counter, Qt.Key_F5)
    assert seen and counter.current is None
    moved = gateway.find_ticket(session.ctx(), "A001")
    assert (moved.state, moved.target_counter) == (TicketState.WAITING, 2)
    assert "quầy số 2" in counter.view.message.text()
    assert "A001 → quầy 2" in [
        counter.view.queue.topLevelItem(0).child(i).text(0)
        for i in range(counter.view.queue.topLevelItem(0).childCount())
    ]
    key(qtbot, counter, Qt.Key_F2)
    assert counter.current.label == "A002"  # counter 1 leaves it to counter 2


def test_visit_timer_ticks_in_minutes_and_seconds_and_stops_when_hidden(
    qtbot, counter, session, clock
):
    assert counter.view.visit_timer.text() == ""
    key(qtbot, counter, Qt.Key_F2)
    clock.now += timedelta(minutes=1, seconds=15)
    qtbot.waitUntil(lambda: counter.view.visit_timer.text().endswith("01:15"), timeout=3000)
    assert counter.timers_running()
    counter.hide()
    assert not counter.timers_running()


@pytest.mark.parametrize(
    ("minutes", "colour"), [(WAIT_AMBER_MINUTES - 1, None), (WAIT_AMBER_MINUTES + 1, "#ffe7a3"),
                            (WAIT_RED_MINUTES + 1, "#f8c4c4")],
)  # fmt: skip
def test_long_waits_are_coloured(qtbot, counter, clock, minutes, colour):
    clock.now += timedelta(minutes=minutes)
    counter.refresh()
    item = counter.view.queue.topLevelItem(0).child(0)
    brush = item.background(2)
    got = brush.color().name() if brush.style() != Qt.NoBrush else None
    assert got == colour


def test_settings_page_sets_the_center_policy_from_the_keyboard(qtbot, qapp, store, clock, station):
    from counter_app.core.roles import Actor, Role
    from counter_app.ui.session import Session
    from counter_app.ui.settings import SettingsWidget
    from counter_app.ui.settings_queue import QueuePolicyPage

    admin = Session(store, clock=clock, actor=Actor("admin", Role.ADMIN), counter=1)
    widget = SettingsWidget(admin)
    qtbot.addWidget(widget)
    widget.show()
    page = next(p for p in widget.pages if isinstance(p, QueuePolicyPage))
    widget.tabs.setCurrentWidget(page)
    assert not page.ratio.isEnabled()
    page.kind.setFocus()
    qtbot.keyClick(page.kind, Qt.Key_Down)  # strict -> ratio
    assert page.ratio.isEnabled() and not page.max_wait.isEnabled()
    page.ratio.setFocus()
    page.ratio.selectAll()
    qtbot.keyClicks(page.ratio, "5")
    qtbot.keyClick(page.save_button, Qt.Key_Space)
    policy = gateway.current_policy(admin.ctx())
    assert (policy.kind.value, policy.ratio) == ("ratio", 5)
    assert "Đã lưu chính sách gọi số" in widget.message.text()


def test_f5_sends_the_citizen_to_a_named_clerk(qtbot, counter, session):
    from counter_app.core.roles import Actor, Role
    from counter_app.services.accounts import add_user

    admin = session.ctx(Actor("admin", Role.ADMIN))
    for name, full in (("canbo1", ""), ("canbo2", "Nguyễn Thị Đường")):
        add_user(admin, username=name, role=Role.CLERK, password="mat-khau-can-bo",
                 full_name=full)  # fmt: skip
    add_user(admin, username="quantri2", role=Role.ADMIN, password="mat-khau-quan-tri")
    key(qtbot, counter, Qt.Key_F2)
    ctrl_tab = (Qt.Key_Tab, Qt.ControlModifier)
    seen = in_dialog(qtbot, TransferDialog, ctrl_tab, ctrl_tab, Qt.Key_Return)
    key(qtbot, counter, Qt.Key_F5)
    assert seen and seen[0].tabs.currentIndex() == 2
    clerks = [seen[0].lists[2].item(i).text() for i in range(seen[0].lists[2].count())]
    # By full name; neither the clerk at this counter nor an admin account (issue 20)
    assert clerks == ["Nguyễn Thị Đường"]
    moved = gateway.find_ticket(session.ctx(), "A001")
    assert (moved.target_clerk, moved.target_counter) == ("canbo2", None)
    assert "cán bộ Nguyễn Thị Đường" in counter.view.message.text()
