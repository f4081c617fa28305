"""Applying an event is idempotent even when its key reaches the stream twice.

JetStream drops a repeated `Nats-Msg-Id` only inside its 2-hour duplicate window. A kiosk
killed after the stream acknowledged its ticket but before it marked the delivery sent
publishes it again at its next start; after a night-long power cut the window has passed
and the same key lands at a second stream position. By then the ticket was called: were
the old "waiting" state applied again, every replica would put the citizen back in the
queue. Real nats-server, real station processes."""

from __future__ import annotations

import asyncio

import pytest

from counter_app.center.lab import Center, cli, cli_json
from counter_app.center.link import STREAM, link_settings
from counter_app.store import open_store


@pytest.fixture
def center(tmp_path):
    c = Center(tmp_path)
    c.start_hub()
    yield c
    c.close()


def _short_duplicate_window(center: Center) -> None:
    """As after a night-long power cut: the stream's duplicate window has passed."""
    import nats

    store = open_store(center.hub_dir)
    try:
        password = link_settings(store)["password"]
    finally:
        store.close()

    async def work() -> None:
        nc = await nats.connect(f"nats://127.0.0.1:{center.port}", user="hub", password=password)
        try:
            js = nc.jetstream()
            config = (await js.stream_info(STREAM)).config
            config.duplicate_window = 0.5
            await js.update_stream(config)
        finally:
            await nc.close()

    asyncio.run(work())


def _unmark(center: Center, folder) -> str:
    """The kiosk's delivery of its one ticket as if the kill came between the stream's
    acknowledgement and the commit that marks it sent (the row still holds its sealed
    event, as the stream does); returns its key."""
    import nats

    store = open_store(center.hub_dir)
    try:
        password = link_settings(store)["password"]
    finally:
        store.close()

    async def first_event() -> tuple[str, str]:
        nc = await nats.connect(f"nats://127.0.0.1:{center.port}", user="hub", password=password)
        try:
            msg = await nc.jetstream().get_msg(STREAM, 1)
            return msg.headers["Nats-Msg-Id"], msg.data.decode("ascii")
        finally:
            await nc.close()

    key, sealed = asyncio.run(first_event())
    store = open_store(folder)
    try:
        with store.transaction():
            store.conn.execute(
                "UPDATE center_outbox SET state = 'waiting', payload = ?, published_at = NULL "
                "WHERE idem_key = ? AND op = 'ticket.waiting'",
                (sealed, key),
            )
        return key
    finally:
        store.close()


def _state(folder, label: str) -> str:
    store = open_store(folder)
    try:
        return store.query_one(
            "SELECT state FROM tickets WHERE letter || printf('%03d', number) = ?", (label,)
        )["state"]
    finally:
        store.close()


def _portal_items(folder, key: str) -> int:
    store = open_store(folder)
    try:
        return store.query_one(
            "SELECT count(*) AS n FROM outbox WHERE idem_key LIKE ?", (f"%:{key}",)
        )["n"]
    finally:
        store.close()


def test_the_same_key_at_two_stream_positions_applies_once(center):
    kiosk = center.join("kiosk", "kiosk")
    counters = [center.join(f"c{n}", "counter") for n in (1, 2)]
    _short_duplicate_window(center)
    label = cli_json(kiosk, "ticket", "take", "--group", "A")["label"]
    cli(counters[0], "center", "sync")
    assert cli_json(counters[0], "queue", "call-next", "--counter", "1")["label"] == label
    cli(counters[0], "queue", "start", "--counter", "1")
    folders = [*counters, center.hub_dir]
    for folder in folders:
        cli(folder, "center", "sync")
    assert {_state(f, label) for f in folders} == {"serving"}

    key = _unmark(center, kiosk)
    asyncio.run(asyncio.sleep(1.0))  # the duplicate window has passed
    assert cli_json(kiosk, "center", "sync")["published"] == 1  # at a second position
    for folder in folders * 2:
        cli(folder, "center", "sync")
    # applied once: the citizen stays at the counter on every replica, the portal hears
    # of the ticket once, and each replica reports the second copy as a replay
    assert {_state(f, label) for f in folders} == {"serving"}
    assert _portal_items(center.hub_dir, key) == 1
    for folder in folders:
        store = open_store(folder)
        try:
            assert [r["reason"] for r in store.center.set_aside_rows()] == ["replay"]
        finally:
            store.close()
    assert "Nhóm A: 0 người đang chờ" in cli(counters[1], "queue", "list").stdout
