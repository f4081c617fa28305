"""What the dialect emulators share: a quiet threaded HTTP server and the way a test or the
`portal-emulator` command starts, addresses and stops one."""

from __future__ import annotations

import sys
import threading
from http.server import ThreadingHTTPServer
from typing import Any


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    state: Any

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client killed mid-answer
            super().handle_error(request, client_address)


class ServedEmulator:
    """`start()` (a background thread) or `serve_forever()`; `url` once bound."""

    httpd: QuietServer
    name = "emulator"

    def serve(self, host: str, port: int, handler: type, state: Any) -> None:
        self.state = state
        self.httpd = QuietServer((host, port), handler)
        self.httpd.state = state

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True, name=self.name).start()
        return self

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            self.httpd.server_close()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def carries(codes: set[str], query: str, raw: bytes) -> bool:
    """Whether a request names one of `codes` in its query or body: the emulators' fault
    that fails every call about one record (`POST /_emulator/fail-record`)."""
    text = query + raw.decode("utf-8", "replace")
    return any(code in text for code in codes)
