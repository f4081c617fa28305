"""The protocol check's stream-info round trip comes once per connection, not before each
publish (it sat on the path of every ticket from the kiosk to a counter), and again after a
publish failed: a station whose center moved on to a newer protocol meanwhile still
publishes nothing and says it needs an update. Real nats-server under `hub start`; the
kiosk is a link in this process, its cable a relay the test cuts; the stream-info requests
are counted as nats-server sees them (a hub-user subscriber on the JetStream API subject,
by the kiosk's inbox)."""

from __future__ import annotations

import asyncio
import threading

from counter_app.center.lab import CuttableLink, route_through
from counter_app.center.link import STREAM, CenterLink, link_settings
from counter_app.center.permissions import PROTOCOL, inbox_prefix
from counter_app.core.clock import system_now
from counter_app.core.roles import Actor, Role
from counter_app.services import queue
from counter_app.services.context import ServiceContext
from counter_app.services.station import load_station
from counter_app.store import open_store


class InfoRequests:
    """Stream-info requests from one station's connections, counted as they reach the
    server."""

    def __init__(self, port: int, password: str, user: str) -> None:
        self.count = 0
        self.prefix = inbox_prefix(user)
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self._run(self._start(port, password))

    def _run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    async def _start(self, port: int, password: str) -> None:
        import nats

        self.nc = await nats.connect(f"nats://127.0.0.1:{port}", user="hub", password=password)

        async def seen(msg) -> None:
            if msg.reply.startswith(self.prefix):
                self.count += 1

        await self.nc.subscribe(f"$JS.API.STREAM.INFO.{STREAM}", cb=seen)
        await self.nc.flush()

    def announce(self, protocol: int) -> None:
        """As a newer hub would: the stream's protocol, connections left as they are."""

        async def work() -> None:
            js = self.nc.jetstream()
            info = await js.stream_info(STREAM)
            info.config.metadata = {**(info.config.metadata or {}), "protocol": str(protocol)}
            await js.update_stream(info.config)

        self._run(work())

    def seen(self) -> int:
        self._run(self.nc.flush())
        return self.count

    def close(self) -> None:
        self._run(self.nc.close())
        self.loop.call_soon_threadsafe(self.loop.stop)


def _password(folder) -> str:
    store = open_store(folder)
    try:
        return link_settings(store)["password"]
    finally:
        store.close()


def test_the_protocol_is_checked_once_per_connection_and_after_a_failure(center):
    folder = center.join("kiosk", "kiosk")
    cable = CuttableLink(center.port)
    route_through(folder, cable)
    store = open_store(folder)
    station = load_station(store)
    requests = InfoRequests(center.port, _password(center.hub_dir), link_settings(store)["user"])
    link = CenterLink(store, station, timeout=1.0)
    ctx = ServiceContext(store, system_now, station, Actor("admin", Role.ADMIN), link)
    try:
        assert link.sync(apply=False).reachable
        assert requests.seen() == 1  # the connection's check
        for _ in range(5):
            queue.take_ticket(ctx, group="A")
            assert link.sync(apply=False).published == 1
        assert requests.seen() == 1  # five tickets straight out
        assert link.sync().reachable  # a turn that applies reads the stream's end
        assert requests.seen() == 2

        requests.announce(PROTOCOL + 1)  # the center moved on; this connection stays
        cable.cut()  # the next publish fails: a new connection, checked again
        cable.restore()
        queue.take_ticket(ctx, group="A")
        report = link.sync(apply=False)
        assert not report.reachable and report.outdated == PROTOCOL + 1
        assert report.published == 0 and report.waiting == 1
        assert requests.seen() == 3
    finally:
        link.close()
        store.close()
        requests.close()
        cable.cut()
