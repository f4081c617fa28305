"""The claims' move at an upgrade never moves nothing by mistake.

A real nats-server (JetStream, on a hub port) holds a center stream announcing protocol 1
and a claims bucket with claims under the old keys (`t_<hash>`), as a protocol-1 hub left
them. The hub's `_ensure_stream` then runs with the listing's `stream_info` answering once
(or always) as a node just restarted once did: no subjects for a stream holding messages.
Once: every claim is moved and protocol 2 announced. Always: nothing is announced, the old
claims stay where they are, and the start fails loudly (the hub's loop tries again)."""

from __future__ import annotations

import asyncio
import subprocess
import time
from dataclasses import replace

import pytest

from counter_app.center import upgrade
from counter_app.center.lab import hub_port
from counter_app.center.permissions import CLAIMS_BUCKET, PROTOCOL
from counter_app.center.runner import _ensure_stream, server_binary

OLD_CLAIMS = {f"t_{n:032x}": f"st{n}/1".encode() for n in range(1, 6)}


@pytest.fixture
def server(tmp_path):
    port = hub_port()
    process = subprocess.Popen(
        [server_binary(), "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stderr:  # the server says when it serves
        if "Server is ready" in line:
            break
    else:
        raise AssertionError("nats-server did not start")
    yield f"nats://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


def _config(protocol: int):
    from nats.js.api import StreamConfig

    metadata = {"protocol": str(protocol)}
    return StreamConfig(name="CENTER", subjects=["center.ev.>"], metadata=metadata)


async def _protocol_1_center(url: str):
    """A stream at protocol 1 and its claims under the old keys; returns the connection."""
    import nats
    from nats.js.api import KeyValueConfig

    nc = await nats.connect(url)
    js = nc.jetstream()
    await js.add_stream(_config(1))
    claims = await js.create_key_value(KeyValueConfig(bucket=CLAIMS_BUCKET))
    for key, value in OLD_CLAIMS.items():
        await claims.create(key, value)
    return nc, js


def _emptied(js, times: int | None):
    """`js.stream_info` whose first `times` replies (all of them with None) list no
    subjects, the stream's message count untouched: what the restarted node answered."""
    calls = []

    async def read_info(name, subjects_filter=None):
        info = await js.stream_info(name, subjects_filter=subjects_filter)
        calls.append(name)
        if times is None or len(calls) <= times:
            return replace(info, state=replace(info.state, subjects=None))
        return info

    read_info.calls = calls
    return read_info


async def _announced(js) -> str | None:
    return ((await js.stream_info("CENTER")).config.metadata or {}).get("protocol")


async def _keys(js) -> list[str]:
    return sorted(await upgrade.live_claims(js))


def test_an_empty_listing_once_is_read_again_and_every_claim_moves(server):
    async def run():
        nc, js = await _protocol_1_center(server)
        try:
            read_info = _emptied(js, times=1)
            await _ensure_stream(js, _config(PROTOCOL), read_info=read_info)
            assert await _keys(js) == sorted(k.replace("t_", "t.", 1) for k in OLD_CLAIMS)
            assert await _announced(js) == str(PROTOCOL)
            assert len(read_info.calls) >= 2  # the empty one, then a whole one
        finally:
            await nc.close()

    asyncio.run(run())


def test_a_listing_that_never_adds_up_announces_nothing_and_moves_nothing(server, monkeypatch):
    monkeypatch.setattr(upgrade, "LISTING_WAIT", 1.0)

    async def run():
        nc, js = await _protocol_1_center(server)
        try:
            started = time.monotonic()
            with pytest.raises(upgrade.ClaimsUnlisted):
                await _ensure_stream(js, _config(PROTOCOL), read_info=_emptied(js, times=None))
            assert time.monotonic() - started < 10  # bounded
            assert await _announced(js) == "1"
            assert await _keys(js) == sorted(OLD_CLAIMS)
            # the next start, with a whole listing, moves them and announces
            await _ensure_stream(js, _config(PROTOCOL))
            assert await _keys(js) == sorted(k.replace("t_", "t.", 1) for k in OLD_CLAIMS)
            assert await _announced(js) == str(PROTOCOL)
        finally:
            await nc.close()

    asyncio.run(run())
