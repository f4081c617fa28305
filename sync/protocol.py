"""What both sides of the portal API agree on: paths, headers, signing, compression.

A push batch is signed with the station's Ed25519 key over
`counter-app-push-v1 \\n <timestamp> \\n <nonce> \\n <the gzip body as sent>`: the portal
checks the signature with the public key registered for the station, refuses a timestamp more
than `MAX_SKEW_SECONDS` away from its own clock, and refuses a nonce it has seen already.
See sync/api.yaml for the whole interface.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

API = "/v1"
PATH_REGISTER = f"{API}/stations/register"
PATH_TOKEN = f"{API}/token"
PATH_PUSH = f"{API}/push"
PATH_CHANGES = f"{API}/changes"

H_STATION = "X-Station-Id"
H_TIMESTAMP = "X-Timestamp"
H_NONCE = "X-Nonce"
H_SIGNATURE = "X-Signature"
H_PORTAL_TIME = "X-Portal-Time"  # epoch seconds (float), on every response
H_ACK_FORMAT = "X-Ack-Format"  # "runs": compact acknowledgements (see encode_ack_runs)
ACK_RUNS = "runs"

SIGNING_CONTEXT = b"counter-app-push-v1"
REGISTER_CONTEXT = b"counter-app-register-v1"
MAX_SKEW_SECONDS = 300


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_hash(op: str, entity_id: str, payload: Any) -> str:
    """What 'same content' means for an idempotency key."""
    return hashlib.sha256(canonical_json([op, entity_id, payload])).hexdigest()


def gzip_bytes(data: bytes, level: int = 9) -> bytes:
    return gzip.compress(data, compresslevel=level, mtime=0)


def signing_message(timestamp: str, nonce: str, body: bytes) -> bytes:
    return b"\n".join([SIGNING_CONTEXT, timestamp.encode(), nonce.encode(), body])


def register_message(station_id: str, public_key_b64: str, timestamp: str) -> bytes:
    return b"\n".join(
        [REGISTER_CONTEXT, station_id.encode(), public_key_b64.encode(), timestamp.encode()]
    )


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message)).decode()


def verify(public_key_b64: str, signature_b64: str, message: bytes) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")


def _split_key(station_id: str, key: str) -> int | None:
    head, sep, tail = key.rpartition(":")
    if sep and head == station_id and tail.isdigit() and not tail.startswith("0"):
        return int(tail)
    return None


def _next_portal_id(portal_id: str) -> str | None:
    match = _TRAILING_NUMBER.match(portal_id)
    if not match:
        return None
    prefix, digits = match.groups()
    bumped = str(int(digits) + 1).zfill(len(digits))
    return prefix + bumped if len(bumped) == len(digits) else None


def encode_ack_runs(station_id: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    """Compact acknowledgements: a batch of consecutive keys acknowledged with consecutive
    portal ids costs a few bytes instead of one object per item.

    `accepted`: runs `[first_seq, count, first_portal_id]`: keys `<station>:<first_seq + i>`
    were accepted with `first_portal_id`'s trailing number plus i (same width).
    `duplicates`: key sequences among them that had been accepted before.
    `other`: every other result, in the full form.
    """
    runs: list[list[Any]] = []
    duplicates: list[int] = []
    other: list[dict[str, Any]] = []
    last_seq, last_id = None, None
    for result in results:
        seq = _split_key(station_id, str(result.get("key", "")))
        portal_id = result.get("portal_id")
        if result.get("status") != "accepted" or seq is None or not isinstance(portal_id, str):
            other.append(result)
            last_seq = None
            continue
        if result.get("duplicate"):
            duplicates.append(seq)
        if (
            runs
            and last_seq is not None
            and seq == last_seq + 1
            and last_id is not None
            and _next_portal_id(last_id) == portal_id
        ):
            runs[-1][1] += 1
        else:
            runs.append([seq, 1, portal_id])
        last_seq, last_id = seq, portal_id
    return {"accepted": runs, "duplicates": duplicates, "other": other}


def decode_ack_runs(station_id: str, compact: dict[str, Any]) -> list[dict[str, Any]]:
    """The full per-item results back from `encode_ack_runs` (order: runs, then others)."""
    duplicates = set(compact.get("duplicates") or [])
    results: list[dict[str, Any]] = []
    for first_seq, count, first_id in compact.get("accepted") or []:
        portal_id: str | None = str(first_id)
        for i in range(int(count)):
            if portal_id is None:
                raise ValueError("bad acknowledgement run")
            seq = int(first_seq) + i
            result = {"key": f"{station_id}:{seq}", "status": "accepted", "portal_id": portal_id}
            if seq in duplicates:
                result["duplicate"] = True
            results.append(result)
            portal_id = _next_portal_id(portal_id) if i + 1 < int(count) else None
    results.extend(r for r in compact.get("other") or [] if isinstance(r, dict))
    return results
