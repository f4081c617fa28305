"""The rows of one working day: tickets with their events, and the dossiers received.

Runs in worker processes, so it only builds tuples. Ticket rows follow the columns of
`store.tickets._to_row` (plus `dossier_code`, which `link_dossier` sets); dossier rows are
made by `store.dossiers._to_row` itself with the store's keys (sealed fields, blind indexes,
name tokens), the services' own checklist, fee and due time. Status changes set the fields
`change_status` sets (each fate is walked through it at import, and the smoke test replays
stored events through it and compares).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from counter_app.core.calendar import WorkingCalendar
from counter_app.core.catalogue import Catalogue, Procedure, ReturnMethod
from counter_app.core.clock import VN_TZ
from counter_app.core.crypto import FieldCrypto
from counter_app.core.dossier import Applicant, Dossier, change_status
from counter_app.core.dossier import DossierStatus as S
from counter_app.core.dossier_code import format_dossier_code
from counter_app.core.queue import DEFAULT_PRIORITIES, Ticket, TicketState
from counter_app.services.demo_people import person
from counter_app.services.dossiers import checklist, default_fee
from counter_app.store.dossiers import _to_row as dossier_row
from counter_app.store.tickets import _to_row as ticket_row

TICKET_COLUMNS = (
    "id", "day", "grp", "letter", "number", "state", "arrived_at", "station_id", "priority",
    "priority_weight", "counter", "recalls", "called_at", "serving_at", "finished_at",
    "transferred_from", "dossier_code",
)  # fmt: skip
TICKET_EVENT_COLUMNS = ("ticket_id", "at", "state", "counter", "actor")
DOSSIER_EVENT_COLUMNS = ("code", "at", "kind", "from_status", "to_status", "note", "actor")
_SAMPLE_AT = datetime(2026, 1, 5, 8, 0, tzinfo=VN_TZ)
_SAMPLE_TICKET = Ticket(None, _SAMPLE_AT.date(), "A", "A", 1, TicketState.WAITING, _SAMPLE_AT, "")
# Left to their defaults (m008): the bench's tickets are never sent to a named counter or
# clerk nor called out of turn.
DEFAULTED_TICKET_COLUMNS = {"target_counter", "target_clerk", "reserved_at", "call_reason",
                            "call_note"}  # fmt: skip
# dossier_code is not in the dataclass: link_dossier writes it.
assert set(ticket_row(_SAMPLE_TICKET)) | {"dossier_code"} == set(TICKET_COLUMNS) | (
    DEFAULTED_TICKET_COLUMNS
)

MAX_NUMBER = 999  # TicketRange's default end: numbers per group and day
COUNTERS = 8
GROUP_WEIGHTS = {"A": 30, "B": 25, "C": 15, "D": 10, "E": 8, "F": 7, "G": 5}
_MORNING, _AFTERNOON = 7 * 3600 + 1800, 13 * 3600 + 1800  # 07:30 (4 h), 13:30 (3.5 h)
_OPEN_SECONDS = 4 * 3600 + 3 * 3600 + 1800
_HMS = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(2 * 86400)]
# What becomes of a dossier: the status path after "received" (a note where one is due).
_FATES = (
    ((S.PROCESSING, ""), (S.DONE, ""), (S.RETURNED, "")),
    ((S.PROCESSING, ""), (S.DONE, "")),
    ((S.SUPPLEMENT, "Bổ sung bản sao Giấy chứng sinh"), (S.PROCESSING, ""), (S.DONE, ""),
     (S.RETURNED, "")),
    ((S.FINANCIAL, "Nộp lệ phí trước bạ"), (S.PROCESSING, ""), (S.DONE, ""), (S.RETURNED, "")),
    ((S.WITHDRAWN, "Công dân xin rút hồ sơ"),),
    ((S.PROCESSING, ""), (S.STOPPED, "Hồ sơ không đủ điều kiện giải quyết")),
    ((S.PROCESSING, ""),),
)  # fmt: skip
_FATE_CUM_WEIGHTS = tuple(itertools.accumulate((70, 10, 6, 4, 4, 3, 3)))


@dataclass(frozen=True)
class DayPlan:
    day: date
    tickets: int  # rows, a transfer's second row included
    dossiers: int
    first_ticket_id: int
    first_book_entry: int


@dataclass
class Rows:
    tickets: list[list] = field(default_factory=list)
    ticket_events: list[tuple] = field(default_factory=list)
    dossiers: list[tuple] = field(default_factory=list)
    dossier_events: list[tuple] = field(default_factory=list)
    sequences: list[tuple[str, str, int]] = field(default_factory=list)


class _MemoCrypto(FieldCrypto):
    """The same keys, remembering each name's tokens and each prefix's: names repeat, and
    the prefixes of a million names are a few thousand (an HMAC each, computed once)."""

    def name_tokens(self, name: str) -> str:
        memo = self.__dict__.setdefault("_memo", {})
        tokens = memo.get(name)
        if tokens is None:
            tokens = memo[name] = super().name_tokens(name)
        return tokens

    def _token(self, prefix: str) -> str:
        memo = self.__dict__.setdefault("_prefixes", {})
        token = memo.get(prefix)
        if token is None:
            token = memo[prefix] = super()._token(prefix)
        return token


def dossier_columns(fc: FieldCrypto) -> tuple[str, ...]:
    """The columns `DossierRepository.insert` writes, in its order."""
    sample = Dossier("", "", "", S.RECEIVED, Applicant(""), _SAMPLE_AT, None)
    return tuple(dossier_row(sample, "", fc))


class World:
    """What every day needs, built once per process: the store's keys seal the fields."""

    def __init__(
        self,
        agency: str,
        station_id: str,
        catalogue: Catalogue,
        horizon: datetime,
        fc: FieldCrypto,
    ) -> None:
        self.agency, self.station_id, self.horizon = agency, station_id, horizon
        self.fc = _MemoCrypto(fc.key_id, fc.seal_keys, fc.index_key)
        self.dossier_columns = dossier_columns(fc)
        self.procedures: list[Procedure] = list(catalogue.procedures)
        self.by_group: dict[str, list[Procedure]] = {}
        for proc in self.procedures:
            self.by_group.setdefault(proc.service_group, []).append(proc)
        self.docs = {p.code: checklist(p) for p in self.procedures}
        self.calendar = _MemoCalendar()
        self.letters = [g.letter for g in catalogue.groups]
        self.cum_weights = list(itertools.accumulate(GROUP_WEIGHTS.get(x, 5) for x in self.letters))


