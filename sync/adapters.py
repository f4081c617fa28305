"""Upstream adapters: our own domain events turned into an upstream's layout when sent.

The outbox keeps events in the program's own shape (counter_app/services/events.py); only
here do they become the reference API's portal records (counter_app/core/portal_fields).
A payload without a version is from a store older than events and is sent as it was
written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from counter_app.core.crypto import FieldCrypto
from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.core.portal_fields import dossier_record, progress_record
from counter_app.core.queue import ticket_label
from counter_app.store.dossiers import dossier_from_row

SUPPORTED_VERSIONS = frozenset({1})

register(
    {
        "sync.event_version": {
            "vi": "Bản ghi được tạo bởi phiên bản chương trình mới hơn (định dạng {v}); "
            "hãy cập nhật chương trình trên máy này.",
            "en": "The record was made by a newer program version (format {v}); "
            "update the program on this PC.",
        },
    }
)


def reference_payload(op: str, event: dict[str, Any], fc: FieldCrypto) -> dict[str, Any]:
    """The reference API's item payload for one outbox event."""
    if "v" not in event:
        return event  # written before events existed: already in the portal's layout
    if event["v"] not in SUPPORTED_VERSIONS:
        raise DomainError("sync.event_version", v=event["v"])
    if "dossier" in event:
        dossier = dossier_from_row(event["dossier"], fc)
        if op == "dossier.status":
            return progress_record(
                dossier,
                previous=DossierStatus(event["previous"]),
                actor=event["actor"],
                at=datetime.fromisoformat(event["at"]),
                note=event["note"],
            )
        return dossier_record(dossier, sector=event["sector"])
    if "ticket" in event:
        t = event["ticket"]
        # Queue statistics for the portal: no personal data, only times and places.
        return {
            "label": ticket_label(t["letter"], t["number"]),
            "group": t["group"],
            "state": t["state"],
            "priority": t["priority"],
            "counter": t["counter"],
            "arrived_at": t["arrived_at"],
            "at": event["at"],
        }
    if "paper" in event:  # what a paper is, never its bytes (those are uploaded apart)
        return {**event["paper"], "removed": event.get("removed", False), "at": event["at"]}
    if "rating" in event:
        r = event["rating"]
        return {"score": r["score"], "dossier_code": r["dossier_code"], "at": event["at"]}
    return {k: v for k, v in event.items() if k != "v"}


def portal_view(store, item) -> dict[str, Any]:
    """What the reference portal receives for an outbox item (the engine, tools, tests)."""
    return reference_payload(item.op, item.payload, store.crypto)
