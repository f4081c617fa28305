"""This install's identity and set-up, read from the store's settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from counter_app.core.calendar import DEFAULT_OPENING_HOURS, OpeningHours
from counter_app.core.dossier_code import SequenceBlock
from counter_app.core.errors import DomainError, NotFound
from counter_app.core.messages import register
from counter_app.core.queue import DEFAULT_PRIORITIES, PriorityCategory, TicketRange
from counter_app.store import Store

register(
    {
        "setup.not_initialised": {
            "vi": "Kho dữ liệu chưa được khởi tạo: mở chương trình để làm các bước cài đặt "
            "ban đầu.",
            "en": "The store is not set up yet: open the program to go through the first "
            "set-up steps.",
            "cli_vi": "Hoặc khởi tạo bằng dòng lệnh: counter-app init",
            "cli_en": "Or set it up from the command line: counter-app init",
        },
        "setup.unknown_counter": {
            "vi": "Không có quầy số {counter} ở trạm này.",
            "en": "There is no counter {counter} at this station.",
        },
        "setup.not_own_counter": {
            "vi": "Quầy số {counter} không thuộc máy này; máy chủ trung tâm đã giao cho máy "
            "này quầy số {own}.",
            "en": "Counter {counter} is not this PC's; the center hub gave this PC counter(s) "
            "{own}.",
        },
    }
)


@dataclass(frozen=True)
class CounterDesk:
    number: int
    groups: tuple[str, ...]  # the service groups this counter calls


@dataclass(frozen=True)
class Station:
    id: str
    number: int
    role: str
    agency_code: str
    center_name: str
    center_address: str = ""
    counters: tuple[CounterDesk, ...] = ()
    ticket_range: TicketRange = field(default_factory=TicketRange)
    dossier_block: SequenceBlock = field(default_factory=SequenceBlock)
    max_recalls: int = 3
    priorities: tuple[PriorityCategory, ...] = DEFAULT_PRIORITIES
    opening_hours: OpeningHours = DEFAULT_OPENING_HOURS
    in_center: bool = False  # a station of a multi-PC center (shares one queue via the hub)
    # In a center, the counters the hub gave this PC (counter numbers are the center's: two
    # PCs never act as the same counter); None: every counter (alone, the hub, or a
    # station joined before the hub assigned counters)
    own_counters: tuple[int, ...] | None = None

    @property
    def syncs_portal(self) -> bool:
        """An all-in-one station talks to the portal itself; in a center only the hub does."""
        return not self.in_center or self.role == "hub"

    def counter(self, number: int) -> CounterDesk:
        for desk in self.counters:
            if desk.number == number:
                return desk
        raise NotFound("setup.unknown_counter", counter=number)

    @property
    def own_desks(self) -> tuple[CounterDesk, ...]:
        if self.own_counters is None:
            return self.counters
        return tuple(d for d in self.counters if d.number in self.own_counters)

    def acting(self, number: int) -> CounterDesk:
        """The counter this PC acts as (calls, serves, pauses): one of its own only."""
        desk = self.counter(number)
        if self.own_counters is not None and number not in self.own_counters:
            own = ", ".join(str(n) for n in self.own_counters) or "-"
            raise DomainError("setup.not_own_counter", counter=number, own=own)
        return desk

    def to_settings(self) -> dict:
        return {
            "id": self.id,
            "number": self.number,
            "role": self.role,
            "agency_code": self.agency_code,
            "center_name": self.center_name,
            "center_address": self.center_address,
            "counters": [{"number": c.number, "groups": list(c.groups)} for c in self.counters],
            "ticket_range": [self.ticket_range.start, self.ticket_range.end],
            "dossier_block": [self.dossier_block.start, self.dossier_block.end],
            "max_recalls": self.max_recalls,
            "priorities": [[p.key, p.name_vi, p.name_en, p.weight] for p in self.priorities],
            "opening_hours": self.opening_hours.to_dict(),
            "in_center": self.in_center,
            **({"own_counters": list(self.own_counters)} if self.own_counters is not None else {}),
        }

    @classmethod
    def from_settings(cls, data: dict) -> Station:
        return cls(
            id=data["id"],
            number=data["number"],
            role=data["role"],
            agency_code=data["agency_code"],
            center_name=data["center_name"],
            center_address=data.get("center_address", ""),
            counters=tuple(
                CounterDesk(c["number"], tuple(c["groups"])) for c in data.get("counters", [])
            ),
            ticket_range=TicketRange(*data["ticket_range"]),
            dossier_block=SequenceBlock(*data["dossier_block"]),
            max_recalls=data.get("max_recalls", 3),
            priorities=tuple(PriorityCategory(*p) for p in data["priorities"]),
            opening_hours=OpeningHours.from_dict(data["opening_hours"]),
            in_center=bool(data.get("in_center", False)),
            own_counters=(
                tuple(data["own_counters"]) if data.get("own_counters") is not None else None
            ),
        )


def load_station(store: Store) -> Station:
    data = store.settings.get("station")
    if data is None:
        raise NotFound("setup.not_initialised")
    return Station.from_settings(data)
