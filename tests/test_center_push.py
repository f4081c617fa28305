"""Push, not poll: another PC's ticket and call reach a window as they are published, the
catch-up after a push reads nothing already applied, and a revoked station's windows say
so. Real nats-server under `hub start`, real station processes (the command line) beside
the windows of this process."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from counter_app.center.lab import cli, stream_counts
from counter_app.center.link import CenterLink
from counter_app.core.clock import system_now
from counter_app.core.errors import DomainError
from counter_app.core.roles import Actor, Role
from counter_app.services import queue
from counter_app.services.station import load_station
from counter_app.store import open_store
from counter_app.ui.counter import CounterWidget
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from counter_app.ui.status_bar import StationStatusBar

HOUR_MS = 3_600_000


def _window_session(folder, actor=None) -> tuple[Session, object]:
    """A station's session whose center watch makes its first turn and then no other for
    an hour: whatever reaches its windows afterwards came by push."""
    store = open_store(folder)
    session = Session(store, clock=system_now, actor=actor, data_dir=str(folder))
    watch = session.center()
    watch.poll_ms = HOUR_MS
    watch.timer.setInterval(HOUR_MS)
    return session, store


def _turns(watch) -> list:
    turns: list = []
    watch.state_changed.connect(turns.append)
    return turns


def _close(session, store, *widgets) -> None:
    """The windows go before their store closes: none of their timers may fire after."""
    from PySide6.QtCore import QTimer

    session.close()
    for widget in widgets:
        widget.close()
        for timer in widget.findChildren(QTimer):
            timer.stop()
    store.close()


def test_a_ticket_and_a_call_reach_other_windows_by_push(qtbot, qapp, center):
    from counter_app.ui.display import DisplayWidget

    kiosk = center.join("kiosk", "kiosk")
    counter_dir = center.join("c1", "counter")
    board_dir = center.join("board", "display")
    make_app("vi")
    desk, desk_store = _window_session(counter_dir, Actor("admin", Role.ADMIN))
    board_session, board_store = _window_session(board_dir)
    spoken: list[str] = []

    class Voice:
        def announce(self, text: str, **_call) -> str:
            spoken.append(text)
            return "test"

    counter = CounterWidget(desk)
    board = DisplayWidget(board_session, announcer=Voice())
    for widget in (counter, board):
        qtbot.addWidget(widget)
        widget.show()
    watches = (desk.center(), board_session.center())
    turns = [_turns(w) for w in watches]
    for watch, made in zip(watches, turns, strict=True):  # caught up, then following
        qtbot.waitUntil(lambda w=watch, m=made: bool(m) and w.link.following(), timeout=30_000)
    first = [len(t) for t in turns]

    cli(kiosk, "ticket", "take", "--group", "A")
    qtbot.waitUntil(lambda: counter.waiting_labels() == ["A001"], timeout=10_000)
    counter.activateWindow()
    qtbot.waitUntil(counter.isActiveWindow)
    qtbot.keyClick(counter, Qt.Key_F2)  # published at once, not at a turn that never comes
    assert counter.current is not None and counter.current.label == "A001"
    qtbot.waitUntil(lambda: spoken == ["Mời số A001 đến quầy số 1"], timeout=10_000)
    assert board.call.text() == "Mời số A001 đến quầy số 1"
    assert [len(t) for t in turns] == first  # no turn ran meanwhile: the push carried both
    _close(desk, desk_store, counter)
    _close(board_session, board_store, board)


def test_a_kiosk_ticket_goes_out_while_the_windows_refresh(qtbot, qapp, center):
    """The center hears of the kiosk's ticket while its windows still refresh from it (a
    slow refresh here holds the UI thread 5 s), not after them."""
    from counter_app.ui.kiosk import KioskWidget

    kiosk_dir = center.join("kiosk", "kiosk")
    make_app("vi")
    session, store = _window_session(kiosk_dir)
    kiosk = KioskWidget(session)
    qtbot.addWidget(kiosk)
    kiosk.show()
    watch, made = session.center(), []
    watch.state_changed.connect(made.append)
    qtbot.waitUntil(lambda: bool(made) and watch.link.following(), timeout=30_000)
    before = stream_counts(center)["messages"]
    heard_during_refresh: list[bool] = []

    def slow_refresh(_changes) -> None:
        deadline = time.monotonic() + 5
        while stream_counts(center)["messages"] == before and time.monotonic() < deadline:
            time.sleep(0.05)
        heard_during_refresh.append(stream_counts(center)["messages"] > before)

    session.changed.connect(slow_refresh)
    kiosk.take("A")
    assert heard_during_refresh == [True]
    _close(session, store, kiosk)


def test_the_catch_up_after_a_push_reads_nothing_already_applied(center):
    kiosk = center.join("kiosk", "kiosk")
    counter_dir = center.join("c1", "counter")
    cli(kiosk, "ticket", "take", "--group", "A")  # something to catch up on first
    store = open_store(counter_dir)
    link = CenterLink(store, load_station(store), timeout=2.0)
    pushed: list[int] = []
    try:
        first = link.sync()
        assert first.reachable and first.read >= 1 and first.applied == 1
        before = stream_counts(center)["messages"]
        assert link.follow(pushed.append)
        for _ in range(3):
            cli(kiosk, "ticket", "take", "--group", "A")
        new = stream_counts(center)["messages"] - before
        deadline = time.monotonic() + 10
        while link._follower.applied < new and time.monotonic() < deadline:
            time.sleep(0.05)
        assert link._follower.received == new and link._follower.applied == new
        assert sum(pushed) == 3  # three tickets of another station changed the replica
        assert store.center.position() == stream_counts(center)["messages"]
        again = link.sync(publish=False)
        # the catch-up starts from the stored position: nothing read, nothing applied twice
        assert again.reachable and again.read == 0 and again.applied == 0
        assert store.query_one("SELECT count(*) FROM tickets")[0] == 4
    finally:
        link.close()
        store.close()


def test_a_revoked_station_s_windows_say_so(qtbot, qapp, center):
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
    qtbot.waitUntil(lambda: "Đã nối trung tâm" in bar.center.text(), timeout=15_000)
    cli(kiosk, "ticket", "take", "--group", "A")
    qtbot.waitUntil(lambda: counter.waiting_labels() == ["A001"], timeout=10_000)
    cli(center.hub_dir, "hub", "revoke", store.settings.get("center")["user"])
    # the hub reloads nats-server's users: the window's link is cut and its next contact
    # refused, which is not a cut but a revocation
    qtbot.waitUntil(lambda: "đã bị thu hồi khỏi trung tâm" in bar.center.text(), timeout=20_000)
    assert "Mất kết nối" not in bar.center.text()
    assert "tham gia lại bằng mã mới" in bar.center.toolTip()
    assert bar.currentMessage().startswith("Máy này đã bị thu hồi khỏi trung tâm (lúc ")
    outbox = store.query_one("SELECT count(*) FROM center_outbox")[0]
    counter.activateWindow()
    qtbot.waitUntil(counter.isActiveWindow)
    qtbot.keyClick(counter, Qt.Key_F2)  # the same truth as the command line: it stopped
    assert "Máy này đã bị thu hồi khỏi trung tâm" in counter.view.message.text()
    assert counter.current is None
    with pytest.raises(DomainError) as refused:  # a kiosk's ticket too: no shared write
        queue.take_ticket(session.ctx(), group="A")
    assert refused.value.code == "center.revoked"
    assert store.query_one("SELECT count(*) FROM center_outbox")[0] == outbox
    _close(session, store, counter, bar)
