"""The pull half of the reference sync engine: pages of upstream changes applied through
the services' write step, each page in one transaction with its cursor; a status for a
dossier whose own change is unsent waits (`sync_held`); what cannot be applied becomes a
conflict for a clerk, never dropped."""

from __future__ import annotations

import time
from datetime import datetime

from counter_app.core import dossier as rules
from counter_app.core.calendar import CalendarOverride, validate_override
from counter_app.core.catalogue import parse_catalogue
from counter_app.core.errors import DomainError
from counter_app.core.messages import MESSAGES, register
from counter_app.services.context import ServiceContext
from counter_app.services.upstream import (
    PORTAL_ACTOR,
    Outcome,
    apply_portal_status,
    released_changes,
)
from sync.backoff import backoff_delay
from sync.client import TransportError
from sync.report import SyncReport

register(
    {
        "sync.move_refused": {
            "vi": "Cổng từ chối chuyển hồ sơ từ «{before}» sang «{after}»: trên Cổng hồ sơ "
            "đã ở «{portal}». Cán bộ chọn giữ trạng thái của Cổng hoặc của máy này.",
            "en": "The portal refused the move from '{before}' to '{after}': the dossier is "
            "'{portal}' there. A clerk keeps the portal's status or this station's.",
        },
    }
)


def _status_name(status) -> str:
    try:
        return rules.STATUS_NAMES[rules.DossierStatus(int(status))][0]
    except (TypeError, ValueError, KeyError):
        return str(status)


