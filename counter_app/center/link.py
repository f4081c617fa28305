"""A station's link to the center stream: publish what waits, apply what is new, claim.

nats-py is asyncio; the link runs its own event loop on a thread so that the services, the
command line and the windows call it as plain functions with a time bound. Every failure
to reach the center becomes "cut off" (recorded with its start), never an exception for
the caller: the station goes on alone and converges when the link returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from counter_app.center.tls import client_context
from counter_app.core.clock import system_now, vn_time
from counter_app.core.errors import DomainError
from counter_app.core.messages import MESSAGES, register
from counter_app.core.roles import Actor, Role
from counter_app.services.context import ServiceContext
from counter_app.services.replica import apply_center_event
from counter_app.services.station import Station
from counter_app.store import Store

log = logging.getLogger(__name__)

STREAM = "CENTER"
SUBJECT_PREFIX = "center.ev"
CLAIMS_BUCKET = "claims"
# Papers' sealed files (store/paper_files.py) by paper id: made by the hub, written by the
# counter that scanned, read by counters and the hub; never by a kiosk or a board.
PAPERS_BUCKET = "papers"
PAPER_ROLES = frozenset({"counter", "hub", "all-in-one"})
KEEP_PAPERS_BATCH = 20  # the hub's copies fetched per turn, so a backlog never stalls a turn
CENTER_ACTOR = Actor("center", Role.ADMIN)
APPLY_BATCH = 200
CONTACT_EVERY = 30.0
DIRECT_GET_MAX = 16  # fewer new events than this are read one by one, without a consumer


register(
    {
        "center.cut_off": {
            "vi": "Cảnh báo: không kết nối được với máy chủ trung tâm; đã làm việc trên dữ liệu "
            "của máy này ({waiting} sự kiện chờ gửi, sẽ tự gửi khi có kết nối).",
            "en": "Warning: the center hub could not be reached; worked on this PC's data "
            "({waiting} events waiting, sent when the link returns).",
        },
    }
)


def cut_off_message(lang: str, waiting: int) -> str:
    return MESSAGES["center.cut_off"][lang if lang in ("vi", "en") else "vi"].format(
        waiting=waiting
    )


@dataclass
class LinkReport:
    reachable: bool = False
    published: int = 0
    applied: int = 0
    waiting: int = 0
    lag: int | None = None  # stream messages this replica has not applied yet
    double_calls: int = 0
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def claim_key(name: str) -> str:
    """KV keys allow few characters: a ticket's claim name is hashed into one."""
    return "t_" + hashlib.sha256(name.encode()).hexdigest()[:32]


def link_settings(store: Store) -> dict | None:
    """The center's address and this station's credentials (sealed), or None alone."""
    data = store.settings.get("center")
    if not data:
        return None
    return {**data, "password": store.crypto.open(data["password"], "center.password")}


async def _quiet(error: Exception) -> None:
    """nats-py prints connection errors by default; a cut-off is reported once, by us."""


async def connect(urls: list[str], user: str, password: str, timeout: float, ca: str | None = None):
    """A NATS connection within `timeout`, or an error at once when no server listens.

    nats-py keeps trying a refused address until its caller gives up, whatever its reconnect
    options say; a counter must not wait a minute to learn that the hub is off."""
    import nats

    for url in urls:  # a cluster's nodes in turn: the first that answers serves
        host, _, port = url.split("://", 1)[-1].rpartition(":")
        try:
            _, writer = await asyncio.wait_for(
                asyncio.open_connection(host.strip("[]"), int(port)), timeout
            )
            writer.close()
            break
        except (OSError, TimeoutError, ValueError):
            continue
    else:
        raise ConnectionRefusedError("no center server answers")
    return await asyncio.wait_for(
        nats.connect(
            servers=[url],
            user=user,
            password=password,
            connect_timeout=timeout,
            allow_reconnect=False,
            max_reconnect_attempts=0,
            error_cb=_quiet,
            tls=client_context(ca) if ca else None,
        ),
        timeout * 2,
    )


class _Delivered:
    """A message from the ordered consumer, seen as the applier needs it."""

    def __init__(self, msg) -> None:
        self.headers, self.data = msg.headers, msg.data
        self.seq = msg.metadata.sequence.stream


class _Stored:
    """A message read directly by its stream sequence."""

    def __init__(self, msg) -> None:
        self.headers, self.data, self.seq = msg.headers, msg.data, msg.seq


