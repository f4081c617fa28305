"""Protocol versions: the hub announces its protocol in the center stream's metadata; a
station older than its center publishes nothing, says it needs an update, and loses
nothing: its events go out once it can speak the center's protocol. Real nats-server
under `hub start`, real station processes."""

from __future__ import annotations

import asyncio

from counter_app.center.lab import Center, cli, cli_json
from counter_app.center.link import STREAM, link_settings
from counter_app.center.permissions import PROTOCOL
from counter_app.store import open_store


def _announce(center: Center, protocol: str) -> int:
    """As a newer hub would: the stream's protocol; returns the stream's last sequence."""
    import nats

    store = open_store(center.hub_dir)
    try:
        password = link_settings(store)["password"]
    finally:
        store.close()

    async def work() -> int:
        nc = await nats.connect(f"nats://127.0.0.1:{center.port}", user="hub", password=password)
        try:
            js = nc.jetstream()
            info = await js.stream_info(STREAM)
            info.config.metadata = {**(info.config.metadata or {}), "protocol": protocol}
            await js.update_stream(info.config)
            return (await js.stream_info(STREAM)).state.last_seq
        finally:
            await nc.close()

    return asyncio.run(work())


def test_an_older_station_is_told_to_update_and_loses_nothing(tmp_path):
    center = Center(tmp_path)
    center.start_hub()
    try:
        kiosk = center.join("kiosk", "kiosk")
        counter = center.join("c1", "counter")
        assert _announce(center, str(PROTOCOL)) == 0  # the hub announced this version
        last = _announce(center, str(PROTOCOL + 1))  # the center moved on
        taken = cli(kiosk, "ticket", "take", "--group", "A")
        assert "máy này cần cập nhật phiên bản" in taken.stderr, taken.stderr
        status = cli_json(kiosk, "center", "status")
        assert not status["linked"] and status["outdated"] == PROTOCOL + 1
        assert status["waiting"] == 1
        assert _announce(center, str(PROTOCOL + 1)) == last  # nothing published
        # updated (here: the center speaks this version again), its ticket goes out
        _announce(center, str(PROTOCOL))
        assert cli_json(kiosk, "center", "sync")["published"] == 1
        assert "A001" in cli(counter, "queue", "list").stdout
    finally:
        center.close()
