"""Time, Vietnam style, and the rule that a clock which went backwards must not issue codes.

The core has no clock of its own: services receive `now`. A PC whose CMOS battery died may
wake in the year 2000; dossier codes and appointment dates issued then would be wrong on
paper, so they are refused until an admin confirms the date.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from counter_app.core.errors import ClockError, ValidationError
from counter_app.core.messages import register

VN_TZ = timezone(timedelta(hours=7), "ICT")

# Small backward steps happen (NTP corrections, two processes racing); they are harmless.
CLOCK_TOLERANCE = timedelta(minutes=5)
# A clerk may enter a receipt a little after the fact (the printer jammed, the citizen
# waited); further back, a wrong or forged time would move a legal due date: admins only.
BACKDATE_WINDOW = timedelta(minutes=30)
# However an admin backdates a receipt, never further than this behind the latest trusted
# time: receipts are entered late after a power cut, a jammed printer or a slip written by
# hand while the PC was down, which is the same day or the next. Further back, a dossier
# would take a code of a day this store never issued and a legal due date already past.
RECEIPT_BACKDATE_LIMIT = timedelta(hours=24)
# A portal clock further than this from ours is doubted, not believed: a PC clock is off by
# minutes, or by hours when its time zone is wrong (7 h for UTC), which the portal's reading
# must still reveal and block; a day and more is far likelier the upstream's fault (a portal
# 10 years ahead stopped all intake, issue 20). Such a reading is reported and ignored until
# an admin confirms it (`counter-app clock confirm --portal`).
PORTAL_CLOCK_DOUBT = timedelta(hours=24)

register(
    {
        "clock.behind_portal": {
            "vi": "Đồng hồ máy chậm {minutes} phút so với Cổng dịch vụ công. Không cấp mã hồ sơ "
            "cho đến khi chỉnh lại đồng hồ (rồi đồng bộ lại, hoặc quản trị viên xác nhận).",
            "en": "The computer clock is {minutes} minutes behind the portal's. No dossier code "
            "is issued until the clock is set right (then sync, or an admin confirms).",
        },
        "clock.behind": {
            "vi": "Đồng hồ máy tính ({now}) đang chậm hơn lần ghi cuối cùng ({last}). "
            "Không cấp mã hồ sơ hay ngày hẹn cho đến khi quản trị viên xác nhận ngày giờ.",
            "en": "The computer clock ({now}) is earlier than the last recorded event ({last}). "
            "No dossier code or appointment is issued until an admin confirms the date.",
        },
        "clock.backdated": {
            "vi": "Chỉ quản trị viên mới được ghi thời điểm tiếp nhận sớm hơn hiện tại quá "
            "{minutes} phút.",
            "en": "Only an admin may record a time of receipt more than {minutes} minutes "
            "before now.",
        },
        "clock.portal_doubtful": {
            "vi": "Cổng báo giờ lệch {days} ngày so với máy này: nhiều khả năng đồng hồ của "
            "Cổng sai. Bỏ qua giờ của Cổng (vẫn cấp mã hồ sơ) cho đến khi quản trị viên "
            "xác nhận.",
            "en": "The portal's clock is {days} days off this PC's: most likely the portal's "
            "clock is wrong. It is ignored (dossier codes are still issued) until an admin "
            "confirms it.",
        },
        "clock.no_portal_reading": {
            "vi": "Không có giờ nào của Cổng đang chờ xác nhận.",
            "en": "No portal clock reading is waiting for confirmation.",
        },
        "clock.receipt_too_early": {
            "vi": "Thời điểm tiếp nhận không được sớm hơn {earliest}: không trước ngày lập kho "
            "dữ liệu này và không lùi quá {hours} giờ so với giờ đã kiểm chứng gần nhất.",
            "en": "The time of receipt cannot be earlier than {earliest}: not before this "
            "store was set up, nor more than {hours} hours before the latest checked time.",
        },
    }
)


# An upstream clock is believed only when it shows a date this program can live in: "inf",
# "nan" or 10^300 from a broken portal would otherwise become the offset every rule uses.
PLAUSIBLE_EPOCHS = (
    datetime(2020, 1, 1, tzinfo=UTC).timestamp(),
    datetime(2100, 1, 1, tzinfo=UTC).timestamp(),
)


def plausible_epoch(seconds: float) -> bool:
    """False for inf and nan too: every comparison with them fails."""
    return PLAUSIBLE_EPOCHS[0] <= seconds < PLAUSIBLE_EPOCHS[1]


def vn_time(dt: datetime) -> datetime:
    """Aware datetime in Vietnam time; a naive one is taken to be Vietnam time already."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=VN_TZ)
    return dt.astimezone(VN_TZ)


def system_now() -> datetime:
    return datetime.now(VN_TZ)


def check_clock(now: datetime, last_event: datetime | None) -> None:
    """Raise ClockError when `now` is before the latest trusted time.

    `last_event` must be a time that was itself checked (a use case that passed this guard,
    or an admin's confirmation, which may move it back): never a time merely written, such
    as a login's, or one wrong clock would become the reference and hide itself.
    """
    if last_event is None:
        return
    if vn_time(now) + CLOCK_TOLERANCE < vn_time(last_event):
        raise ClockError(
            "clock.behind",
            now=vn_time(now).strftime("%H:%M %d/%m/%Y"),
            last=vn_time(last_event).strftime("%H:%M %d/%m/%Y"),
        )


def check_receipt_time(at: datetime, *, created: datetime | None, trusted: datetime | None) -> None:
    """Refuse a time of receipt before the store existed or more than
    `RECEIPT_BACKDATE_LIMIT` before the latest trusted time, whoever asks: the bound that
    keeps even an admin from issuing a code dated years back."""
    bounds = [created, None if trusted is None else trusted - RECEIPT_BACKDATE_LIMIT]
    known = [vn_time(b) for b in bounds if b is not None]
    if known and vn_time(at) < max(known):
        raise ValidationError(
            "clock.receipt_too_early",
            field="received_at",
            earliest=max(known).strftime("%H:%M %d/%m/%Y"),
            hours=round(RECEIPT_BACKDATE_LIMIT.total_seconds() / 3600),
        )
