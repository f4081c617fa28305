"""Extending a dossier's due date (Form 04) and stopping it (Form 05), through the write path.

Both moves reach the portal as an ordinary `dossier.status` event: every dialect already
turns one into a progress step carrying the dossier as it now stands (the new NgayHenTra,
NgayKetThucTheoQuyDinh and NoiDungXuLy), so no adapter needs a new kind of record.
"""

from __future__ import annotations

from datetime import datetime

from counter_app.core import dossier_notices as rules
from counter_app.core.clock import vn_time
from counter_app.core.dossier import Dossier, DossierStatus
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext
from counter_app.services.dossiers import _change_status_in_transaction, get_dossier
from counter_app.services.events import dossier_event


def extend_due(ctx: ServiceContext, *, code: str, until: datetime, reason: str) -> Dossier:
    """Move the due date later, with the apology's reason; the status stays."""
    ctx.actor.require(Permission.CHANGE_STATUS)
    now = ctx.check_clock()
    with ctx.store.transaction():
        before = get_dossier(ctx, code)
        after, extension = rules.extend_due(before, vn_time(until), at=now, reason=reason)
        note = rules.extension_note(extension)
        ctx.store.dossiers.update(after)
        ctx.store.dossiers.add_event(
            after.code,
            at=now,
            kind=rules.EXTENDED_KIND,
            actor=ctx.actor.username,
            from_status=before.status,
            to_status=after.status,
            note=note,
        )
        ctx.journal(
            at=now,
            action="dossier.status",
            entity="dossier",
            entity_id=after.code,
            detail={
                "from": int(before.status),
                "to": int(after.status),
                "due_from": before.due_at.isoformat() if before.due_at else None,
                "due_to": after.due_at.isoformat() if after.due_at else None,
            },
            payload=dossier_event(ctx, after, at=now, previous=before.status, note=note),
        )
    return after


def stop_dossier(ctx: ServiceContext, *, code: str, reason: str, guidance: str = "") -> Dossier:
    """Stop processing (status 8, "Dừng xử lý") with the reason and what the citizen should
    do next, both printed on Form 05."""
    ctx.actor.require(Permission.CHANGE_STATUS)
    decided = rules.decide_stop(reason=reason, guidance=guidance)
    note = rules.stop_note(decided)
    ctx.check_clock()
    with ctx.store.transaction():
        return _change_status_in_transaction(ctx, code, DossierStatus.STOPPED, note)
