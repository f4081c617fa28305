"""Screening each stream message before a replica applies it.

A message that does not open, does not parse, is too big, replays a key met elsewhere in
the stream or claims another station's origin is set aside (its position, its publisher
and the reason recorded once) and the replica goes on: one bad message must never stop
every replica at the same stream position. The subject names the publisher
(`center.ev.<nats user>.<action>`), which nats-server's permissions make trustworthy: a
station may publish only under its own user, so the key's origin must be that station.
"""

from __future__ import annotations

from counter_app.core.messages import MESSAGES, register

SUBJECT_PREFIX = "center.ev"
MAX_EVENT_BYTES = 256 * 1024  # a dossier's sealed row is a few KB; 1 MB is NATS's own cap
HUB_USER = "hub"

REASONS = {
    "too_big": ("quá lớn", "too big"),
    "no_key": ("thiếu khóa sự kiện", "no event key"),
    "forged": ("mạo danh một trạm khác", "claims another station's origin"),
    "unopenable": ("không mở được (sai khóa hoặc đã bị sửa)", "does not open (altered?)"),
    "unreadable": ("không đọc được nội dung", "content unreadable"),
    "version": ("phiên bản mới hơn máy này", "newer version than this PC"),
    "replay": ("lặp lại một sự kiện đã áp dụng", "replays an event already applied"),
    "rule": ("vi phạm quy tắc nghiệp vụ", "breaks a rule"),
}

register(
    {
        "center.set_aside": {
            "vi": "Đã bỏ qua {count} sự kiện hỏng hoặc giả mạo (vẫn đồng bộ bình thường):",
            "en": "{count} bad or forged events set aside (syncing goes on):",
        },
        "center.set_aside_row": {
            "vi": "  vị trí {seq}, trạm {publisher}: {reason}",
            "en": "  position {seq}, station {publisher}: {reason}",
        },
    }
)


def subject_for(user: str, action: str) -> str:
    return f"{SUBJECT_PREFIX}.{user}.{action}"


def publisher_of(subject: str) -> str:
    """The NATS user that published the message; "" for a message of the older layout
    (`center.ev.<entity>`), written before stations had permissions."""
    tokens = subject.split(".")
    return tokens[2] if len(tokens) >= 4 else ""


def station_number(origin: str) -> str:
    """A station id is `agency/number/random`: its number, or "" when it is not one."""
    parts = origin.split("/")
    return parts[1] if len(parts) == 3 else ""


def screen(subject: str, key: str, size: int) -> str | None:
    """The reason to set a message aside before opening it, or None."""
    if size > MAX_EVENT_BYTES:
        return "too_big"
    if size == 0:  # nothing to open: unreadable at every replica, whatever keys it holds
        return "unreadable"
    if not key or ":" not in key:
        return "no_key"
    publisher = publisher_of(subject)
    origin = key.rsplit(":", 1)[0]
    if publisher and publisher != HUB_USER and f"st{station_number(origin)}" != publisher:
        return "forged"
    return None


def reason_text(reason: str, lang: str = "vi") -> str:
    words = REASONS.get(reason, REASONS["rule"])
    return words[1] if lang == "en" else words[0]


def describe(rows: list[dict], lang: str = "vi", limit: int = 10) -> list[str]:
    """Lines for `center status` and `hub stations`: the count, then the latest rows."""
    if not rows:
        return []
    lang = lang if lang in ("vi", "en") else "vi"
    lines = [MESSAGES["center.set_aside"][lang].format(count=len(rows))]
    for row in rows[-limit:]:
        lines.append(
            MESSAGES["center.set_aside_row"][lang].format(
                seq=row["stream_seq"],
                publisher=row["publisher"] or "?",
                reason=reason_text(row["reason"], lang),
            )
        )
    return lines
