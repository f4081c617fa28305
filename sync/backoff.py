"""How long a retry waits: shared by the portal sync engines."""

from __future__ import annotations

import random


def backoff_delay(tries: int, base: float, cap: float, rng: random.Random = random) -> float:  # type: ignore[assignment]
    """Exponential backoff with 'equal jitter': between half and all of base * 2^tries."""
    delay = min(cap, base * (2 ** max(0, tries)))
    return delay * (0.5 + rng.random() / 2)
