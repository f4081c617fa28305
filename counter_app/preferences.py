"""What a station reads before it opens its store: the language chosen in Settings.

Kept out of counter_app.store on purpose: importing the store loads the cryptography
bindings (~85 ms), which `counter-app --help` and the window's first paint must not wait for.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

LANGUAGES = ("vi", "en")
STORE_FILE = "counter.db"  # counter_app.store.STORE_FILE; a test keeps the two equal


def stored_language(folder: Path) -> str | None:
    """The language an admin chose in Settings, read before anything opens the store.

    The window must install its language before its first widget, and the command line
    must know it before it parses (its usage errors are translated too), so this reads the
    one row read-only, without migrations, keys or a write lock. None when there is no
    store yet, no choice, or the file cannot be read: the caller falls back to Vietnamese.
    """
    path = Path(folder) / STORE_FILE
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'language'").fetchone()
        finally:
            conn.close()
        value = json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError):
        return None
    return value if value in LANGUAGES else None
