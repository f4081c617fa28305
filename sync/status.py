"""What `sync status` shows, read from the store: backlog, items set aside, conflicts, the
last rounds and the clock against the portal's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from counter_app.core.clock import system_now, vn_time
from counter_app.core.messages import MESSAGES
from counter_app.store import Store
from sync.engine import SyncConfig


def sync_status(store: Store, *, now: datetime | None = None) -> dict[str, Any]:
    """What `sync status` shows: backlog, items set aside, conflicts, last sync, clock."""
    now = vn_time(now or system_now())
    counts = store.outbox.counts()
    oldest = store.outbox.oldest_pending_at()
    last = store.sync_state.last_round()
    last_ok = store.sync_state.last_round(ok_only=True)
    offset = store.sync_state.clock_offset()
    return {
        "waiting": counts.get("waiting", 0) + counts.get("sending", 0),
        "sending": counts.get("sending", 0),
        "synced": counts.get("synced", 0),
        "attention": counts.get("attention", 0),
        "oldest_waiting_at": oldest,
        "oldest_waiting_age_s": (now - vn_time(oldest)).total_seconds() if oldest else None,
        "attention_items": [
            {
                "key": i.idem_key,
                "op": i.op,
                "entity_id": i.entity_id,
                "tries": i.tries,
                "reason": i.last_error,
            }
            for i in store.outbox.attention(50)
        ],
        "conflicts": [
            {
                "id": c.id,
                "entity_id": c.entity_id,
                "local_status": c.local_status,
                "portal_status": c.portal_status,
                "reason": c.reason,
            }
            for c in store.sync_state.conflicts()
        ],
        "last_sync_at": last.finished_at if last else None,
        "last_sync_ok": last.ok if last else None,
        "last_sync_error": last.error if last else "",
        "last_success_at": last_ok.finished_at if last_ok else None,
        "clock_offset_s": offset,
        "clock_warning": offset is not None and abs(offset) > SyncConfig.clock_warn_seconds,
        "clock_behind_s": store.sync_state.local_clock_behind(),
        "clock_doubtful_s": store.sync_state.doubtful_clock(),
        "clock_message": clock_message(
            offset, store.sync_state.local_clock_behind(), store.sync_state.doubtful_clock()
        ),
        "pull_cursor": store.sync_state.cursor(),
    }


def clock_message(
    offset: float | None, behind: float | None = None, doubtful: float | None = None
) -> str:
    """The Vietnamese warning for a clock far off the portal's ('' when it is fine); a
    reading too far off to believe says so instead."""
    if doubtful is not None:
        return MESSAGES["clock.portal_doubtful"]["vi"].format(days=doubt_days(doubtful))
    if offset is None or abs(offset) <= SyncConfig.clock_warn_seconds:
        return ""
    minutes = max(1, round(abs(offset) / 60))
    way = "chậm" if offset > 0 else "nhanh"
    text = f"Đồng hồ máy lệch {minutes} phút so với Cổng (máy {way} hơn)."
    if behind:
        text += " Không cấp mã hồ sơ mới cho đến khi chỉnh lại đồng hồ."
    return text


def doubt_days(offset: float) -> int:
    return max(1, round(abs(offset) / 86_400))
