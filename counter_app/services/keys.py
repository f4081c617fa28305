"""Key rotation: a new sealing key, every personal field sealed again, the old key dropped."""

from __future__ import annotations

from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext


def rotate_keys(ctx: ServiceContext, *, passphrase: str | None = None) -> int:
    """Safe to interrupt: the old key stays until every row is sealed under the new one,
    and the next start finishes the re-sealing (the `reseal_pending` flag)."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    store = ctx.store
    with store.transaction():
        new_id = store.keys.rotate_seal_key(passphrase=passphrase)
        store.settings.set("reseal_pending", True)
    store.relock()
    count = store.reseal()
    with store.transaction():
        store.keys.drop_old_seal_keys(passphrase=passphrase)
        ctx.journal(
            at=ctx.now(), action="keys.rotate", entity="station", entity_id=ctx.station.id,
            detail={"key": new_id, "resealed": count},
        )  # fmt: skip
    store.relock()
    return count
