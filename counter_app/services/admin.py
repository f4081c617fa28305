"""Admin use cases: settings, the station's counters and hours, the local calendar table."""

from __future__ import annotations

from dataclasses import replace

from counter_app.core.calendar import (
    CalendarOverride,
    OpeningHours,
    WorkingCalendar,
    validate_override,
)
from counter_app.core.counter_desk import check_counters
from counter_app.core.errors import ValidationError
from counter_app.core.messages import register
from counter_app.core.roles import Permission
from counter_app.core.text import nfc
from counter_app.services.context import ServiceContext
from counter_app.services.events import center_setting_event
from counter_app.services.station import CounterDesk, Station

register(
    {
        "settings.unknown": {
            "vi": "Không có mục cài đặt «{key}».",
            "en": "There is no setting '{key}'.",
        },
        "settings.bad_value": {
            "vi": "Giá trị của mục cài đặt «{key}» không hợp lệ.",
            "en": "The value of setting '{key}' is not valid.",
        },
        "settings.bad_url": {
            "vi": "Địa chỉ Cổng phải bắt đầu bằng https:// (hoặc http:// khi thử nghiệm).",
            "en": "The portal address must start with https:// (or http:// for tests).",
        },
        "settings.bad_printer": {
            "vi": "Địa chỉ máy in «{name}» không hợp lệ (ví dụ tcp://192.168.1.50:9100).",
            "en": "Printer '{name}' has an invalid address (e.g. tcp://192.168.1.50:9100).",
        },
        "settings.bad_counters": {
            "vi": "Mỗi quầy phải gọi các nhóm dịch vụ có trong danh mục.",
            "en": "Each counter must call service groups that exist in the catalogue.",
        },
    }
)


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
            payload=center_setting_event(
                "calendar",
                {
                    "day": override.day.isoformat(),
                    "kind": str(override.kind),
                    "note": override.note,
                },
                at=now,
            ),
            portal=False,  # the center's days off, for every station's due dates
        )
    return override


# Settings an admin may change, each with the check that keeps the station working.
EDITABLE = (
    "printers", "form_printer", "sync", "backup_folder", "backup_keep", "language",
    "retention_days",
)  # fmt: skip


def read_settings(ctx: ServiceContext) -> dict:
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    store = ctx.store
    return {
        "station": ctx.station.to_settings(),
        "printers": store.settings.get("printers", {}) or {},
        # the printer installed on the PC (Windows spooler, CUPS) for official A4/A5 forms
        "form_printer": store.settings.get("form_printer", "") or "",
        "sync": store.settings.get("sync", {}) or {},
        "backup_folder": store.settings.get("backup_folder", "") or "",
        "backup_keep": store.settings.get("backup_keep", 14),
        "language": store.settings.get("language", "vi"),
        "retention_days": store.settings.get("retention_days", 5 * 365),
        "calendar_overrides": store.catalogue.overrides(),
    }


def _check_setting(key: str, value) -> None:
    if key not in EDITABLE:
        raise ValidationError("settings.unknown", field=key, key=key)
    if key == "language" and value not in ("vi", "en"):
        raise ValidationError("settings.bad_value", field=key, key=key)
    if key == "form_printer" and (not isinstance(value, str) or len(value) > 200):
        raise ValidationError("settings.bad_value", field=key, key=key)
    if key in ("backup_keep", "retention_days") and (not isinstance(value, int) or value < 1):
        raise ValidationError("settings.bad_value", field=key, key=key)
    if key == "sync":
        url = str((value or {}).get("portal_url", ""))
        if url and not url.startswith(("http://", "https://")):
            raise ValidationError("settings.bad_url", field=key)
    if key == "printers":
        from urllib.parse import urlsplit

        for name, url in (value or {}).items():
            if name == "default":
                continue  # the name of the printer used when none is given
            if "://" not in str(url) or not urlsplit(str(url)).scheme:
                raise ValidationError("settings.bad_printer", field=key, name=name)


def save_settings(ctx: ServiceContext, **changes) -> dict:
    """Save several settings at once: all are checked before any is written."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    for key, value in changes.items():
        _check_setting(key, value)
    now = ctx.now()
    with ctx.store.transaction():
        for key, value in changes.items():
            ctx.store.settings.set(key, value)
        ctx.journal(
            at=now, action="settings.save", entity="settings", entity_id=",".join(sorted(changes))
        )
    return read_settings(ctx)


def update_station(
    ctx: ServiceContext,
    *,
    center_name: str | None = None,
    center_address: str | None = None,
    counters: dict[int, tuple[str, ...]] | None = None,
    opening_hours: dict | None = None,
) -> Station:
    """Center details, which groups each counter calls, and opening hours."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    station = ctx.station
    changes: dict = {}
    if center_name is not None:
        name = " ".join(nfc(center_name).split())
        if not name:
            raise ValidationError("setup.center_name", field="center_name")
        changes["center_name"] = name
    if center_address is not None:
        changes["center_address"] = " ".join(nfc(center_address).split())
    if counters is not None:
        if not counters:
            raise ValidationError("settings.bad_counters", field="counters")
        check_counters(counters, (g.letter for g in ctx.catalogue().groups))
        changes["counters"] = tuple(
            CounterDesk(number, tuple(groups)) for number, groups in sorted(counters.items())
        )
    if opening_hours is not None:
        changes["opening_hours"] = OpeningHours.from_dict(opening_hours)
    updated = replace(station, **changes)
    now = ctx.now()
    with ctx.store.transaction():
        ctx.store.settings.set("station", updated.to_settings())
        ctx.journal(
            at=now, action="station.update", entity="station", entity_id=station.id,
            detail={"changed": sorted(changes)},
            payload=center_setting_event("station", _shared(updated, changes), at=now),
            portal=False,  # the center's name, counters and hours are every station's
        )  # fmt: skip
    return updated


def _shared(station: Station, changes: dict) -> dict:
    settings = station.to_settings()
    return {name: settings[name] for name in changes}
