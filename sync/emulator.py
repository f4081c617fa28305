"""A portal emulator: a real HTTP server speaking sync/api.yaml, with its own SQLite store.

It deduplicates by idempotency key, checks tokens, signatures, timestamps and nonces, moves
received dossiers through statuses over time (`advance`), and can misbehave on purpose
(`Faults`): 5xx answers, connections closed before or after committing, slow answers, a
bandwidth cap and latency, a wrong clock. It serves the tests, the demo and the benchmarks.

Admin endpoints under /_emulator/ are never subject to faults and need no token.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sync import emulator_requests as req
from sync import protocol as p
from sync.emulator_requests import RequestRefused
from sync.emulator_state import Faults, PortalState, _sleep

_ROUTES = {p.PATH_REGISTER: "POST", p.PATH_TOKEN: "POST", p.PATH_PUSH: "POST"}
_ROUTES[p.PATH_CHANGES] = "GET"
_ADMIN = {"stats": "GET", "station": "GET", "faults": "POST", "advance": "POST"}
_ADMIN.update({"upstream": "POST", "poison": "POST", "expire-tokens": "POST"})


def _allowed(routes: dict[str, str], path: str, method: str) -> None:
    if path not in routes:
        raise RequestRefused(404, "not_found")
    if method != routes[path]:
        raise RequestRefused(
            405, "method_not_allowed", f"use {routes[path]}", headers={"Allow": routes[path]}
        )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def __getattr__(self, name: str) -> Any:
        """Any other method (PUT, TRACE, QUERY, ...) gets a 405 or 404 with the envelope,
        not http.server's bare 501."""
        if name.startswith("do_"):
            return lambda: self._handle(name[3:])
        raise AttributeError(name)

    def _handle(self, method: str) -> None:
        state = self.server.state
        url = urlsplit(self.path)
        try:
            length = req.body_length(self.headers)
        except RequestRefused as refused:
            self.close_connection = True  # the body's end is unknown: the stream is lost
            self._refuse(refused)
            return
        raw = self.rfile.read(length) if length else b""
        head = len(self.raw_requestline) + len(str(self.headers))
        if url.path.startswith("/_emulator/"):
            try:
                self._admin(method, url, raw)
            except RequestRefused as refused:
                self._refuse(refused, count=False)
            return
        faults = state.faults
        with state.lock:
            state.bump("requests")
            state.bump("bytes_in", head + len(raw))
        # the link: the upload at the capped bandwidth (shared with requests in flight),
        # then half the round trip; the answer pays the other half in _send
        state.link.transfer("up", len(raw) + head, faults)
        if state.roll(faults.error_5xx):
            with state.lock:
                state.bump("faults_5xx")
            self._send(503, {"error": "unavailable", "portal_time": state.now()})
            return
        if state.roll(faults.drop_before):
            with state.lock:
                state.bump("faults_drop_before")
            self.close_connection = True
            return
        try:
            status, body, extra = 200, self._route(method, url, raw), {}
        except RequestRefused as refused:
            status, body, extra = refused.status, self._envelope(refused), refused.headers
        if state.roll(faults.drop_after):
            with state.lock:
                state.bump("faults_drop_after")
            self.close_connection = True
            return
        if state.roll(faults.slow):
            with state.lock:
                state.bump("faults_slow")
            _sleep(faults.slow_s)
        self._send(status, body, extra)

    def _envelope(self, refused: RequestRefused) -> dict:
        return {
            "error": refused.error,
            "detail": refused.detail,
            "portal_time": self.server.state.now(),
        }

    def _refuse(self, refused: RequestRefused, *, count: bool = True) -> None:
        self._send(refused.status, self._envelope(refused), refused.headers, count=count)

    def _route(self, method: str, url: Any, raw: bytes) -> dict:
        state = self.server.state
        _allowed(_ROUTES, url.path, method)
        if url.path == p.PATH_REGISTER:
            return {**state.register(req.registration(raw)), "portal_time": state.now()}
        if url.path == p.PATH_TOKEN:
            return {**state.issue_token(req.grant(raw)), "portal_time": state.now()}
        station = state.check_token(self.headers.get("Authorization"))
        if url.path == p.PATH_PUSH:
            return state.push(station, self.headers, raw)
        cursor, limit = req.changes_query(url.query)
        return state.changes(station, cursor, limit)

    def _admin(self, method: str, url: Any, raw: bytes) -> None:
        state = self.server.state
        path = url.path[len("/_emulator/") :]
        _allowed(_ADMIN, path, method)
        body = req.json_object(raw) if raw else {}
        if path == "stats":
            self._send(200, state.stats(), count=False)
        elif path == "station":
            station_id = req.one(parse_qs(url.query), "id", "")
            self._send(200, state.station_view(station_id), count=False)
        elif path == "faults":
            try:
                state.set_faults(Faults.parse(str(body.get("spec", ""))))
            except ValueError as error:
                raise RequestRefused(400, "bad_request", str(error)) from None
            self._send(200, state.faults.to_dict(), count=False)
        elif path == "advance":
            admin = req.shaped(body, req.ADVANCE, "body")
            moved = 0
            for _ in range(admin.get("steps", 1)):
                moved += state.advance(min_age=admin.get("min_age", 0))
            self._send(200, {"moved": moved}, count=False)
        elif path == "upstream":
            change = req.upstream(body)
            seq = state.add_change(
                change.get("station_id"), change["kind"], change.get("entity_id", ""), body["data"]
            )
            self._send(200, {"seq": seq}, count=False)
        elif path == "poison":
            poison = req.shaped(body, req.POISON, "body")
            state.set_poison(poison["entity_id"], poison.get("mode"))
            self._send(200, {}, count=False)
        else:  # expire-tokens
            state.expire_tokens()
            self._send(200, {}, count=False)

    def _send(
        self, status: int, body: dict, extra: dict[str, str] | None = None, *, count: bool = True
    ) -> None:
        state = self.server.state
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", p.H_PORTAL_TIME: f"{state.now():.3f}"}
        headers.update(extra or {})
        if len(data) > 256 and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            data = p.gzip_bytes(data, 6)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(data))
        if count:
            head = (
                len(f"HTTP/1.1 {status} OK\r\n")
                + sum(len(f"{k}: {v}\r\n") for k, v in headers.items())
                + 2
                + 60
            )  # Server and Date headers
            with state.lock:
                state.bump("bytes_out", head + len(data))
            state.link.transfer("down", head + len(data), state.faults)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    state: PortalState

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client killed mid-answer
            super().handle_error(request, client_address)


