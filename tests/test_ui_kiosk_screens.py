"""The kiosk on the four screens communes have, checked from widget geometry, and what it
tells the citizen about the slip (only "take your slip" once the printer took it)."""

from __future__ import annotations

import os
import threading

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from counter_app.core.roles import Actor, Role
from counter_app.services import admin
from counter_app.ui.kiosk import KioskWidget
from counter_app.ui.kiosk_view import TOUCH_MIN_PX
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.conftest import make_ctx

SCREENS = [(1366, 768), (1920, 1080), (1080, 1920), (1024, 600)]


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    s = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    yield s
    s.close()


@pytest.fixture
def kiosk(qtbot, session):
    widget = KioskWidget(session)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def take(qtbot, kiosk, letter: str) -> None:
    """A citizen with no priority: the group, then "Không, lấy số thường" when asked."""
    qtbot.mouseClick(kiosk.group_buttons[letter], Qt.LeftButton)
    qtbot.mouseClick(kiosk.view.ask_none, Qt.LeftButton)


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def visible_widgets(top: QWidget) -> list[QWidget]:
    return [w for w in top.findChildren(QWidget) if w.isVisibleTo(top) and w.isVisible()]


def layout_faults(top: QWidget) -> list[str]:
    """Every visible widget clipped by its parent, overlapping a sibling, or cut text."""
    faults = []
    widgets = visible_widgets(top)
    for w in widgets:
        name = w.objectName() or type(w).__name__ + ":" + (getattr(w, "text", lambda: "")())
        parent = w.parentWidget()
        if parent is not None and not parent.rect().contains(w.geometry()):
            faults.append(f"clipped by its parent: {name} {w.geometry()} in {parent.rect()}")
        if isinstance(w, QLabel) and w.text():
            if w.wordWrap():
                needed = w.heightForWidth(w.contentsRect().width())
                if needed > w.contentsRect().height() + 1:
                    faults.append(f"text cut: {name} needs {needed}px, has {w.height()}")
            elif w.fontMetrics().horizontalAdvance(w.text()) > w.contentsRect().width():
                faults.append(f"text cut: {name}")
        if isinstance(w, QAbstractButton) and w.text():
            hint = w.sizeHint()
            if hint.width() > w.width() or hint.height() > w.height() + 1:
                faults.append(f"button text cut: {name} needs {hint}, has {w.size()}")
    by_parent: dict[int, list[QWidget]] = {}
    for w in widgets:
        by_parent.setdefault(id(w.parentWidget()), []).append(w)
    for siblings in by_parent.values():
        for i, a in enumerate(siblings):
            for b in siblings[i + 1 :]:
                overlap = a.geometry().intersected(b.geometry())
                if not overlap.isEmpty() and a.parentWidget() is b.parentWidget():
                    faults.append(f"overlap: {type(a).__name__} and {type(b).__name__}")
    return faults


def touch_faults(top: QWidget) -> list[str]:
    return [
        f"touch target too small: {b.text()!r} {b.size()}"
        for b in top.findChildren(QAbstractButton)
        if b.isVisible() and min(b.width(), b.height()) < TOUCH_MIN_PX
    ]


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_kiosk_page_lays_out_on_the_screen(qtbot, kiosk, size):
    kiosk.resize(*size)
    settle()
    v = kiosk.view
    screen = QRect(0, 0, *size)
    pages = {"home": v.home, "lookup": v.lookup_page}
    for name, page in pages.items():
        v.pages.setCurrentWidget(page)
        settle()
        assert kiosk.size().toTuple() == size, name  # not grown past the screen
        assert screen.contains(QRect(v.mapTo(kiosk, v.rect().topLeft()), v.size())), name
        assert layout_faults(kiosk) == [], name
        assert touch_faults(kiosk) == [], name
    v.pages.setCurrentWidget(v.home)
    qtbot.mouseClick(kiosk.group_buttons["D"], Qt.LeftButton)  # no priority yet: asked
    settle()
    assert v.pages.currentWidget() is v.ask_page
    assert layout_faults(kiosk) == [] and touch_faults(kiosk) == [], "asked about priority"
    qtbot.mouseClick(v.ask_back, Qt.LeftButton)
    # the longest priority caption chosen (its banner shown), then the longest group name
    qtbot.mouseClick(kiosk.priority_buttons["veteran"], Qt.LeftButton)
    settle()
    assert layout_faults(kiosk) == [] and touch_faults(kiosk) == [], "priority chosen"
    qtbot.mouseClick(kiosk.group_buttons["D"], Qt.LeftButton)
    settle()
    assert "Ưu tiên" in v.ticket_group.text()
    assert v.pages.currentWidget() is v.ticket_page
    assert layout_faults(kiosk) == [] and touch_faults(kiosk) == []


def test_one_kiosk_turned_from_screen_to_screen_always_fits(qtbot, kiosk):
    # A big screen's layout must not hold the window at its size on a smaller one.
    for size in (SCREENS[1], SCREENS[2], SCREENS[3], SCREENS[0], SCREENS[3]):
        kiosk.resize(*size)
        settle()
        assert kiosk.size().toTuple() == size
        assert layout_faults(kiosk) == [], size


def test_portrait_fills_the_screen_and_stacks_the_tiles(qtbot, kiosk):
    kiosk.resize(1080, 1920)
    settle()
    tiles = list(kiosk.group_buttons.values())
    assert len({t.x() for t in tiles}) == 1  # one column
    # the priority choices come last on the home screen, under the groups and the look-up
    last = list(kiosk.priority_buttons.values())[-1]
    bottom = last.mapTo(kiosk, last.rect().bottomLeft()).y()
    assert bottom > 1920 * 0.9  # no empty half...
    assert sum(t.height() for t in tiles) > 1920 * 0.5  # ...nor tiles lost in empty space


