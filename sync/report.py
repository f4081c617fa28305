"""What one sync round did, in its own module: the engine fills it and its pull half
(sync/pull.py) adds to it, and neither half has to import the other for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SyncReport:
    ok: bool = True
    pushed: int = 0
    duplicates: int = 0
    pulled: int = 0
    set_aside: int = 0
    retry_later: int = 0
    conflicts: int = 0
    held: int = 0  # pulled changes waiting for a local change to be sent first
    requests: int = 0
    bytes_sent: int = 0
    clock_offset: float | None = None
    clock_warning: bool = False
    clock_doubtful: bool = False  # the portal's clock was too far off to believe (ignored)
    waiting: int = 0
    error: str = ""
    set_aside_keys: list[str] = field(default_factory=list)
    # online dossiers (motcua inbox): taken in this round, and those refused with the reason
    online_taken: int = 0
    online_refused: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)
