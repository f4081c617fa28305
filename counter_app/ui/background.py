"""Work that must not freeze a window: printing, sync, backup, WAL checkpoints.

SQLite connections belong to the thread that opened them, so each worker thread opens its
own store (and, for printing, its own spool) on the same data folder. The unlocked data keys
are shared in-process, so the second store needs no passphrase. Results come back to the
window as Qt signals, which Qt delivers on the UI thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.core.errors import DomainError
from counter_app.core.roles import Actor, Role

log = logging.getLogger(__name__)

# Background duties act as the station itself, recorded as such in the journal.
STATION_ACTOR = Actor("may-tram", Role.ADMIN)
RUN_DUE_MS = 30_000
SYNC_EVERY_MS = 60_000
HOUSEKEEPING_MS = 5 * 60_000
IDLE_SECONDS = 60.0
START_DELAY_MS = 1500


class Worker(QObject):
    """One thread with its own store: runs tasks in order, posts each result back."""

    finished = Signal(str, object, object)  # tag, result, error (an exception or None)

    def __init__(self, data_dir: Path, *, name: str, clock, station, spool: bool = False) -> None:
        super().__init__()
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.station = station
        self.name = name
        self._with_spool = spool
        self._tasks: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self.store = None  # opened by the thread
        self.spool = None
        self.busy = threading.Event()

    def submit(self, tag: str, task: Callable) -> None:
        """`task(worker)` runs on the worker thread; `finished(tag, result, error)` follows."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"counter-app-{self.name}", daemon=True
            )
            self._thread.start()
        self._tasks.put((tag, task))

    def pending(self) -> int:
        return self._tasks.qsize() + int(self.busy.is_set())

    def ctx(self, actor: Actor | None = None):
        from counter_app.services.context import ServiceContext

        return ServiceContext(self.store, self.clock, self.station, actor or STATION_ACTOR)

    def stop(self, timeout: float = 5.0) -> None:
        if self._thread is None:
            return
        self._tasks.put(None)
        self._thread.join(timeout)
        self._thread = None

    def _open(self) -> None:
        from counter_app.store import open_store

        self.store = open_store(self.data_dir)
        if self._with_spool:
            from printers.service import open_spool

            self.spool = open_spool(self.data_dir, clock=self.clock, sealer=self.store.crypto)

    def _run(self) -> None:
        try:
            self._open()
        except Exception as error:  # noqa: BLE001 - reported with every task instead
            log.exception("background %s: cannot open the store", self.name)
            opened: Exception | None = error
        else:
            opened = None
        while True:
            item = self._tasks.get()
            if item is None:
                break
            tag, task = item
            self.busy.set()
            result, error = None, opened
            if opened is None:
                try:
                    result = task(self)
                except Exception as caught:  # noqa: BLE001 - the window shows it
                    log.warning("background %s: %s failed: %r", self.name, tag, caught)
                    error = caught
            self.busy.clear()
            self.finished.emit(tag, result, error)
        for closeable in (self.spool, self.store):
            if closeable is not None:
                closeable.close()


# --- printing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterState:
    configured: bool
    queued: int = 0  # waiting for the printer to come back
    unknown: int = 0  # cut off while printing: a clerk must look at the paper
    failed: int = 0
    # True: the default printer answered just now; False: nothing answered; None: not
    # asked yet, or a transport that cannot be asked without printing
    reachable: bool | None = None

    @property
    def stuck(self) -> int:
        return self.queued + self.unknown + self.failed


def _state(worker: Worker) -> PrinterState:
    from printers.backends import probe
    from printers.spool import FAILED, QUEUED, UNKNOWN

    printers = worker.store.settings.get("printers", {}) or {}
    url = printers.get(printers.get("default") or "")
    configured = bool(printers.get("default"))
    counts = dict(
        worker.spool.conn.execute(
            "SELECT state, count(*) FROM jobs WHERE state IN (?, ?, ?) GROUP BY state",
            (QUEUED, UNKNOWN, FAILED),
        ).fetchall()
    )
    return PrinterState(
        configured,
        counts.get(QUEUED, 0),
        counts.get(UNKNOWN, 0),
        counts.get(FAILED, 0),
        reachable=probe(url) if url else None,
    )


@dataclass(frozen=True)
class Printed:
    """What became of one print request: every job printed, or some still held."""

    title: str
    jobs: list  # printers.spool.Job
    state: PrinterState
    request: str = ""  # who asked, e.g. "intake:<code>", so only they answer the outcome
    error: str = ""  # nothing was spooled: why, in the station's language

    @property
    def ok(self) -> bool:
        from printers.spool import PRINTED

        return bool(self.jobs) and all(j.state == PRINTED for j in self.jobs)


