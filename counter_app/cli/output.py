"""Turning results into Vietnamese lines or JSON for the command line."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any

import click

from counter_app.core.dossier import STATUS_NAMES, Dossier
from counter_app.core.queue import STATE_NAMES, Ticket


def to_jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value) if f.init}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def emit_json(value: Any) -> None:
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


def hhmm_date(value: datetime | None) -> str:
    """Vietnamese slip style: 09 giờ 00 phút, ngày 06/05/2026."""
    if value is None:
        return "—"
    return f"{value:%H} giờ {value:%M} phút, ngày {value:%d/%m/%Y}"


def ticket_json(ticket: Ticket, **extra: Any) -> dict:
    return {**to_jsonable(ticket), "label": ticket.label, **extra}


def ticket_line(ticket: Ticket, lang: str) -> str:
    state = STATE_NAMES[ticket.state][0 if lang == "vi" else 1]
    where = f" · quầy {ticket.counter}" if ticket.counter else ""
    return f"{ticket.label:<6} {state}{where} · đến lúc {ticket.arrived_at:%H:%M}"


def dossier_json(dossier: Dossier, **extra: Any) -> dict:
    data = to_jsonable(dossier)
    data["status_name"] = STATUS_NAMES[dossier.status][0]
    return {**data, **extra}


def dossier_line(dossier: Dossier, lang: str) -> str:
    status = STATUS_NAMES[dossier.status][0 if lang == "vi" else 1]
    return (
        f"{dossier.code}  {dossier.applicant.full_name:<28} {dossier.procedure_name[:40]:<40} "
        f"{status}"
    )
