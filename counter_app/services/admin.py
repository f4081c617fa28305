"""Admin use cases: the local calendar table (swapped days, extra days off)."""

from __future__ import annotations

from counter_app.core.calendar import CalendarOverride, WorkingCalendar, validate_override
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext


def set_calendar_override(ctx: ServiceContext, override: CalendarOverride) -> CalendarOverride:
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    override = validate_override(override)
    # Building a calendar with the new table checks it as a whole (no day both off and work).
    WorkingCalendar(overrides=[*ctx.store.catalogue.overrides(), override])
    now = ctx.now()
    with ctx.store.transaction():
        ctx.store.catalogue.set_override(override)
        ctx.journal(
            at=now,
            action="calendar.override",
            entity="calendar",
            entity_id=override.day.isoformat(),
            detail={"kind": str(override.kind), "note": override.note},
        )
    return override
