"""Starting the program: the window first, then the store, then the data.

`counter-app` and `counter-app demo` end here. The station window is shown before the store
is opened (and, for the demo, before the demo data is made), so something appears at once.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

ROLES = ("all-in-one", "counter", "kiosk", "display")
LISTEN_DELAY_MS = 1000  # see run(): the one-instance socket listens this long after the window
# The station window listens as a step of its preparation behind the login, so that it does
# not fall on the clerk's Enter (the first-run wizard's start listens when the wizard opens);
# this later timer is for a start whose store did not open.
STATION_LISTEN_DELAY_MS = 3000
START_COLLECTION_HELD_MS = 60_000  # the longest the collector is held if nobody signs in


def _language(lang: str | None, data_dir: Path) -> str:
    """The language asked for (--lang, COUNTER_APP_LANG), else the one chosen in Settings
    for this data folder, else Vietnamese."""
    if lang:
        return lang
    from counter_app.preferences import stored_language

    return stored_language(data_dir) or "vi"


def run(
    *,
    data_dir: Path,
    role: str = "all-in-one",
    fullscreen: bool = False,
    lang: str | None = None,
    demo: bool = False,
    clock: Callable[[], datetime] | None = None,
) -> int:
    started = time.perf_counter()
    resume_collection = _hold_collection()
    from counter_app.qt_process import StartProbe

    probe_start = StartProbe()  # runs while the window's modules load
    from counter_app.ui.qtapp import make_app

    probe_start.check()  # Qt would abort this process; a clear message instead
    app = make_app(_language(lang, data_dir))
    from counter_app.ui.single_instance import InstanceGuard, claim

    guard = claim(data_dir)
    if not isinstance(guard, InstanceGuard):
        return _already_open(answered=guard)
    probe = _Probe.from_env(started)
    if role in ("kiosk", "display"):
        window = _open_screen(role, data_dir, clock or _system_clock())
        if window is None:
            return 1
    else:
        from counter_app.ui.shell import StationWindow

        window = StationWindow(role=role)
        window.resize(1366, 768)
        if probe:
            window.page_shown.connect(lambda key: probe.page(window, key))
        window.page_shown.connect(resume_collection)  # after its paint: queued behind it
    if role == "display":
        from counter_app.ui.display import show_board

        show_board(window, fullscreen=fullscreen)  # on the TV when the PC has two screens
    elif fullscreen:
        window.showFullScreen()
    else:
        window.show()
    _paint_now(window)
    if probe:
        probe.first_paint(window)
    listen_after = LISTEN_DELAY_MS
    if role not in ("kiosk", "display"):
        clock = clock or _system_clock()
        _load_later(window, data_dir=data_dir, demo=demo, clock=clock, probe=probe,
                    then=lambda: guard.attach(window))  # fmt: skip
        listen_after = STATION_LISTEN_DELAY_MS
    # Listening needs QtNetwork (~20 ms of imports and enums): after the window, off the way
    # to the counter page; a second start asking meanwhile retries for 5 s.
    from PySide6.QtCore import QTimer

    QTimer.singleShot(listen_after, lambda: guard.attach(window))
    QTimer.singleShot(START_COLLECTION_HELD_MS, resume_collection)  # nobody signed in
    app.aboutToQuit.connect(lambda: _stop_background(window))
    app.aboutToQuit.connect(guard.release)
    return app.exec()


def _hold_collection() -> Callable[[], None]:
    """Python's cycle collector held while the program starts, and a way to resume it on the
    window's thread only (ui/collector.py says why only there).

    A start makes hundreds of thousands of objects that live as long as the program
    (modules, classes, the dataclasses' generated methods, widgets); the collector, run
    every 700 allocations, walked them some 70 times before the counter was painted, for
    nothing. It resumes once the page shown on signing in has painted (or after a while if
    nobody signs in), and what the start made is frozen out of later collections (gc.freeze).
    """
    import gc

    gc.disable()
    held = [True]

    def resume(*_args) -> None:
        if held[0]:
            held[0] = False
            gc.freeze()
            from PySide6.QtWidgets import QApplication

            from counter_app.ui.collector import WindowThreadCollector

            WindowThreadCollector(QApplication.instance()).start()

    def resume_later(*_args) -> None:  # the page's paint comes first
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, resume)

    return resume_later


def _paint_now(window) -> None:
    """The window on screen before anything else is loaded or started: left to the event
    loop, its paint would wait behind the work queued meanwhile (the store's thread, the
    `Qt` namespace's enums the relay below reads)."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    window.repaint()


def _already_open(*, answered: bool) -> int:
    """A second start on the same data folder: the running window came forward (or did not
    answer); either way this start opens nothing."""
    from PySide6.QtCore import QCoreApplication

    if answered:
        text = QCoreApplication.translate(
            "Launcher",
            "Chương trình đã mở trên thư mục dữ liệu này; cửa sổ đang chạy được đưa lên trước.",
        )
    else:
        text = QCoreApplication.translate(
            "Launcher",
            "Chương trình đang mở trên thư mục dữ liệu này nhưng không trả lời. "
            "Hãy đóng nó (hoặc khởi động lại máy) rồi mở lại.",
        )
    print(text, file=sys.stderr)
    if not answered and display_available():
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, "counter-app", text)
    return 0 if answered else 1


def _system_clock() -> Callable[[], datetime]:
    from counter_app.core.clock import system_now  # after the first paint where possible

    return system_now


def _stop_background(window) -> None:
    """Let the printing and housekeeping threads finish their task and close their stores."""
    session = getattr(window, "session", None) or getattr(window, "_session_ref", None)
    if session is not None:
        session.close()


def _open_screen(role: str, data_dir: Path, clock):
    from counter_app.core.errors import DomainError
    from counter_app.store import open_store
    from counter_app.ui.session import Session
    from counter_app.ui.shell import make_screen

    store = open_store(data_dir)
    try:
        session = Session(store, clock=clock, data_dir=str(data_dir))
    except DomainError as error:
        from counter_app.ui.i18n import error_text

        print(error_text(error))
        return None
    window = make_screen(role, session)
    window._session_ref = session  # keep the session alive with its window
    session.center()  # a kiosk or board of a center follows the others' tickets and calls
    return window


def _prefetch_store(data_dir: Path) -> None:
    """On a worker thread, while the first window waits: import the login's services and open
    the store once with the thread's own connection, so that the keys are unlocked (cached
    per process) and the files are warm. The UI thread then opens its own connection cheaply.
    Errors are left for the UI thread's own open to report.

    Only headless modules here: PySide makes a Qt type's Python side the first time a module
    reads its name, and two threads doing that at once can see a half-made type (the UI
    thread once read `QEvent.KeyPress` while this thread was making QEvent). The window's
    own modules are imported on the UI thread."""
    import counter_app.services.accounts  # noqa: F401 (the login)
    from counter_app.services.station import load_station
    from counter_app.store import open_store

    store = open_store(data_dir)
    try:
        if store.settings.get("station") is not None:
            load_station(store)
            store.catalogue.current()
    finally:
        store.close()


def _load_later(
    window, *, data_dir: Path, demo: bool, clock, probe, then: Callable[[], None] = lambda: None
) -> None:
    """Prefetch on a thread (making the demo data first), then open the store on the UI
    thread and attach it to the login; the rest of what signing in shows (the side bar, the
    status bar, the counter page, hidden) is made in short steps while the clerk types
    (StationWindow.prepare), or at once while the password is checked if they sign in
    before. `then`: the preparation's last step."""
    import logging

    from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

    class Relay(QObject):  # delivers the worker's steps on the UI thread
        store_ready = Signal()

        def __init__(self, parent) -> None:
            super().__init__(parent)
            # Emitted from the worker, so queued to the UI thread (AutoConnection).
            self.store_ready.connect(self.open_store)

        @Slot()
        def open_store(self) -> None:
            if open_store_now():
                window.prepare(then=then)

    def open_store_now() -> bool:
        from counter_app.store import open_store
        from counter_app.ui import gateway
        from counter_app.ui.session import Session

        store = open_store(data_dir)
        if store.settings.get("station") is None:
            _first_run(window, store, clock, data_dir)
            then()  # no login to type into: no Enter to keep clear of
            return False
        session = Session(store, clock=clock, data_dir=str(data_dir), demo=demo)
        window.attach_login(session, demo_accounts=gateway.demo_accounts() if demo else None)
        if probe:
            QTimer.singleShot(0, lambda: probe.attached(window))  # the login form paints first
        return True

    relay = Relay(window)
    if demo:
        window.login.center.setText(
            QCoreApplication.translate(
                "Launcher", "Đang chuẩn bị dữ liệu mẫu (lần đầu mất khoảng nửa phút)…"
            )
        )

    def work() -> None:
        log = logging.getLogger(__name__)
        try:
            if demo:
                from counter_app.services.demo import ensure_demo_store

                store, _created = ensure_demo_store(data_dir, now=clock())
                store.close()
            _prefetch_store(data_dir)
        except Exception:  # the UI thread's open reports it properly
            log.debug("prefetch failed", exc_info=True)
        relay.store_ready.emit()

    threading.Thread(target=work, name="prefetch", daemon=True).start()


def _first_run(window, store, clock, data_dir: Path) -> None:
    from counter_app.ui.first_run import FirstRunWidget
    from counter_app.ui.session import Session

    wizard = FirstRunWidget(store, clock=clock)
    window.stack.addWidget(wizard)
    window.stack.setCurrentWidget(wizard)

    def finished(_station) -> None:
        window.stack.setCurrentWidget(window.login)
        window.attach(Session(store, clock=clock, data_dir=str(data_dir)))

    wizard.finished.connect(finished)


class _Probe:
    """For bench/ui_startup.py: sign in with the given account through the real login, time
    the counter's first paint, write the timings as JSON and quit.

    Two clerks. `typing_s` 0: the instant sign-in, the worst case: the name and the password
    set and the button clicked the moment the login is ready (the store open). Otherwise a
    clerk who starts typing at the first paint, as the window accepts keys from then on: the
    name and the password go into their fields a character at a time, spread over
    `typing_s`, then Enter (the password field's `returnPressed`, what the key emits), be the
    store open by then or not. Meanwhile a 10 ms heartbeat on the window's thread measures the
    longest it kept a key waiting (`longest_stall_s`, `longest_key_wait_s`)."""

    HEARTBEAT_MS = 10

    def __init__(
        self, out: Path, user: str, password: str, started: float, typing_s: float = 0.0
    ) -> None:
        self.out, self.user, self.password, self.started = out, user, password, started
        self.typing_s = typing_s  # from the first paint to Enter; 0: the instant sign-in
        self.times: dict[str, float] = {"longest_stall_s": 0.0, "longest_key_wait_s": 0.0}

    @classmethod
    def from_env(cls, started: float) -> _Probe | None:
        out = os.environ.get("COUNTER_APP_UI_PROBE")
        if not out:
            return None
        user, _, password = os.environ.get("COUNTER_APP_UI_PROBE_LOGIN", ":").partition(":")
        typing_s = float(os.environ.get("COUNTER_APP_UI_PROBE_TYPING_S") or 0)
        return cls(Path(out), user, password, started, typing_s)

    def _mark(self, name: str) -> None:
        self.times[name] = time.perf_counter() - self.started
        self.times[f"{name}_wall"] = time.time()

    def first_paint(self, window) -> None:
        """Called once `run` has painted the window: a typing clerk starts now."""
        self._mark("window")
        if self.typing_s:
            self._start_typing(window)

    def _start_typing(self, window) -> None:
        from PySide6.QtCore import QTimer

        login = window.login
        keys = [(login.username, ch) for ch in self.user]
        keys += [(login.password, ch) for ch in self.password]
        began = time.perf_counter()
        every = self.typing_s / (len(keys) + 1)  # the last share: before Enter
        due = [began + every * (i + 1) for i in range(len(keys))]
        last = [began]
        heartbeat = QTimer(window, interval=self.HEARTBEAT_MS)

        def beat() -> None:
            now = time.perf_counter()
            stall = now - last[0] - self.HEARTBEAT_MS / 1000
            self.times["longest_stall_s"] = max(self.times["longest_stall_s"], stall)
            last[0] = now
            while keys and due[0] <= now:
                wait = now - due.pop(0)
                self.times["longest_key_wait_s"] = max(self.times["longest_key_wait_s"], wait)
                field, ch = keys.pop(0)
                field.insert(ch)
            if now - began >= self.typing_s:
                heartbeat.stop()
                self._mark("login_click")
                login.password.returnPressed.emit()  # Enter

        heartbeat.timeout.connect(beat)
        heartbeat.start()

    def attached(self, window) -> None:
        """The login form is ready (store open; the counter page may still be on its way):
        the instant clerk signs in now."""
        self._mark("ready")
        if not self.typing_s:
            self.sign_in(window)

    def sign_in(self, window) -> None:
        window.login.username.setText(self.user)
        window.login.password.setText(self.password)
        self._mark("login_click")
        window.login.submit.click()

    def page(self, window, key: str) -> None:
        """The page shown on signing in: painted as the bare window is (pending events, then
        a paint), with the data the page has by then."""
        if key != "counter":
            return
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        window.pages["counter"].repaint()
        self._mark("counter")
        self.times["login_check_s"] = window.login.last_check_s
        import json

        self.out.write_text(json.dumps(self.times))
        QTimer.singleShot(0, QApplication.instance().quit)


def display_available() -> bool:
    """Whether a window can be shown: a desktop session, not a test or an SSH shell."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform in ("offscreen", "minimal"):
        return False
    if sys.platform in ("win32", "darwin") or platform:
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