class PullSide:
    """Mixed into SyncEngine, whose store, client, config, clock and station it uses."""

    def _pull_all(self, report: SyncReport) -> None:
        self._release_held(report)
        failures = 0
        while True:
            cursor = self.store.sync_state.cursor()
            try:
                page = self.client.changes(cursor, self.config.pull_page)
            except TransportError:
                failures += 1
                if failures >= self.config.round_failures:
                    raise
                time.sleep(backoff_delay(failures, self.config.pause_base, 5.0))
                continue
            failures = 0
            self.hook("pull.answered")
            with self.store.transaction():
                # another run may have applied this page meanwhile: only move forward
                if self.store.sync_state.cursor() != cursor:
                    continue
                for change in page.get("changes", []):
                    self._apply_change(change, report)
                    report.pulled += 1
                self.store.sync_state.set_cursor(str(page.get("next_cursor", cursor)))
            self.hook("pull.committed")
            if self.progress:
                self.progress("pull", report.pulled, report.pulled)
            if not page.get("more"):
                return

    def _apply_change(self, change: dict, report: SyncReport) -> None:
        kind = change.get("kind", "")
        data = change.get("data") or {}
        seq = int(change.get("seq", 0))
        if kind == "dossier.status":
            self._apply_status(seq, change.get("entity_id") or data.get("MaHoSo", ""), data, report)
        elif kind == "holiday":
            try:
                day = datetime.fromisoformat(data["day"]).date()
                if data.get("kind") == "remove":
                    self.store.catalogue.remove_override(day)
                else:
                    override = validate_override(
                        CalendarOverride(day, data.get("kind", ""), data.get("note") or "")
                    )
                    self.store.catalogue.set_override(override)
            except (KeyError, ValueError, DomainError) as error:
                self._conflict(seq, kind, str(data.get("day", "")), None, None, str(error), change)
                report.conflicts += 1
                return
            self._audit("sync.pull.holiday", "calendar", str(day), data)
        elif kind == "catalogue":
            try:
                catalogue = parse_catalogue(data["catalogue"])
            except Exception as error:  # a bad catalogue must not stop sync: keep it aside
                self._conflict(
                    seq,
                    kind,
                    str(data.get("version", "")),
                    None,
                    None,
                    f"bad catalogue: {error}",
                    change,
                )
                report.conflicts += 1
                return
            self.store.catalogue.replace(catalogue, at=self.now())
            self._audit("sync.pull.catalogue", "catalogue", catalogue.version, {})
        else:
            self._conflict(
                seq,
                kind,
                str(change.get("entity_id", "")),
                None,
                None,
                "unknown change kind",
                change,
            )
            report.conflicts += 1

    def _apply_status(self, seq: int, code: str, data: dict, report: SyncReport) -> None:
        """Through the services' write step (counter_app/services/upstream.py). A change
        older than a move of ours the portal took after it is not applied: the portal
        holds our move now, and the older change would undo it here only."""
        pushed = self.store.sync_state.pushed_move(code)
        if pushed is not None and seq <= pushed:
            self._audit("sync.pull.superseded", "dossier", code, {"seq": seq, "pushed": pushed})
            return
        outcome, reason = apply_portal_status(self._ctx(), seq=seq, code=code, data=data)
        if outcome is Outcome.CONFLICT:
            try:
                target = int(rules.parse_status(data.get("TrangThai")))
            except DomainError:
                target = None
            local = self.store.dossiers.get(code)
            change = {"seq": seq, "kind": "dossier.status", "data": data}
            if self.store.sync_state.merge_conflict(
                entity_id=code, portal_status=target, change_seq=seq, change=change
            ):  # what the portal said when it refused our move: one conflict, not two
                self._audit("sync.conflict", "dossier.status", code, {"seq": seq, "reason": reason})
                return
            self._conflict(
                seq,
                "dossier.status",
                code,
                None if local is None else int(local.status),
                target,
                reason,
                change,
            )
            report.conflicts += 1
        elif outcome is Outcome.HELD:
            report.held += 1

    def _move_refused(self, item, portal_status: int | None, report: SyncReport) -> None:
        """Inside the caller's transaction: the portal refused a move of ours because the
        dossier had left the status it moves from. Never sent again; a conflict for a clerk
        names where the portal has it (keep the portal's status, or ours)."""
        code = item.entity_id
        local = self.store.dossiers.get(code)
        before = item.payload.get("previous")
        after = (item.payload.get("dossier") or {}).get("status")
        reason = MESSAGES["sync.move_refused"]["vi"].format(
            before=_status_name(before),
            after=_status_name(after),
            portal=_status_name(portal_status) if portal_status else "không rõ",
        )
        self.store.outbox.mark_conflict(item.idem_key, reason=reason)
        self._audit("sync.push.refused", "dossier", code, {"key": item.idem_key, "reason": reason})
        if self.store.sync_state.has_open_conflict(code, portal_status):
            return  # a later move of the same dossier, refused for the same cause
        data = {"MaHoSo": code, "TrangThai": portal_status, "NoiDungXuLy": ""}
        change = {"kind": "dossier.status", "refused": item.idem_key, "data": data}
        self.store.sync_state.add_conflict(
            at=self.now(),
            change_seq=0,
            kind="dossier.status",
            entity_id=code,
            local_status=None if local is None else int(local.status),
            portal_status=portal_status,
            reason=reason,
            change=change,
        )
        report.conflicts += 1

    def _release_held(self, report: SyncReport) -> None:
        """Pulled changes that waited for a local change to be sent go in now, if it was."""
        with self.store.transaction():
            for change in released_changes(self._ctx()):
                self._apply_change(change, report)

    def _ctx(self) -> ServiceContext:
        return ServiceContext(self.store, self.clock, self.station, PORTAL_ACTOR)

    def _conflict(self, seq, kind, entity_id, local_status, portal_status, reason, change):
        self.store.sync_state.add_conflict(
            at=self.now(),
            change_seq=seq,
            kind=kind,
            entity_id=entity_id,
            local_status=local_status,
            portal_status=portal_status,
            reason=reason,
            change=change,
        )
        self._audit("sync.conflict", kind, entity_id, {"seq": seq, "reason": reason})

    def _audit(self, action: str, entity: str, entity_id: str, detail: dict) -> None:
        self._ctx().journal(
            at=self.now(), action=action, entity=entity, entity_id=entity_id, detail=detail
        )
