"""Dossier codes issued by a `motcua` upstream: the day's pool, its refill, and the
offline block intake falls back to (design and legal reading: docs/dialects.md).

Under `motcua` the province's one-door system issues every dossier code (`GetNextValue`),
and its codes carry their day. Intake must still give a receipt on the spot with the link
down, so while online the station keeps a pool of today's codes (refilled up to a cap, about
two hours of its usual intake), and intake takes one in the transaction that writes the
dossier. With the pool empty, intake takes the next number of the block of the daily
sequence the province reserved for this station's offline use, in the upstream's shape; that
code reaches the upstream with its dossier. Codes of earlier days are never served: they
stay in the pool as 'unused', for the report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from counter_app.core.dossier_code import SequenceBlock
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from counter_app.core.roles import Permission
from counter_app.core.upstream_code import code_day, format_offline_code
from counter_app.services.context import ServiceContext

register(
    {
        "code_pool.no_block": {
            "vi": "Đã hết mã hồ sơ do hệ thống một cửa cấp cho hôm nay và trạm chưa có dải "
            "số dự phòng khi mất mạng. Hãy kết nối mạng để lấy thêm mã, hoặc nhờ quản trị "
            "viên khai báo dải số đã thống nhất với tỉnh.",
            "en": "Today's dossier codes from the one-door system are used up and this station "
            "has no reserved offline block. Connect to fetch more codes, or ask an admin to set "
            "the block agreed with the province.",
            "cli_vi": "Khai báo dải số: counter-app sync code-pool --offline-block",
            "cli_en": "To set the block: counter-app sync code-pool --offline-block",
        },
        "code_pool.offline_notice": {
            "vi": "Mã hồ sơ này là mã dự phòng khi mất kết nối (dải số đã thống nhất với "
            "tỉnh); mã có giá trị suốt đời hồ sơ như mã do hệ thống cấp, hồ sơ được gửi lên "
            "hệ thống một cửa khi có mạng trở lại.",
            "en": "This dossier's code is an offline one (from the block agreed with the "
            "province); it is the dossier's code for life, like a server-issued one, and the "
            "dossier reaches the one-door system once the link is back.",
        },
        "code_pool.bad_cap": {
            "vi": "Số mã giữ sẵn phải từ 1 đến {high}.",
            "en": "The number of codes kept ready must be between 1 and {high}.",
        },
    }
)

MIN_CAP, MAX_CAP = 5, 500
POOL_HOURS = 2  # the pool holds about this many hours of usual intake
OPEN_HOURS = 8  # a working day at the counter
USUAL_DAYS = 28  # how far back "usual intake" looks


class CodeSource(Protocol):
    """What a refill asks codes of (sync/dialects/motcua.py: `GetNextValue`). Raises the
    sync client's errors when the link fails; returns a code whose shape it checked."""

    def next_code(self) -> str: ...


@dataclass(frozen=True)
class PoolSettings:
    offline_block: SequenceBlock | None = None
    cap: int | None = None  # None: two hours of usual intake


@dataclass(frozen=True)
class RefillReport:
    fetched: int  # codes the upstream issued this time
    free: int  # today's free codes now
    cap: int
    other_day: int = 0  # issued for another day than ours: kept as unused, never served


def uses_pool(store) -> bool:
    """Only a `motcua` upstream issues codes; every other dialect uses our own."""
    raw = store.settings.get("sync", {}) or {}
    return isinstance(raw, dict) and raw.get("dialect") == "motcua"


def upstream_agency(store, agency_code: str) -> str:
    """The agency the upstream issues codes for: the `agency` credential, else ours."""
    raw = store.settings.get("sync", {}) or {}
    creds = raw.get("credentials", {}) if isinstance(raw, dict) else {}
    return str((creds or {}).get("agency") or agency_code)


def load_pool_settings(store) -> PoolSettings:
    raw = store.settings.get("code_pool", {}) or {}
    block = raw.get("offline_block")
    cap = raw.get("cap")
    return PoolSettings(
        offline_block=SequenceBlock(*block) if block else None,
        cap=int(cap) if cap else None,
    )


