"""A demo store that looks like a real commune center's last weeks, made through the services.

Every ticket, dossier and status change goes through the same use cases a clerk uses, in
time order on a hand-moved clock, so the demo store is also a test of those use cases.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from counter_app.core.calendar import WorkingCalendar
from counter_app.core.clock import VN_TZ, vn_time
from counter_app.core.dossier import DossierStatus as S
from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.core.queue import TicketState
from counter_app.core.roles import Actor, Role
from counter_app.services import dossiers, queue, ratings
from counter_app.services.accounts import add_user
from counter_app.services.context import ServiceContext
from counter_app.services.demo_people import person
from counter_app.services.setup import initialise_store
from counter_app.services.station import load_station
from counter_app.store import Store, open_store

DEMO_AGENCY = "000.00.01.H22"
DEMO_CENTER = "Trung tâm phục vụ hành chính công xã Tân Lập"
CLERKS = ("canbo.lan", "canbo.hung", "canbo.thao")
# Shown on the demo's login screen, so a newcomer is never stuck.
DEMO_ACCOUNTS: dict[str, tuple[Role, str]] = {
    "admin": (Role.ADMIN, "quantri2026"),
    "canbo": (Role.CLERK, "canbo2026"),
    "tinhnguyen": (Role.VOLUNTEER, "tinhnguyen2026"),
}
# The officers' names and titles on the demo's forms and reports.
DEMO_OFFICERS: dict[str, tuple[str, str]] = {
    "admin": ("Trần Văn Ẩn", "Công chức Văn phòng - Thống kê"),
    "canbo": ("Nguyễn Thị Đường", "Công chức Tư pháp - Hộ tịch"),
    "tinhnguyen": ("Lê Thị Hồng Nhung", "Tình nguyện viên"),
    # the clerks of the generated weeks: named in the reports, not shown on the login screen
    "canbo.lan": ("Phạm Thị Lan", "Công chức Tư pháp - Hộ tịch"),
    "canbo.hung": ("Hoàng Văn Hùng", "Công chức Văn hóa - Xã hội"),
    "canbo.thao": ("Vũ Thị Thảo", "Công chức Địa chính - Xây dựng"),
}
REFUSAL = "Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã"

# What becomes of a dossier after it is received: status path and days between steps.
FATES: list[tuple[float, list[tuple[S, str]]]] = [
    (0.55, [(S.PROCESSING, ""), (S.DONE, ""), (S.RETURNED, "")]),
    (0.10, [(S.PROCESSING, ""), (S.DONE, "")]),
    (0.08, [(S.SUPPLEMENT, "Bổ sung bản sao Giấy chứng sinh"), (S.PROCESSING, ""),
            (S.DONE, ""), (S.RETURNED, "")]),
    (0.06, [(S.FINANCIAL, "Nộp lệ phí trước bạ"), (S.PROCESSING, ""), (S.DONE, "")]),
    (0.04, [(S.WITHDRAWN, "Công dân xin rút hồ sơ để bổ sung giấy tờ")]),
    (0.03, [(S.PROCESSING, ""), (S.STOPPED, "Người yêu cầu đã chết, dừng giải quyết")]),
    (0.14, [(S.PROCESSING, "")]),
]  # fmt: skip


@dataclass(frozen=True)
class DemoSummary:
    days: int
    tickets: int
    dossiers: int


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _pick_fate(rng: random.Random) -> list[tuple[S, str]]:
    roll, total = rng.random(), 0.0
    for weight, path in FATES:
        total += weight
        if roll < total:
            return path
    return FATES[-1][1]


register(
    {
        "demo.not_demo_store": {
            "vi": "Đây không phải kho dữ liệu mẫu: không tạo dữ liệu mẫu vào dữ liệu thật "
            "(dữ liệu mẫu sẽ được gửi lên Cổng).",
            "en": "This is not a demo store: demo data is never written into real data (it "
            "would be sent to the portal).",
            "cli_vi": "Kho mẫu riêng: counter-app demo",
            "cli_en": "A demo store of its own: counter-app demo",
        },
    }
)


def require_demo_store(store: Store) -> None:
    if not store.keys.is_demo:
        raise DomainError("demo.not_demo_store")


def generate_demo_data(
    store: Store, *, days: int, seed: int = 2026, end: datetime, tickets_per_day: int = 40
) -> DemoSummary:
    """Fill `store` with `days` working days ending before `end`, through the services."""
    require_demo_store(store)
    rng = random.Random(seed)
    station = load_station(store)
    clock = _Clock(vn_time(end))
    contexts = {
        name: ServiceContext(store, clock, station, Actor(name, Role.CLERK)) for name in CLERKS
    }
    kiosk = ServiceContext(store, clock, station, Actor("kiosk", Role.VOLUNTEER))
    first = contexts[CLERKS[0]]
    catalogue = first.catalogue()
    calendar = WorkingCalendar(store.catalogue.overrides(), station.opening_hours)
    work_days = _last_working_days(calendar, vn_time(end).date(), days)
    by_group: dict[str, list] = {}
    for procedure in catalogue.procedures:
        by_group.setdefault(procedure.service_group, []).append(procedure)
    groups = sorted(by_group)
    counters = [desk.number for desk in station.counters]

    events: list[tuple[datetime, int, Callable[[], None]]] = []
    order = itertools.count()
    counts = {"tickets": 0, "dossiers": 0}

    def at(when: datetime, action: Callable[[], None]) -> None:
        if when < vn_time(end):
            heapq.heappush(events, (when, next(order), action))

    def take(group: str) -> Callable[[], None]:
        def run() -> None:
            priority = (
                rng.choice(["elderly", "disability", "child_under_6"])
                if rng.random() < 0.12
                else ""
            )
            queue.take_ticket(kiosk, group=group, priority=priority)
            counts["tickets"] += 1

        return run

    def serve(counter: int, clerk: str) -> Callable[[], None]:
        def run() -> None:
            ctx = contexts[clerk]
            try:
                # A citizen still at the counter was served (no dossier: a question).
                ticket = queue.call_next(ctx, counter=counter, current_outcome=TicketState.DONE)
            except DomainError:
                return  # nobody waiting for this counter
            if rng.random() < 0.07:
                queue.no_show(ctx, counter=counter)
                return
            if rng.random() < 0.55:
                at(clock.now + timedelta(minutes=rng.randint(3, 9)), receive(ctx, ticket))

        return run

    def receive(ctx: ServiceContext, ticket) -> Callable[[], None]:
        def run() -> None:
            procedure = rng.choice(by_group.get(ticket.group) or catalogue.procedures)
            citizen = person(rng, clock.now.date())
            drafted = rng.random() < 0.08  # a volunteer pre-filled it; the clerk decides
            dossier = dossiers.receive_dossier(
                kiosk if drafted else ctx,
                procedure_code=procedure.code,
                applicant=citizen.typed,
                with_verification=rng.random() < 0.05,
                ticket_id=ticket.id,
                draft=drafted,
            )
            counts["dossiers"] += 1
            if rng.random() < 0.6:  # most citizens press a button on the way out
                at(clock.now + timedelta(minutes=rng.randint(8, 15)), rate(ticket.id))
            if drafted:
                at(clock.now + timedelta(minutes=6), decide_draft(ctx, dossier.code))
            else:
                schedule_fate(ctx, dossier.code, clock.now)

        return run

    def rate(ticket_id: int) -> Callable[[], None]:
        score = rng.choices([5, 4, 3, 2, 1], weights=[55, 28, 10, 5, 2])[0]
        return lambda: ratings.rate_service(kiosk, score=score, ticket_id=ticket_id)

    def decide_draft(ctx: ServiceContext, code: str) -> Callable[[], None]:
        def run() -> None:
            if clock.now.date() == work_days[-1] and rng.random() < 0.5:
                return  # still waiting for a clerk when the demo day ends: status 1
            if rng.random() < 0.4:
                dossiers.change_status(ctx, code=code, to=S.REFUSED, note=REFUSAL)
            else:
                dossiers.accept_draft(ctx, code=code)
                schedule_fate(ctx, code, clock.now)

        return run

    def close_counter(counter: int, clerk: str) -> Callable[[], None]:
        def run() -> None:
            with contextlib.suppress(DomainError):  # counter already idle
                queue.finish(contexts[clerk], counter=counter)

        return run

    def schedule_fate(ctx: ServiceContext, code: str, start: datetime) -> None:
        when = start
        for status, note in _pick_fate(rng):
            day = calendar.add_working_days(when.date(), rng.choice([0, 1, 1, 2, 3]))
            step = datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), VN_TZ)
            when = max(step, when + timedelta(minutes=30))
            at(when, _status(ctx, code, status, note))

    def _status(ctx: ServiceContext, code: str, status: S, note: str) -> Callable[[], None]:
        return lambda: dossiers.change_status(ctx, code=code, to=status, note=note)

    for day in work_days:
        opening = datetime.combine(day, time(7, 30), VN_TZ)
        for _ in range(rng.randint(tickets_per_day // 2, tickets_per_day)):
            arrival = opening + timedelta(minutes=rng.randint(0, 8 * 60))
            if time(11, 30) <= arrival.time() < time(13, 30):
                arrival += timedelta(hours=2)
            at(arrival, take(rng.choice(groups)))
        for counter, clerk in zip(counters, itertools.cycle(CLERKS), strict=False):
            t = opening + timedelta(minutes=5)
            while t.time() < time(16, 50):
                at(t, serve(counter, clerk))
                t += timedelta(minutes=rng.randint(6, 16))
                if time(11, 30) <= t.time() < time(13, 30):
                    at(datetime.combine(day, time(11, 30), VN_TZ), close_counter(counter, clerk))
                    t = datetime.combine(day, time(13, 30), VN_TZ)
            at(datetime.combine(day, time(16, 58), VN_TZ), close_counter(counter, clerk))

    if events:
        # A demo's past is written after the fact, maybe into a demo store already used
        # today: its clock is confirmed at the first generated event, as an admin would, so
        # the guard (core.clock) lets the days be replayed in order.
        with store.transaction():
            store.audit.trust(events[0][0], confirmed=True)
    # Bulk generation: one fsync per use case would make this take a minute; a crash here
    # loses only demo data, which is generated again.
    store.conn.execute("PRAGMA synchronous=OFF")
    try:
        while events:
            clock.now, _, action = heapq.heappop(events)
            action()
    finally:
        store.conn.execute("PRAGMA synchronous=FULL")
    return DemoSummary(len(work_days), counts["tickets"], counts["dossiers"])


def _last_working_days(calendar: WorkingCalendar, end: date, days: int) -> list[date]:
    found, day = [], end - timedelta(days=1)
    while len(found) < days:
        if calendar.is_working_day(day):
            found.append(day)
        day -= timedelta(days=1)
    return sorted(found)


def ensure_demo_store(data_dir: Path, *, now: datetime, days: int = 30) -> tuple[Store, bool]:
    """Open the demo store in `data_dir`, creating and filling it on first use."""
    store = open_store(data_dir)
    if store.settings.get("station") is not None:
        try:  # a real store named by COUNTER_APP_DATA or --data-dir: never play the demo in it
            require_demo_store(store)
        except DomainError:
            store.close()
            raise
        return store, False
    start = now - timedelta(days=days * 2)
    admin = Actor("admin", Role.ADMIN)
    station = initialise_store(
        store,
        agency_code=DEMO_AGENCY,
        center_name=DEMO_CENTER,
        now=start,
        actor=admin,
        counters=3,
        admin_password=DEMO_ACCOUNTS["admin"][1],
        admin_full_name=DEMO_OFFICERS["admin"][0],
        admin_title=DEMO_OFFICERS["admin"][1],
        demo_key=True,  # a demo store opens without a passphrase; never for real data
    )
    ctx = ServiceContext(store, lambda: start, station, admin)
    accounts = {u: (r, p) for u, (r, p) in DEMO_ACCOUNTS.items() if r is not Role.ADMIN}
    # nobody signs in as the history's clerks: a password nobody knows
    accounts |= {u: (Role.CLERK, secrets.token_urlsafe(12)) for u in CLERKS}
    for username, (role, password) in accounts.items():
        name, title = DEMO_OFFICERS[username]
        add_user(ctx, username=username, role=role, password=password, full_name=name,
                 title=title)  # fmt: skip
    generate_demo_data(store, days=days, end=now)
    return store, True


def demo_counter_day(store: Store, *, clock: Callable[[], datetime]) -> dict:
    """A short counter scene on the demo store: three tickets, a call, a dossier received."""
    station = load_station(store)
    kiosk = ServiceContext(store, clock, station, Actor("kiosk", Role.VOLUNTEER))
    clerk = ServiceContext(store, clock, station, Actor(CLERKS[0], Role.CLERK))
    taken = [
        queue.take_ticket(kiosk, group="A"),
        queue.take_ticket(kiosk, group="A", priority="elderly"),
        queue.take_ticket(kiosk, group="B"),
    ]
    called = queue.call_next(clerk, counter=1)
    dossier = dossiers.receive_dossier(
        clerk,
        procedure_code="1.001193",
        applicant=dossiers.ApplicantInput(
            full_name="nguyễn thị đường",
            citizen_id="001190012345",
            phone="+84 912 345 678",
            address="Thôn Nà Pồng, xã Tân Lập",
        ),
        ticket_id=called.id,
    )
    queue.finish(clerk, counter=1)
    return {"taken": taken, "called": called, "dossier": dossier}
