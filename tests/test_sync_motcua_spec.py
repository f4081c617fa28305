"""sync/motcua.yaml and the motcua emulator cannot drift apart: schemathesis sends generated
requests, well-formed and malformed, to the emulator on 127.0.0.1 with a live token and checks
every answer against the spec; a well-formed call is taken or refused only as documented."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

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
    # a generated record naming files is refused with 400 unless they were uploaded for that
    # dossier first, and a generated upload unless its HashTepTin is the file's (the spec
    # says so): checked below instead of as "valid data refused"
    files = case.path == "/UploadFile" or _names_files(case.body)
    # the patterns take days 29-31 of every month; a date that does not exist (11-31) is
    # refused with 400 naming the time field, as the spec says
    unreal = _unreal_date(case.body)
    excluded = [positive_data_acceptance] if files or unreal else []
    response = case.call_and_validate(
        base_url=emulator.url, headers=headers, timeout=10, excluded_checks=excluded
    )
    if unreal and case.meta.generation.mode.name == "POSITIVE" and response.status_code == 400:
        assert "thời gian" in response.json()["message"], response.text
        return
    if files and case.meta.generation.mode.name == "POSITIVE" and response.status_code == 400:
        message = response.json()["message"]
        assert "IdTepTin" in message or "HashTepTin" in message, response.text
        return
    if case.meta.generation.mode.name == "POSITIVE" and case.path in DOCUMENTED:
        assert response.status_code in DOCUMENTED[case.path], response.text


def _names_files(body) -> bool:
    """Whether a CreateDossier or CapNhatTrangThai body names any uploaded file."""
    records = body if isinstance(body, list) else [body]
    for record in records:
        if not isinstance(record, dict):
            continue
        parts = record.get("ThanhPhanHoSo")
        named = [p.get("GiayToDinhKem") for p in parts if isinstance(p, dict)] if isinstance(
            parts, list) else []  # fmt: skip
        named += [record.get("GiayToKetQua"), record.get("GiayToDinhKem")]
        if any(isinstance(n, list) and n for n in named):
            return True
    return False


_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$")


def _unreal_date(body) -> bool:
    """Whether a generated body carries a time the calendar does not have (2026-02-31)."""
    if isinstance(body, dict):
        return any(_unreal_date(v) for v in body.values())
    if isinstance(body, list):
        return any(_unreal_date(v) for v in body)
    if isinstance(body, str) and _TIME.match(body):
        try:
            datetime.strptime(body.replace("T", " "), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return True
    return False
