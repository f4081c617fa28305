"""What a dialect hands back to the item engine (sync/item_engine.py).

`send` returns the upstream's id for the event (None when this upstream has no place for
it); a refusal raises `Rejected` with a Vietnamese reason; a failed link raises the sync
client's `TransportError`; any other `PortalError` (a refused login) stops the round.
"""

from __future__ import annotations

from sync.errors import PortalError


class Rejected(PortalError):
    """The upstream refused this one record. `permanent`: sending it again cannot help
    (a field it will not take); otherwise it is tried again later, like a lost answer,
    and that try looks up what the upstream holds first."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason, self.permanent = reason, permanent


class LoginRefused(PortalError):
    """The upstream refused the account: nothing can be sent this round."""
