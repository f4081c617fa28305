"""Conflicts a clerk settles: upstream changes sync could not apply (a status that
contradicts a local change, an unknown dossier or change kind, a bad catalogue).

Sync never drops them (sync/engine.py stores them in `sync_conflicts`); here a clerk lists
them and decides:
- keep "portal": the portal's status is applied through the core status machine, with the
  dossier event, the audit entry and the outbox row (the portal is told the move was
  made) in the same transaction as the resolution;
- keep "local": nothing changes locally; the conflict is closed with the clerk's note.
Only someone allowed to change statuses (admin or clerk) may resolve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from counter_app.core import dossier as rules
from counter_app.core.clock import check_clock, system_now, vn_time
from counter_app.core.errors import NotFound, ValidationError
from counter_app.core.messages import register
from counter_app.core.portal_fields import progress_record
from counter_app.core.roles import Actor, Permission
from counter_app.services.station import load_station
from counter_app.store import Store

register(
    {
        "sync.conflict_not_found": {
            "vi": "Không có xung đột số {id} đang chờ xử lý.",
            "en": "There is no open conflict number {id}.",
        },
        "sync.conflict_keep": {
            "vi": "Chọn giữ «local» (trạng thái tại máy) hoặc «portal» (trạng thái của Cổng).",
            "en": "Choose to keep 'local' (this station's status) or 'portal' (the portal's).",
        },
        "sync.conflict_no_status": {
            "vi": "Xung đột số {id} không mang trạng thái hồ sơ nào để áp dụng; chỉ có thể "
            "giữ trạng thái tại máy.",
            "en": "Conflict {id} carries no dossier status to apply; only 'local' is possible.",
        },
    }
)


@dataclass(frozen=True)
class ConflictView:
    id: int
    at: datetime
    kind: str
    entity_id: str
    local_status: int | None
    portal_status: int | None
    reason: str
    local_status_name: str
    portal_status_name: str
    portal_note: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "at": self.at.isoformat()}


def _status_name(status: int | None) -> str:
    if status is None:
        return ""
    try:
        return rules.STATUS_NAMES[rules.DossierStatus(status)][0]
    except (ValueError, KeyError):
        return str(status)


def list_conflicts(store: Store) -> list[ConflictView]:
    """Open conflicts, oldest first."""
    out = []
    for c in store.sync_state.conflicts():
        data = (c.change or {}).get("data") or {}
        out.append(
            ConflictView(
                id=c.id,
                at=c.at,
                kind=c.kind,
                entity_id=c.entity_id,
                local_status=c.local_status,
                portal_status=c.portal_status,
                reason=c.reason,
                local_status_name=_status_name(c.local_status),
                portal_status_name=_status_name(c.portal_status),
                portal_note=str(data.get("NoiDungXuLy") or "") if isinstance(data, dict) else "",
            )
        )
    return out


def resolve_conflict(
    store: Store,
    conflict_id: int,
    *,
    actor: Actor,
    keep: Literal["local", "portal"],
    note: str = "",
    clock: Callable[[], datetime] = system_now,
) -> dict[str, Any]:
    """Settle one open conflict; everything it writes commits together or not at all."""
    actor.require(Permission.CHANGE_STATUS)
    if keep not in ("local", "portal"):
        raise ValidationError("sync.conflict_keep", field="keep")
    now = vn_time(clock())
    check_clock(now, store.audit.trusted_time())  # the core's rule, as for any status move
    station = load_station(store)
    note = note.strip()
    with store.transaction():
        conflict = next((c for c in store.sync_state.conflicts() if c.id == conflict_id), None)
        if conflict is None:
            raise NotFound("sync.conflict_not_found", id=conflict_id)
        applied: dict[str, int] | None = None
        if keep == "portal":
            if conflict.kind != "dossier.status" or conflict.portal_status is None:
                raise ValidationError("sync.conflict_no_status", field="keep", id=conflict_id)
            before = store.dossiers.get(conflict.entity_id)
            if before is None:
                raise NotFound("sync.conflict_not_found", id=conflict_id)
            target = rules.parse_status(conflict.portal_status)
            text = note or "Theo trạng thái trên Cổng dịch vụ công"
            if before.status != target:
                # the core status machine decides whether the move is allowed
                after = rules.change_status(before, target, at=now, note=text)
                store.dossiers.update(after)
                store.dossiers.add_event(
                    after.code,
                    at=now,
                    kind="status",
                    actor=actor.username,
                    from_status=before.status,
                    to_status=after.status,
                    note=text,
                )
                store.outbox.append(
                    station_id=station.id,
                    entity="dossier",
                    entity_id=after.code,
                    op="dossier.status",
                    payload=progress_record(
                        after, previous=before.status, actor=actor.username, at=now, note=text
                    ),
                    at=now,
                )
                applied = {"from": int(before.status), "to": int(after.status)}
        store.audit.append(
            at=now,
            actor=actor.username,
            station_id=station.id,
            action="sync.conflict.resolved",
            entity=conflict.kind,
            entity_id=conflict.entity_id,
            detail={"conflict": conflict.id, "keep": keep, "note": note, "applied": applied},
        )
        if not store.sync_state.resolve_conflict(conflict.id, at=now, by=actor.username):
            raise NotFound("sync.conflict_not_found", id=conflict_id)
    return {"id": conflict.id, "keep": keep, "applied": applied, "note": note}
