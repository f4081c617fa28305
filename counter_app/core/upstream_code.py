"""Dossier codes an upstream issues (dialect `motcua`), and the offline ones we make in
their shape from a block of the daily sequence reserved with the province.

These codes are the upstream's, not ours: a ministry system issues `G09.20-20260609-0092637`,
so nothing here checks them against our 2018 pattern (core/dossier_code.py). What we rely on
is only that they carry their day as `-YYYYMMDD-`, which is what makes a pool serve one day.
"""

from __future__ import annotations

import re
from datetime import date

_DAY = re.compile(r"-(\d{4})(\d{2})(\d{2})-")


def code_day(code: str) -> date | None:
    """The day a code carries, or None when it carries none we can read."""
    for match in _DAY.finditer(code):
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            continue
    return None


def format_offline_code(agency: str, day: date, number: int) -> str:
    """An offline code in the upstream's own shape (agency, day, seven-digit number), so it
    reads like the server's and the upstream can recognise its reserved block."""
    return f"{agency}-{day:%Y%m%d}-{number:07d}"
