"""What sync remembers between runs: pull cursor, credentials, clock offset, portal ids,
conflicts for a clerk, and a short history of rounds.

Writes happen inside the caller's transaction (`Store.transaction()`), so a pulled page and
the cursor that follows it commit together.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from counter_app.core.clock import PORTAL_CLOCK_DOUBT, plausible_epoch

if TYPE_CHECKING:
    from counter_app.store.database import Store

PUSHED_MOVE = "pushed_move:"  # sync_meta: where the portal's feed stood when it took a move


@dataclass(frozen=True)
class SyncConflict:
    id: int
    at: datetime
    change_seq: int
    kind: str
    entity_id: str
    local_status: int | None
    portal_status: int | None
    reason: str
    change: dict[str, Any]
    resolved_at: datetime | None


@dataclass(frozen=True)
class SyncRound:
    started_at: datetime
    finished_at: datetime
    ok: bool
    pushed: int
    pulled: int
    set_aside: int
    clock_offset: float | None
    error: str


class SyncStateRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    # key/value state (cursor, credentials, clock offset)
    def get(self, key: str, default: Any = None) -> Any:
        row = self._store.query_one("SELECT value FROM sync_meta WHERE key = ?", (key,))
        return default if row is None else json.loads(row["value"])

    def set(self, key: str, value: Any) -> None:
        self._store.conn.execute(
            "INSERT INTO sync_meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False)),
        )

    def delete(self, key: str) -> None:
        self._store.conn.execute("DELETE FROM sync_meta WHERE key = ?", (key,))

    # the portal's clock
    def record_clock(
        self, offset: float, *, measured_at: float, behind_limit: float = 600.0
    ) -> None:
        """Store the measured offset (portal clock minus local clock, seconds) and whether
        the local clock is behind by more than `behind_limit`: `local_clock_behind()` is what
        a rule refusing new codes consults. Nothing is ever written at the portal's time.

        A portal time that is no plausible date is not a measurement: nothing is stored.
        One further than `PORTAL_CLOCK_DOUBT` from ours is kept aside as doubtful
        (`doubtful_clock()`) and changes nothing, unless an admin confirmed an offset like
        it (`confirm_portal_clock`)."""
        if not plausible_epoch(measured_at + offset):
            return
        confirmed = self.get("clock_confirmed_offset")
        doubt = PORTAL_CLOCK_DOUBT.total_seconds()
        # a local clock that shows no plausible date (a flat battery: 2000) is the wrong one
        if (
            plausible_epoch(measured_at)
            and abs(offset) > doubt
            and not (isinstance(confirmed, int | float) and abs(offset - confirmed) <= doubt)
        ):
            self.set("clock_doubtful", {"offset": offset, "measured_at": measured_at})
            return
        self.set("clock_doubtful", None)
        self._believe(offset, measured_at=measured_at, behind_limit=behind_limit)

    def doubtful_clock(self) -> float | None:
        """The offset of the last portal reading kept aside as doubtful, if any."""
        value = self.get("clock_doubtful")
        return float(value["offset"]) if isinstance(value, dict) else None

    def confirm_portal_clock(self, *, behind_limit: float = 600.0) -> float | None:
        """An admin says the doubtful reading is right: it is believed from now on (and
        readings like it); returns its offset, None when there was none."""
        value = self.get("clock_doubtful")
        if not isinstance(value, dict):
            return None
        offset = float(value["offset"])
        self.set("clock_confirmed_offset", offset)
        self.set("clock_doubtful", None)
        self._believe(offset, measured_at=float(value["measured_at"]), behind_limit=behind_limit)
        return offset

    def _believe(self, offset: float, *, measured_at: float, behind_limit: float) -> None:
        self.set("clock_offset", offset)
        self.set("clock_measured_at", measured_at)
        self.set("clock_behind_s", offset if offset > behind_limit else None)

    def local_clock_behind(self) -> float | None:
        """Seconds the local clock was behind the portal at the last measurement, when more
        than the limit (10 minutes); None otherwise or when never measured."""
        return self._believable(self.get("clock_behind_s")) or None

    def clock_offset(self) -> float | None:
        """The last measured offset; None when never measured, or when an older version
        stored one that is no plausible date (inf, nan), so it breaks nothing."""
        return self._believable(self.get("clock_offset"))

    def _believable(self, offset: Any) -> float | None:
        if isinstance(offset, bool) or not isinstance(offset, int | float):
            return None
        measured = self.get("clock_measured_at")
        if not isinstance(measured, int | float) or isinstance(measured, bool):
            measured = time.time()
        return float(offset) if plausible_epoch(measured + offset) else None

    def cursor(self) -> str:
        return self.get("pull_cursor", "0")

    def set_cursor(self, cursor: str) -> None:
        self.set("pull_cursor", cursor)

    # portal ids
    def record_portal_id(
        self, key: str, *, entity: str, entity_id: str, portal_id: str, at: datetime
    ) -> None:
        self._store.conn.execute(
            "INSERT INTO sync_portal_ids(idem_key, entity, entity_id, portal_id, acked_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(idem_key) DO NOTHING",
            (key, entity, entity_id, portal_id, at.isoformat()),
        )

    def record_portal_ids(self, rows: list[tuple[str, str, str, str]], *, at: datetime) -> None:
        """`record_portal_id` for a batch: rows of (key, entity, entity_id, portal_id)."""
        self._store.conn.executemany(
            "INSERT INTO sync_portal_ids(idem_key, entity, entity_id, portal_id, acked_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(idem_key) DO NOTHING",
            [(*row, at.isoformat()) for row in rows],
        )

    def portal_id(self, key: str) -> str | None:
        row = self._store.query_one(
            "SELECT portal_id FROM sync_portal_ids WHERE idem_key = ?", (key,)
        )
        return None if row is None else row["portal_id"]

    def portal_ids(self) -> dict[str, str]:
        rows = self._store.query("SELECT idem_key, portal_id FROM sync_portal_ids")
        return {r["idem_key"]: r["portal_id"] for r in rows}

    # a dossier's own moves the portal took, against changes pulled later
    def record_pushed_move(self, code: str, change_seq: int) -> None:
        """The portal took a change of this dossier when its change feed stood at
        `change_seq`: pulled changes up to there are older than it."""
        if change_seq > (self.pushed_move(code) or 0):
            self.set(PUSHED_MOVE + code, change_seq)

    def pushed_move(self, code: str) -> int | None:
        value = self.get(PUSHED_MOVE + code)
        return value if isinstance(value, int) else None

    # conflicts
    def merge_conflict(
        self, *, entity_id: str, portal_status: int | None, change_seq: int, change: dict
    ) -> bool:
        """A pulled change that says what an open conflict of the same dossier already says
        (a move of ours the portal refused, since it had reached this status): the
        conflict takes the pulled change and its note instead of a second one opening."""
        cursor = self._store.conn.execute(
            "UPDATE sync_conflicts SET change_seq = ?, change = ? WHERE id = (SELECT id FROM "
            "sync_conflicts WHERE resolved_at IS NULL AND kind = 'dossier.status' AND "
            "entity_id = ? AND portal_status IS ? ORDER BY id DESC LIMIT 1)",
            (change_seq, json.dumps(change, ensure_ascii=False), entity_id, portal_status),
        )
        return cursor.rowcount > 0

    def has_open_conflict(self, entity_id: str, portal_status: int | None) -> bool:
        row = self._store.query_one(
            "SELECT 1 FROM sync_conflicts WHERE resolved_at IS NULL AND kind = "
            "'dossier.status' AND entity_id = ? AND portal_status IS ?",
            (entity_id, portal_status),
        )
        return row is not None

    def add_conflict(
        self,
        *,
        at: datetime,
        change_seq: int,
        kind: str,
        entity_id: str,
        local_status: int | None,
        portal_status: int | None,
        reason: str,
        change: dict[str, Any],
    ) -> int:
        cursor = self._store.conn.execute(
            "INSERT INTO sync_conflicts(at, change_seq, kind, entity_id, local_status, "
            "portal_status, reason, change) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                at.isoformat(),
                change_seq,
                kind,
                entity_id,
                local_status,
                portal_status,
                reason,
                json.dumps(change, ensure_ascii=False),
            ),
        )
        return cursor.lastrowid

    def conflicts(self, *, include_resolved: bool = False) -> list[SyncConflict]:
        where = "" if include_resolved else "WHERE resolved_at IS NULL"
        rows = self._store.query(f"SELECT * FROM sync_conflicts {where} ORDER BY id")
        return [
            SyncConflict(
                id=r["id"],
                at=datetime.fromisoformat(r["at"]),
                change_seq=r["change_seq"],
                kind=r["kind"],
                entity_id=r["entity_id"],
                local_status=r["local_status"],
                portal_status=r["portal_status"],
                reason=r["reason"],
                change=json.loads(r["change"]),
                resolved_at=datetime.fromisoformat(r["resolved_at"]) if r["resolved_at"] else None,
            )
            for r in rows
        ]

    def resolve_conflict(self, conflict_id: int, *, at: datetime, by: str) -> bool:
        cursor = self._store.conn.execute(
            "UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ? "
            "WHERE id = ? AND resolved_at IS NULL",
            (at.isoformat(), by, conflict_id),
        )
        return cursor.rowcount > 0

    # rounds
    def record_round(self, r: SyncRound) -> None:
        self._store.conn.execute(
            "INSERT INTO sync_rounds(started_at, finished_at, ok, pushed, pulled, set_aside, "
            "clock_offset, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                r.started_at.isoformat(),
                r.finished_at.isoformat(),
                int(r.ok),
                r.pushed,
                r.pulled,
                r.set_aside,
                r.clock_offset,
                r.error,
            ),
        )
        # keep a short history only
        self._store.conn.execute(
            "DELETE FROM sync_rounds WHERE id <= (SELECT max(id) - 500 FROM sync_rounds)"
        )

    def last_round(self, *, ok_only: bool = False) -> SyncRound | None:
        where = "WHERE ok = 1" if ok_only else ""
        row = self._store.query_one(f"SELECT * FROM sync_rounds {where} ORDER BY id DESC LIMIT 1")
        if row is None:
            return None
        return SyncRound(
            started_at=datetime.fromisoformat(row["started_at"]),
            finished_at=datetime.fromisoformat(row["finished_at"]),
            ok=bool(row["ok"]),
            pushed=row["pushed"],
            pulled=row["pulled"],
            set_aside=row["set_aside"],
            clock_offset=row["clock_offset"],
            error=row["error"],
        )
