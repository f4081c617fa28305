"""Password hashing with scrypt (hashlib), and the lock-out rule.

scrypt is memory-hard, so a stolen store does not give passwords away cheaply; the cost is
tuned to about 50 ms on a 2-core kiosk PC, acceptable at login.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import datetime, timedelta

from counter_app.core.errors import ValidationError
from counter_app.core.messages import register

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_LENGTH = 8
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)

register(
    {
        "auth.weak_password": {
            "vi": "Mật khẩu phải có ít nhất {min} ký tự.",
            "en": "The password must have at least {min} characters.",
        },
    }
)


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError("auth.weak_password", field="password", min=MIN_LENGTH)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def lock_after_failure(failures: int, now: datetime) -> datetime | None:
    """Until when an account is locked after its `failures`-th wrong password in a row."""
    return now + LOCK_FOR if failures >= MAX_FAILURES else None
