"""What every upstream dialect shares, and what it hands back to the item engine
(sync/item_engine.py).

`send` returns the upstream's id for the event (None when this upstream has no place for
it); a refusal raises `Rejected` with a Vietnamese reason; a failed link raises the sync
client's `TransportError`; any other `PortalError` (a refused login) stops the round.

`Upstream` holds the shape `dvcqg` and `motcua` have in common: the account check, one
exchange on the wire under an answer budget (a timeout, a dead link, a 5xx, an answer too
large or unreadable all become an `UpstreamFault` with a Vietnamese message, never the
upstream's bytes), the upstream's clock from its Date header, and the login kept between
calls and renewed once when the upstream says it forgot it. A round has one deadline
(`begin_round`), and each answer its own within it, so no upstream holds a round longer.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import requests
import urllib3

from counter_app.core.errors import ValidationError
from counter_app.core.messages import MESSAGES
from counter_app.services.station import load_station
from sync.answers import Limits
from sync.errors import PortalError, UpstreamFault
from sync.wire import Late, read_within

ANSWER_LIMIT = 4_000_000  # bytes of one answer, after gzip
T = TypeVar("T")


class Rejected(PortalError):
    """The upstream refused this one record. `permanent`: sending it again cannot help
    (a field it will not take); otherwise it is tried again later, like a lost answer,
    and that try looks up what the upstream holds first."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason, self.permanent = reason, permanent


class MovedOn(Rejected):
    """The upstream refused a move because the dossier had left the status it moves from
    (the upstream moved it meanwhile): a conflict for a clerk, never sent again.
    `portal_status` is where the upstream has it, when its look-up says."""

    def __init__(self, reason: str, *, portal_status: int | None) -> None:
        super().__init__(reason, permanent=True)
        self.portal_status = portal_status


class LoginRefused(PortalError):
    """The upstream refused the account: nothing can be sent this round."""


def text(code: str, /, **params: Any) -> str:
    """A registered message in Vietnamese: what a set-aside record or a round records."""
    return MESSAGES[code]["vi"].format(**params)


class Upstream:
    """The base of a dialect: see the module's docstring. A subclass names the account
    fields it needs (`NEEDED`), where it remembers a dossier the upstream holds (`KNOWN`),
    and how it logs in (`log_in`, returning the session or token and its lifetime)."""

    name = ""
    pulls = False
    NEEDED: tuple[str, ...] = ()
    KNOWN = ""

    def __init__(
        self,
        store,
        portal_url: str,
        credentials: dict[str, str],
        *,
        session: Any = None,
        timeout: tuple[float, float] = (5.0, 60.0),
    ) -> None:
        missing = [k for k in self.NEEDED if not credentials.get(k)]
        if missing:
            raise ValidationError("sync.no_credentials", field="sync", missing=", ".join(missing))
        self.store = store
        self.base = portal_url.rstrip("/")
        self.creds = credentials
        self.http = session or requests.Session()
        self.timeout = timeout
        self.station = load_station(store)
        self.clock_offset: float | None = None
        self.requests = 0
        self._login: str | None = None
        self._login_until = 0.0
        self.limits = Limits()
        self._round_ends = math.inf  # monotonic; set by begin_round
        self.hook: Callable[[str], None] = lambda point: None  # the engine's, for kill tests

    # ---- the wire ----
    def exchange(
        self,
        method: str,
        url: str,
        *,
        no_service: tuple[int, ...] = (),
        cap: int = ANSWER_LIMIT,
        as_bytes: bool = False,
        **kwargs: Any,
    ) -> tuple[int, Any]:
        """One request and its answer as (status, parsed JSON); anything unusable raises.

        `no_service`: statuses that mean the address serves no such interface (a wrong path
        or another system), told as such rather than as an unreadable answer. `as_bytes`:
        the body as it came (a file), within `cap` bytes."""
        self.requests += 1
        now = time.monotonic()
        if now >= self._round_ends:
            raise UpstreamFault("sync.round.too_long", seconds=self.limits.round_seconds)
        deadline = min(self._round_ends, now + self.limits.answer_seconds)
        connect, read = self.timeout
        left = deadline - now
        try:
            answer = self.http.request(
                method, url, timeout=(min(connect, left), min(read, left)), stream=True, **kwargs
            )
            try:
                raw = read_within(answer, deadline=deadline, cap=cap, read_timeout=read)
            finally:
                answer.close()
        except Late:
            raise self._late(deadline) from None
        except (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError):
            if time.monotonic() >= deadline - 0.05:  # the read was cut to the deadline
                raise self._late(deadline) from None
            raise UpstreamFault("sync.link.timeout", seconds=read) from None
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError):
            raise UpstreamFault("sync.link.down") from None
        self._clock(answer.headers.get("Date"))
        if answer.status_code >= 500:
            raise UpstreamFault("sync.portal.unavailable", status=answer.status_code)
        if answer.status_code in no_service:
            raise UpstreamFault("sync.answer.malformed", where=url[len(self.base):] or "/",
                                problem=f"HTTP {answer.status_code}")  # fmt: skip
        if as_bytes:
            return answer.status_code, raw
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            raise UpstreamFault("sync.answer.unreadable") from None
        return answer.status_code, body

    def begin_round(self, limits: Limits) -> None:
        """One deadline for the whole round (and each answer's within it), as the
        reference client has: a round never outlasts `limits.round_seconds`."""
        self.limits = limits
        self._round_ends = time.monotonic() + limits.round_seconds

    def _late(self, deadline: float) -> UpstreamFault:
        if deadline >= self._round_ends:
            return UpstreamFault("sync.round.too_long", seconds=self.limits.round_seconds)
        return UpstreamFault("sync.answer.too_slow", seconds=self.limits.answer_seconds)

    def _clock(self, header: str | None) -> None:
        """The upstream's clock from its Date header (whole seconds): enough for a clock
        off by minutes, which is what the check is for."""
        try:
            theirs = parsedate_to_datetime(header) if header else None
        except (TypeError, ValueError):
            theirs = None
        if theirs is not None and theirs.tzinfo is not None:
            self.clock_offset = (theirs - datetime.now(UTC)).total_seconds()

    # ---- the login ----
    def log_in(self) -> tuple[str, float]:
        """A fresh session or token and how many seconds it lasts (math.inf: until the
        upstream says it forgot it)."""
        raise NotImplementedError

    def login(self) -> str:
        """The session or token in hand, or a fresh one."""
        if self._login is None or time.monotonic() >= self._login_until:
            self._login, lasts = self.log_in()
            self._login_until = time.monotonic() + lasts if math.isfinite(lasts) else math.inf
        return self._login

    def forget_login(self) -> None:
        self._login = None

    def test_connection(self) -> None:
        """Settings' and the CLI's connection test: a fresh login."""
        self.forget_login()
        self.login()

    def authorised(self, send: Callable[[str], T], *, forgotten: Callable[[T], bool]) -> T:
        """One call under the login; when the upstream answers that it forgot the session
        or token (`forgotten`), log in again and send once more. The second answer is
        returned whatever it is: the caller says what a second "forgotten" means."""
        answer = send(self.login())
        if forgotten(answer):
            self.forget_login()
            answer = send(self.login())
        return answer

    # ---- after the event ----
    def remember(self, item, upstream_id: str | None) -> None:
        """Inside the transaction that marks the event synced: the upstream holds this
        dossier, so a later event updates it instead of creating it."""
        if upstream_id and "dossier" in item.payload:
            self.store.sync_state.set(self.KNOWN + item.entity_id, True)
