"""What every use case receives: the store, a clock, this station and the acting user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from counter_app.core.calendar import WorkingCalendar
from counter_app.core.catalogue import Catalogue
from counter_app.core.clock import check_clock, vn_time
from counter_app.core.errors import ClockError, NotFound
from counter_app.core.roles import Actor
from counter_app.services.station import Station
from counter_app.store import Store


@dataclass(frozen=True)
class ServiceContext:
    store: Store
    clock: Callable[[], datetime]
    station: Station
    actor: Actor

    def now(self) -> datetime:
        return vn_time(self.clock())

    def catalogue(self) -> Catalogue:
        catalogue = self.store.catalogue.current()
        if catalogue is None:
            raise NotFound("setup.not_initialised")
        return catalogue

    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(
            overrides=self.store.catalogue.overrides(),
            opening_hours=self.station.opening_hours,
        )

    def check_clock(self) -> datetime:
        """`now`, after making sure the clock has not gone back behind the latest trusted
        time; a `now` that passes becomes the new trusted time."""
        now = self.now()
        check_clock(now, self.store.audit.trusted_time())
        behind = self.store.sync_state.local_clock_behind()
        if behind:  # the portal's clock, seen at the last sync, says ours is late
            raise ClockError("clock.behind_portal", minutes=round(behind / 60))
        self.store.audit.trust(now)
        return now

    def journal(
        self,
        *,
        at: datetime,
        action: str,
        entity: str,
        entity_id: str,
        detail: dict | None = None,
        payload: dict | None = None,
    ) -> None:
        """Audit entry, plus an outbox row for sync when there is a payload to push."""
        self.store.audit.append(
            at=at,
            actor=self.actor.username,
            station_id=self.station.id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
        if payload is not None:
            self.store.outbox.append(
                station_id=self.station.id,
                entity=entity,
                entity_id=entity_id,
                op=action,
                payload=payload,
                at=at,
            )