def configure_code_pool(
    ctx: ServiceContext,
    *,
    offline_block: tuple[int, int] | None = None,
    cap: int | None = None,
    clear_cap: bool = False,
) -> PoolSettings:
    """Set the reserved offline block agreed with the province and/or the pool's cap."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    block = SequenceBlock(*offline_block) if offline_block else None  # refuses a bad block
    if cap is not None and not 1 <= cap <= MAX_CAP:
        raise ValidationError("code_pool.bad_cap", field="cap", high=MAX_CAP)
    now = ctx.now()
    with ctx.store.transaction():
        raw = dict(ctx.store.settings.get("code_pool", {}) or {})
        if block is not None:
            raw["offline_block"] = [block.start, block.end]
        if cap is not None:
            raw["cap"] = cap
        if clear_cap:
            raw.pop("cap", None)
        ctx.store.settings.set("code_pool", raw)
        ctx.journal(
            at=now,
            action="settings.code_pool",
            entity="settings",
            entity_id="code_pool",
            detail=raw,
        )
    return load_pool_settings(ctx.store)


def pool_cap(ctx: ServiceContext) -> int:
    """The setting, else two hours of this station's usual intake (dossiers per day with
    intake over the past four weeks, over an eight-hour day), within 5..500."""
    configured = load_pool_settings(ctx.store).cap
    if configured:
        return configured
    since = (ctx.now() - timedelta(days=USUAL_DAYS)).isoformat()
    row = ctx.store.query_one(
        "SELECT count(*), count(DISTINCT substr(received_at, 1, 10)) FROM dossiers "
        "WHERE received_at >= ?",
        (since,),
    )
    per_day = row[0] / row[1] if row and row[1] else 0.0
    return min(MAX_CAP, max(MIN_CAP, math.ceil(per_day * POOL_HOURS / OPEN_HOURS)))


def take_dossier_code(ctx: ServiceContext, day: date, at: datetime) -> tuple[str, bool]:
    """The code for a dossier received on `day`, inside the caller's write transaction:
    the oldest free code of the day's pool, else the next of the reserved offline block.
    Returns (code, offline)."""
    key = day.isoformat()
    ctx.store.code_pool.retire_before(key)
    code = ctx.store.code_pool.take(key, at)
    if code is not None:
        return code, False
    block = load_pool_settings(ctx.store).offline_block
    if block is None:
        raise DomainError("code_pool.no_block")
    agency = upstream_agency(ctx.store, ctx.station.agency_code)
    while True:
        number = ctx.store.sequences.take(
            f"dossier-offline:{agency}", key, lambda last: block.next_number(last, day)
        )
        code = format_offline_code(agency, day, number)
        # a number the upstream issued to us after all (a block set wider than agreed) is
        # already on a receipt or in the pool: skipped, never printed twice
        if ctx.store.code_pool.record_offline(code, day=key, at=at):
            return code, True


def refill_code_pool(ctx: ServiceContext, client: CodeSource) -> RefillReport:
    """Ask the upstream for codes until today's free ones reach the cap.

    Each code is stored in its own transaction the moment it arrives (the upstream issued
    it: dropping it would lose it), so a failure midway keeps what came before it and
    changes nothing else; the failure itself (a 5xx, a dead link) reaches the caller.
    A code dated another day (the upstream's clock, or midnight passing) is kept as unused
    and ends the refill.
    """
    ctx.actor.require(Permission.CHANGE_STATUS)
    cap = pool_cap(ctx)
    today = ctx.check_clock().date()
    key = today.isoformat()
    with ctx.store.transaction():
        ctx.store.code_pool.retire_before(key)
    fetched = other_day = 0
    while ctx.store.code_pool.free(key) < cap:
        code = client.next_code()
        day = code_day(code) or today
        at = ctx.now()
        with ctx.store.transaction():
            fresh = ctx.store.code_pool.add(
                code, day=day.isoformat(), at=at, state="free" if day == today else "unused"
            )
            free = ctx.store.code_pool.free(key)
            ctx.journal(
                at=at,
                action="code_pool.refill",
                entity="code_pool",
                entity_id=code,
                detail={"day": day.isoformat(), "free": free, "held_before": not fresh},
            )
        if not fresh:
            break  # the upstream gave a code we hold: asking again would not help
        fetched += 1
        if day != today:
            other_day += 1
            break
    return RefillReport(
        fetched=fetched, free=ctx.store.code_pool.free(key), cap=cap, other_day=other_day
    )


def is_offline_code(ctx: ServiceContext, code: str) -> bool:
    """Whether a dossier's code came from the reserved offline block (the receipt screen
    says so: the code is valid for life, the upstream learns of it when the link is back)."""
    ctx.actor.require(Permission.DRAFT_DOSSIER)  # whoever can give a dossier its code
    return ctx.store.code_pool.is_offline(code)


def pool_status(ctx: ServiceContext) -> dict:
    """Today's free codes, the cap, the offline block, and the per-day report."""
    ctx.actor.require(Permission.READ_DOSSIERS)
    settings = load_pool_settings(ctx.store)
    block = settings.offline_block
    return {
        "enabled": uses_pool(ctx.store),
        "today_free": ctx.store.code_pool.free(ctx.now().date().isoformat()),
        "cap": pool_cap(ctx),
        "offline_block": [block.start, block.end] if block else None,
        "days": ctx.store.code_pool.summary(),
    }
