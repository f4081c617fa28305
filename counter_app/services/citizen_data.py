"""A citizen's rights over their data (Law 91/2025/QH15): see all of it, and be forgotten
where the law allows, while the administration keeps the dossier records it must keep.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from counter_app.core.citizen import validate_citizen_id
from counter_app.core.dossier import FINAL_STATUSES, Applicant, Dossier, DossierStatus
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from counter_app.core.oserrors import cannot_write, check_writable_file
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext
from counter_app.services.papers import forget_papers

ANONYMOUS = "Đã ẩn danh"
DEFAULT_RETENTION_DAYS = 5 * 365
# Anything shorter than a day (or negative: "received before next week") would anonymise
# dossiers the center must still keep; longer than a century is a typing slip.
RETENTION_DAYS = range(1, 36_501)

register(
    {
        "citizen.nothing_held": {
            "vi": "Không có hồ sơ nào của số căn cước này.",
            "en": "No dossier is held for this ID number.",
        },
        "citizen.bad_retention": {
            "vi": "Thời hạn lưu giữ phải từ {low} đến {high} ngày.",
            "en": "The retention period must be between {low} and {high} days.",
        },
        "citizen.still_open": {
            "vi": "Còn {count} hồ sơ đang giải quyết hoặc chưa gửi lên Cổng; "
            "chỉ ẩn danh được khi mọi hồ sơ đã kết thúc và đã đồng bộ.",
            "en": "{count} dossiers are still open or not yet sent to the portal; "
            "data can be anonymised only once all are finished and synced.",
        },
    }
)


def _dossiers_of(ctx: ServiceContext, citizen_id: str) -> list[Dossier]:
    found = ctx.store.dossiers.by_citizen_id(validate_citizen_id(citizen_id), 100_000)
    if not found:
        raise DomainError("citizen.nothing_held")
    return found


def export_citizen(ctx: ServiceContext, *, citizen_id: str, out: Path) -> Path:
    """Everything held about one citizen, in one readable UTF-8 JSON file."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    dossiers = _dossiers_of(ctx, citizen_id)
    now = ctx.now()
    record = {
        "tieu_de": "Dữ liệu cá nhân do Trung tâm phục vụ hành chính công lưu giữ",
        "trung_tam": ctx.station.center_name,
        "lap_luc": now.isoformat(),
        "ho_so": [],
    }
    for d in dossiers:
        ticket = ctx.store.tickets.get(d.ticket_id) if d.ticket_id else None
        record["ho_so"].append(
            {
                "ma_ho_so": d.code,
                "thu_tuc": f"{d.procedure_code} {d.procedure_name}",
                "trang_thai": int(d.status),
                "nguoi_nop": {
                    "ho_ten": d.applicant.full_name,
                    "so_can_cuoc": d.applicant.citizen_id,
                    "dien_thoai": d.applicant.phone,
                    "dia_chi": d.applicant.address,
                    "email": d.applicant.email,
                    "ngay_sinh": d.applicant.birth_date.isoformat()
                    if d.applicant.birth_date
                    else None,
                },
                "tiep_nhan_luc": d.received_at.isoformat(),
                "hen_tra": d.due_at.isoformat() if d.due_at else None,
                "ghi_chu": d.note,
                "lich_su": [
                    {
                        "luc": e.at.isoformat(),
                        "loai": e.kind,
                        "trang_thai": e.to_status,
                        "ghi_chu": e.note,
                        "can_bo": e.actor,
                    }
                    for e in ctx.store.dossiers.events(d.code)
                ],  # fmt: skip
                "so_thu_tu": ticket.label if ticket else None,
                "nhat_ky": [
                    {"luc": r["at"], "hanh_dong": r["action"], "nguoi": r["actor"]}
                    for r in ctx.store.query(
                        "SELECT at, action, actor FROM audit WHERE entity = 'dossier' "
                        "AND entity_id = ? ORDER BY id",
                        (d.code,),
                    )
                ],
            }
        )
    check_writable_file(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as error:
        raise cannot_write(out, error) from None
    with ctx.store.transaction():
        ctx.journal(
            at=now, action="citizen.export", entity="citizen", entity_id="-",
            detail={"dossiers": len(dossiers)},
        )  # fmt: skip
    return out


def _anonymise(ctx: ServiceContext, dossiers: list[Dossier], now: datetime) -> list[str]:
    """Inside the caller's transaction; returns the paper files to delete once it commits
    (a rollback must not lose papers of a dossier that stays)."""
    for d in dossiers:
        ctx.store.dossiers.update(replace(d, applicant=Applicant(ANONYMOUS), note=""))
        ctx.store.dossiers.forget_event_notes(d.code)
        ctx.store.outbox.forget_payloads(entity="dossier", entity_id=d.code)
    return forget_papers(ctx, [d.code for d in dossiers], now)


def _unfinished(ctx: ServiceContext, dossiers: list[Dossier]) -> list[Dossier]:
    return [
        d
        for d in dossiers
        if d.status not in FINAL_STATUSES or ctx.store.outbox.has_unsent("dossier", d.code)
    ]


def erase_citizen(ctx: ServiceContext, *, citizen_id: str) -> int:
    """Anonymise a citizen's finished, synced dossiers; refuse while any is still open."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    dossiers = _dossiers_of(ctx, citizen_id)
    open_ones = _unfinished(ctx, dossiers)
    if open_ones:
        raise DomainError("citizen.still_open", count=len(open_ones))
    now = ctx.check_clock()
    count = len(dossiers)
    with ctx.store.transaction():
        files = _anonymise(ctx, dossiers, now)
        ctx.journal(
            at=now, action="citizen.erase", entity="citizen", entity_id="-",
            detail={"dossiers": count, "papers": len(files)},
        )  # fmt: skip
    _delete_files(ctx, files)
    return count


def apply_retention(ctx: ServiceContext, *, days: int | None = None) -> int:
    """Anonymise finished, synced dossiers received more than `days` ago (scheduled job)."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    days = (
        ctx.store.settings.get("retention_days", DEFAULT_RETENTION_DAYS) if days is None else days
    )
    if days not in RETENTION_DAYS:
        low, high = RETENTION_DAYS[0], RETENTION_DAYS[-1]
        raise ValidationError("citizen.bad_retention", field="days", low=low, high=high)
    now = ctx.check_clock()
    old = ctx.store.dossiers.listing(
        statuses=[s for s in DossierStatus if s in FINAL_STATUSES],
        received_to=now - timedelta(days=days),
        limit=1_000_000,
    )
    targets = [d for d in old if d.applicant.full_name != ANONYMOUS]
    targets = [d for d in targets if d not in _unfinished(ctx, targets)]
    count = len(targets)
    with ctx.store.transaction():
        files = _anonymise(ctx, targets, now)
        ctx.journal(
            at=now, action="citizen.retention", entity="citizen", entity_id="-",
            detail={"dossiers": count, "days": days, "papers": len(files)},
        )  # fmt: skip
    _delete_files(ctx, files)
    return count


def _delete_files(ctx: ServiceContext, paper_ids: list[str]) -> None:
    for paper_id in paper_ids:
        ctx.store.papers.files.delete(paper_id)


def retention_if_due(ctx: ServiceContext) -> int | None:
    """The scheduled job: once a day, anonymise what is past the retention age."""
    today = ctx.now().date().isoformat()
    if ctx.store.settings.get("last_retention_on") == today:
        return None
    count = apply_retention(ctx)
    with ctx.store.transaction():
        ctx.store.settings.set("last_retention_on", today)
    return count
