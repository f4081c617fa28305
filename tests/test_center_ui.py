"""The counter window of a center station: another station's ticket appears on its own,
F2 claims it, and a dead hub shows in the status bar while work goes on."""

from __future__ import annotations

from PySide6.QtCore import Qt

from counter_app.center.lab import Center, cli
from counter_app.core.clock import system_now
from counter_app.core.roles import Actor, Role
from counter_app.store import open_store
from counter_app.ui.counter import CounterWidget
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from counter_app.ui.status_bar import StationStatusBar


def test_counter_window_follows_the_center_and_shows_a_dead_hub(qtbot, qapp, tmp_path):
    center = Center(tmp_path)
    center.start_hub()
    store = None
    try:
        kiosk = center.join("kiosk", "kiosk")
        counter_dir = center.join("c1", "counter")
        make_app("vi")
        store = open_store(counter_dir)
        session = Session(
            store, clock=system_now, actor=Actor("admin", Role.ADMIN), data_dir=str(counter_dir)
        )
        counter = CounterWidget(session)
        bar = StationStatusBar(session)
        for widget in (counter, bar):
            qtbot.addWidget(widget)
            widget.show()
        cli(kiosk, "ticket", "take", "--group", "A")
        # sooner than the window's own 5 s poll: the center link tells it
        qtbot.waitUntil(lambda: counter.waiting_labels() == ["A001"], timeout=4_000)
        qtbot.waitUntil(lambda: "Đã nối trung tâm" in bar.center.text(), timeout=5_000)
        counter.activateWindow()
        qtbot.waitUntil(counter.isActiveWindow)
        qtbot.keyClick(counter, Qt.Key_F2)
        assert counter.current is not None and counter.current.label == "A001"

        assert not bar.link.isVisible()  # the portal is the hub's business, not this PC's
        center.kill_hub()
        qtbot.waitUntil(lambda: "Mất kết nối trung tâm từ" in bar.center.text(), timeout=15_000)
        _close(session, counter, bar)
    finally:
        if store is not None:
            store.close()
        center.close()


def test_the_board_of_a_center_announces_a_call_made_at_another_pc(qtbot, qapp, tmp_path):
    from counter_app.ui.display import DisplayWidget

    center = Center(tmp_path)
    center.start_hub()
    store = None
    try:
        kiosk = center.join("kiosk", "kiosk")
        counter = center.join("c1", "counter")
        board_dir = center.join("board", "display")
        make_app("vi")
        store = open_store(board_dir)
        session = Session(store, clock=system_now, data_dir=str(board_dir))
        spoken: list[str] = []

        class Voice:
            def announce(self, text: str, **_call) -> str:
                spoken.append(text)
                return "test"

        board = DisplayWidget(session, announcer=Voice())
        qtbot.addWidget(board)
        board.show()
        session.center()
        cli(kiosk, "ticket", "take", "--group", "A")
        cli(counter, "queue", "call-next", "--counter", "1")  # the hub gave it counter 1
        qtbot.waitUntil(lambda: spoken == ["Mời số A001 đến quầy số 1"], timeout=10_000)
        assert board.call.text() == "Mời số A001 đến quầy số 1"
        _close(session, board)
    finally:
        if store is not None:
            store.close()
        center.close()


def _close(session, *widgets) -> None:
    """The windows go before their store closes: none of their timers may fire after."""
    from PySide6.QtCore import QTimer

    session.close()
    for widget in widgets:
        widget.close()
        for timer in widget.findChildren(QTimer):
            timer.stop()
