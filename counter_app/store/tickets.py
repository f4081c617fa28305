"""Queue tickets and their timestamped events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date, datetime
from typing import TYPE_CHECKING

from counter_app.core.queue import ACTIVE_STATES, Ticket, TicketState

if TYPE_CHECKING:
    from counter_app.store.database import Store

_TIMES = ("arrived_at", "called_at", "serving_at", "finished_at", "reserved_at")


def _to_row(ticket: Ticket) -> dict:
    # every field is a plain value: dataclasses.asdict's deep copies cost a pushed
    # ticket's apply a third of its time (bench.center)
    row = {f.name: getattr(ticket, f.name) for f in fields(ticket)}
    row["grp"] = row.pop("group")
    row["day"] = ticket.day.isoformat()
    row["state"] = ticket.state.value
    for name in _TIMES:
        row[name] = row[name].isoformat() if row[name] else None
    return row


def _from_row(row) -> Ticket:
    times = {n: datetime.fromisoformat(row[n]) if row[n] else None for n in _TIMES}
    return Ticket(
        id=row["id"],
        day=date.fromisoformat(row["day"]),
        group=row["grp"],
        letter=row["letter"],
        number=row["number"],
        state=TicketState(row["state"]),
        station_id=row["station_id"],
        priority=row["priority"],
        priority_weight=row["priority_weight"],
        counter=row["counter"],
        recalls=row["recalls"],
        transferred_from=row["transferred_from"],
        target_counter=row["target_counter"],
        target_clerk=row["target_clerk"],
        call_reason=row["call_reason"],
        call_note=row["call_note"],
        **times,
    )


class TicketRepository:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._usual: dict[tuple[str, date, date], list[float]] = {}

    def insert(self, ticket: Ticket, *, writer: str, uid: str | None = None) -> Ticket:
        """A new row; `uid` names the ticket across the center's stations (the writing
        station and its row id when it is made here, the origin's when it is replicated)."""
        row = _to_row(ticket)
        row.pop("id")
        if uid:  # a replicated ticket names itself: one statement less on a pushed apply
            row["uid"] = uid
        columns = ", ".join(row)
        cursor = self._store.conn.execute(
            f"INSERT INTO tickets({columns}) VALUES ({', '.join(':' + c for c in row)})", row
        )
        if not uid:
            self._store.conn.execute(
                "UPDATE tickets SET uid = ? WHERE id = ?",
                (f"{writer}#{cursor.lastrowid}", cursor.lastrowid),
            )
        return self.get(cursor.lastrowid)

    def uid_of(self, ticket_id: int | None) -> str | None:
        if ticket_id is None:
            return None
        row = self._store.query_one("SELECT uid FROM tickets WHERE id = ?", (ticket_id,))
        return None if row is None else row["uid"]

    def claim_name(self, ticket_id: int) -> str:
        """What a counter claims in the center to call this ticket: its uid and how many
        times it has waited, so a no-show brought back can be claimed afresh."""
        row = self._store.query_one(
            "SELECT t.uid, (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id "
            "AND e.state = 'waiting') AS rounds FROM tickets t WHERE t.id = ?",
            (ticket_id,),
        )
        return f"{row['uid']}#{row['rounds']}"

    def by_uid(self, uid: str) -> Ticket | None:
        row = self._store.query_one("SELECT * FROM tickets WHERE uid = ?", (uid,))
        return None if row is None else _from_row(row)

    def update(self, ticket: Ticket) -> None:
        row = _to_row(ticket)
        sets = ", ".join(f"{c} = :{c}" for c in row if c != "id")
        self._store.conn.execute(f"UPDATE tickets SET {sets} WHERE id = :id", row)

    def add_event(self, ticket: Ticket, *, at: datetime, actor: str) -> None:
        self._store.conn.execute(
            "INSERT INTO ticket_events(ticket_id, at, state, counter, actor) "
            "VALUES (?, ?, ?, ?, ?)",
            (ticket.id, at.isoformat(), ticket.state.value, ticket.counter, actor),
        )

    def link_dossier(self, ticket_id: int, code: str) -> None:
        self._store.conn.execute(
            "UPDATE tickets SET dossier_code = ? WHERE id = ?", (code, ticket_id)
        )

    def get(self, ticket_id: int) -> Ticket | None:
        row = self._store.query_one("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return None if row is None else _from_row(row)

    def by_label(self, day: date, letter: str, number: int) -> Ticket | None:
        """The row that carries this paper number now (the last one, after transfers)."""
        row = self._store.query_one(
            "SELECT * FROM tickets WHERE day = ? AND letter = ? AND number = ? "
            "ORDER BY id DESC LIMIT 1",
            (day.isoformat(), letter, number),
        )
        return None if row is None else _from_row(row)

    def in_states(
        self, day: date, states: Iterable[TicketState], groups: Iterable[str] | None = None
    ) -> list[Ticket]:
        states = [s.value for s in states]
        sql = f"SELECT * FROM tickets WHERE day = ? AND state IN ({','.join('?' * len(states))})"
        params: list = [day.isoformat(), *states]
        if groups is not None:
            groups = list(groups)
            sql += f" AND grp IN ({','.join('?' * len(groups))})"
            params += groups
        rows = self._store.query(sql + " ORDER BY priority_weight DESC, arrived_at, id", params)
        return [_from_row(r) for r in rows]

    def active_at_counter(self, day: date, counter: int) -> Ticket | None:
        states = [s.value for s in ACTIVE_STATES]
        row = self._store.query_one(
            "SELECT * FROM tickets WHERE day = ? AND counter = ? AND state IN (?, ?) "
            "ORDER BY called_at DESC LIMIT 1",
            (day.isoformat(), counter, *states),
        )
        return None if row is None else _from_row(row)

    def waiting_ahead(self, ticket: Ticket) -> int:
        """How many waiting tickets of the same group will be called before this one."""
        row = self._store.query_one(
            "SELECT count(*) FROM tickets WHERE day = ? AND grp = ? AND state = 'waiting' "
            "AND id != ? AND (priority_weight > ? OR (priority_weight = ? AND "
            "(arrived_at < ? OR (arrived_at = ? AND id < ?))))",
            (
                ticket.day.isoformat(),
                ticket.group,
                ticket.id,
                ticket.priority_weight,
                ticket.priority_weight,
                ticket.arrived_at.isoformat(),
                ticket.arrived_at.isoformat(),
                ticket.id,
            ),
        )
        return row[0]

    def visit_minutes(
        self, group: str, first: date, last: date, *, limit: int = 200
    ) -> list[float]:
        """Minutes of the finished visits in a group between two days (inclusive), newest
        first: from the start of service (or the call, when the clerk never pressed it) to
        the end. What the kiosk's wait estimate is made of (core.wait.minutes_per_visit)."""
        rows = self._store.query(
            "SELECT called_at, serving_at, finished_at FROM tickets WHERE day BETWEEN ? AND ? "
            "AND state = 'done' AND grp = ? AND finished_at IS NOT NULL "
            "AND called_at IS NOT NULL ORDER BY day DESC LIMIT ?",
            (first.isoformat(), last.isoformat(), group, limit),
        )
        return [
            (
                datetime.fromisoformat(r["finished_at"])
                - datetime.fromisoformat(r["serving_at"] or r["called_at"])
            ).total_seconds()
            / 60
            for r in rows
        ]

    def usual_visit_minutes(self, group: str, first: date, last: date) -> list[float]:
        """`visit_minutes` over earlier days, read once per group and day: the days before
        today are over, and reading 28 of them cost the kiosk's commit a millisecond for
        every ticket (a late replica's visit can wait for tomorrow's figure)."""
        key = (group, first, last)
        if key not in self._usual:
            if any(k[2] != last for k in self._usual):
                self._usual.clear()  # a new day: yesterday's figures go
            self._usual[key] = self.visit_minutes(group, first, last)
        return self._usual[key]

    def counters_called(self, day: date) -> set[int]:
        """The counters that called a citizen on this day: the ones with somebody at them."""
        rows = self._store.query(
            "SELECT DISTINCT counter FROM tickets WHERE day = ? AND counter IS NOT NULL",
            (day.isoformat(),),
        )
        return {r[0] for r in rows}

    def called_history(self, day: date, groups: Iterable[str]) -> list[bool]:
        """Was each ticket called today in these groups a priority one, oldest call first
        (what the ratio policy counts)."""
        groups = list(groups)
        rows = self._store.query(
            "SELECT priority_weight > 0 FROM tickets WHERE day = ? AND called_at IS NOT NULL "
            f"AND grp IN ({','.join('?' * len(groups))}) ORDER BY called_at, id",
            [day.isoformat(), *groups],
        )
        return [bool(r[0]) for r in rows]

    def call_reasons(self, start: date, end: date) -> dict[str, int]:
        """Calls out of turn between two days, counted per reason code."""
        rows = self._store.query(
            "SELECT call_reason, count(*) FROM tickets WHERE day BETWEEN ? AND ? "
            "AND call_reason != '' GROUP BY call_reason ORDER BY call_reason",
            (start.isoformat(), end.isoformat()),
        )
        return {r[0]: r[1] for r in rows}

    def count(self) -> int:
        return self._store.query_one("SELECT count(*) FROM tickets")[0]
