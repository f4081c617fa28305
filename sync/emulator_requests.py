"""What the portal emulator accepts from a client, checked before any of it reaches SQL.

A malformed request gets a 400 with the error envelope of sync/api.yaml, never a 500 or a
dropped connection: the emulator stands for a portal in the tests, and a portal that falls
over on a bad request would hide the client's bugs and teach nothing about the real one.
The shapes are those of sync/api.yaml, written with the same checker the client uses on the
portal's answers (sync/answers.py).
"""

from __future__ import annotations

import gzip
import json
from typing import Any
from urllib.parse import parse_qs

from sync import protocol as p
from sync.answers import (
    CHANGE_DATA,
    Anything,
    Integer,
    ListOf,
    Nullable,
    Number,
    Obj,
    OneOf,
    Text,
    check,
)
from sync.errors import UpstreamFault

MAX_BODY = 64_000_000  # bytes of a request body as sent
DEFAULT_LIMIT, MAX_LIMIT = 500, 1000


class RequestRefused(Exception):
    """An answer other than 200, with the error envelope's fields."""

    def __init__(
        self, status: int, error: str, detail: str = "", *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(error)
        self.status, self.error, self.detail = status, error, detail
        self.headers = headers or {}  # Allow, for a 405


REGISTRATION = Obj(
    {
        "station_id": Text(200, 1),
        "public_key": Text(200, 1),
        "timestamp": Text(40, 1),
        "signature": Text(200, 1),
    },
    {},
)
GRANT = Obj(
    {"grant_type": Text(100), "client_id": Text(200), "client_secret": Text(200)},
    {},
)
ITEM = Obj(
    {"key": Text(300), "op": Text(100), "entity_id": Text(200), "payload": Anything()},
    {"entity": Text(100), "created_at": Text(40)},
)
BATCH = Obj({"items": ListOf(ITEM)}, {"station_id": Text(200)})
# the emulator's own admin endpoints (tests and the demo drive them)
ADVANCE = Obj({}, {"steps": Integer(0, 1000), "min_age": Number(0.0, 1e9)})
UPSTREAM = Obj(
    {"kind": Text(100, 1), "data": Obj({}, {})},
    {"station_id": Nullable(Text(200)), "entity_id": Text(200)},
)
POISON = Obj({"entity_id": Text(200)}, {"mode": Nullable(OneOf(("permanent", "retryable", "5xx")))})


def upstream(body: dict) -> dict:
    """A change to offer for pulling, shaped as the client will insist it is."""
    change = shaped(body, UPSTREAM, "body")
    data_shape = CHANGE_DATA.get(change["kind"])
    if data_shape is not None:
        shaped(change["data"], data_shape, "body.data")
    return change


def body_length(headers: Any) -> int:
    """The announced body length; a missing one means no body."""
    value = headers.get("Content-Length") or "0"
    if not value.isdigit() or len(value) > 12:
        raise RequestRefused(400, "bad_request", "Content-Length must be a whole number")
    if int(value) > MAX_BODY:
        raise RequestRefused(413, "too_large", f"a request body may hold {MAX_BODY} bytes")
    return int(value)


def json_object(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
    except (ValueError, RecursionError):
        raise RequestRefused(400, "bad_json") from None
    if not isinstance(value, dict):
        raise RequestRefused(400, "bad_json", "the body must be a JSON object")
    return value


def shaped(value: Any, shape: Any, where: str, error: str = "bad_request") -> Any:
    try:
        return check(value, shape, where)
    except UpstreamFault as fault:
        raise RequestRefused(400, error, fault.message("en")) from None


def registration(raw: bytes) -> dict:
    return shaped(json_object(raw), REGISTRATION, "body")


def grant(raw: bytes) -> dict:
    body = shaped(json_object(raw), GRANT, "body")
    if body["grant_type"] != "client_credentials":
        raise RequestRefused(400, "unsupported_grant_type")
    return body


def timestamp(value: str) -> float:
    """Epoch seconds; 'nan' and 'inf' are no time at all."""
    try:
        ts = float(value)
    except ValueError:
        raise RequestRefused(400, "bad_timestamp") from None
    if ts != ts or ts in (float("inf"), float("-inf")):
        raise RequestRefused(400, "bad_timestamp")
    return ts


def batch(raw: bytes) -> list[dict]:
    """The items of a push body (gzip as the spec says, plain JSON tolerated)."""
    try:
        data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    except (OSError, EOFError):
        raise RequestRefused(400, "bad_batch", "the body is not valid gzip") from None
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        raise RequestRefused(400, "bad_batch", "the body is not JSON") from None
    return shaped(body, BATCH, "body", "bad_batch")["items"]


def changes_query(query: str) -> tuple[int, int]:
    """`cursor` (this emulator's cursors are sequence numbers) and `limit`, 1 to 1000."""
    try:
        params = parse_qs(query, keep_blank_values=True, strict_parsing=False)
    except ValueError:
        raise RequestRefused(400, "bad_request", "unreadable query string") from None
    unknown = sorted(set(params) - {"cursor", "limit"})
    if unknown:
        raise RequestRefused(400, "bad_request", "only cursor and limit are understood")
    cursor = one(params, "cursor", "0")
    if not cursor.isdigit() or len(cursor) > 18:
        raise RequestRefused(400, "bad_cursor", "cursor: a position this portal returned")
    limit = one(params, "limit", str(DEFAULT_LIMIT))
    if not limit.isdigit() or len(limit) > 6 or not 1 <= int(limit) <= MAX_LIMIT:
        raise RequestRefused(400, "bad_limit", f"limit: a whole number from 1 to {MAX_LIMIT}")
    return int(cursor), int(limit)


def one(params: dict[str, list[str]], name: str, default: str) -> str:
    values = params.get(name, [default])
    if len(values) != 1:
        raise RequestRefused(400, "bad_request", f"{name}: give it once")
    return values[0]


def ack_format(headers: Any) -> bool:
    """Compact acknowledgements asked for; any other value of the header is refused."""
    value = headers.get(p.H_ACK_FORMAT)
    if value is None:
        return False
    shaped(value, OneOf((p.ACK_RUNS,)), p.H_ACK_FORMAT)
    return True
