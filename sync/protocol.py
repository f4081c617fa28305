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