class _MemoCalendar(WorkingCalendar):
    """The same calendar, remembering each day's answer: due times ask about a day often."""

    def __init__(self) -> None:
        super().__init__()
        self._memo: dict[date, bool] = {}

    def is_working_day(self, d: date) -> bool:
        known = self._memo.get(d)
        if known is None:
            known = self._memo[d] = super().is_working_day(d)
        return known


def _clock(offset: int) -> int:
    """Seconds since midnight of the `offset`-th second the doors are open."""
    return _MORNING + offset if offset < 4 * 3600 else _AFTERNOON + offset - 4 * 3600


def make_day(plan: DayPlan, world: World, rng: random.Random, out: Rows) -> None:
    day = plan.day.isoformat()

    def ts(seconds: int) -> str:  # == datetime.isoformat() of that second in Vietnam time
        return f"{day}T{_HMS[seconds]}+07:00"

    numbers = dict.fromkeys(world.letters, 0)
    done: list[list] = []  # served tickets: a dossier may be received at one of them
    next_id, end_id = plan.first_ticket_id, plan.first_ticket_id + plan.tickets
    for arrived in sorted(_clock(rng.randrange(_OPEN_SECONDS)) for _ in range(plan.tickets)):
        if next_id >= end_id:
            break
        letter = _group(rng, world, numbers)
        numbers[letter] += 1
        priority, weight = "", 0
        if rng.random() < 0.06:
            category = rng.choice(DEFAULT_PRIORITIES)
            priority, weight = category.key, category.weight
        row = [next_id, day, letter, letter, numbers[letter], "done", ts(arrived)]
        row += [world.station_id, priority, weight, None, 0, None, None, None, None, None]
        out.ticket_events.append((next_id, row[6], "waiting", None, "kiosk"))
        fate = rng.random()
        if fate > 0.995:  # left before being called
            row[5], row[14] = "cancelled", ts(arrived + rng.randint(300, 3600))
            out.ticket_events.append((next_id, row[14], "cancelled", None, "kiosk"))
        elif fate > 0.92:
            _no_show(row, rng, arrived, ts, out)
        else:
            finished = _served(row, rng, arrived + _wait(rng), ts, out)
            if fate < 0.03 and next_id + 1 < end_id:  # sent on to another group's queue
                row[5] = "transferred"
                out.ticket_events[-1] = (next_id, row[14], "transferred", row[10], _clerk(row))
                out.tickets.append(row)
                clerk, row = _clerk(row), row[:10] + [None, 0, None, None, None, next_id, None]
                row[0], row[2], row[5] = next_id + 1, _other(rng, world, letter), "done"
                next_id += 1
                out.ticket_events.append((next_id, ts(finished), "waiting", None, clerk))
                _served(row, rng, finished + _wait(rng), ts, out)
            done.append(row)
        out.tickets.append(row)
        next_id += 1
    for letter, last in numbers.items():
        if last:
            out.sequences.append((f"ticket:{letter}", day, last))
    _dossiers(plan, world, rng, done, out)


