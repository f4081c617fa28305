"""The catalogue in force and the local calendar overrides: data that sync may replace."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING

from counter_app.core.calendar import CalendarOverride
from counter_app.core.catalogue import Catalogue, catalogue_to_dict, parse_catalogue

if TYPE_CHECKING:
    from counter_app.store.database import Store


# Parsed catalogues by version stamp, shared by every store opened in this process (the
# window's threads each open their own); a catalogue is immutable once parsed.
_PARSED: dict[str, Catalogue] = {}


class CatalogueRepository:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._cached: tuple[str, Catalogue] | None = None

    def replace(self, catalogue: Catalogue, *, at: datetime) -> None:
        self._store.conn.execute(
            "INSERT INTO catalogue(id, version, data, loaded_at) VALUES (1, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data, "
            "loaded_at = excluded.loaded_at",
            (
                catalogue.version,
                json.dumps(catalogue_to_dict(catalogue), ensure_ascii=False),
                at.isoformat(),
            ),
        )
        self._cached = None

    def current(self) -> Catalogue | None:
        """The catalogue in force; parsed again only when sync or an admin replaced it."""
        row = self._store.query_one("SELECT version, loaded_at FROM catalogue WHERE id = 1")
        if row is None:
            return None
        stamp = f"{row['version']}@{row['loaded_at']}"
        if self._cached is None or self._cached[0] != stamp:
            parsed = _PARSED.get(stamp)  # another connection of this process read it already
            if parsed is None:
                data = self._store.query_one("SELECT data FROM catalogue WHERE id = 1")["data"]
                parsed = _PARSED[stamp] = parse_catalogue(json.loads(data))
            self._cached = (stamp, parsed)
        return self._cached[1]

    def overrides(self) -> list[CalendarOverride]:
        rows = self._store.query("SELECT day, kind, note FROM calendar_overrides ORDER BY day")
        return [CalendarOverride(date.fromisoformat(r["day"]), r["kind"], r["note"]) for r in rows]

    def set_override(self, override: CalendarOverride) -> None:
        self._store.conn.execute(
            "INSERT INTO calendar_overrides(day, kind, note) VALUES (?, ?, ?) "
            "ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, note = excluded.note",
            (override.day.isoformat(), override.kind, override.note),
        )

    def remove_override(self, day: date) -> bool:
        cursor = self._store.conn.execute(
            "DELETE FROM calendar_overrides WHERE day = ?", (day.isoformat(),)
        )
        return cursor.rowcount > 0
