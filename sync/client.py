"""The HTTP side of sync: registration, tokens, signed gzip pushes, paged pulls, portal clock.

Only `requests`; no Qt, no store. The engine (sync/engine.py) decides what to send and what
to do with the answers.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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
        self.wire = WireStats()

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
        self.wire.requests += 1
        body = kwargs.get("data") or b""
        self.wire.bytes_sent += len(body)
        self.wire.bytes_received += int(response.headers.get("Content-Length") or len(content))
        stamp = response.headers.get(p.H_PORTAL_TIME)
        if stamp:
            with contextlib.suppress(ValueError):
                self.offset = float(stamp) - (t0 + t1) / 2
        if response.status_code >= 500:
            raise TransportError(f"http {response.status_code}")
        try:
            data = json.loads(content) if content else {}
        except ValueError:
            raise TransportError("unreadable answer") from None
        if response.status_code >= 400:
            raise Refused(response.status_code, data.get("error", ""), data.get("detail", ""))
        return data

    # registration and token
    def register(self) -> str:
        pub = p.public_key_b64(self.key)
        ts = f"{self.portal_now():.3f}"
        body = {
            "station_id": self.station_id,
            "public_key": pub,
            "timestamp": ts,
            "signature": p.sign(self.key, p.register_message(self.station_id, pub, ts)),
        }
        data = self._request("POST", p.PATH_REGISTER, json=body)
        secret = data["client_secret"]
        self._save_secret(secret)
        return secret

    def _fetch_token(self) -> None:
        secret = self._load_secret()
        if not secret:
            self._probe_clock()
            secret = self.register()
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
            secret = self.register()
            data = self._request("POST", p.PATH_TOKEN, json={**body, "client_secret": secret})
        self._token = data["access_token"]
        # renew a little before the portal would refuse it
        self._token_until = time.time() + float(data.get("expires_in", 300)) * 0.9

    def _probe_clock(self) -> None:
        """Learn the portal's clock before signing anything with a timestamp."""
        with contextlib.suppress(Refused):
            self._request("POST", p.PATH_TOKEN, json={"grant_type": "probe"})

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

    def push(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        raw = json.dumps(
            {"station_id": self.station_id, "items": items},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        body = p.gzip_bytes(raw)

        def make() -> dict[str, Any]:
            return {"data": body, "headers": self.signed_batch(body)}

        return self._authed("POST", p.PATH_PUSH, make).get("results", [])

    def changes(self, cursor: str, limit: int) -> dict:
        return self._authed(
            "GET", p.PATH_CHANGES, lambda: {"params": {"cursor": cursor, "limit": limit}}
        )
