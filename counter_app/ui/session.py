"""What every window of one station shares: the store, the clock, the station, the user.

Passed to each widget explicitly (no global application object). `changed` is the one
refresh signal: every write of this station (through ui/ops.run_op), every change applied
from the center, and every sync that brought something in emit it with a `Changes`, and
every window refreshes from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from counter_app.core.clock import vn_time
from counter_app.core.roles import Actor, Role
from counter_app.none_guard import guard_none
from counter_app.services.context import ServiceContext
from counter_app.services.station import Station, load_station
from counter_app.store import Store
from counter_app.ui.ops import DOSSIERS, SETTINGS, TICKETS, Changes

KIOSK_ACTOR = Actor("kiosk", Role.VOLUNTEER)


class Session(QObject):
    changed = Signal(object)  # ui.ops.Changes: the one refresh signal
    # The older per-topic signals, still emitted with `changed` for the windows that listen
    # to them; emitting one directly is announced through `changed` as well.
    queue_changed = Signal()
    dossiers_changed = Signal()
    settings_changed = Signal()
    ticket_called = Signal(object)  # Ticket: the display board announces it
    service_finished = Signal(object)  # Ticket: the satisfaction screen asks for a rating
    actor_changed = Signal()

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime],
        actor: Actor | None = None,
        station: Station | None = None,
        counter: int = 1,
        data_dir: str = "",
        demo: bool = False,
    ) -> None:
        super().__init__()
        guard_none()  # before the first Qt call of a long day; see none_guard
        self.store = store
        self.clock = clock
        self.station = station or load_station(store)
        self.actor = actor or KIOSK_ACTOR
        own = [d.number for d in self.station.own_desks]
        # a center's counter station starts as its own counter (numbers are the center's)
        self.counter = counter if not own or counter in own else own[0]
        self.data_dir = data_dir
        self.demo = demo
        self._printing = None
        self._housekeeping = None
        self._center = None
        self._claims = None
        self._closed = False
        self._notifying = False
        self._from_center = False
        self.queue_changed.connect(lambda: self._legacy(TICKETS))
        self.dossiers_changed.connect(lambda: self._legacy(DOSSIERS))
        self.settings_changed.connect(lambda: self._legacy(SETTINGS))

    def notify(self, changes: Changes) -> None:
        """Tell every window what changed (a write here, the center, or the portal). This
        station's own change goes to the center first: the publish runs on the watch's
        thread while the windows refresh here, instead of after them (kiosk → counter)."""
        if not changes:
            return
        if self._center is not None and not self._from_center:
            self._center.publish_soon()
        self._notifying = True
        try:
            self.changed.emit(changes)
            for flag, signal in (("tickets", self.queue_changed),
                                 ("dossiers", self.dossiers_changed),
                                 ("settings", self.settings_changed)):  # fmt: skip
                if getattr(changes, flag):
                    signal.emit()
        finally:
            self._notifying = False

    def _legacy(self, changes: Changes) -> None:
        if not self._notifying:  # a window emitted an old signal itself
            self.changed.emit(changes)

    def folder(self) -> Path:
        return Path(self.data_dir) if self.data_dir else Path(self.store.path).parent

    def printing(self):
        """The station's print queue (its own thread, spool and store), made on first use."""
        if self._printing is None:
            from counter_app.ui.background import PrintQueue

            printers = self.store.settings.get("printers", {}) or {}
            self._printing = PrintQueue(self.folder(), clock=self.clock, station=self.station,
                                        configured=bool(printers.get("default")),
                                        parent=self)  # fmt: skip
        return self._printing

    def housekeeping(self):
        """Checkpoint, daily backup and sync on timers, off the UI thread."""
        if self._housekeeping is None:
            from counter_app.ui.background import Housekeeping

            self._housekeeping = Housekeeping(self.folder(), clock=self.clock,
                                              station=self.station, parent=self)  # fmt: skip
            self.changed.connect(self._housekeeping.touched)
            self._housekeeping.sync_done.connect(self._synced)
        return self._housekeeping

    def _synced(self, report) -> None:
        """Dossier changes the portal brought in refresh the windows like local ones."""
        if getattr(report, "pulled", 0):
            self.notify(DOSSIERS)

    def center(self):
        """The link to the center (a station of a multi-PC center only): other stations'
        tickets and dossiers arrive here, and every window refreshes from them."""
        if self._center is None and self.station.in_center:
            from counter_app.ui.center_watch import CenterWatch

            self._center = CenterWatch(self.folder(), clock=self.clock, station=self.station,
                                       parent=self)  # fmt: skip
            self._center.changed.connect(self._center_changed)
        return self._center

    def _center_changed(self, _count: int) -> None:
        """Other stations' tickets, calls and dossiers, applied by the center link."""
        self._from_center = True
        try:
            self.notify(TICKETS | DOSSIERS)
        finally:
            self._from_center = False

    def close(self) -> None:
        """Stop the background threads (the window is closing)."""
        for worker in (self._printing, self._housekeeping, self._center):
            if worker is not None:
                worker.stop()
        if self._claims is not None:
            self._claims.close()
        self._printing = self._housekeeping = self._center = self._claims = None
        self._closed = True

    def ctx(self, actor: Actor | None = None) -> ServiceContext:
        return ServiceContext(
            self.store, self.clock, self.station, actor or self.actor, self._ticket_claims()
        )

    def _ticket_claims(self):
        """At a counter of a center, "next" claims a shared ticket first (within a second)."""
        if not self.station.in_center or self.station.role != "counter" or self._closed:
            return None
        if self._claims is None:
            from counter_app.center.link import CenterLink

            self._claims = CenterLink(self.store, self.station, timeout=1.0, clock=self.clock)
        return self._claims

    def kiosk_actor(self) -> Actor:
        return KIOSK_ACTOR

    def kiosk_ctx(self) -> ServiceContext:
        return self.ctx(KIOSK_ACTOR)

    def now(self) -> datetime:
        return vn_time(self.clock())

    def sign_in(self, actor: Actor) -> None:
        self.actor = actor
        self.actor_changed.emit()

    def sign_out(self) -> None:
        """Back to no one signed in, as before the login: the status bar names no officer."""
        self.sign_in(KIOSK_ACTOR)

    @property
    def signed_in(self) -> bool:
        return self.actor != KIOSK_ACTOR

    def reload_station(self) -> None:
        self.station = load_station(self.store)
        for worker in (self._printing, self._housekeeping):
            if worker is not None:
                worker.worker.station = self.station
        self.notify(SETTINGS)

    def set_counter(self, number: int) -> None:
        self.station.acting(number)  # refused when the station has no such counter
        self.counter = number

    def with_station(self, **changes) -> Station:
        return replace(self.station, **changes)