class CenterLink:
    def __init__(
        self,
        store: Store,
        station: Station,
        *,
        timeout: float = 2.0,
        clock: Callable[[], datetime] = system_now,
    ) -> None:
        self.store = store
        self.station = station
        self.timeout = timeout
        self.clock = clock
        self.settings = link_settings(store)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._nc: Any = None
        self._js: Any = None
        self._kv: Any = None
        self._cut: bool | None = None  # unknown until the first turn
        self._contact_written = 0.0

    # ---- plain calls with a time bound ----
    def _run(self, coro, extra: float = 0.0):
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(self.timeout * 4 + extra)

    def connected(self) -> bool:
        return self._nc is not None and self._nc.is_connected

    def sync(self, *, publish: bool = True, apply: bool = True) -> LinkReport:
        # A cluster that lost a node elects new leaders within seconds: a station that
        # knows several nodes tries again for that long before it calls itself cut off.
        deadline = time.monotonic() + (self.timeout * 4 if len(self.settings["urls"]) > 1 else 0)
        stale = self._nc is not None  # a connection the cable may have dropped unnoticed
        while True:
            report = LinkReport()
            try:
                self._run(self._sync(report, publish, apply), extra=60.0)
                report.reachable = True
                self._record_contact(None)
                break
            except Exception as error:  # any failure to reach the center: go on alone
                report.error = type(error).__name__
                self._drop()
                if stale:  # found dead on use: one fresh try before calling it a cut
                    stale = False
                    continue
                if time.monotonic() < deadline:
                    time.sleep(0.5)
                    continue
                log.info("center unreachable: %s", report.error)
                self._record_contact(report.error)
                break
        report.waiting = self.store.center.waiting_count()
        return report

    def claim(self, name: str, owner: str) -> bool | None:
        try:
            return self._run(self._claim(name, owner))
        except Exception as error:
            log.info("claim not possible: %s", type(error).__name__)
            self._drop()
            return None

    def fetch_paper(self, paper_id: str) -> bytes | None:
        """A paper's sealed file from the center (services/papers.read_paper); None when
        out of reach or not there. A kiosk or a board never asks."""
        if self.station.role not in PAPER_ROLES:
            return None
        try:
            return self._run(self._fetch_paper(paper_id), extra=30.0)
        except Exception as error:
            log.info("paper not fetched: %s", type(error).__name__)
            return None

    def close(self) -> None:
        if self._nc is not None:
            with contextlib.suppress(Exception):  # closing a dead link: nothing to save
                self._run(self._nc.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=2)

    def __enter__(self) -> CenterLink:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- the work, on the link's loop ----
    async def _connect(self) -> None:
        if self._nc is not None and self._nc.is_connected:
            return
        s = self.settings
        self._nc = await connect(s["urls"], s["user"], s["password"], self.timeout, s.get("ca"))
        self._js = self._nc.jetstream(timeout=self.timeout)
        self._kv = await self._js.key_value(CLAIMS_BUCKET)

    def _drop(self) -> None:
        nc, self._nc = self._nc, None
        if nc is not None:
            asyncio.run_coroutine_threadsafe(nc.close(), self._loop)

    async def _sync(self, report: LinkReport, publish: bool, apply: bool) -> None:
        await self._connect()
        if publish:
            await self._publish(report)
        if apply:
            await self._apply(report)
            if self.station.role == "hub":
                await self._keep_papers()
        else:
            info = await self._js.stream_info(STREAM)
            report.lag = max(0, info.state.last_seq - self.store.center.position())

    async def _claim(self, name: str, owner: str) -> bool:
        from nats.js.errors import KeyWrongLastSequenceError

        await self._connect()
        try:
            await self._kv.create(claim_key(name), owner.encode())
            return True
        except KeyWrongLastSequenceError:
            entry = await self._kv.get(claim_key(name))
            return entry.value.decode() == owner

    async def _publish(self, report: LinkReport) -> None:
        from nats.js.errors import KeyWrongLastSequenceError

        while True:
            waiting = self.store.center.waiting(APPLY_BATCH)
            if not waiting:
                return
            acked: list[str] = []
            for item in waiting:
                if item.op == "ticket.called":
                    # called while cut off: the claim is made now, before anyone sees it
                    event = self.store.center.open_payload(item.idem_key, item.sealed)
                    owner = f"{self.station.id}/{event['ticket']['counter']}"
                    try:
                        await self._kv.create(claim_key(event["claim"]), owner.encode())
                    except KeyWrongLastSequenceError:
                        entry = await self._kv.get(claim_key(event["claim"]))
                        if entry.value.decode() != owner:
                            report.double_calls += 1
                            log.warning("ticket called by two counters while cut off")
                if item.op == "paper.attach":  # the file first: whoever sees the row finds it
                    await self._put_paper(item.entity_id)
                await self._js.publish(
                    f"{SUBJECT_PREFIX}.{item.entity}",
                    item.sealed.encode("ascii"),
                    headers={
                        "Nats-Msg-Id": item.idem_key,
                        "Op": item.op,
                        "Entity": item.entity,
                        "Entity-Id": item.entity_id,
                    },
                )
                acked.append(item.idem_key)
            # acknowledged: only now are the deliveries done, one commit for the batch (a
            # kill before it publishes them again; the stream and every receiver drop the
            # repeats by key)
            with self.store.transaction():
                for key in acked:
                    self.store.center.mark_published(key, at=self._now())
            report.published += len(acked)

    async def _put_paper(self, paper_id: str) -> None:
        from nats.js.errors import BucketNotFoundError, NotFoundError

        try:
            papers = await self._js.object_store(PAPERS_BUCKET)
        except BucketNotFoundError:  # a hub not yet upgraded: the row goes on, the file waits
            log.warning("the center has no papers bucket; paper %s stays on this PC", paper_id)
            return
        try:
            await papers.get_info(paper_id)
            return  # put before a kill that came ahead of the publish acknowledgement
        except NotFoundError:
            pass
        blob = self.store.papers.files.read(paper_id)
        if blob is not None:  # None: replaced or erased since; its row says so too
            await papers.put(paper_id, blob)

    async def _fetch_paper(self, paper_id: str) -> bytes | None:
        from nats.js.errors import NotFoundError

        await self._connect()
        try:
            papers = await self._js.object_store(PAPERS_BUCKET)
            return (await papers.get(paper_id)).data
        except NotFoundError:  # the bucket or the object: not there (yet)
            return None

    async def _keep_papers(self) -> None:
        """The hub holds a copy of every kept paper, for the portal's upload."""
        from counter_app.store.paper_files import open_blob

        files = self.store.papers.files
        missing = [i for i in sorted(self.store.papers.kept_ids()) if not files.exists(i)]
        for paper_id in missing[:KEEP_PAPERS_BATCH]:
            blob = await self._fetch_paper(paper_id)
            if blob is None:
                continue
            try:
                open_blob(blob, self.store.crypto, paper_id)
            except DomainError:  # a damaged copy is not kept, and never stops the turn
                log.warning("paper %s in the center's store does not open", paper_id)
                continue
            files.write(paper_id, blob)

    async def _apply(self, report: LinkReport) -> None:
        from nats.js.api import ConsumerConfig, DeliverPolicy

        info = await self._js.stream_info(STREAM)
        last = info.state.last_seq
        position = self.store.center.position()
        report.lag = max(0, last - position)
        if last <= position:
            return
        if last - position <= DIRECT_GET_MAX:  # a few new events: fetch them one by one
            msgs = [await self._js.get_msg(STREAM, seq) for seq in range(position + 1, last + 1)]
            report.applied += self._apply_batch([_Stored(m) for m in msgs])
            report.lag = 0
            return
        sub = await self._js.subscribe(
            f"{SUBJECT_PREFIX}.>",
            ordered_consumer=True,
            config=ConsumerConfig(
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=position + 1
            ),
        )
        try:
            batch = []
            while position < last:
                msg = await sub.next_msg(timeout=self.timeout)
                position = msg.metadata.sequence.stream
                batch.append(_Delivered(msg))
                if len(batch) >= APPLY_BATCH:
                    report.applied += self._apply_batch(batch)
                    batch = []
            report.applied += self._apply_batch(batch)
        finally:
            await sub.unsubscribe()
        report.lag = 0

    def _apply_batch(self, batch: list) -> int:
        if not batch:
            return 0
        ctx = ServiceContext(self.store, self.clock, self.station, CENTER_ACTOR)
        changed = 0
        with self.store.transaction():
            for msg in batch:
                headers = msg.headers or {}
                changed += apply_center_event(
                    ctx,
                    key=headers["Nats-Msg-Id"],
                    stream_seq=msg.seq,
                    entity=headers.get("Entity", ""),
                    entity_id=headers.get("Entity-Id", ""),
                    op=headers.get("Op", ""),
                    sealed=msg.data.decode("ascii"),
                )
        return changed

    def _now(self) -> datetime:
        return vn_time(self.clock())

    def _record_contact(self, error: str | None) -> None:
        """Linked or cut off, and since when: written when it changes (and the last
        contact at most every CONTACT_EVERY seconds), not at every turn, because each write
        is a durable commit on a busy counter."""
        cut = error is not None
        due = time.monotonic() - self._contact_written >= CONTACT_EVERY
        if cut == self._cut and not (due and not cut):
            return
        now = self._now().isoformat()
        try:
            with self.store.transaction():
                if not cut:
                    self.store.center.set_state("last_contact", now)
                    self.store.center.set_state("cut_since", None)
                elif not self.store.center.get_state("cut_since"):
                    self.store.center.set_state("cut_since", now)
        except Exception:  # the store is busy or closing: the next contact records it
            log.debug("contact state not recorded")
            return
        self._cut = cut
        self._contact_written = time.monotonic()
