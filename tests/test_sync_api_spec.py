"""sync/api.yaml and the emulator cannot drift apart: schemathesis sends generated requests,
well-formed and malformed, to the emulator on 127.0.0.1 and checks every answer against the
spec (no 5xx, documented status codes, bodies and headers as declared)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, settings

from sync import protocol as p
from sync.emulator import PortalEmulator

SPEC = Path(__file__).resolve().parents[1] / "sync" / "api.yaml"


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    emulator = PortalEmulator(tmp_path_factory.mktemp("portal"), token_ttl=3600).start()
    key = Ed25519PrivateKey.generate()
    public, ts = p.public_key_b64(key), f"{time.time():.3f}"
    answer = requests.post(
        emulator.url + p.PATH_REGISTER,
        json={
            "station_id": "000.00.01.H22/1/spec",
            "public_key": public,
            "timestamp": ts,
            "signature": p.sign(key, p.register_message("000.00.01.H22/1/spec", public, ts)),
        },
        timeout=10,
    )
    answer.raise_for_status()
    yield emulator, answer.json()["access_token"]
    emulator.stop()


schema = schemathesis.openapi.from_path(SPEC)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_emulator_keeps_to_its_spec(case, portal):
    emulator, token = portal
    case.call_and_validate(
        base_url=emulator.url, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
