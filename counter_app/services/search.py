"""One search box for the clerk: dossier code, ID number, phone, or name with or without marks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from counter_app.core.citizen import normalize_phone
from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import Dossier, DossierStatus
from counter_app.core.errors import ValidationError
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext
from counter_app.store.dossiers import DossierMatch

_CODE_PREFIX = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}(-\d{0,6}(-\d{0,4})?)?$")
_DIGITS = re.compile(r"[\s.\-()+]")


@dataclass(frozen=True)
class DossierPage:
    """The dossiers shown, how many match in all (the list stops at its limit), and what the
    dates left out: `dates_ignored` when a code, an ID number or a phone was typed (they name
    the citizen's dossiers whenever received), `outside_dates` how many more a name matches
    outside "received from ... to ..."."""

    dossiers: list[Dossier]
    total: int
    dates_ignored: bool = False
    outside_dates: int = 0


def _match(text: str) -> DossierMatch | None:
    """What the clerk typed: a dossier code (or its start), an ID number, a phone, a name."""
    query = text.strip()
    if not query:
        return None
    if _CODE_PREFIX.match(query.upper()):
        return DossierMatch("code_prefix", query.upper())
    digits = _DIGITS.sub("", query)
    if digits.isdigit():
        if len(digits) == 12:  # phones have 10 or 11 digits
            return DossierMatch("citizen_id", digits)
        try:
            return DossierMatch("phone", normalize_phone(query))
        except ValidationError:
            return DossierMatch("citizen_id", digits)
    return DossierMatch("name", query)


def search_dossiers(ctx: ServiceContext, text: str, *, limit: int = 50) -> list[Dossier]:
    ctx.actor.require(Permission.READ_DOSSIERS)
    match = _match(text)
    if match is None:
        return []
    repo = ctx.store.dossiers
    if match.kind == "code_prefix":
        return repo.by_code_prefix(match.value, limit)
    if match.kind == "name":
        return repo.by_name(match.value, limit)
    return repo.listing(match=match, limit=limit)


def find_dossiers(
    ctx: ServiceContext,
    *,
    text: str = "",
    statuses: list[DossierStatus] | None = None,
    procedure_code: str | None = None,
    since: date | None = None,
    until: date | None = None,
    overdue: bool = False,
    any_date: bool = False,
    limit: int = 200,
) -> DossierPage:
    """The dossier page's list: what was typed AND every filter, with the full count.

    A typed name used to replace the filters, so "Nguyễn" with "quá hạn" listed every
    Nguyễn; and the list stopped at 200 without saying how many matched. The dates are
    the exception: the page opens on the last 30 days, and a citizen back for a 30-day
    result was "0 hồ sơ". A code, an ID number or a phone finds the dossier whatever the
    dates; a name says how many it matches outside them (`any_date` shows those too).
    """
    ctx.actor.require(Permission.READ_DOSSIERS)
    match = _match(text)
    dates_ignored = any_date or (match is not None and match.kind != "name")
    filters = {
        "statuses": statuses,
        "procedure_code": procedure_code or None,
        "overdue_at": ctx.now() if overdue else None,
        "match": match,
    }
    dates = {
        "received_from": datetime.combine(since, time(0), VN_TZ) if since else None,
        "received_to": (
            datetime.combine(until + timedelta(days=1), time(0), VN_TZ) if until else None
        ),
    }
    if not dates_ignored:
        filters.update(dates)
    repo = ctx.store.dossiers
    found = repo.listing(**filters, limit=limit)
    total = len(found) if len(found) < limit else repo.count_listing(**filters)
    outside = 0
    if match is not None and not dates_ignored and any(dates.values()):
        everywhen = {k: v for k, v in filters.items() if k not in dates}
        outside = repo.count_listing(**everywhen) - total
    return DossierPage(found, total, dates_ignored=dates_ignored, outside_dates=outside)


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
    return find_dossiers(
        ctx, statuses=statuses, procedure_code=procedure_code, since=since, until=until,
        overdue=overdue, limit=limit,
    ).dossiers  # fmt: skip
