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
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from counter_app.core.clock import plausible_epoch
from sync import protocol as p


class PortalError(Exception):
    """Something went wrong talking to the portal."""


class TransportError(PortalError):
    """The link or the portal failed (no answer, closed connection, 5xx): try again later."""


class Refused(PortalError):
    """The portal answered with a refusal (4xx) and a reason."""

    def __init__(self, status: int, error: str, detail: str = "") -> None:
        super().__init__(f"{status} {error} {detail}".strip())
        self.status, self.error, self.detail = status, error, detail


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

    # clock
    def portal_now(self) -> float:
        return time.time() + (self.offset or 0.0)

    # plumbing
    def _request(self, method: str, path: str, **kwargs: Any) -> dict:
        t0 = time.time()
        try:
            response = self.session.request(
                method, self.base_url + path, timeout=self.timeout, **kwargs
            )
            content = response.content
        except requests.RequestException as error:
            raise TransportError(type(error).__name__) from error
        t1 = time.time()
        body = kwargs.get("data") or b""
        received = int(response.headers.get("Content-Length") or len(content))
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
            raise TransportError(f"http {response.status_code}")
        try:
            data = json.loads(content) if content else {}
        except ValueError:
            raise TransportError("unreadable answer") from None
        if response.status_code >= 400:
            raise Refused(response.status_code, data.get("error", ""), data.get("detail", ""))
        return data

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
                data = self._request("POST", p.PATH_REGISTER, json=body)
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
            data = self._request("POST", p.PATH_TOKEN, json=body)
        except Refused as refused:
            if refused.error != "invalid_client":
                raise
            # unknown to this portal (or the secret was lost): register the key again
            self._secret = None
            self._token = None
            secret = self.register()
            if self._token is not None:
                return
            data = self._request("POST", p.PATH_TOKEN, json={**body, "client_secret": secret})
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

    def send_push(self, prepared: PreparedPush, token: str) -> list[dict[str, Any]]:
        """One signed push with the given token; touches no store, so it may run on a
        worker thread while the engine prepares the next batch. Refusals are raised."""
        headers = {
            **self.signed_batch(prepared.body),
            "Authorization": f"Bearer {token}",
            p.H_ACK_FORMAT: p.ACK_RUNS,
        }
        data = self._request("POST", p.PATH_PUSH, data=prepared.body, headers=headers)
        return self._results(data)

    def _results(self, data: dict) -> list[dict[str, Any]]:
        results = data.get("results", [])
        if data.get("ack_format") == p.ACK_RUNS and isinstance(results, dict):
            try:
                return p.decode_ack_runs(self.station_id, results)
            except (TypeError, ValueError):
                raise TransportError("unreadable acknowledgements") from None
        return results if isinstance(results, list) else []

    def push(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        prepared = self.prepare_push([encode_item(i) for i in items])

        def make() -> dict[str, Any]:
            headers = {**self.signed_batch(prepared.body), p.H_ACK_FORMAT: p.ACK_RUNS}
            return {"data": prepared.body, "headers": headers}

        return self._results(self._authed("POST", p.PATH_PUSH, make))

    def changes(self, cursor: str, limit: int) -> dict:
        return self._authed(
            "GET", p.PATH_CHANGES, lambda: {"params": {"cursor": cursor, "limit": limit}}
        )


def encode_item(item: dict[str, Any]) -> bytes:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode()
