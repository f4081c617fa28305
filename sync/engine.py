"""The sync engine: drain the outbox to the portal, pull changes back, survive anything.

Guarantees (see DESIGN.md, "Data that must never be lost"):
- An outbox item leaves 'waiting'/'sending' for 'synced' only in the transaction that records
  the portal's id for it. A kill anywhere before that commit means the item is pushed again
  with the same idempotency key, and the portal answers with the same id.
- An item the portal keeps rejecting goes to 'attention' with the reason after `max_tries`
  (at once for a permanent refusal) and is never picked again until an admin requeues it, so
  it never blocks the others.
- Retries wait with exponential backoff and jitter (`next_try_epoch` per item); a failing
  batch is halved until the failing item is alone, so one bad item costs only its own tries.
  An item failing alone on the link (a 5xx, a lost answer) counts a try only when the portal
  took other items in that round and the round did not end on the link; a portal failing
  every item never sets one aside.
- A pulled page is applied and the cursor advanced in one transaction. Status changes pass
  the core's status machine; anything that contradicts the local state is stored in
  `sync_conflicts` for a clerk, never dropped.
- The portal's clock offset is recorded every round and a warning raised when it is large.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from counter_app.core.clock import system_now, vn_time
from counter_app.services.station import load_station
from counter_app.store import Store
from counter_app.store.station_key import station_key
from counter_app.store.sync_state import SyncRound
from sync.adapters import portal_view
from sync.answers import Limits
from sync.backoff import backoff_delay
from sync.client import (
    PortalClient,
    PortalError,
    PreparedPush,
    Refused,
    TransportError,
    encode_item,
)
from sync.pull import PullSide
from sync.report import SyncReport

_RESIGN = ("token_expired", "invalid_token", "stale_timestamp")  # sign again and resend


@dataclass
class SyncConfig:
    # Batches are sized from the measured link (see SyncEngine._batch_raw_limit); these
    # are the bounds. Tests set batch_items low to force many batches.
    batch_items: int = 20_000  # most items in one batch
    batch_bytes: int = 16_000_000  # most uncompressed JSON in one batch
    batch_seconds: float = 1.0  # a batch keeps the line busy at least this long ...
    batch_gz_first: int = 48_000  # compressed bytes of a first batch on an unknown link
    batch_gz_min: int = 4_000
    batch_gz_max: int = 2_000_000
    in_flight: int = 2  # batches on their way at once
    max_tries: int = 8
    backoff_base: float = 2.0  # seconds; doubled per try, with jitter, up to backoff_cap
    backoff_cap: float = 900.0
    round_failures: int = 4  # transport failures in a row before a round gives up
    pause_base: float = 0.2  # pause between failed requests inside a round
    pull_page: int = 500
    clock_warn_seconds: float = 120.0
    clock_behind_seconds: float = 600.0  # local clock this far behind: no new codes
    timeout: tuple[float, float] = (5.0, 60.0)
    limits: Limits = field(default_factory=Limits)  # what a portal may cost (sync/answers.py)


class _InFlight:
    """A batch on its way: the items, the body, and the answer to come."""

    def __init__(self, batch: list, prepared: PreparedPush) -> None:
        self.batch = batch
        self.prepared = prepared
        self.sent_at = 0.0
        self.future: Future = Future()

    def submit(self, pool: ThreadPoolExecutor, client: PortalClient, token: str) -> None:
        self.sent_at = time.monotonic()
        self.future = pool.submit(_timed_send, client, self.prepared, token)


def _timed_send(client: PortalClient, prepared: PreparedPush, token: str):
    return client.send_push(prepared, token), time.monotonic()


class SimulatedCrash(BaseException):
    """Raised by test hooks to stop a round the way a kill would."""


class SyncEngine(PullSide):
    def __init__(
        self,
        store: Store,
        data_dir: Path | str,
        portal_url: str,
        *,
        config: SyncConfig | None = None,
        clock: Callable[[], datetime] = system_now,
        progress: Callable[[str, int, int], None] | None = None,
        hook: Callable[[str], None] | None = None,
        session: Any = None,
    ) -> None:
        self.store = store
        self.config = config or SyncConfig()
        self.clock = clock
        self.progress = progress
        self.hook = hook or (lambda point: None)
        self.station = load_station(store)
        self.client = PortalClient(
            portal_url,
            station_id=self.station.id,
            key=station_key(store),
            load_secret=self._load_secret,
            save_secret=self._save_secret,
            timeout=self.config.timeout,
            session=session,
            limits=self.config.limits,
        )
        self.client.offset = store.sync_state.clock_offset()
        link = store.sync_state.get("link_estimate") or {}
        self.client.link.rtt = link.get("rtt")
        self.client.link.bps = link.get("bps")
        self._ratio = float(link.get("ratio") or 10.0)  # uncompressed / compressed
        self._item_bytes = float(link.get("item_bytes") or 500.0)
        self._last_done = 0.0
        self._suspects: list = []  # items that failed alone on the link this round
        self.batch_size = self.config.batch_items
        with store.transaction():
            store.outbox.release_sending()  # a killed run's batch is sent again, same keys

    def _load_secret(self) -> str | None:
        sealed = self.store.sync_state.get("client_secret")
        return self.store.crypto.open(sealed, "client_secret") if sealed else None

    def _save_secret(self, secret: str) -> None:
        sealed = self.store.crypto.seal(secret, "client_secret")
        with self.store.transaction():
            self.store.sync_state.set("client_secret", sealed)

    def now(self) -> datetime:
        return vn_time(self.clock())

    # ---- one round ----
    def run_once(self) -> SyncReport:
        report = SyncReport()
        started = self.now()
        wire0 = (self.client.wire.requests, self.client.wire.bytes_sent)
        self.client.begin_round()
        try:
            self._push_all(report)
            self._pull_all(report)
        except PortalError as error:
            report.ok = False
            report.error = str(error) or type(error).__name__
        report.requests = self.client.wire.requests - wire0[0]
        report.bytes_sent = self.client.wire.bytes_sent - wire0[1]
        report.clock_offset = self.client.offset
        report.clock_warning = (
            self.client.offset is not None
            and abs(self.client.offset) > self.config.clock_warn_seconds
        )
        report.waiting = self._waiting()
        with self.store.transaction():
            if self.client.offset is not None:
                self.store.sync_state.record_clock(
                    self.client.offset,
                    measured_at=time.time(),
                    behind_limit=self.config.clock_behind_seconds,
                )
            report.clock_doubtful = self.store.sync_state.doubtful_clock() is not None
            link = self.client.link
            self.store.sync_state.set(
                "link_estimate",
                {
                    "rtt": link.rtt,
                    "bps": link.bps,
                    "ratio": self._ratio,
                    "item_bytes": self._item_bytes,
                },
            )
            self.store.sync_state.record_round(
                SyncRound(
                    started_at=started,
                    finished_at=self.now(),
                    ok=report.ok,
                    pushed=report.pushed,
                    pulled=report.pulled,
                    set_aside=report.set_aside,
                    clock_offset=self.client.offset,
                    error=report.error,
                )
            )
        return report

    def run_until_idle(
        self,
        *,
        max_rounds: int = 50,
        pause: bool = True,
        horizon: float = 30.0,
        give_up_unreachable: bool = False,
    ) -> SyncReport:
        """Rounds until a round succeeded and nothing is due within `horizon` seconds
        (for --once and tests); items backing off for longer stay waiting."""
        total = SyncReport()
        fails = 0
        for _ in range(max_rounds):
            r = self.run_once()
            for name in ("pushed", "duplicates", "pulled", "set_aside", "retry_later",
                         "online_taken"):  # fmt: skip
                setattr(total, name, getattr(total, name) + getattr(r, name))
            total.conflicts += r.conflicts
            total.requests += r.requests
            total.bytes_sent += r.bytes_sent
            total.set_aside_keys += r.set_aside_keys
            total.online_refused = r.online_refused  # the last round's: the same records
            total.clock_offset, total.clock_warning = r.clock_offset, r.clock_warning
            total.clock_doubtful = r.clock_doubtful
            total.ok, total.error, total.waiting = r.ok, r.error, r.waiting
            if r.ok and (r.waiting == 0 or self._until_next_due() > horizon):
                break
            if give_up_unreachable and not r.ok and not (r.pushed or r.pulled):
                break
            fails = 0 if r.ok else fails + 1
            if pause:
                wait = (
                    self._until_next_due()
                    if r.ok
                    else backoff_delay(fails, self.config.pause_base, 5.0)
                )
                time.sleep(min(wait, 5.0))
        return total

    def run_forever(
        self,
        stop: threading.Event,
        *,
        interval: float = 60.0,
        on_round: Callable[[SyncReport], None] | None = None,
    ) -> None:
        """On a timer: sync when something is due, back off when the link is down."""
        fails = 0
        next_pull = 0.0
        while not stop.is_set():
            due = self.store.outbox.due(time.time(), 1)
            if due or time.monotonic() >= next_pull or fails:
                report = self.run_once()
                if on_round:
                    on_round(report)
                if report.ok:
                    fails = 0
                    next_pull = time.monotonic() + interval
                else:
                    fails += 1
                wait = backoff_delay(fails, 1.0, 300.0) if fails else 1.0
            else:
                wait = 1.0
            stop.wait(wait)

    def _until_next_due(self) -> float:
        nxt = self.store.outbox.next_due_epoch()
        return 0.0 if nxt is None else max(0.0, nxt - time.time())

    def _waiting(self) -> int:
        counts = self.store.outbox.counts()
        return counts.get("waiting", 0) + counts.get("sending", 0)

    # ---- push ----
    def _batch_raw_limit(self) -> int:
        """Uncompressed bytes for the next batch, sized from the measured link: enough
        compressed bytes to keep the line busy for `batch_seconds` or three round trips,
        whichever is longer, so two batches in flight hide the round trip and the
        portal's work. Measured figures persist between runs (`link_estimate`)."""
        c = self.config
        link = self.client.link
        if link.bps is None:
            target = c.batch_gz_first
        else:
            rtt = link.rtt if link.rtt is not None else 0.3
            target = link.bps * max(c.batch_seconds, 3 * rtt)
        target = min(max(target, c.batch_gz_min), c.batch_gz_max)
        return int(min(c.batch_bytes, target * self._ratio))

    def _next_batch(self, after_seq: int) -> tuple[list, list[bytes]]:
        limit = self._batch_raw_limit()
        want = min(self.batch_size, int(limit / self._item_bytes * 1.25) + 8)
        items = self.store.outbox.due_waiting(time.time(), want, after_seq=after_seq)
        if not items and after_seq:  # back to the start: items whose retry came due
            items = self.store.outbox.due_waiting(time.time(), want)
        failed = {item.idem_key for item, _ in self._suspects}
        items = [i for i in items if i.idem_key not in failed]  # once a round is enough
        batch: list = []
        encoded: list[bytes] = []
        size = 0
        for item in items:
            data = encode_item(
                {
                    "key": item.idem_key,
                    "op": item.op,
                    "entity": item.entity,
                    "entity_id": item.entity_id,
                    "created_at": item.created_at.isoformat(),
                    "payload": portal_view(self.store, item),
                }
            )
            if batch and size + len(data) > limit:
                break
            batch.append(item)
            encoded.append(data)
            size += len(data) + 1
        if batch:
            self._item_bytes = 0.5 * self._item_bytes + 0.5 * size / len(batch)
        return batch, encoded

    def _push_all(self, report: SyncReport) -> None:
        """Batches go out back to back, up to `in_flight` at once, and the next one is read,
        encoded and compressed before a slot frees, so it leaves the moment an answer
        arrives; each answer is applied in its own transaction. Sending threads only speak
        HTTP; every store read and write, tokens included, happens on this thread."""
        with self.store.transaction():
            self.store.outbox.release_sending()  # left by a killed run: sent again, same keys
        total = self._waiting()
        slots = max(1, self.config.in_flight)
        pipe: deque[_InFlight] = deque()
        pool = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="sync-push")
        ready: tuple[list, list[bytes]] | None = None  # read ahead, not yet marked sending
        failures = 0
        after_seq = 0
        self._last_done = 0.0
        self._suspects: list = []  # items that failed alone on the link this round
        ended_on_link = True
        last_error: PortalError | None = None
        try:
            while True:
                error: PortalError | None = None
                while len(pipe) < slots:
                    batch, encoded = ready or self._next_batch(after_seq)
                    ready = None
                    if not batch:
                        break
                    try:
                        token = self.client.token()  # may register: this thread only
                    except PortalError as failed:
                        error = failed
                        break
                    after_seq = batch[-1].seq
                    pipe.append(self._send(pool, batch, encoded, token))
                if pipe and error is None and ready is None and len(pipe) == slots:
                    ready = self._next_batch(after_seq)  # while the line is busy
                    if ready[0]:
                        after_seq = ready[0][-1].seq
                if pipe:
                    head = pipe.popleft()
                    wait([head.future])
                    if ready is not None and ready[0] and error is None:
                        # a slot just freed: the batch read ahead leaves before the answer
                        # is applied
                        try:
                            token = self.client.token()
                            pipe.append(self._send(pool, *ready, token))
                            ready = None
                        except PortalError:
                            pass  # sent on the next turn, or read again after a failure
                    error = self._settle(head, pool, report) or None
                    if error is None:
                        failures = 0
                        if self.progress:
                            self.progress("push", report.pushed + report.set_aside, total)
                        continue
                elif error is None:
                    if self._suspects and not report.pushed:
                        raise last_error  # nothing went through: the link's, as ever
                    ended_on_link = False
                    return
                last_error = error
                ready = None  # read again after the failure: its items are still waiting
                after_seq = 0
                failures += 1
                if failures >= self.config.round_failures:
                    while pipe:  # what is already on its way is still worth its answer
                        self._settle(pipe.popleft(), pool, report)
                    raise error
                time.sleep(backoff_delay(failures, self.config.pause_base, 5.0))
        finally:
            pool.shutdown(wait=False)
            if self._suspects and not ended_on_link:
                self._charge_lone_failures(report)

    def _charge_lone_failures(self, report: SyncReport) -> None:
        """Items that failed alone on a transport error (a 5xx, a lost answer) in a round
        where the portal took other items and the round did not end on the link: theirs,
        so a try is counted (set aside after `max_tries`). With every item failing, the
        link is at fault and nothing is counted."""
        now = time.time()
        with self.store.transaction():
            charged = {}
            for item, reason in self._suspects:  # once a round, however often it failed
                charged[item.idem_key] = (item, reason)
            for item, reason in charged.values():
                self._item_failed(item, reason, report, now)

    def _send(self, pool: ThreadPoolExecutor, batch: list, encoded: list, token: str):
        with self.store.transaction():
            self.store.outbox.mark_sending([i.idem_key for i in batch])
        self.hook("push.before")
        entry = _InFlight(batch, self.client.prepare_push(encoded))
        entry.submit(pool, self.client, token)
        return entry

    def _settle(self, entry: _InFlight, pool: ThreadPoolExecutor, report: SyncReport):
        """Wait for one batch's answer and apply it; returns the error when it failed
        (the batch is then halved or its item's try counted, see `_batch_failed`)."""
        error: PortalError
        for attempt in range(3):
            try:
                (results, change_seq), done = entry.future.result()
            except Refused as refused:
                if attempt < 2 and refused.error in _RESIGN:
                    if refused.error != "stale_timestamp":  # that one only needs a new clock
                        self.client.drop_token()
                    try:
                        entry.submit(pool, self.client, self.client.token())
                    except PortalError as failed:
                        error = failed
                        break
                    continue
                error = refused
                break
            except TransportError as failed:
                error = failed
                break
            self._measure(entry, done)
            self.batch_size = min(self.config.batch_items, self.batch_size * 2)
            self.hook("push.answered")
            self._apply_results(entry.batch, results, report, change_seq)
            self.hook("push.committed")
            return None
        reason = str(error) or type(error).__name__
        self._batch_failed(entry.batch, reason, report, link=isinstance(error, TransportError))
        return error

    def _measure(self, entry: _InFlight, done: float) -> None:
        """Goodput from one answered batch: its compressed bytes over the time the line
        spent on it. Sent while another batch was on its way, that is the time since the
        previous answer (the pipe was full); sent alone, its whole time less a round trip.
        Server work counts in both: what matters is how fast the backlog drains."""
        prepared = entry.prepared
        link = self.client.link
        if entry.sent_at < self._last_done:
            busy = done - self._last_done
        else:
            busy = done - entry.sent_at - (link.rtt or 0.0)
        self._last_done = max(self._last_done, done)
        link.add_bps(len(prepared.body) / max(busy, 0.02))
        self._ratio = 0.5 * self._ratio + 0.5 * prepared.raw_bytes / max(1, len(prepared.body))

    def _batch_failed(
        self, batch: list, reason: str, report: SyncReport, *, link: bool = False
    ) -> None:
        """No answer for the batch: halve it; an item failing alone counts a try, at once
        for a refusal, at the round's end for a link failure (`_charge_lone_failures`)."""
        now = time.time()
        with self.store.transaction():
            if len(batch) == 1 and link:
                self._suspects.append((batch[0], reason))
                self.store.outbox.mark_retry(
                    batch[0].idem_key,
                    reason=reason,
                    next_try=self._retry_at(batch[0].tries, now),
                    tries_add=0,
                )
            elif len(batch) == 1:
                self._item_failed(batch[0], reason, report, now)
            else:
                for item in batch:
                    self.store.outbox.mark_retry(
                        item.idem_key, reason=reason, next_try=_epoch(now), tries_add=0
                    )
        self.batch_size = max(1, len(batch) // 2)

    def _item_failed(
        self, item, reason: str, report: SyncReport, now: float, *, permanent: bool = False
    ) -> None:
        """Set aside for an admin (a permanent refusal, or out of tries), else retry later."""
        if permanent or item.tries + 1 >= self.config.max_tries:
            self.store.outbox.mark_attention(item.idem_key, reason=reason)
            report.set_aside += 1
            report.set_aside_keys.append(item.idem_key)
        else:
            self.store.outbox.mark_retry(
                item.idem_key, reason=reason, next_try=self._retry_at(item.tries, now)
            )
            report.retry_later += 1

    def _retry_at(self, tries: int, now: float) -> datetime:
        delay = backoff_delay(tries, self.config.backoff_base, self.config.backoff_cap)
        return _epoch(now + delay)

    def _apply_results(
        self, batch: list, results: list[dict], report: SyncReport, change_seq: int | None
    ) -> None:
        """One transaction for the batch: portal ids recorded and items marked synced
        together, so a kill leaves either all of it or none (then sent again, same keys).
        A dossier's accepted move records where the portal's change feed stood
        (`change_seq`): pulled changes up to there are older and never undo it. A move
        refused because the portal's status had moved on becomes a conflict for a clerk."""
        by_key = {r.get("key"): r for r in results if isinstance(r, dict)}
        now, at = time.time(), self.now()
        acked: list[tuple[str, str, str, str]] = []
        moved: list[str] = []  # dossiers this batch moved (not a repeat of an older push)
        with self.store.transaction():
            for item in batch:
                result = by_key.get(item.idem_key)
                if result is None:
                    result = {"status": "rejected", "reason": "no_answer", "retryable": True}
                if result.get("status") == "accepted" and result.get("portal_id"):
                    acked.append(
                        (item.idem_key, item.entity, item.entity_id, str(result["portal_id"]))
                    )
                    report.pushed += 1
                    report.duplicates += bool(result.get("duplicate"))
                    if item.entity == "dossier" and not result.get("duplicate"):
                        moved.append(item.entity_id)
                    continue
                reason = str(result.get("reason") or "rejected")
                if reason == "status_mismatch" and item.op == "dossier.status":
                    self._move_refused(item, result.get("portal_status"), report)
                    continue
                self._item_failed(item, reason, report, now, permanent=not result.get("retryable"))
            self.store.sync_state.record_portal_ids(acked, at=at)
            if change_seq is not None:  # a repeat was taken earlier, when the feed was older
                for code in moved:
                    self.store.sync_state.record_pushed_move(code, change_seq)
            self.store.outbox.mark_synced_many([row[0] for row in acked])


def _epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