def _wait(rng: random.Random) -> int:
    return 30 + int(rng.expovariate(1 / 720))


def _group(rng: random.Random, world: World, numbers: dict[str, int]) -> str:
    letter = rng.choices(world.letters, cum_weights=world.cum_weights)[0]
    if numbers[letter] < MAX_NUMBER:
        return letter
    free = [x for x in world.letters if numbers[x] < MAX_NUMBER]
    if not free:
        raise ValueError("more tickets in a day than the groups' ranges hold: add years")
    return rng.choice(free)


def _other(rng: random.Random, world: World, letter: str) -> str:
    return rng.choice([x for x in world.letters if x != letter])


def _clerk(row: list) -> str:
    return f"canbo{row[10]}"


def _served(row: list, rng: random.Random, called: int, ts, out: Rows) -> int:
    serving = called + rng.randint(10, 90)
    finished = serving + rng.randint(180, 1500)
    row[10] = rng.randint(1, COUNTERS)
    row[12], row[13], row[14] = ts(called), ts(serving), ts(finished)
    clerk = _clerk(row)
    out.ticket_events.append((row[0], row[12], "called", row[10], clerk))
    out.ticket_events.append((row[0], row[13], "serving", row[10], clerk))
    out.ticket_events.append((row[0], row[14], "done", row[10], clerk))
    return finished


def _no_show(row: list, rng: random.Random, arrived: int, ts, out: Rows) -> None:
    row[5], row[10], row[11] = "no_show", rng.randint(1, COUNTERS), rng.choice((0, 1, 2))
    called = arrived + 30 + int(rng.expovariate(1 / 720))
    for _ in range(row[11] + 1):  # the first call, then each recall
        out.ticket_events.append((row[0], ts(called), "called", row[10], _clerk(row)))
        row[12], called = ts(called), called + 60
    row[14] = ts(called)
    out.ticket_events.append((row[0], row[14], "no_show", row[10], _clerk(row)))


