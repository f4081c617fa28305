"""sync/api.yaml and the emulator cannot drift apart: schemathesis sends generated requests,
well-formed and malformed, to the emulator on 127.0.0.1 and checks every answer against the
spec (no 5xx, documented status codes, bodies and headers as declared)."""

from __future__ import annotations

import gzip
import json
import os
import socket
import time
from pathlib import Path

import pytest
import requests
import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, settings

from sync import protocol as p
from sync.emulator import PortalEmulator
from sync.emulator_requests import MAX_BODY

SPEC = Path(__file__).resolve().parents[1] / "sync" / "api.yaml"
STATION = "000.00.01.H22/1/spec"


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    emulator = PortalEmulator(tmp_path_factory.mktemp("portal"), token_ttl=3600).start()
    key = Ed25519PrivateKey.generate()
    public, ts = p.public_key_b64(key), f"{time.time():.3f}"
    answer = requests.post(
        emulator.url + p.PATH_REGISTER,
        json={
            "station_id": STATION,
            "public_key": public,
            "timestamp": ts,
            "signature": p.sign(key, p.register_message(STATION, public, ts)),
        },
        timeout=10,
    )
    answer.raise_for_status()
    yield emulator, answer.json()["access_token"], key
    emulator.stop()


schema = schemathesis.openapi.from_path(SPEC)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_emulator_keeps_to_its_spec(case, portal):
    emulator, token, _ = portal
    case.call_and_validate(
        base_url=emulator.url, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def signed(key, body: bytes, **headers: str) -> dict[str, str]:
    ts, nonce = f"{time.time():.3f}", os.urandom(16).hex()
    return {
        p.H_STATION: STATION,
        p.H_TIMESTAMP: ts,
        p.H_NONCE: nonce,
        p.H_SIGNATURE: p.sign(key, p.signing_message(ts, nonce, body)),
        "Content-Encoding": "gzip",
        **headers,
    }


def raw_request(url: str, head: bytes) -> tuple[int, dict]:
    """A request requests would refuse to send (a Content-Length that is not a number)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, json.loads(answer.split(b"\r\n\r\n", 1)[1])


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("limit-false", "bad_limit"),
        ("limit-1001", "bad_limit"),
        ("limit-0", "bad_limit"),
        ("limit-twice", "bad_request"),
        ("cursor-text", "bad_cursor"),
        ("cursor-huge", "bad_cursor"),
        ("unknown-query", "bad_request"),
        ("client-id-a-list", "bad_request"),
        ("grant-missing", "bad_request"),
        ("grant-other", "unsupported_grant_type"),
        ("register-key-a-number", "bad_request"),
        ("register-timestamp-nan", "bad_timestamp"),
        ("body-a-list", "bad_json"),
        ("body-nested-deep", "bad_json"),
        ("ack-format-other", "bad_request"),
        ("batch-not-gzip", "bad_batch"),
        ("batch-items-not-a-list", "bad_batch"),
        ("batch-item-a-string", "bad_batch"),
        ("content-length-text", "bad_request"),
        ("content-length-huge", "too_large"),
        ("upstream-status-text", "bad_request"),
        ("advance-steps-false", "bad_request"),
        ("poison-mode-unknown", "bad_request"),
    ],
)
def test_malformed_requests_get_400_and_the_envelope(portal, case, error):
    emulator, token, key = portal
    url, auth = emulator.url, {"Authorization": f"Bearer {token}"}
    changes, push = url + p.PATH_CHANGES, url + p.PATH_PUSH

    def pushed(body: bytes, **headers: str):
        return requests.post(push, data=body, headers={**auth, **signed(key, body, **headers)})

    batch = gzip.compress(b'{"items": []}')
    calls = {
        "limit-false": lambda: requests.get(changes, params={"limit": "false"}, headers=auth),
        "limit-1001": lambda: requests.get(changes, params={"limit": 1001}, headers=auth),
        "limit-0": lambda: requests.get(changes, params={"limit": 0}, headers=auth),
        "limit-twice": lambda: requests.get(changes + "?limit=1&limit=2", headers=auth),
        "cursor-text": lambda: requests.get(changes, params={"cursor": "abc"}, headers=auth),
        "cursor-huge": lambda: requests.get(changes, params={"cursor": "9" * 40}, headers=auth),
        "unknown-query": lambda: requests.get(changes, params={"page": 2}, headers=auth),
        "client-id-a-list": lambda: requests.post(
            url + p.PATH_TOKEN,
            json={"grant_type": "client_credentials", "client_id": [1], "client_secret": "s"},
        ),
        "grant-missing": lambda: requests.post(url + p.PATH_TOKEN, json={"client_id": "x"}),
        "grant-other": lambda: requests.post(
            url + p.PATH_TOKEN,
            json={"grant_type": "password", "client_id": "x", "client_secret": "s"},
        ),
        "register-key-a-number": lambda: requests.post(
            url + p.PATH_REGISTER,
            json={"station_id": "s", "public_key": 5, "timestamp": "1", "signature": "x"},
        ),
        "register-timestamp-nan": lambda: requests.post(
            url + p.PATH_REGISTER,
            json={"station_id": "s", "public_key": "k", "timestamp": "nan", "signature": "x"},
        ),
        "body-a-list": lambda: requests.post(url + p.PATH_TOKEN, json=[]),
        "body-nested-deep": lambda: requests.post(url + p.PATH_TOKEN, data=b"[" * 100_000),
        "ack-format-other": lambda: pushed(batch, **{p.H_ACK_FORMAT: "all"}),
        "batch-not-gzip": lambda: pushed(b"\x1f\x8b not gzip"),
        "batch-items-not-a-list": lambda: pushed(gzip.compress(b'{"items": {}}')),
        "batch-item-a-string": lambda: pushed(gzip.compress(b'{"items": ["x"]}')),
        "content-length-text": lambda: raw_request(
            url, b"POST /v1/token HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
        ),
        "content-length-huge": lambda: raw_request(
            url,
            b"POST /v1/token HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (MAX_BODY + 1),
        ),
        "upstream-status-text": lambda: requests.post(
            url + "/_emulator/upstream",
            json={"kind": "dossier.status", "entity_id": "X", "data": {"TrangThai": "bốn"}},
        ),
        "advance-steps-false": lambda: requests.post(
            url + "/_emulator/advance", json={"steps": False}
        ),
        "poison-mode-unknown": lambda: requests.post(
            url + "/_emulator/poison", json={"entity_id": "X", "mode": "sometimes"}
        ),
    }
    answer = calls[case]()
    status, body = answer if isinstance(answer, tuple) else (answer.status_code, answer.json())
    expected = 413 if error == "too_large" else 400
    assert (status, body["error"]) == (expected, error), body
    assert set(body) == {"error", "detail", "portal_time"}


def test_head_gets_405_without_a_body_and_the_connection_stays_usable(portal):
    emulator, token, _ = portal
    with requests.Session() as session:
        head = session.head(emulator.url + p.PATH_CHANGES, timeout=10)
        assert (head.status_code, head.headers["Allow"]) == (405, "GET")
        assert session.get(emulator.url + "/_emulator/stats", timeout=10).json()["stations"] == 1
