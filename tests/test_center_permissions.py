"""Least privilege on NATS: with one station's own credentials, used directly with nats-py
(as a thief of a kiosk's or a counter's data folder would), nothing beyond the role. Real
nats-server under `hub start`; every refusal is nats-server's own."""

from __future__ import annotations

import asyncio
import time

import pytest

from counter_app.center.lab import Center, cli, cli_json
from counter_app.center.link import STREAM, link_settings
from counter_app.center.permissions import inbox_prefix
from counter_app.store import open_store


def _credentials(folder) -> dict:
    store = open_store(folder)
    try:
        return link_settings(store)
    finally:
        store.close()


async def _session(creds: dict, work):
    """Run `work(nc, js)` as this user; returns (its result or the error, the server's
    permission complaints)."""
    import nats

    complaints: list[str] = []

    async def collect(error):
        complaints.append(str(error).lower())

    nc = await nats.connect(
        creds["urls"][0],
        user=creds["user"],
        password=creds["password"],
        error_cb=collect,
        allow_reconnect=False,
        inbox_prefix=inbox_prefix(creds["user"]).encode(),
    )
    try:
        try:
            result = await work(nc, nc.jetstream(timeout=1.5))
        except Exception as error:  # the refusal itself is what we look at
            result = error
        await asyncio.sleep(0.3)  # the server's -ERR arrives on its own
        return result, complaints
    finally:
        await nc.close()


def _as(creds: dict, work):
    return asyncio.run(_session(creds, work))


def _refused(outcome) -> bool:
    result, complaints = outcome
    return isinstance(result, Exception) and any("permissions violation" in c for c in complaints)


def _hub_view(center: Center) -> dict:
    """What the hub user sees: the streams and the stream's last sequence."""
    creds = _credentials(center.hub_dir)
    creds = {**creds, "urls": [f"nats://127.0.0.1:{center.port}"]}

    async def look(nc, js):
        names = sorted(s.config.name for s in await js.streams_info())
        info = await js.stream_info(STREAM)
        record = await (await js.key_value("hub")).get("record")
        return {"streams": names, "last": info.state.last_seq, "record": record.revision}

    result, _ = _as(creds, look)
    assert isinstance(result, dict), result
    return result


def test_one_station_credentials_reach_only_what_its_role_needs(center):
    kiosk = center.join("kiosk", "kiosk")
    counter = center.join("c1", "counter")
    board = center.join("board", "display")
    cli(kiosk, "ticket", "take", "--group", "A")
    time.sleep(2.0)  # the hub shares its record on its next turn
    before = _hub_view(center)
    assert "KV_hub" in before["streams"] and "OBJ_papers" in before["streams"]
    k, c, b = _credentials(kiosk), _credentials(counter), _credentials(board)

    async def read_hub_record(nc, js):
        return await (await js.key_value("hub")).get("record")

    async def write_hub_record(nc, js):
        return await js.publish("$KV.hub.record", b"mine")

    async def create_stream(nc, js):
        return await js.add_stream(name="STOLEN", subjects=["stolen.>"])

    async def delete_stream(nc, js):
        return await js.delete_stream(STREAM)

    def publish_as(user: str):
        async def work(nc, js):
            return await js.publish(f"center.ev.{user}.ticket.waiting", b"x")

        return work

    async def claim(nc, js):
        return await js.publish("$KV.claims.t.0123", b"me")

    async def claim_something_else(nc, js):  # claims are for tickets only
        return await js.publish("$KV.claims.x", b"me")

    async def delete_claims(nc, js):
        return await js.delete_stream("KV_claims")

    async def read_papers(nc, js):
        store = await js.object_store("papers")
        return await store.get("hoso-1")

    async def snoop_inboxes(nc, js):
        await nc.subscribe("_INBOX.>")
        await nc.flush()
        await asyncio.sleep(0.3)
        raise RuntimeError("subscribed")  # the refusal comes as the server's complaint

    for creds in (k, c, b):
        assert _refused(_as(creds, read_hub_record))
        assert _refused(_as(creds, write_hub_record))
        assert _refused(_as(creds, create_stream))
        assert _refused(_as(creds, delete_stream))
        assert _refused(_as(creds, snoop_inboxes))
    assert _refused(_as(k, publish_as(c["user"])))  # the kiosk speaking for a counter
    assert _refused(_as(c, publish_as(k["user"])))
    assert _refused(_as(b, publish_as(b["user"])))  # the board publishes nothing
    assert _refused(_as(k, claim)) and _refused(_as(b, claim))
    assert _refused(_as(c, claim_something_else)) and _refused(_as(c, delete_claims))
    assert _refused(_as(k, read_papers)) and _refused(_as(b, read_papers))

    # what the roles need still works: a counter claims and keeps papers, the kiosk issues
    async def keep_paper(nc, js):
        store = await js.object_store("papers")
        await store.put("hoso-1", b"%PDF-1.4 scanned")
        return (await store.get("hoso-1")).data

    result, complaints = _as(c, keep_paper)
    assert result == b"%PDF-1.4 scanned", (result, complaints)
    label = cli_json(kiosk, "ticket", "take", "--group", "A")["label"]
    called = cli_json(counter, "queue", "call-next", "--counter", "1")["label"]
    assert called == "A001" and label == "A002"
    assert label in cli(board, "queue", "list").stdout

    after = _hub_view(center)
    assert after["streams"] == before["streams"]  # nothing made, nothing deleted
    assert after["last"] > before["last"]
    assert after["record"] >= before["record"]


def test_revoked_and_used_code_credentials_cannot_log_in(center):
    import nats

    code = cli_json(center.hub_dir, "hub", "invite", "--role", "counter")["code"]
    counter = center.root / "c1"
    cli(counter, "center", "join", code)
    from counter_app.center.enrol import read_code

    used = read_code(code)
    creds = _credentials(counter)
    cli(center.hub_dir, "hub", "revoke", creds["user"])
    time.sleep(2.5)  # the hub reloads nats-server's users on its next turn

    async def log_in(user: str, password: str):
        nc = await nats.connect(
            f"nats://127.0.0.1:{center.port}",
            user=user,
            password=password,
            allow_reconnect=False,
            max_reconnect_attempts=0,
            connect_timeout=2,
        )
        await nc.close()

    for user, password in ((creds["user"], creds["password"]), (used["user"], used["password"])):
        with pytest.raises(Exception, match="(?i)authorization"):
            asyncio.run(log_in(user, password))
    assert used["user"] != creds["user"]  # the code never carried the station's own user
