"""Reading an upstream's answer within a deadline and a byte cap, for every dialect: a silent
upstream and one that drips a byte at a time are both cut at the deadline, so neither holds a
sync round (issue 20: a portal dribbling one byte at a time kept a push round alive 124 s)."""

from __future__ import annotations

import time
from typing import Any

from sync.errors import UpstreamFault


class Late(Exception):
    """The deadline passed before the answer ended."""


def read_within(response: Any, *, deadline: float, cap: int, read_timeout: float) -> bytes:
    """The whole body (gzip undone) of a streamed `requests` response. Each read waits at
    most `read_timeout` and never past `deadline` (monotonic); more than `cap` bytes is an
    UpstreamFault, announced or not."""
    declared = response.headers.get("Content-Length") or ""
    if declared.isdigit() and int(declared) > cap:
        raise UpstreamFault("sync.answer.too_large", limit=cap)
    raw = response.raw
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise Late
        sock = getattr(raw.connection, "sock", None)
        if sock is not None:  # this read may not outlast the deadline either
            sock.settimeout(min(read_timeout, left))
        chunk = raw.read1(65536, decode_content=True)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > cap:
            raise UpstreamFault("sync.answer.too_large", limit=cap)
        chunks.append(chunk)