def test_the_kiosk_speaks_politely(qtbot, kiosk):
    texts = [w.text() for w in kiosk.findChildren(QLabel)]
    texts += [b.text() for b in kiosk.findChildren(QAbstractButton)]
    take(qtbot, kiosk, "A")
    qtbot.mouseClick(kiosk.view.ticket_done, Qt.LeftButton)
    take(qtbot, kiosk, "A")  # "... trước Quý khách"
    texts += [w.text() for w in kiosk.findChildren(QLabel)]
    words = " ".join(texts).lower().split()
    assert "bạn" not in words
    assert "Quý khách" in kiosk.view.ticket_ahead.text()


def set_printer(store, clock, station, url: str) -> None:
    admin.save_settings(make_ctx(store, clock, station, Role.ADMIN, "admin"),
                        printers={"quay1": url, "default": "quay1"})  # fmt: skip


def test_take_your_slip_only_once_the_printer_took_it(qtbot, session, store, clock, station,
                                                       tmp_path):  # fmt: skip
    out = tmp_path / "kiosk.bin"
    set_printer(store, clock, station, f"file://{out}")
    kiosk = KioskWidget(session)
    qtbot.addWidget(kiosk)
    kiosk.show()
    printing = session.printing()
    qtbot.waitUntil(lambda: printing.state.configured, timeout=5000)
    with qtbot.waitSignal(printing.printed, timeout=10_000):
        take(qtbot, kiosk, "A")
        assert "Vui lòng nhận phiếu" not in kiosk.view.ticket_hint.text()  # not yet printed
    assert out.stat().st_size > 0
    assert kiosk.view.ticket_hint.text().startswith("Vui lòng nhận phiếu")


def test_a_printer_that_does_not_answer_means_remember_the_number(
    qtbot, session, store, clock, station
):
    set_printer(store, clock, station, "tcp://127.0.0.1:9?timeout=0.5")  # nobody listens
    kiosk = KioskWidget(session)
    qtbot.addWidget(kiosk)
    kiosk.show()
    printing = session.printing()
    qtbot.waitUntil(lambda: printing.state.configured, timeout=5000)
    take(qtbot, kiosk, "A")
    qtbot.waitUntil(lambda: "ghi nhớ số A001" in kiosk.view.ticket_hint.text(), timeout=10_000)
    assert "nhận phiếu" not in kiosk.view.ticket_hint.text()


def test_no_word_from_the_printer_in_time_means_remember_the_number(
    qtbot, session, store, clock, station, tmp_path, monkeypatch
):
    monkeypatch.setattr("counter_app.ui.kiosk.PRINT_WAIT_MS", 1)
    # A printer that takes the bytes only when the test says so: writing to a named pipe
    # blocks until someone reads it, so the slip is late however fast the machine is.
    pipe = tmp_path / "kiosk.bin"
    os.mkfifo(pipe)
    set_printer(store, clock, station, f"file://{pipe}")
    kiosk = KioskWidget(session)
    qtbot.addWidget(kiosk)
    kiosk.show()
    printing = session.printing()
    qtbot.waitUntil(lambda: printing.state.configured, timeout=5000)
    paper_out = threading.Thread(target=pipe.read_bytes, daemon=True)
    try:
        take(qtbot, kiosk, "A")
        qtbot.waitUntil(lambda: "ghi nhớ số A001" in kiosk.view.ticket_hint.text())
        with qtbot.waitSignal(printing.printed, timeout=10_000):
            paper_out.start()
    finally:
        if paper_out.ident is None:  # a failed step never leaves the print thread stuck
            paper_out.start()
    assert "ghi nhớ số A001" in kiosk.view.ticket_hint.text()  # a late slip changes nothing


def test_no_printer_at_all_means_remember_the_number(qtbot, kiosk):
    take(qtbot, kiosk, "B")
    assert kiosk.view.ticket_hint.text() == (
        "Quý khách hãy ghi nhớ số B001 và chờ đến khi số được gọi trên màn hình."
    )


def test_the_code_field_takes_keypad_input(qtbot, kiosk):
    qtbot.mouseClick(kiosk.view.lookup, Qt.LeftButton)
    for key in ("2", "6", "-"):
        qtbot.mouseClick(kiosk.view.keys[key], Qt.LeftButton)
    assert kiosk.view.code.text().endswith("-26-")
    assert isinstance(kiosk.view.code, QLineEdit)


@pytest.mark.parametrize("size", [(1366, 768), (1080, 1920), (1024, 600)])
def test_the_keypad_is_a_phones_with_1_2_3_on_top(qtbot, kiosk, size):
    """Issue 20: 1..7 then 8..⌫ in two long rows read like no keypad anyone knows."""
    kiosk.resize(*size)
    kiosk.show()
    qtbot.mouseClick(kiosk.view.lookup, Qt.LeftButton)
    QApplication.processEvents()
    view = kiosk.view
    where = {key: button.geometry().center() for key, button in view.keys.items()}
    where["⌫"] = view.backspace.geometry().center()
    rows = [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]]
    for upper, lower in zip(rows, rows[1:], strict=False):  # 1-2-3 on top
        assert all(where[a].y() < where[b].y() for a, b in zip(upper, lower, strict=True))
    for row in rows:
        assert where[row[0]].x() < where[row[1]].x() < where[row[2]].x()
        assert len({where[key].y() for key in row}) == 1
    assert where["0"].x() == where["8"].x() and where["0"].y() > where["8"].y()  # 0 under 8
