"""One search box for the clerk: dossier code, ID number, phone, or name with or without marks."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from counter_app.core.citizen import normalize_phone
from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import Dossier, DossierStatus
from counter_app.core.errors import ValidationError
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext

_CODE_PREFIX = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}(-\d{0,6}(-\d{0,4})?)?$")
_DIGITS = re.compile(r"[\s.\-()+]")


def search_dossiers(ctx: ServiceContext, text: str, *, limit: int = 50) -> list[Dossier]:
    ctx.actor.require(Permission.READ_DOSSIERS)
    query = text.strip()
    if not query:
        return []
    repo = ctx.store.dossiers
    if _CODE_PREFIX.match(query.upper()):
        return repo.by_code_prefix(query.upper(), limit)
    digits = _DIGITS.sub("", query)
    if digits.isdigit():
        if len(digits) == 12:  # phones have 10 or 11 digits
            return repo.by_citizen_id(digits, limit)
        try:
            return repo.by_phone(normalize_phone(query), limit)
        except ValidationError:
            return repo.by_citizen_id(digits, limit)
    return repo.by_name(query, limit)


def list_dossiers(
    ctx: ServiceContext,
    *,
    statuses: list[DossierStatus] | None = None,
    procedure_code: str | None = None,
    since: date | None = None,
    until: date | None = None,
    overdue: bool = False,
    limit: int = 200,
) -> list[Dossier]:
    """The dossier list with its filters: status, procedure, received between, overdue now."""
    ctx.actor.require(Permission.READ_DOSSIERS)
    start = datetime.combine(since, time(0), VN_TZ) if since else None
    end = datetime.combine(until + timedelta(days=1), time(0), VN_TZ) if until else None
    return ctx.store.dossiers.listing(
        statuses=statuses,
        procedure_code=procedure_code or None,
        received_from=start,
        received_to=end,
        overdue_at=ctx.now() if overdue else None,
        limit=limit,
    )
