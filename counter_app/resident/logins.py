"""Right passwords remembered for a few minutes by the resident service, in memory only,
so that a clerk's tenth `queue call-next` in a row does not pay scrypt again.

Why it is safe:
- What is kept is an HMAC, under a random key made when the service starts and never
  written anywhere, of (username, password, the account's stored hash). Neither the
  password nor anything that tests a guess against it without the key leaves memory.
- Only a password that passed the full check is remembered. A wrong one never matches a
  remembered mark, so it always takes the full scrypt check and is counted toward the
  lock exactly as before (services/accounts.login does the counting, not this).
- login() reads the account every time before it asks: a locked, disabled or deleted
  account is refused as today, and its role is read fresh. A changed password changes
  the stored hash, so the old mark matches nothing. Any refusal forgets the account's
  marks (`forget`), and marks lapse after KEEP_S in any case.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

from counter_app.core import passwords

KEEP_S = 300.0
MOST = 64  # marks kept at once: a station has a handful of accounts


class VerifiedLogins:
    def __init__(self, keep_s: float = KEEP_S, clock: Callable[[], float] = time.monotonic):
        self._key = secrets.token_bytes(32)
        self._keep_s = keep_s
        self._clock = clock
        self._marks: dict[bytes, tuple[str, float]] = {}  # mark -> (username, until)

    def verifier(self, username: str) -> Callable[[str, str], bool]:
        """A password check for services/accounts.login, for the account `username`."""
        name = username.strip().lower()

        def verify(password: str, stored_hash: str) -> bool:
            mark = self._mark(name, password, stored_hash)
            kept = self._marks.get(mark)
            if kept is not None and kept[1] > self._clock():
                return True
            ok = passwords.verify_password(password, stored_hash)
            if ok:
                self._remember(mark, name)
            else:
                self.forget(name)
            return ok

        return verify

    def forget(self, username: str) -> None:
        name = username.strip().lower()
        self._marks = {m: kept for m, kept in self._marks.items() if kept[0] != name}

    def _mark(self, name: str, password: str, stored_hash: str) -> bytes:
        parts = (name, password, stored_hash)
        message = b"\0".join(p.encode("utf-8", "surrogatepass") for p in parts)
        return hmac.new(self._key, message, hashlib.sha256).digest()

    def _remember(self, mark: bytes, name: str) -> None:
        now = self._clock()
        self._marks = {m: kept for m, kept in self._marks.items() if kept[1] > now}
        while len(self._marks) >= MOST:
            self._marks.pop(next(iter(self._marks)))
        self._marks[mark] = (name, now + self._keep_s)
