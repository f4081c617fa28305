"""What a station reads before it opens its store: the language chosen in Settings, and
the screen it was enrolled for in a center.

Kept out of counter_app.store on purpose: importing the store loads the cryptography
bindings (~85 ms), which `counter-app --help` and the window's first paint must not wait for.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

LANGUAGES = ("vi", "en")
STORE_FILE = "counter.db"  # counter_app.store.STORE_FILE; a test keeps the two equal


def _stored(folder: Path, key: str):
    """One settings value, read-only, without migrations, keys or a write lock; None when
    there is no store yet, no such value, or the file cannot be read."""
    path = Path(folder) / STORE_FILE
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
        return json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError):
        return None


def stored_language(folder: Path) -> str | None:
    """The language an admin chose in Settings, read before anything opens the store.

    The window must install its language before its first widget, and the command line
    must know it before it parses (its usage errors are translated too). None when there
    is no choice: the caller falls back to Vietnamese.
    """
    value = _stored(folder, "language")
    return value if value in LANGUAGES else None


def joined_role(folder: Path) -> str:
    """The window a station opens when none is asked for: the role it was enrolled with.

    A PC invited to the center as the kiosk or the board must come back as that screen after
    a power cut, with nobody there to type --role; a hub, a single station or a folder with
    no store yet (the first-run wizard) opens them all.
    """
    station = _stored(folder, "station")
    if not isinstance(station, dict) or not station.get("in_center"):
        return "all-in-one"
    role = station.get("role")
    return role if role in ("counter", "kiosk", "display") else "all-in-one"