class PrintQueue(QObject):
    """The station's printing: spool first, print at once when the printer answers.

    `configured` is known after the first state report; until then and when no default
    printer is set, windows show the on-screen preview instead.
    """

    state_changed = Signal(object)  # PrinterState
    printed = Signal(object)  # Printed
    failed = Signal(str)  # an error text for the status bar
    stuck_loaded = Signal(object)  # list[Job]

    def __init__(
        self, data_dir: Path, *, clock, station, configured: bool = False, parent=None
    ) -> None:
        super().__init__(parent)
        self.worker = Worker(data_dir, name="printing", clock=clock, station=station, spool=True)
        self.worker.finished.connect(self._finished)
        # Known at once from the settings; the spool's counts follow from the thread, which
        # starts a moment later so the first window is not slowed by its imports.
        self.state = PrinterState(configured=configured)
        self.timer = QTimer(self, interval=RUN_DUE_MS)
        self.timer.timeout.connect(self.run_due)
        self.timer.start()
        QTimer.singleShot(START_DELAY_MS, self, self.refresh)

    # requests (UI thread)
    def refresh(self) -> None:
        self.worker.submit("state", _state)

    def run_due(self) -> None:
        if self.worker.pending():
            return  # the last round is still at the printer

        def task(w: Worker):
            w.spool.run_due()
            return _state(w)

        self.worker.submit("state", task)

    def print_documents(
        self, documents: list, printer: str | None, *, title: str, request: str = ""
    ) -> None:
        """Documents built by the window, to a printer by name or URL (None: the default)."""
        from counter_app.ui.i18n import error_text
        from printers import service

        def task(w: Worker) -> Printed:
            try:
                url = service.resolve_printer(w.ctx(), printer)
            except DomainError as error:
                return Printed(title, [], _state(w), request, error_text(error))
            outcomes = service.print_now(w.spool, list(documents), url)
            return Printed(title, [o.job for o in outcomes], _state(w), request)

        self.worker.submit("printed", task)

    def retry_now(self, job_ids: list[int], *, title: str, request: str = "") -> None:
        """Try these jobs again at once on their printer: a job cut off mid-way goes again
        as a reprint (the spool's own rule), a queued one simply goes."""
        from printers.spool import FAILED, UNKNOWN

        def task(w: Worker) -> Printed:
            for job_id in job_ids:
                if w.spool.get(job_id).state in (FAILED, UNKNOWN):
                    w.spool.retry(job_id)
            for printer in {w.spool.get(job_id).printer for job_id in job_ids}:
                w.spool.run_due(printer=printer, force=True)
            return Printed(title, [w.spool.get(i) for i in job_ids], _state(w), request)

        self.worker.submit("printed", task)

    def print_ticket(self, label: str, actor: Actor, *, title: str) -> None:
        from printers import service

        self._print(title, lambda w: [service.ticket_doc(w.ctx(actor), label)])

    def print_test(self, printer: str, actor: Actor, *, title: str) -> None:
        from printers import service

        def task(w: Worker) -> Printed:
            url = service.resolve_printer(w.ctx(actor), printer)
            outcomes = service.print_now(w.spool, [service.test_doc(w.ctx(actor), url)], url)
            return Printed(title, [o.job for o in outcomes], _state(w))

        self.worker.submit("printed", task)

    def _print(self, title: str, documents: Callable[[Worker], list]) -> None:
        """Documents built on the printing thread (from its own store), to the default."""
        from printers import service

        def task(w: Worker) -> Printed:
            printer = service.resolve_printer(w.ctx(), None)
            outcomes = service.print_now(w.spool, documents(w), printer)
            return Printed(title, [o.job for o in outcomes], _state(w))

        self.worker.submit("printed", task)

    def cancel_if_waiting(self, job_id: int) -> None:
        """Cancel a job that has not printed (queued, failed, or cut off): its paper came
        out of another printer."""
        from printers.spool import FAILED, QUEUED, UNKNOWN

        def task(w: Worker):
            if w.spool.get(job_id).state in (QUEUED, FAILED, UNKNOWN):
                w.spool.cancel(job_id)
            return _state(w)

        self.worker.submit("state", task)

    def load_stuck(self) -> None:
        self.worker.submit("stuck", lambda w: w.spool.stuck())

    def retry(self, job_id: int) -> None:
        def task(w: Worker):
            w.spool.retry(job_id)
            return w.spool.stuck()

        self.worker.submit("stuck", task)

    def cancel(self, job_id: int) -> None:
        def task(w: Worker):
            w.spool.cancel(job_id)
            return w.spool.stuck()

        self.worker.submit("stuck", task)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """For tests and closing: until every submitted task has run."""
        end = time.monotonic() + timeout
        while self.worker.pending() and time.monotonic() < end:
            time.sleep(0.01)

    def stop(self) -> None:
        self.timer.stop()
        self.worker.stop()

    # results (UI thread)
    def _finished(self, tag: str, result, error) -> None:
        if error is not None:
            from counter_app.ui.ops import failure_text

            self.failed.emit(failure_text(error))
            if tag == "stuck":
                self.load_stuck()
            return
        if tag == "stuck":
            self.stuck_loaded.emit(result)
            self.refresh()
            return
        if tag == "printed":
            self._set_state(result.state)
            self.printed.emit(result)
            return
        self._set_state(result)

    def _set_state(self, state: PrinterState) -> None:
        self.state = state
        self.state_changed.emit(state)


