"""Key rotation: a new sealing key, every personal field sealed again, the old key dropped."""

from __future__ import annotations

from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext

register(
    {
        "keys.center_rotation": {
            "vi": "Máy này thuộc một trung tâm nhiều máy, dùng chung khóa dữ liệu: không đổi "
            "khóa riêng trên một máy (các máy khác sẽ không đọc được dữ liệu của máy này). "
            "Hãy đổi khóa cho cả trung tâm trên máy chủ trung tâm.",
            "en": "This PC belongs to a multi-PC center sharing one data key: its key is not "
            "rotated alone (the other PCs could no longer read its data). Rotate the whole "
            "center's keys on the hub.",
            "cli_vi": "Trên máy chủ trung tâm: counter-app hub rotate-keys",
            "cli_en": "On the hub: counter-app hub rotate-keys",
        },
    }
)


def rotate_keys(ctx: ServiceContext, *, passphrase: str | None = None) -> int:
    """Safe to interrupt: the old key stays until every row is sealed under the new one,
    and the next start finishes the re-sealing (the `reseal_pending` flag)."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    if ctx.station.in_center:
        raise DomainError("keys.center_rotation")
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
