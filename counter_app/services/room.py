"""The disk's room for the store, as the windows and the command line see it: a full disk
is a Vietnamese sentence saying what to do, and a day's intake does not start without a
day's room (counter_app/store/room.py has the measured figures)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.services.context import ServiceContext
from counter_app.store.room import DAY_OF_ROOM, LOW_ROOM, free_bytes, is_disk_full

register(
    {
        "disk.full": {
            "vi": "Ổ đĩa đã đầy nên không ghi được; việc vừa làm chưa được lưu và không có "
            "gì bị ghi dở. Hãy giải phóng chỗ trống (xóa tệp không cần, chuyển "
            "bản sao lưu cũ sang ổ khác, dọn Thùng rác) rồi làm lại; nếu không được, báo "
            "quản trị viên.",
            "en": "The disk is full, so nothing could be written; what you just did was not "
            "saved and nothing is half-written. Free some space (delete files you do not "
            "need, move old backups to another drive, empty the Recycle Bin) and try again; "
            "if that fails, tell the admin.",
        },
        "disk.no_room_for_the_day": {
            "vi": "Ổ đĩa chứa dữ liệu chỉ còn trống {free} MB, không đủ cho một ngày tiếp nhận "
            "({need} MB). Chưa bắt đầu tiếp nhận hôm nay: hãy giải phóng chỗ trống trên ổ đĩa "
            "rồi làm lại.",
            "en": "The disk holding the data has only {free} MB free, not enough for a day of "
            "intake ({need} MB). Today's intake has not started: free some space on the disk "
            "and try again.",
        },
    }
)


def disk_full(error: BaseException, folder: Path | None = None) -> DomainError | None:
    """The message for a full disk, when `error` is one (else None); `folder`, the data
    folder, lets a plain disk I/O error be told apart by the room left."""
    return DomainError("disk.full") if is_disk_full(error, folder) else None


def low_room(ctx: ServiceContext) -> int | None:
    """Free bytes when they are below `LOW_ROOM` (what the status bar shows), else None."""
    free = free_bytes(ctx.store)
    return free if free is not None and free < LOW_ROOM else None


def check_room_for_the_day(ctx: ServiceContext, now: datetime, *, need: int = DAY_OF_ROOM) -> None:
    """Refuse the day's first receipt without a day's room: the clerk frees space before
    the queue starts, not when the disk fills halfway through a citizen's dossier."""
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if ctx.store.query_one(
        "SELECT 1 FROM dossiers WHERE received_at >= ? LIMIT 1", (start.isoformat(),)
    ):
        return  # today's intake has started
    free = free_bytes(ctx.store)
    if free is not None and free < need:
        raise DomainError(
            "disk.no_room_for_the_day", free=free // 1_000_000, need=-(-need // 1_000_000)
        )
