"""What every use case receives: the store, a clock, this station and the acting user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from counter_app.core.calendar import WorkingCalendar
from counter_app.core.catalogue import Catalogue
from counter_app.core.clock import check_clock, vn_time
from counter_app.core.errors import ClockError, DomainError, NotFound
from counter_app.core.messages import register
from counter_app.core.roles import Actor
from counter_app.services.station import Station
from counter_app.store import Store

register(
    {
        "center.revoked": {
            "vi": "Máy này đã bị thu hồi khỏi trung tâm (lúc {at}) nên đã dừng làm việc với "
            "hàng chờ chung. Hãy báo quản trị viên; muốn dùng lại, máy phải tham gia lại "
            "bằng mã mới.",
            "en": "This PC was revoked from the center (at {at}), so it stopped working on "
            "the shared queue. Tell the administrator; to use it again it must join again "
            "with a new code.",
        },
    }
)


def revoked_error(store: Store) -> DomainError | None:
    """The hub revoked this station (its link learned it at a contact and recorded it):
    the command line, the windows and every write refuse with the same sentence."""
    revoked_at = store.center.get_state("revoked_at")
    if not revoked_at:
        return None
    at = datetime.fromisoformat(revoked_at).strftime("%H:%M %d/%m/%Y")
    return DomainError("center.revoked", at=at)


class TicketClaims(Protocol):
    def claim(self, name: str, owner: str) -> bool | None:
        """True: this counter won the ticket; False: another did; None: the center is out
        of reach (then only this station's own tickets may be called)."""

    def claim_online(self, upstream_code: str, owner: str) -> bool | None:
        """The same for an online dossier a clerk is about to decide (True: this clerk's)."""


@dataclass(frozen=True)
class ServiceContext:
    store: Store
    clock: Callable[[], datetime]
    station: Station
    actor: Actor
    # In a center: who may call a shared ticket (counter_app/center/link.py); None alone.
    claims: TicketClaims | None = None

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
        portal: bool = True,
    ) -> str | None:
        """The one write step every change ends with: its audit entry, and when it carries
        a domain event (`payload`, in the program's own shape), one delivery per
        destination: the portal (where this station syncs it) and the center stream (where
        this station belongs to one). `portal=False` keeps an event inside the center (a
        volunteer's draft, which the portal learns of only once a clerk accepts it).
        Returns the event's idempotency key."""
        self.store.audit.append(
            at=at,
            actor=self.actor.username,
            station_id=self.station.id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
        to_portal = portal and self.station.syncs_portal
        if payload is None or not (to_portal or self.station.in_center):
            return None
        if self.station.in_center and self.station.role != "hub":
            revoked = revoked_error(self.store)
            if revoked is not None:  # nothing shared is written that could never go out
                raise revoked
        key = self.store.outbox.new_key(self.station.id)
        delivery = {"entity": entity, "entity_id": entity_id, "op": action, "payload": payload}
        if to_portal:
            self.store.outbox.append(station_id=self.station.id, at=at, key=key, **delivery)
        if self.station.in_center:
            delivery["payload"] = {**payload, "to_portal": portal}  # the hub decides by it
            self.store.center.append(key=key, at=at, **delivery)
        return key
