"""What the status bar shows on every clerk window: the link and what waits to be synced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter_app.core.messages import MESSAGES, register
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext


@dataclass(frozen=True)
class SyncStatus:
    waiting: int  # records the portal has not acknowledged yet
    attention: int  # set aside for an admin
    oldest: datetime | None  # the oldest record still waiting
    last_ok: datetime | None  # the last round that reached the portal
    conflicts: int  # upstream changes a clerk must look at


def sync_status(ctx: ServiceContext) -> SyncStatus:
    counts = ctx.store.outbox.counts()
    last = ctx.store.sync_state.last_round(ok_only=True)
    conflicts = ctx.store.query_one(
        "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL"
    )[0]
    return SyncStatus(
        waiting=counts.get("waiting", 0) + counts.get("sending", 0),
        attention=counts.get("attention", 0),
        oldest=ctx.store.outbox.oldest_pending_at(),
        last_ok=last.finished_at if last else None,
        conflicts=conflicts,
    )


# Why the portal set a record aside, and what to do, for the status bar. The reason comes
# from the portal (a code such as "missing_fields:x,y", or the dialect's own text); a code we
# do not know is shown as the portal wrote it, never dropped.
register(
    {
        "setaside.missing_fields": {
            "vi": "Cổng báo thiếu thông tin ({fields}). Mở hồ sơ, bổ sung các thông tin đó, "
            "rồi báo quản trị viên gửi lại.",
            "en": "The portal says information is missing ({fields}). Open the dossier, fill "
            "it in, then ask the admin to send it again.",
        },
        "setaside.dossier_code_exists": {
            "vi": "Cổng đã có một hồ sơ cùng mã. Không tạo lại hồ sơ; báo quản trị viên đối "
            "chiếu mã hồ sơ với Cổng.",
            "en": "The portal already has a dossier with this code. Do not create it again; "
            "ask the admin to check the code against the portal.",
        },
        "setaside.bad_status": {
            "vi": "Cổng không nhận bước chuyển trạng thái này. Xem trạng thái hồ sơ trên Cổng, "
            "rồi báo quản trị viên gửi lại.",
            "en": "The portal refused this status change. Check the dossier's status on the "
            "portal, then ask the admin to send it again.",
        },
        "setaside.unknown_dossier": {
            "vi": "Cổng chưa có hồ sơ này (bản ghi tạo hồ sơ chưa tới). Quản trị viên gửi lại "
            "sau khi bản ghi tạo hồ sơ đã lên Cổng.",
            "en": "The portal does not have this dossier yet. The admin sends it again once "
            "the dossier itself has reached the portal.",
        },
        "setaside.idempotency_conflict": {
            "vi": "Cổng đã nhận một bản ghi khác cùng khóa. Không gửi lại; báo quản trị viên.",
            "en": "The portal holds another record under the same key. Do not resend; tell "
            "the admin.",
        },
        "setaside.foreign_key": {
            "vi": "Cổng không nhận mã cơ quan hoặc mã thủ tục của bản ghi. Quản trị viên kiểm "
            "tra mã cơ quan và danh mục thủ tục, rồi gửi lại.",
            "en": "The portal does not know the agency or procedure code. The admin checks "
            "them, then sends it again.",
        },
        "setaside.no_answer": {
            "vi": "Cổng nhiều lần không trả lời về bản ghi này. Quản trị viên gửi lại khi "
            "mạng ổn định; nếu lặp lại, báo Cổng.",
            "en": "The portal did not answer about this record several times. The admin sends "
            "it again when the line is stable; if it recurs, tell the portal.",
        },
        "setaside.refused_by_portal": {
            "vi": "Cổng từ chối bản ghi mà không nói rõ lý do. Quản trị viên hỏi đơn vị quản "
            "lý Cổng, rồi gửi lại.",
            "en": "The portal refused the record without saying why. The admin asks the "
            "portal's operators, then sends it again.",
        },
        "setaside.other": {
            "vi": "Cổng từ chối bản ghi, lý do Cổng ghi: «{reason}». Báo quản trị viên xem và "
            "gửi lại sau khi sửa.",
            "en": "The portal refused the record, giving: '{reason}'. Tell the admin, who "
            "sends it again once fixed.",
        },
    }
)
# The portal names fields in English; the clerk reads the form's own words.
FIELD_NAMES = {
    "phone": "số điện thoại",
    "address": "địa chỉ",
    "full_name": "họ và tên",
    "citizen_id": "số định danh cá nhân",
    "birth_date": "ngày sinh",
    "procedure_code": "mã thủ tục",
    "agency_code": "mã cơ quan",
}
KNOWN_REASONS = ("dossier_code_exists", "bad_status", "unknown_dossier", "idempotency_conflict",
                 "foreign_key", "no_answer", "refused_by_portal")  # fmt: skip


@dataclass(frozen=True)
class SetAside:
    """One record the portal set aside: which dossier, and why in the user's language."""

    entity: str  # "dossier", "ticket"...
    entity_id: str
    op: str
    tries: int
    code: str
    params: dict

    def text(self, lang: str = "vi") -> str:
        texts = MESSAGES[self.code]
        return texts.get(lang, texts["vi"]).format(**self.params)


def explain(reason: str) -> tuple[str, dict]:
    """The message code and parameters for a portal's reason."""
    reason = (reason or "").strip()
    if reason.startswith("missing_fields:"):
        names = [FIELD_NAMES.get(f.strip(), f.strip()) for f in reason.split(":", 1)[1].split(",")]
        return "setaside.missing_fields", {"fields": ", ".join(names)}
    if reason in KNOWN_REASONS:
        return f"setaside.{reason}", {}
    return "setaside.other", {"reason": reason[:200] or "—"}


def set_aside(ctx: ServiceContext, limit: int = 50) -> list[SetAside]:
    """The records set aside, oldest first, each with why and what to do."""
    items = []
    for item in ctx.store.outbox.attention(limit):
        code, params = explain(item.last_error)
        items.append(SetAside(item.entity, item.entity_id, item.op, item.tries, code, params))
    return items


def online_waiting(ctx: ServiceContext) -> int:
    """How many online dossiers wait for a check (the status bar's count); 0 for an account
    that may not see the inbox, so the bar never tells a volunteer more than that."""
    if Permission.CHECK_ONLINE not in ctx.actor.permissions:
        return 0
    return ctx.store.online.count_waiting()
