"""A bad message in the center stream is set aside, never a cut: junk, a replayed event, a
forged origin and an oversized payload, published with a real station's credentials at
random stream positions between real tickets and calls. Real nats-server, real station
processes, nothing mocked."""

from __future__ import annotations

import asyncio
import random

from counter_app.center.lab import Center, cli, cli_json
from counter_app.center.link import STREAM
from counter_app.store import open_store
from tests.helpers.center import credentials


def _seal(folder, plain: dict, key: str) -> bytes:
    """What a station can seal with the center's keys its role holds (the forger's own)."""
    store = open_store(folder)
    try:
        return store.center_keys.seal_event(plain, key).encode("ascii")
    finally:
        store.close()


def _station_id(folder) -> str:
    store = open_store(folder)
    try:
        return store.settings.get("station")["id"]
    finally:
        store.close()


async def _publish(creds: dict, subject: str, data: bytes, headers: dict | None) -> int:
    import nats

    nc = await nats.connect(
        creds["urls"][0], user=creds["user"], password=creds["password"],
        inbox_prefix=f"_INBOX_{creds['user']}".encode(),
    )  # fmt: skip
    try:
        ack = await nc.jetstream().publish(subject, data, headers=headers, timeout=5)
        return ack.seq
    finally:
        await nc.close()


async def _as_hub(center: Center, work):
    import nats

    creds = credentials(center.hub_dir)
    nc = await nats.connect(
        f"nats://127.0.0.1:{center.port}", user="hub", password=creds["password"]
    )
    try:
        return await work(nc.jetstream())
    finally:
        await nc.close()


def _short_duplicate_window(center: Center) -> None:
    """As after a night-long power cut: the stream's duplicate window has passed."""

    async def work(js):
        info = await js.stream_info(STREAM)
        config = info.config
        config.duplicate_window = 0.5
        await js.update_stream(config)

    asyncio.run(_as_hub(center, work))


def _last_kiosk_message(center: Center, user: str):
    async def work(js):
        info = await js.stream_info(STREAM)
        for seq in range(info.state.last_seq, 0, -1):
            msg = await js.get_msg(STREAM, seq)
            if msg.subject.startswith(f"center.ev.{user}.ticket."):
                return msg
        raise AssertionError("no kiosk ticket in the stream")

    return asyncio.run(_as_hub(center, work))


def _set_aside(folder) -> list[dict]:
    store = open_store(folder)
    try:
        return store.center.set_aside_rows()
    finally:
        store.close()


def _tickets(folder) -> set:
    store = open_store(folder)
    try:
        return {(r["uid"], r["state"]) for r in store.query("SELECT uid, state FROM tickets")}
    finally:
        store.close()


def test_bad_events_at_random_positions_are_set_aside_and_every_replica_converges(center):
    kiosk = center.join("kiosk", "kiosk")
    counters = [center.join(f"c{n}", "counter") for n in (1, 2)]
    creds = credentials(kiosk)
    user = creds["user"]
    own = f"center.ev.{user}.ticket.waiting"
    _short_duplicate_window(center)
    cli(kiosk, "ticket", "take", "--group", "A")  # one real event before any replay

    def junk_bare():
        return asyncio.run(_publish(creds, own, b"\x00junk", None))

    def junk_keyed():
        key = f"{_station_id(kiosk)}:900001"
        return asyncio.run(_publish(creds, own, b"not sealed", {"Nats-Msg-Id": key}))

    def replay():
        msg = _last_kiosk_message(center, user)
        return asyncio.run(_publish(creds, msg.subject, msg.data, dict(msg.headers)))

    def forged():
        # the kiosk holds the ticket key: it seals a call "made" by counter c1
        victim = _station_id(counters[0])
        key = f"{victim}:900002"
        event = {"v": 1, "ticket": {"uid": "forged#1"}, "actor": "x", "at": "2026-01-01"}
        headers = {"Nats-Msg-Id": key, "Op": "ticket.called", "Entity": "ticket"}
        return asyncio.run(_publish(creds, own, _seal(kiosk, event, key), headers))

    def empty():  # nats-py reads an empty payload as None
        key = f"{_station_id(kiosk)}:900004"
        return asyncio.run(_publish(creds, own, b"", {"Nats-Msg-Id": key}))

    def oversized():
        key = f"{_station_id(kiosk)}:900003"
        return asyncio.run(_publish(creds, own, b"A" * 300_000, {"Nats-Msg-Id": key}))

    bad = {"no_key": junk_bare, "unopenable": junk_keyed, "replay": replay}
    bad |= {"forged": forged, "too_big": oversized, "empty": empty}
    reason_of = {"empty": "unreadable"}
    steps = [*bad, *["take"] * 5, *["call"] * 3]
    rng = random.Random(21)
    rng.shuffle(steps)
    positions: dict[int, str] = {}
    calls = 0
    for step in steps:
        if step == "take":
            cli(kiosk, "ticket", "take", "--group", "A")
        elif step == "call":
            calls += 1
            number = calls % 2  # counter station c1 is counter 1, c2 counter 2
            counter = counters[number]
            cli(counter, "queue", "call-next", "--counter", str(number + 1), "--current", "served")
        else:
            if step == "replay":
                asyncio.run(asyncio.sleep(1.0))  # the duplicate window has passed
            positions[bad[step]()] = reason_of.get(step, step)

    folders = [kiosk, *counters, center.hub_dir]
    for folder in folders * 2:  # twice: a second turn reports nothing new
        cli(folder, "center", "sync")
    replicas = [_tickets(folder) for folder in folders]
    assert all(r == replicas[0] for r in replicas), replicas
    assert len(replicas[0]) == 6 and not any("forged" in uid for uid, _ in replicas[0])
    called = [state for _, state in replicas[0] if state != "waiting"]
    assert len(called) == 3
    for folder in folders:
        rows = _set_aside(folder)
        assert {r["stream_seq"]: r["reason"] for r in rows} == positions, (folder, rows)
        assert {r["publisher"] for r in rows} == {user}

    status = cli(counters[0], "center", "status").stdout
    assert "Đã bỏ qua 6 sự kiện hỏng hoặc giả mạo" in status, status
    assert "mạo danh một trạm khác" in status and "quá lớn" in status
    stations = cli_json(center.hub_dir, "hub", "stations")
    assert {s["station"]: s["set_aside"] for s in stations}[user] == 6
    listed = cli(center.hub_dir, "hub", "stations").stdout
    assert "6 sự kiện bị bỏ qua" in listed, listed

    # the hub queues each real ticket event for the portal once, the replay not again
    hub = open_store(center.hub_dir)
    try:
        keys = [r["idem_key"] for r in hub.query("SELECT idem_key FROM outbox")]
    finally:
        hub.close()
    assert len(keys) == len(set(keys))
    # work goes on: a ticket taken now reaches every counter
    label = cli_json(kiosk, "ticket", "take", "--group", "A")["label"]
    assert label in cli(counters[1], "queue", "list").stdout
