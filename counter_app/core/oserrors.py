"""A file the user named that cannot be written (a full USB stick, /proc, a device), as a
message the user can act on instead of an operating-system error."""

from __future__ import annotations

import errno
from pathlib import Path

from counter_app.core.errors import DomainError
from counter_app.core.messages import register

register(
    {
        "file.cannot_write": {
            "vi": "Không ghi được vào {path}: {reason}.",
            "en": "Cannot write to {path}: {reason_en}.",
        },
    }
)

REASONS = {
    errno.ENOSPC: ("ổ đĩa đã đầy", "the disk is full"),
    errno.EACCES: ("không có quyền ghi", "permission denied"),
    errno.EPERM: ("không có quyền ghi", "permission denied"),
    errno.EROFS: ("ổ đĩa chỉ cho đọc", "the disk is read-only"),
    errno.ENOENT: ("thư mục không tồn tại hoặc không tạo được", "no such folder"),
    errno.EEXIST: ("đã có một thứ khác (không phải thư mục) ở đó", "something else is there"),
    errno.ENOTDIR: ("một phần của đường dẫn không phải thư mục", "not a folder"),
    errno.EISDIR: ("đó là một thư mục", "it is a folder"),
}
NOT_A_FILE = ("đó không phải một tệp thường", "it is not a regular file")
NOT_CREATED = ("tệp không được tạo ra", "the file was not created")
UNKNOWN = ("lỗi của hệ điều hành", "an operating-system error")


def cannot_write(path: Path | str, cause: OSError | tuple[str, str]) -> DomainError:
    """The error to raise, from the OS error or one of the reasons above."""
    vi, en = REASONS.get(cause.errno, UNKNOWN) if isinstance(cause, OSError) else cause
    return DomainError("file.cannot_write", path=str(path), reason=vi, reason_en=en)


def check_writable_file(path: Path) -> None:
    """Refuse a target that is there but is no regular file (a device such as /dev/full)."""
    if path.exists() and not path.is_file():
        raise cannot_write(path, NOT_A_FILE)
