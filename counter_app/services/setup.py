"""Setting up a new store: the center, this station, its counters and the catalogue."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from counter_app.core.calendar import DEFAULT_OPENING_HOURS
from counter_app.core.catalogue import Catalogue, load_default_catalogue
from counter_app.core.clock import vn_time
from counter_app.core.dossier_code import SequenceBlock, validate_agency_code
from counter_app.core.errors import DomainError, NotFound, ValidationError
from counter_app.core.messages import register
from counter_app.core.passwords import check_strength
from counter_app.core.queue import TicketRange
from counter_app.core.roles import Actor, Permission, Role
from counter_app.core.text import nfc
from counter_app.services.accounts import add_first_admin
from counter_app.services.context import ServiceContext
from counter_app.services.station import CounterDesk, Station, load_station
from counter_app.store import Store
from counter_app.store.station_key import create_station_key

register(
    {
        "setup.already": {
            "vi": "Kho dữ liệu này đã được khởi tạo cho {center}.",
            "en": "This store is already set up for {center}.",
        },
        "setup.center_name": {
            "vi": "Cần nhập tên Trung tâm phục vụ hành chính công.",
            "en": "The center's name is required.",
        },
        "setup.bad_counters": {
            "vi": "Số quầy phải từ 1 đến 50.",
            "en": "The number of counters must be between 1 and 50.",
        },
    }
)


def initialise_store(
    store: Store,
    *,
    agency_code: str,
    center_name: str,
    now: datetime,
    actor: Actor,
    counters: int = 3,
    station_number: int = 1,
    role: str = "all-in-one",
    ticket_range: TicketRange | None = None,
    dossier_block: SequenceBlock | None = None,
    catalogue: Catalogue | None = None,
    admin_password: str | None = None,
    admin_full_name: str = "",
    admin_title: str = "",
    data_passphrase: str | None = None,
    demo_key: bool = False,
    on_recovery_code: Callable[[str], None] | None = None,
) -> Station:
    """Create this station's settings, the first admin and the catalogue, in one transaction.

    Without `admin_password` no account is made (tests and tools that act as a given Actor).
    """
    agency = validate_agency_code(agency_code)
    name = " ".join(nfc(center_name).split())
    if not name:
        raise ValidationError("setup.center_name", field="center_name")
    if not 1 <= counters <= 50:
        raise ValidationError("setup.bad_counters", field="counters")
    existing = store.settings.get("station")
    if existing is not None:
        raise DomainError("setup.already", center=existing["center_name"])
    catalogue = catalogue or load_default_catalogue()
    letters = tuple(g.letter for g in catalogue.groups)
    station = Station(
        id=f"{agency}/{station_number}/{uuid.uuid4().hex[:8]}",
        number=station_number,
        role=role,
        agency_code=agency,
        center_name=name,
        # Every counter calls every group by default; a larger center assigns groups later.
        counters=tuple(CounterDesk(n, letters) for n in range(1, counters + 1)),
        ticket_range=ticket_range or TicketRange(),
        dossier_block=dossier_block or SequenceBlock(),
        opening_hours=DEFAULT_OPENING_HOURS,
    )
    now = vn_time(now)
    if admin_password is not None:
        check_strength(admin_password)
    with store.transaction():
        if not store.keys.configured:
            # The recovery code is shown once: the only way in if the passphrase is lost.
            recovery = store.keys.create(passphrase=data_passphrase, demo=demo_key)
            if on_recovery_code is not None:
                on_recovery_code(recovery)
        if admin_password is not None:
            add_first_admin(
                store,
                username=actor.username,
                password=admin_password,
                now=now,
                full_name=admin_full_name,
                title=admin_title,
            )
        store.settings.set("station", station.to_settings())
        create_station_key(store)
        store.catalogue.replace(catalogue, at=now)
        store.audit.trust(now, confirmed=True)  # set up by an admin, who sees the date
        ctx = ServiceContext(store, lambda: now, station, actor)
        ctx.journal(
            at=now,
            action="station.init",
            entity="station",
            entity_id=station.id,
            detail={"catalogue": catalogue.version, "counters": counters},
        )
    return station


def open_context(
    store: Store, *, clock: Callable[[], datetime], actor: Actor | None = None
) -> ServiceContext:
    return ServiceContext(store, clock, load_station(store), actor or Actor("admin", Role.ADMIN))


def confirm_clock(ctx: ServiceContext) -> datetime:
    """An admin says the clock is right: written as an event, so work goes on from now."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    now = ctx.now()
    with ctx.store.transaction():
        ctx.store.sync_state.set("clock_behind_s", None)  # the admin checked the clock
        ctx.store.sync_state.set("clock_doubtful", None)  # so a far-off portal is wrong
        ctx.store.audit.trust(now, confirmed=True)
        ctx.journal(at=now, action="clock.confirm", entity="station", entity_id=ctx.station.id)
    return now


def confirm_portal_clock(ctx: ServiceContext) -> float:
    """An admin says the portal's far-off clock reading is right after all: it is believed
    (and, if ours is behind, codes wait until the clock is set). Returns the offset."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    now = ctx.now()
    with ctx.store.transaction():
        offset = ctx.store.sync_state.confirm_portal_clock()
        if offset is None:
            raise NotFound("clock.no_portal_reading")
        ctx.journal(
            at=now,
            action="clock.confirm_portal",
            entity="station",
            entity_id=ctx.station.id,
            detail={"offset_s": round(offset)},
        )
    return offset