class PortalEmulator:
    """Start with `start()` (a background thread) or `serve_forever()`; `url` once bound."""

    def __init__(
        self,
        data_dir: Path | str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | str | None = None,
        advance: float | None = None,
        token_ttl: float = 900.0,
    ) -> None:
        self.state = PortalState(data_dir, token_ttl=token_ttl)
        self.state.set_faults(faults if isinstance(faults, Faults) else Faults.parse(faults))
        self.httpd = _Server((host, port), _Handler)
        self.httpd.state = self.state
        self.advance = advance
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def _advance_loop(self) -> None:
        assert self.advance
        while not self._stop.wait(min(1.0, self.advance / 2)):
            self.state.advance(min_age=self.advance)

    def start(self) -> PortalEmulator:
        t = threading.Thread(target=self.httpd.serve_forever, daemon=True, name="emulator")
        t.start()
        self._threads.append(t)
        if self.advance:
            a = threading.Thread(target=self._advance_loop, daemon=True, name="advance")
            a.start()
            self._threads.append(a)
        return self

    def serve_forever(self) -> None:
        if self.advance:
            threading.Thread(target=self._advance_loop, daemon=True).start()
        try:
            self.httpd.serve_forever()
        finally:
            self.close()

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.close()

    def close(self) -> None:
        self.httpd.server_close()
