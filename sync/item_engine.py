"""The sync engine for dialects that send one event at a time (sync/dialects/).

The same guarantees as the reference engine (sync/engine.py), whose round, backoff and
set-aside rules it inherits: an event leaves 'waiting'/'sending' for 'synced' only in the
transaction that records what the upstream answered; an event the upstream refuses for good
is set aside at once with the dialect's Vietnamese reason and never blocks the others; one
refused for now is tried again with backoff and set aside after `max_tries`; one lost on
the link is tried again with backoff without counting a try, except a 5xx the upstream keeps
giving for this record while it takes others (`_charge_5xx`). What differs is the
wire: no idempotency key, so before an event goes out it is marked "tried" in its own
commit, and an event found tried (its answer lost, its process killed) is sent in "unsure"
mode, where the dialect looks up what the upstream holds before creating anything.
A dossier's events go in order: a later one waits while an earlier one is still due.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from counter_app.core.clock import system_now
from counter_app.core.messages import MESSAGES, register
from counter_app.services.station import load_station
from sync.dialects.base import MovedOn, Rejected
from sync.engine import SyncConfig, SyncEngine, SyncReport, _epoch, backoff_delay
from sync.errors import PortalError, TransportError, UpstreamFault

_WAIT_REASON = "chờ gửi xong thay đổi trước đó của cùng hồ sơ"

register(
    {
        "sync.item.server_error": {
            "vi": "Cổng trả lỗi máy chủ (HTTP {status}) {tries} lần liên tiếp cho hồ sơ này "
            "trong khi các hồ sơ khác vẫn gửi được; lỗi nằm ở bản ghi này, không ở đường "
            "truyền.",
            "en": "The portal answered a server error (HTTP {status}) {tries} times in a row "
            "for this record while other records went through; the fault is this record's, "
            "not the link's.",
        },
    }
)


def _text(code: str, **params) -> str:
    return MESSAGES[code]["vi"].format(**params)


class ItemSyncEngine(SyncEngine):
    def __init__(
        self,
        store,
        dialect,
        *,
        config: SyncConfig | None = None,
        clock: Callable[[], datetime] = system_now,
        progress: Callable[[str, int, int], None] | None = None,
        hook: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.dialect = dialect
        self.config = config or SyncConfig()
        self.clock = clock
        self.progress = progress
        self.hook = hook or (lambda point: None)
        dialect.hook = self.hook  # the dialect's own steps (the motcua inbox's pull) too
        self.station = load_station(store)
        self._tried = f"{dialect.name}.tried:"
        with store.transaction():
            store.outbox.release_sending()

    def run_once(self) -> SyncReport:
        report = SyncReport()
        started = self.now()
        before = self.dialect.requests
        self.dialect.begin_round(self.config.limits)
        with self.store.transaction():
            self.store.outbox.release_sending()  # a round cut or killed mid-send: sent again
        try:
            self._push_all(report)
            self.dialect.after_push(report)
        except PortalError as error:  # the link is down, or the login was refused
            report.ok, report.error = False, str(error) or type(error).__name__
        report.requests = self.dialect.requests - before
        offset = self.dialect.clock_offset
        report.clock_offset = offset
        report.clock_warning = offset is not None and abs(offset) > self.config.clock_warn_seconds
        report.waiting = self._waiting()
        self._record_round(report, started)
        return report

    def _record_round(self, report: SyncReport, started: datetime) -> None:
        from counter_app.store.sync_state import SyncRound

        with self.store.transaction():
            if report.clock_offset is not None:
                self.store.sync_state.record_clock(
                    report.clock_offset,
                    measured_at=time.time(),
                    behind_limit=self.config.clock_behind_seconds,
                )
            report.clock_doubtful = self.store.sync_state.doubtful_clock() is not None
            self.store.sync_state.record_round(
                SyncRound(
                    started_at=started,
                    finished_at=self.now(),
                    ok=report.ok,
                    pushed=report.pushed,
                    pulled=report.pulled,
                    set_aside=report.set_aside,
                    clock_offset=report.clock_offset,
                    error=report.error,
                )
            )

    def _push_all(self, report: SyncReport) -> None:
        """Each due event once, in order. A 5xx is set against its record only when the
        upstream took other records in the same round (`_charge_5xx`)."""
        suspects: list[tuple[object, int]] = []  # (item, HTTP status) answered 5xx this round
        try:
            self._push_each(report, suspects)
        except PortalError:
            suspects.clear()  # the round ended on the link failing: the link's fault
            raise
        finally:
            if suspects and report.pushed:
                self._charge_5xx(suspects, report)

    def _charge_5xx(self, suspects: list, report: SyncReport) -> None:
        """The upstream took other records this round, so a 5xx for these ones is theirs:
        a try is counted, and after `max_tries` such tries the record is set aside with a
        Vietnamese reason; a 5xx for every record is the link's and never counts."""
        now = time.time()
        with self.store.transaction():
            for item, status in suspects:
                reason = _text("sync.item.server_error", status=status, tries=item.tries + 1)
                self._item_failed(item, reason, report, now)
                report.retry_later -= 1  # counted once already, as the link's

    def _push_each(self, report: SyncReport, suspects: list) -> None:
        total = self._waiting()
        failures = 0
        after_seq = 0
        link_error = ""
        while True:
            due = self.store.outbox.due_waiting(time.time(), 1, after_seq=after_seq)
            if not due:
                if failures and not report.pushed:
                    # fewer records than `round_failures`, every one lost on the link: the
                    # round did not reach the upstream, and must not read as a success
                    report.ok, report.error = False, link_error
                return
            item = due[0]
            after_seq = item.seq
            wait_until = self.store.outbox.earlier_pending_until(
                item.entity, item.entity_id, item.seq
            )
            if wait_until is not None:
                with self.store.transaction():
                    self.store.outbox.mark_retry(
                        item.idem_key,
                        reason=_WAIT_REASON,
                        next_try=_epoch(max(wait_until, time.time()) + 0.001),
                        tries_add=0,
                    )
                continue
            marker = self._tried + item.idem_key
            with self.store.transaction():
                unsure = bool(self.store.sync_state.get(marker))
                self.store.outbox.mark_sending([item.idem_key])
                self.store.sync_state.set(marker, True)
            self.hook("push.before")
            try:
                upstream_id = self.dialect.send(item, unsure=unsure)
            except MovedOn as moved:  # the upstream moved the dossier meanwhile
                with self.store.transaction():
                    self._move_refused(item, moved.portal_status, report)
                    self.store.sync_state.delete(marker)
                continue
            except Rejected as refused:
                with self.store.transaction():
                    self._item_failed(
                        item, refused.reason, report, time.time(), permanent=refused.permanent
                    )
                continue
            except TransportError as error:
                # the link's failure, not the record's: retried with backoff, never set aside
                # for it (one event per request would otherwise count every lost answer)
                with self.store.transaction():
                    self.store.outbox.mark_retry(
                        item.idem_key,
                        reason=str(error),
                        next_try=self._retry_at(item.tries, time.time()),
                        tries_add=0,
                    )
                report.retry_later += 1
                link_error = str(error) or type(error).__name__
                if isinstance(error, UpstreamFault) and error.code == "sync.portal.unavailable":
                    suspects.append((item, error.params.get("status", 500)))
                failures += 1
                if failures >= self.config.round_failures or _round_over(error):
                    raise
                time.sleep(backoff_delay(failures, self.config.pause_base, 5.0))
                continue
            failures = 0
            self.hook("push.answered")
            with self.store.transaction():
                if upstream_id is not None:
                    self.store.sync_state.record_portal_ids(
                        [(item.idem_key, item.entity, item.entity_id, upstream_id)],
                        at=self.now(),
                    )
                self.dialect.remember(item, upstream_id)
                self.store.outbox.mark_synced_many([item.idem_key])
                self.store.sync_state.delete(marker)
            self.hook("push.committed")
            report.pushed += 1
            if self.progress:
                self.progress("push", report.pushed + report.set_aside, total)


def _round_over(error: TransportError) -> bool:
    """The round's deadline passed: every further request would be refused at once."""
    return isinstance(error, UpstreamFault) and error.code == "sync.round.too_long"