def _dossiers(plan: DayPlan, world: World, rng: random.Random, done: list, out: Rows) -> None:
    linked = rng.sample(done, min(plan.dossiers, len(done)))
    received: list[tuple[datetime, list | None]] = []
    for ticket in linked:  # received while the citizen sat at the counter
        start, end = datetime.fromisoformat(ticket[13]), datetime.fromisoformat(ticket[14])
        seconds = rng.randint(30, max(31, int((end - start).total_seconds()) - 30))
        received.append((start + timedelta(seconds=seconds), ticket))
    for _ in range(plan.dossiers - len(linked)):  # more dossiers than served tickets
        moment = time.fromisoformat(_HMS[_clock(rng.randrange(_OPEN_SECONDS))])
        received.append((datetime.combine(plan.day, moment, VN_TZ), None))
    received.sort(key=lambda item: item[0])
    people: list = []
    for sequence, (at, ticket) in enumerate(received, start=1):
        code = format_dossier_code(world.agency, plan.day, sequence)
        if ticket is not None:
            ticket[16] = code
        if people and rng.random() < 0.2:  # the same citizen comes back with another case
            someone = rng.choice(people)
        else:
            someone = person(rng, plan.day)
            people.append(someone)
        book_entry = plan.first_book_entry + sequence - 1
        _history(world, rng, _received(world, rng, at, code, book_entry, ticket, someone), out)
    if received:
        out.sequences.append((f"dossier:{world.agency}", plan.day.isoformat(), len(received)))


def _received(world: World, rng: random.Random, at, code, book_entry, ticket, someone) -> dict:
    """What `receive_dossier` builds, with the procedure's own checklist, fee and due time."""
    group = ticket[2] if ticket is not None else rng.choice(world.letters)
    proc = rng.choice(world.by_group.get(group) or world.procedures)
    verify = proc.processing.verification_extra_days > 0 and rng.random() < 0.1
    counter = ticket[10] if ticket is not None else rng.randint(1, COUNTERS)
    return {
        "code": code,
        "procedure_code": proc.code,
        "procedure_name": proc.name,
        "status": S.RECEIVED,
        "applicant": someone.applicant,
        "received_at": at,
        "due_at": world.calendar.due_at(at, proc.processing, with_verification=verify),
        "documents": world.docs[proc.code],
        "sets": 1 if rng.random() < 0.9 else 2,
        "fee_vnd": default_fee(proc),
        "return_method": (
            ReturnMethod.COUNTER if rng.random() < 0.85 else rng.choice(proc.return_methods)
        ),
        "receiver": f"canbo{counter}",
        "book_entry": book_entry,
        "ticket_id": ticket[0] if ticket is not None else None,
        "with_verification": verify,
        "updated_at": at,
    }


def _history(world: World, rng: random.Random, d: dict, out: Rows) -> None:
    """Walk the dossier along a fate up to the horizon, changing what `change_status` does."""
    code, received, receiver = d["code"], d["received_at"], d["receiver"]
    events = out.dossier_events
    events.append((code, received.isoformat(), "received", None, int(S.RECEIVED), "", receiver))
    path = rng.choices(_FATES, cum_weights=_FATE_CUM_WEIGHTS)[0]
    due = d["due_at"] or received + timedelta(days=1)
    if rng.random() < 0.06:  # late
        result = due + timedelta(seconds=rng.randint(3600, 3 * 86400))
    else:
        result = received + (due - received) * rng.uniform(0.3, 1.0)
    before = [step for step in path if step[0] not in (S.DONE, S.RETURNED)]
    span = result - received
    times = [received + span * (i + 1) / (len(before) + 1) for i in range(len(before))]
    for status, _ in path[len(before) :]:
        times.append(result if status is S.DONE else result + _pick_up(rng))
    for (status, note), at in zip(path, times, strict=True):
        if at >= world.horizon:
            break
        events.append(
            (code, at.isoformat(), "status", int(d["status"]), int(status), note, receiver)
        )
        d["status"], d["updated_at"] = status, at
        if status is S.DONE:
            d["result_at"] = at
        elif status is S.RETURNED:
            d["returned_at"] = at
    row = dossier_row(Dossier(**d), world.station_id, world.fc)
    out.dossiers.append(tuple(row[c] for c in world.dossier_columns))


def _pick_up(rng: random.Random) -> timedelta:
    return timedelta(seconds=rng.randint(600, 7 * 86400))


def _check_fates() -> None:
    """Every fate is a legal walk of the status machine, with a note where one is due."""
    d = Dossier("x", "", "", S.RECEIVED, Applicant(""), _SAMPLE_AT, None)
    for path in _FATES:
        walked = d
        for status, note in path:
            walked = change_status(walked, status, at=_SAMPLE_AT, note=note)


_check_fates()
