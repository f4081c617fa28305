"""A station's link to the center stream: publish what waits, apply what is new, claim.

nats-py is asyncio; the link runs its own event loop on a thread so that the services, the
command line and the windows call it as plain functions with a time bound. Every failure
to reach the center becomes "cut off" (recorded with its start), never an exception for
the caller: the station goes on alone and converges when the link returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from counter_app.center.applier import (
    APPLY_BATCH,
    Delivered,
    Stored,
    apply_batch,
    replayable,
)
from counter_app.center.claims import (
    ONLINE_DECISIONS,
    claim,
    make_lasting,
    online_key,
    ticket_key,
)
from counter_app.center.follow import Follower
from counter_app.center.permissions import (
    CLAIMS_BUCKET,
    PAPERS_BUCKET,
    PROTOCOL,
    STREAM,
    client_name,
    inbox_prefix,
    may_publish,
)
from counter_app.center.screening import SUBJECT_PREFIX, subject_for
from counter_app.center.upgrade import learn_counters
from counter_app.core.clock import system_now, vn_time
from counter_app.core.errors import DomainError
from counter_app.core.messages import MESSAGES, register
from counter_app.services.station import Station
from counter_app.store import Store

log = logging.getLogger(__name__)

# Papers' sealed files (store/paper_files.py) by paper id (bucket PAPERS_BUCKET): made by the
# hub, written by the counter that scanned, read by counters and the hub; never by a kiosk or
# a board (nats-server refuses them too: center/permissions.py).
PAPER_ROLES = frozenset({"counter", "hub", "all-in-one"})
KEEP_PAPERS_BATCH = 20  # the hub's copies fetched per turn, so a backlog never stalls a turn
# A claim holds its ticket this long unless the call event follows (a counter killed
# between its claim and its call strands nobody): the server drops the claim by itself.
CONTACT_EVERY = 30.0
QUORUM_PROBE = 0.5  # seconds a cluster node has to accept a connection
DIRECT_GET_MAX = 16  # fewer new events than this are read one by one, without a consumer


register(
    {
        "center.outdated": {
            "vi": "Cảnh báo: máy này cần cập nhật phiên bản mới để làm việc với trung tâm "
            "(trung tâm dùng giao thức {center}, máy này {mine}). Đã làm việc trên dữ liệu "
            "của máy này ({waiting} sự kiện chờ gửi, sẽ tự gửi sau khi cập nhật).",
            "en": "Warning: this PC needs updating to work with the center (the center "
            "speaks protocol {center}, this PC {mine}). Worked on this PC's data ({waiting} "
            "events waiting, sent after the update).",
        },
        "center.cut_off": {
            "vi": "Cảnh báo: không kết nối được với máy chủ trung tâm; đã làm việc trên dữ liệu "
            "của máy này ({waiting} sự kiện chờ gửi, sẽ tự gửi khi có kết nối).",
            "en": "Warning: the center hub could not be reached; worked on this PC's data "
            "({waiting} events waiting, sent when the link returns).",
        },
    }
)


def cut_off_message(lang: str, waiting: int, outdated: int | None = None) -> str:
    lang = lang if lang in ("vi", "en") else "vi"
    if outdated:
        return MESSAGES["center.outdated"][lang].format(
            center=outdated, mine=PROTOCOL, waiting=waiting
        )
    return MESSAGES["center.cut_off"][lang].format(waiting=waiting)


@dataclass
class LinkReport:
    reachable: bool = False
    published: int = 0
    applied: int = 0  # events that changed this replica
    read: int = 0  # stream messages the catch-up read (none that were applied already)
    waiting: int = 0
    lag: int | None = None  # stream messages this replica has not applied yet
    double_calls: int = 0
    double_decisions: int = 0  # online dossiers decided at two counters
    error: str = ""
    revoked: bool = False  # the hub refused this station's credentials: it was revoked
    outdated: int | None = None  # the center's protocol, when newer than this station's

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def refused_login(error: Exception) -> bool:
    """nats-server refused the user and password (revoked, or a used join code), as
    opposed to a server out of reach."""
    return "authorization violation" in str(error).lower()


def link_settings(store: Store) -> dict | None:
    """The center's address and this station's credentials (sealed), or None alone."""
    data = store.settings.get("center")
    if not data:
        return None
    return {**data, "password": store.crypto.open(data["password"], "center.password")}


async def _quiet(error: Exception) -> None:
    """nats-py prints connection errors by default; a cut-off is reported once, by us."""


def _host_port(url: str) -> tuple[str, int]:
    host, _, port = url.split("://", 1)[-1].rpartition(":")
    return host.strip("[]"), int(port)


async def _answers(url: str, timeout: float) -> bool:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(*_host_port(url)), timeout)
        writer.close()
        return True
    except (OSError, TimeoutError, ValueError):
        return False


async def quorum_answers(urls: list[str], timeout: float = QUORUM_PROBE) -> bool:
    """True when most of a cluster's nodes answer at all: without a majority JetStream can
    neither elect nor acknowledge, so the station is cut off, and says so at once instead
    of retrying through elections that cannot happen."""
    answered = await asyncio.gather(*(_answers(url, timeout) for url in urls))
    return sum(answered) * 2 > len(urls)


async def connect(urls: list[str], user: str, password: str, timeout: float, ca: str | None = None):
    """A NATS connection within `timeout`, or an error at once when no server listens.

    nats-py keeps trying a refused address until its caller gives up, whatever its reconnect
    options say; a counter must not wait a minute to learn that the hub is off."""
    import nats

    tls = None
    if ca:  # the certificate maker's imports cost a one-shot command 0.1 s: only with TLS
        from counter_app.center.tls import client_context

        tls = client_context(ca)
    for url in urls:  # a cluster's nodes in turn: the first that answers serves
        if await _answers(url, timeout):
            break
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
            inbox_prefix=inbox_prefix(user).encode(),
            name=client_name(),  # announces this station's protocol to the hub
            tls=tls,
        ),
        timeout * 2,
    )


async def _settle() -> None:
    """nats-py leaves a consumer's heartbeat watch running after its connection closed:
    ended here, so a closing station's loop stops with nothing left pending."""
    rest = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in rest:
        task.cancel()
    await asyncio.gather(*rest, return_exceptions=True)


