"""The HTTP side of sync: registration, tokens, signed gzip pushes, paged pulls, portal clock.

Only `requests`; no Qt, no store. The engine (sync/engine.py) decides what to send and what
to do with the answers.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
import urllib3
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from counter_app.core.clock import plausible_epoch
from sync import answers
from sync import protocol as p
from sync.answers import Limits
from sync.errors import PortalError as PortalError  # the engine takes them from here
from sync.errors import Refused, UpstreamFault
from sync.errors import TransportError as TransportError
from sync.wire import Late, read_within


@dataclass
class WireStats:
    requests: int = 0
    bytes_sent: int = 0  # bodies only, as sent (compressed)
    bytes_received: int = 0


@dataclass
class LinkEstimate:
    """What the link looks like, measured from the requests themselves: round trip from
    small requests, goodput (compressed bytes per second, server work included) from
    pushes. None until measured."""

    rtt: float | None = None
    bps: float | None = None

    def add_rtt(self, seconds: float) -> None:
        self.rtt = seconds if self.rtt is None else 0.7 * self.rtt + 0.3 * seconds

    def add_bps(self, rate: float) -> None:
        self.bps = rate if self.bps is None else 0.5 * self.bps + 0.5 * rate


@dataclass
class PreparedPush:
    """A push body, encoded and compressed once; signed afresh at each sending."""

    body: bytes
    raw_bytes: int
    items: int


class PortalClient:
    def __init__(
        self,
        base_url: str,
        *,
        station_id: str,
        key: Ed25519PrivateKey,
        load_secret: Callable[[], str | None],
        save_secret: Callable[[str], None],
        timeout: tuple[float, float] = (5.0, 60.0),
        session: requests.Session | None = None,
        verify_tls: bool = True,
        limits: Limits | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.station_id = station_id
        self.key = key
        self._load_secret = load_secret
        self._save_secret = save_secret
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.verify = verify_tls  # always on toward the real portal
        self.offset: float | None = None  # portal clock minus local clock, seconds
        self._token: str | None = None
        self._token_until = 0.0
        self._secret: str | None = None
        self._offset_from_small = False
        self.wire = WireStats()
        self.link = LinkEstimate()
        self._lock = threading.Lock()  # pushes may be in flight on two threads
        self.limits = limits or Limits()
        self._round_ends = float("inf")  # monotonic; set by begin_round
        self._pages = 0
        self._timeouts = 0

    def begin_round(self) -> None:
        """Start the budgets of one round: its deadline, its pages, its timeouts."""
        self._round_ends = time.monotonic() + self.limits.round_seconds
        self._pages = 0
        self._timeouts = 0

    # clock
    def portal_now(self) -> float:
        return time.time() + (self.offset or 0.0)

    # plumbing
    def _request(self, method: str, path: str, **kwargs: Any) -> dict:
        t0 = time.time()
        content, response = self._exchange(method, path, kwargs)
        t1 = time.time()
        body = kwargs.get("data") or b""
        received = response.raw.tell() or len(content)  # as on the wire (compressed)
        small = len(body) + received < 2048  # its time is about one round trip
        with self._lock:
            self.wire.requests += 1
            self.wire.bytes_sent += len(body)
            self.wire.bytes_received += received
            if small:
                self.link.add_rtt(t1 - t0)
        stamp = response.headers.get(p.H_PORTAL_TIME)
        # the clock is read from small exchanges, whose midpoint is within half a round trip
        # of the portal's stamp; a big push only serves until a small one has been timed
        if stamp and (small or not self._offset_from_small):
            with contextlib.suppress(ValueError):
                portal_time = float(stamp)
                if plausible_epoch(portal_time):  # never "inf", "nan" or the year 10^292
                    self.offset = portal_time - (t0 + t1) / 2
                    self._offset_from_small = self._offset_from_small or small
        if response.status_code >= 500:
            raise UpstreamFault("sync.portal.unavailable", status=response.status_code)
        try:
            data = json.loads(content) if content else {}
        except (ValueError, RecursionError):  # RecursionError: nested a million deep
            raise UpstreamFault("sync.answer.unreadable") from None
        if response.status_code >= 400:
            refusal = answers.refusal(data)
            raise Refused(response.status_code, refusal["error"], refusal.get("detail") or "")
        return data

    def _exchange(self, method: str, path: str, kwargs: dict) -> tuple[bytes, Any]:
        """One request within the budgets: the answer is streamed, each read waits at most
        the read timeout, and the whole exchange ends by its deadline (the earlier of the
        request's own and the round's), so neither a silent portal nor one that drips a
        byte at a time holds the round. The body is capped after gzip is undone."""
        limits = self.limits
        now = time.monotonic()
        if now >= self._round_ends:
            raise UpstreamFault("sync.round.too_long", seconds=limits.round_seconds)
        if self._timeouts >= limits.timeouts_per_round:
            raise UpstreamFault("sync.link.silent")
        deadline = min(self._round_ends, now + limits.answer_seconds)
        connect, read = self.timeout
        left = deadline - now
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                timeout=(min(connect, left), min(read, left)),
                stream=True,
                **kwargs,
            )
            try:
                body = read_within(
                    response, deadline=deadline, cap=limits.answer_bytes, read_timeout=read
                )
                return body, response
            finally:
                response.close()
        except Late:
            raise self._too_slow(deadline) from None
        except (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError):
            if time.monotonic() >= deadline - 0.05:  # the read was cut to the deadline
                raise self._too_slow(deadline) from None
            with self._lock:
                self._timeouts += 1
            raise UpstreamFault("sync.link.timeout", seconds=read) from None
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError):
            raise UpstreamFault("sync.link.down") from None

    def _too_slow(self, deadline: float) -> UpstreamFault:
        """An answer cut at its deadline counts as a timeout: a portal that drips is as
        useless as a silent one."""
        with self._lock:
            self._timeouts += 1
        if deadline >= self._round_ends:
            return UpstreamFault("sync.round.too_long", seconds=self.limits.round_seconds)
        return UpstreamFault("sync.answer.too_slow", seconds=self.limits.answer_seconds)

    # registration and token (on the engine's thread only: they read and write the store)
    def register(self) -> str:
        """Register the station's key; the answer carries the secret and a first token,
        so a new station is ready after one round trip. The timestamp is signed with the
        best guess of portal time; a stale_timestamp answer carries the portal's clock,
        and the registration is signed again with it once."""
        pub = p.public_key_b64(self.key)
        for attempt in range(2):
            ts = f"{self.portal_now():.3f}"
            body = {
                "station_id": self.station_id,
                "public_key": pub,
                "timestamp": ts,
                "signature": p.sign(self.key, p.register_message(self.station_id, pub, ts)),
            }
            try:
                data = answers.registration(self._request("POST", p.PATH_REGISTER, json=body))
                break
            except Refused as refused:
                if attempt == 0 and refused.error == "stale_timestamp":
                    continue
                raise
        secret = data["client_secret"]
        self._save_secret(secret)
        self._secret = secret
        if data.get("access_token"):
            self._set_token(data)
        return secret

    def _set_token(self, data: dict) -> None:
        self._token = data["access_token"]
        # renew a little before the portal would refuse it
        self._token_until = time.time() + float(data.get("expires_in", 300)) * 0.9

    def _fetch_token(self) -> None:
        secret = self._secret or self._load_secret()
        if not secret:
            self.register()
            if self._token is not None:
                return
            secret = self._secret
        body = {
            "grant_type": "client_credentials",
            "client_id": self.station_id,
            "client_secret": secret,
        }
        try:
            data = answers.grant(self._request("POST", p.PATH_TOKEN, json=body))
        except Refused as refused:
            if refused.error != "invalid_client":
                raise
            # unknown to this portal (or the secret was lost): register the key again
            self._secret = None
            self._token = None
            secret = self.register()
            if self._token is not None:
                return
            data = answers.grant(
                self._request("POST", p.PATH_TOKEN, json={**body, "client_secret": secret})
            )
        self._secret = secret
        self._set_token(data)

    def drop_token(self) -> None:
        self._token = None

    def token(self) -> str:
        if self._token is None or time.time() >= self._token_until:
            self._fetch_token()
        assert self._token is not None
        return self._token

    def _authed(self, method: str, path: str, make: Callable[[], dict[str, Any]]) -> dict:
        """A request with a bearer token; renews an expired token or a stale clock once."""
        for attempt in range(3):
            kwargs = make()
            headers = {**kwargs.pop("headers", {}), "Authorization": f"Bearer {self.token()}"}
            try:
                return self._request(method, path, headers=headers, **kwargs)
            except Refused as refused:
                if attempt < 2 and refused.error in ("token_expired", "invalid_token"):
                    self._token = None
                    continue
                if attempt < 2 and refused.error == "stale_timestamp":
                    continue  # the answer carried the portal's clock; sign again with it
                raise
        raise AssertionError("unreachable")

    # push and pull
    def signed_batch(self, body: bytes) -> dict[str, str]:
        ts = f"{self.portal_now():.3f}"
        nonce = secrets.token_hex(16)
        return {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            p.H_STATION: self.station_id,
            p.H_TIMESTAMP: ts,
            p.H_NONCE: nonce,
            p.H_SIGNATURE: p.sign(self.key, p.signing_message(ts, nonce, body)),
        }

    def prepare_push(self, encoded_items: list[bytes]) -> PreparedPush:
        """The batch body from items already encoded as JSON (each encoded once)."""
        head = json.dumps({"station_id": self.station_id}, ensure_ascii=False)[:-1].encode()
        raw = head + b',"items":[' + b",".join(encoded_items) + b"]}"
        return PreparedPush(p.gzip_bytes(raw), len(raw), len(encoded_items))

    def send_push(
        self, prepared: PreparedPush, token: str
    ) -> tuple[list[dict[str, Any]], int | None]:
        """One signed push with the given token; touches no store, so it may run on a
        worker thread while the engine prepares the next batch. Refusals are raised.
        Returns the per-item results and where the portal's change feed stood."""
        headers = {
            **self.signed_batch(prepared.body),
            "Authorization": f"Bearer {token}",
            p.H_ACK_FORMAT: p.ACK_RUNS,
        }
        data = self._request("POST", p.PATH_PUSH, data=prepared.body, headers=headers)
        results = answers.push_results(data, self.station_id, prepared.items)
        return results, answers.change_seq(data)

    def push(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        prepared = self.prepare_push([encode_item(i) for i in items])

        def make() -> dict[str, Any]:
            headers = {**self.signed_batch(prepared.body), p.H_ACK_FORMAT: p.ACK_RUNS}
            return {"data": prepared.body, "headers": headers}

        data = self._authed("POST", p.PATH_PUSH, make)
        return answers.push_results(data, self.station_id, prepared.items)

    def changes(self, cursor: str, limit: int) -> dict:
        """One page, checked; a round asks for at most `pages_per_round` of them."""
        if self._pages >= self.limits.pages_per_round:
            raise UpstreamFault("sync.pages.too_many", pages=self.limits.pages_per_round)
        self._pages += 1
        data = self._authed(
            "GET", p.PATH_CHANGES, lambda: {"params": {"cursor": cursor, "limit": limit}}
        )
        return answers.changes_page(data, cursor, limit)


def encode_item(item: dict[str, Any]) -> bytes:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode()