# --- housekeeping: checkpoint, daily backup, sync -----------------------------------------


class Housekeeping(QObject):
    """Timers for the WAL checkpoint when idle, the daily backup and sync with the portal."""

    sync_progress = Signal(str, int, int)  # phase ("push"/"pull"), done, total
    sync_done = Signal(object)  # sync.engine.SyncReport, or an error text
    backup_done = Signal(str)  # the backup file
    failed = Signal(str)
    portal_checked = Signal(object)  # services.portal_link.CheckResult, or what stopped it

    def __init__(self, data_dir: Path, *, clock, station, parent=None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.worker = Worker(data_dir, name="housekeeping", clock=clock, station=station)
        self.worker.finished.connect(self._finished)
        self.last_activity = time.monotonic()
        self.syncing = False
        self.timer = QTimer(self, interval=HOUSEKEEPING_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.sync_timer = QTimer(self, interval=SYNC_EVERY_MS)
        self.sync_timer.timeout.connect(lambda: self.sync_now(rounds=1))
        self.sync_timer.start()

    def touched(self, _changes=None) -> None:
        """Someone is working: the checkpoint waits for a quiet minute."""
        self.last_activity = time.monotonic()

    def tick(self) -> None:
        if self.worker.pending():
            return
        if time.monotonic() - self.last_activity >= IDLE_SECONDS:
            self.worker.submit("checkpoint", lambda w: w.store.checkpoint())
        self.backup_if_due()

    def backup_if_due(self) -> None:
        def task(w: Worker):
            from counter_app.services import backup, citizen_data

            ctx = w.ctx()
            citizen_data.retention_if_due(ctx)  # the daily anonymisation of old dossiers
            return str(backup.backup_now(ctx)) if backup.daily_backup_due(ctx) else None

        self.worker.submit("backup", task)

    def sync_now(self, *, rounds: int = 20) -> bool:
        """One sync round (timer) or until idle ("Đồng bộ ngay"); False when not configured
        or a round is already running."""
        if self.syncing:
            return False

        def task(w: Worker):
            url = ((w.store.settings.get("sync", {}) or {}).get("portal_url") or "").strip()
            if not url:
                return None
            from sync.dialects import make_engine

            engine = make_engine(  # the center's dialect, as the command line uses
                w.store,
                self.data_dir,
                url,
                clock=w.clock,
                progress=self.sync_progress.emit,
                ctx=w.ctx(),  # a motcua round also refills the day's code pool
            )
            if rounds == 1:
                return engine.run_once()
            return engine.run_until_idle(max_rounds=rounds, give_up_unreachable=True)

        self.syncing = True
        self.worker.submit("sync", task)
        return True

    def check_portal(self, form, secret: str, actor: Actor) -> None:
        """Settings' "Kiểm tra kết nối": one login with the form's values, off the UI thread
        (a dead address takes seconds to give up on)."""

        def task(w: Worker):
            from counter_app.services.portal_link import check_portal
            from sync.portal_port import DIALECT_PORTAL

            return check_portal(
                w.ctx(actor), self.data_dir, form, portal=DIALECT_PORTAL, secret=secret
            )

        self.worker.submit("portal_check", task)

    def stop(self) -> None:
        self.timer.stop()
        self.sync_timer.stop()
        self.worker.stop()

    def _finished(self, tag: str, result, error) -> None:
        if tag == "sync":
            self.syncing = False
        if tag == "portal_check":
            self.portal_checked.emit(error if error is not None else result)
            return
        if error is not None:
            from counter_app.ui.ops import failure_text

            text = failure_text(error)
            self.failed.emit(text)
            if tag == "sync":
                self.sync_done.emit(text)
            return
        if tag == "sync" and result is not None:
            self.sync_done.emit(result)
        elif tag == "backup" and result:
            self.backup_done.emit(result)
