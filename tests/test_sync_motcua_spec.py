"""sync/motcua.yaml and the motcua emulator cannot drift apart: schemathesis sends generated
requests, well-formed and malformed, to the emulator on 127.0.0.1 with a live token and checks
every answer against the spec; a well-formed call is taken or refused only as documented."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from sync.emulator_motcua import DEFAULT_CLIENT, MotcuaEmulator

SPEC = Path(__file__).resolve().parents[1] / "sync" / "motcua.yaml"
# 409 on a step or a status: the move starts from a status the dossier has left
DOCUMENTED = {"/CreateDossier": {200, 409}, "/CapNhatTienTrinh": {200, 404, 409}}
DOCUMENTED["/CapNhatTrangThai"] = {200, 404, 409}


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    # any MaHoSo taken: generated codes were never issued (tests/test_sync_code_pool.py
    # covers the refusal of such a code)
    emulator = MotcuaEmulator(
        tmp_path_factory.mktemp("motcua"), token_ttl=3600, check_codes=False
    ).start()
    token = requests.post(
        emulator.url + "/token",
        data={"grant_type": "client_credentials", **DEFAULT_CLIENT},
        timeout=10,
    ).json()["access_token"]
    yield emulator, token
    emulator.stop()


schema = schemathesis.openapi.from_path(SPEC)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_emulator_keeps_to_its_spec(case, portal):
    emulator, token = portal
    # a live token, except for a negative case whose point is the missing credentials
    unauthenticated = case.meta.generation.mode.name == "NEGATIVE" and "Authorization" not in (
        case.headers or {}
    )
    headers = {} if unauthenticated else {"Authorization": f"Bearer {token}"}
    response = case.call_and_validate(base_url=emulator.url, headers=headers, timeout=10)
    if case.meta.generation.mode.name == "POSITIVE" and case.path in DOCUMENTED:
        assert response.status_code in DOCUMENTED[case.path], response.text