class OutdatedStation(Exception):
    """The center speaks a newer protocol than this station: it must be updated."""


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
        self._follower: Follower | None = None
        self._checked: Any = None  # the connection whose center protocol was checked

    # ---- plain calls with a time bound ----
    def _run(self, coro, extra: float = 0.0):
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(self.timeout * 4 + extra)

    def connected(self) -> bool:
        return self._nc is not None and self._nc.is_connected

    def follow(self, on_applied: Callable[[int], None], *, linger: float = 0.0) -> bool:
        """After a turn that reached the center: have the stream pushed from here on and
        applied as it arrives; `on_applied(changed)` is called on the thread that applied. The
        turns go on as a safety net (and to publish); False when it could not start.
        `linger`: seconds a burst gathers before it is applied (center/follow.py)."""
        if self._follower is None:
            self._follower = Follower(self, on_applied, linger=linger)
        try:
            self._run(self._follower.start())
            return True
        except Exception as error:  # the next turn tries again
            log.info("center push not started: %s", type(error).__name__)
            return False

    def following(self) -> bool:
        return self._follower is not None and self._follower.alive()

    def sync(self, *, publish: bool = True, apply: bool = True) -> LinkReport:
        # A cluster that lost a node elects new leaders within seconds: a station that
        # knows several nodes tries again for that long before it calls itself cut off.
        urls = self.settings["urls"]
        deadline = time.monotonic() + (self.timeout * 4 if len(urls) > 1 else 0)
        # keys a rotation brought since the last turn (applied by another process of this
        # station, or, at the hub, made by `hub rotate-keys`): new events use them
        self.store.refresh_keys()
        stale = self._nc is not None  # a connection the cable may have dropped unnoticed
        while True:
            report = LinkReport()
            try:
                if len(urls) > 1 and not self._run(quorum_answers(urls)):
                    deadline = 0.0  # no majority: no election can help, cut off now
                    raise ConnectionRefusedError("most center nodes are out of reach")
                self._run(self._sync(report, publish, apply), extra=60.0)
                report.reachable = True
                self._record_contact(None)
                break
            except Exception as error:  # any failure to reach the center: go on alone
                report.error = type(error).__name__
                self._drop()
                if isinstance(error, OutdatedStation):
                    log.warning("the center needs a newer version of this station")
                    self._record_contact(report.error)
                    break
                if refused_login(error):  # not a cut: the center no longer knows us
                    report.revoked = True
                    self._record_revoked()
                    break
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
        return self._claim_safely(ticket_key(name), owner)

    def claim_online(self, upstream_code: str, owner: str) -> bool | None:
        """Whether this clerk takes an online dossier (services/online_claims.py)."""
        return self._claim_safely(online_key(upstream_code), owner)

    def _claim_safely(self, key: str, owner: str) -> bool | None:
        try:
            return self._run(self._claim(key, owner))
        except Exception as error:
            log.info("claim not possible: %s", type(error).__name__)
            self._drop()
            if refused_login(error):  # revoked, not cut off: it calls no ticket at all
                raise DomainError("center.revoked", at=f"{self._now():%H:%M %d/%m/%Y}") from None
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
        if self._follower is not None:
            with contextlib.suppress(Exception):  # its store closes with it in any case
                self._run(self._follower.close())
        if self._nc is not None:
            with contextlib.suppress(Exception):  # closing a dead link: nothing to save
                self._run(self._nc.close())
        with contextlib.suppress(Exception):
            self._run(_settle())
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
        if self.station.role in ("counter", "hub"):  # the only roles that claim tickets
            self._kv = await self._js.key_value(CLAIMS_BUCKET)

    def _drop(self) -> None:
        nc, self._nc = self._nc, None
        if nc is not None:
            asyncio.run_coroutine_threadsafe(nc.close(), self._loop)

    async def _sync(self, report: LinkReport, publish: bool, apply: bool) -> None:
        await self._connect()
        # the stream's end: read by a turn that applies, by a turn that only asks (a
        # status: "linked" only after a JetStream round trip), and by the first turn of
        # each connection, which checks the center's protocol; a publish alone on a
        # checked connection goes straight out (the acknowledgements name their positions).
        # A refused or failed publish drops the connection: the next turn checks again.
        last = None
        if apply or not publish or self._checked is not self._nc:
            last = await self._check_protocol(report)
        if publish and (acked := await self._publish(report)):
            last = max(last or 0, acked)
        if apply:
            await self._apply(report, last)
            if self.station.role == "hub":
                await self._keep_papers()
        elif last is not None:
            report.lag = max(0, last - self.store.center.position())

    async def _check_protocol(self, report: LinkReport) -> int:
        """The center's protocol (refusing to publish to a newer one) and the counter
        numbers it gave this station, from the stream's info; returns the stream's end."""
        info = await self._js.stream_info(STREAM)
        announced = int((info.config.metadata or {}).get("protocol", "1"))
        if announced > PROTOCOL:  # publish nothing the center cannot read: wait, update
            report.outdated = announced
            raise OutdatedStation(announced)
        if self.station.role == "counter" and self.station.own_counters is None:
            user, metadata = self.settings["user"], info.config.metadata
            self.station = learn_counters(self.store, self.station, user, metadata)
        self._checked = self._nc
        return info.state.last_seq

    async def _claim(self, key: str, owner: str) -> bool:
        await self._connect()
        return await claim(self._kv, key, owner)

    async def _confirm_claim(self, item, report: LinkReport) -> None:
        """A call's or an online decision's claim made lasting before its event goes out;
        another's found here is a ticket called twice, or an online dossier decided twice."""
        event = self.store.center.open_payload(item.idem_key, item.sealed)
        if item.op == "ticket.called":
            key, by = ticket_key(event["claim"]), event["ticket"]["counter"]
        else:
            key, by = online_key(event["online"]["upstream_code"]), event["online"]["decided_by"]
        if await make_lasting(self._kv, key, f"{self.station.id}/{by}"):
            return
        if item.op == "ticket.called":
            report.double_calls += 1
            log.warning("ticket called by two counters (cut off, or a lapsed claim)")
        else:
            report.double_decisions += 1
            log.warning("online dossier decided at two counters (a lapsed claim)")

    async def _publish(self, report: LinkReport) -> int:
        """Publish what waits, in order; the stream position of the last acknowledgement."""
        last = 0
        while True:
            waiting = self.store.center.waiting(APPLY_BATCH)
            if not waiting:
                return last
            acked: list[str] = []
            kept = [
                item.idem_key for item in waiting if not may_publish(self.station.role, item.op)
            ]
            if kept:  # not this role's to tell the center: nats-server would refuse it
                with self.store.transaction():
                    for key in kept:
                        self.store.center.mark_kept(key)
                log.warning("%d events kept on this station (not its role's)", len(kept))
                continue
            for item in waiting:
                if item.op == "ticket.called" or item.op in ONLINE_DECISIONS:
                    await self._confirm_claim(item, report)
                if item.op == "paper.attach":  # the file first: whoever sees the row finds it
                    await self._put_paper(item.entity_id)
                ack = await self._js.publish(
                    subject_for(self.settings["user"], item.op),
                    item.sealed.encode("ascii"),
                    headers={
                        "Nats-Msg-Id": item.idem_key,
                        "Op": item.op,
                        "Entity": item.entity,
                        "Entity-Id": item.entity_id,
                        "Protocol": str(PROTOCOL),  # the station's, announced with each event
                    },
                )
                acked.append(item.idem_key)
                last = max(last, ack.seq)
            # acknowledged: only now are the deliveries done, one commit for the batch (a
            # kill before it publishes them again; the stream and every receiver drop the
            # repeats by key). Committed without its own fsync: a power cut that loses it
            # loses only that, and publishes them again as a kill does; the station's next
            # FULL commit (its next ticket) makes it durable. A second fsync per ticket
            # held the kiosk's disk and write lock while the next citizen pressed.
            with replayable(self.store):
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

    async def _apply(self, report: LinkReport, last: int) -> None:
        """Catch up to `last` from the stored position: what is applied already (by the
        push, or an earlier turn) is never read again."""
        from nats.js.api import ConsumerConfig, DeliverPolicy

        position = self.store.center.position()
        report.lag = max(0, last - position)
        if last <= position:
            return
        if last - position <= DIRECT_GET_MAX:  # a few new events: fetch them one by one
            msgs = [await self._js.get_msg(STREAM, seq) for seq in range(position + 1, last + 1)]
            self._applied([Stored(m) for m in msgs], report)
            report.lag = 0
            return
        sub = await self._js.subscribe(
            f"{SUBJECT_PREFIX}.>",
            stream=STREAM,
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
                batch.append(Delivered(msg))
                if len(batch) >= APPLY_BATCH:
                    self._applied(batch, report)
                    batch = []
            self._applied(batch, report)
        finally:
            await sub.unsubscribe()
        report.lag = 0

    def _applied(self, batch: list, report: LinkReport) -> None:
        report.read += len(batch)
        report.applied += apply_batch(self.store, self.station, self.clock, batch)[1]

    def _now(self) -> datetime:
        return vn_time(self.clock())

    def _record_revoked(self) -> None:
        if self.store.center.get_state("revoked_at"):
            return
        log.warning("the center refused this station's credentials: revoked")
        with self.store.transaction():
            self.store.center.set_state("revoked_at", self._now().isoformat())
        self._cut = True  # the next contact that succeeds clears it

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
                    self.store.center.set_state("revoked_at", None)
                elif not self.store.center.get_state("cut_since"):
                    self.store.center.set_state("cut_since", now)
        except Exception:  # the store is busy or closing: the next contact records it
            log.debug("contact state not recorded")
            return
        self._cut = cut
        self._contact_written = time.monotonic()
