"""The center's sync settings: portal address, dialect, and the upstream account.

Kept in the settings key `sync` ({"portal_url", "dialect", "credentials"}); the password is
sealed with the store's key like every secret, so a settings export or a support copy of the
database never shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_SEAL_CONTEXT = "sync.credentials"
SECRETS = ("password", "client_secret")


@dataclass(frozen=True)
class SyncSettings:
    portal_url: str = ""
    dialect: str = "reference"
    credentials: dict[str, str] = field(default_factory=dict, repr=False)


def load_settings(store) -> SyncSettings:
    raw = store.settings.get("sync", {}) or {}
    if not isinstance(raw, dict):
        raw = {}
    creds = dict(raw.get("credentials") or {})
    for name in SECRETS:
        sealed = creds.pop(f"{name}_sealed", "")
        if sealed:
            creds[name] = store.crypto.open(sealed, f"{_SEAL_CONTEXT}.{name}")
    return SyncSettings(
        portal_url=str(raw.get("portal_url") or ""),
        dialect=str(raw.get("dialect") or "reference"),
        credentials={k: str(v) for k, v in creds.items()},
    )


def save_settings(store, *, portal_url: str, dialect: str, credentials: dict[str, Any]) -> None:
    """Inside the caller's transaction; other keys of `sync` are kept."""
    raw = dict(store.settings.get("sync", {}) or {})
    creds = {k: str(v) for k, v in credentials.items() if k not in SECRETS}
    for name in SECRETS:
        if credentials.get(name):
            creds[f"{name}_sealed"] = store.crypto.seal(
                str(credentials[name]), f"{_SEAL_CONTEXT}.{name}"
            )
    raw.update({"portal_url": portal_url, "dialect": dialect, "credentials": creds})
    store.settings.set("sync", raw)
