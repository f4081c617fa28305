"""Accounts: log in, lock-out after wrong passwords, and the admin's account management."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import datetime

from counter_app.core import passwords
from counter_app.core.clock import vn_time
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from counter_app.core.roles import Actor, Permission, Role
from counter_app.core.text import nfc
from counter_app.services.context import ServiceContext
from counter_app.services.events import account_event
from counter_app.services.station import load_station
from counter_app.store import Store
from counter_app.store.users import UserRecord

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
TITLE_MAX = 80

register(
    {
        "auth.bad_login": {
            "vi": "Tên đăng nhập hoặc mật khẩu không đúng.",
            "en": "Wrong username or password.",
        },
        "auth.locked": {
            "vi": "Tài khoản đang bị khóa đến {until} do nhập sai mật khẩu nhiều lần.",
            "en": "The account is locked until {until} after too many wrong passwords.",
        },
        "auth.disabled": {
            "vi": "Tài khoản đã bị quản trị viên khóa.",
            "en": "The account has been locked by an admin.",
        },
        "auth.bad_username": {
            "vi": "Tên đăng nhập gồm 2–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch.",
            "en": "A username has 2-32 characters: lower-case letters, digits, dot, dash.",
        },
        "auth.user_exists": {
            "vi": "Tài khoản {username} đã tồn tại.",
            "en": "Account {username} already exists.",
        },
        "auth.unknown_user": {
            "vi": "Không có tài khoản {username}.",
            "en": "There is no account {username}.",
        },
        "auth.bad_title": {
            "vi": "Chức danh dài tối đa {max} ký tự, không có ký tự điều khiển.",
            "en": "A title has at most {max} characters and no control characters.",
        },
        "auth.last_admin": {
            "vi": "Không thể khóa tài khoản quản trị cuối cùng.",
            "en": "The last admin account cannot be locked.",
        },
    }
)


def login(
    store: Store,
    *,
    username: str,
    password: str,
    now: datetime,
    verify: Callable[[str, str], bool] = passwords.verify_password,
) -> Actor:
    """Check a password; count failures and lock the account after too many. `verify`
    (password, stored hash) is passwords.verify_password or a caller's way of running it:
    the window runs it on a thread of its own and builds the next page meanwhile; the
    resident service (counter_app/resident/logins.py) remembers a right password for a few
    minutes, while a wrong one still costs the full check. The lock and the account's state
    are read here every time."""
    now = vn_time(now)
    name = username.strip().lower()
    user = store.users.get(name)
    if user is None:
        verify(password, _dummy_hash())  # same time as a real check
        raise DomainError("auth.bad_login")
    if user.locked:
        raise DomainError("auth.disabled")
    if user.locked_until and user.locked_until > now:
        raise DomainError("auth.locked", until=user.locked_until.strftime("%H:%M %d/%m/%Y"))
    station_id = load_station(store).id
    ok = verify(password, user.password_hash)
    with store.transaction():
        if ok:
            store.users.record_success(name, now)
        else:
            failures = user.failed_logins + 1
            store.users.record_failure(name, failures, passwords.lock_after_failure(failures, now))
        store.audit.append(
            at=now,
            actor=name,
            station_id=station_id,
            action="auth.login" if ok else "auth.failed",
            entity="user",
            entity_id=name,
        )
    if not ok:
        raise DomainError("auth.bad_login")
    return Actor(name, user.role)


@functools.cache
def _dummy_hash() -> str:
    return passwords.hash_password("not a real password", salt=b"0" * 16)


def check_username(raw: str) -> str:
    name = raw.strip().lower()
    if not USERNAME.match(name):
        raise ValidationError("auth.bad_username", field="username")
    return name


def check_identity(full_name: str, title: str) -> tuple[str, str]:
    """The officer's full name (written like a citizen's: "nguyễn thị đường" becomes
    "Nguyễn Thị Đường") and title, as forms print them; both may stay empty."""
    from counter_app.core import citizen  # not for the login: the window's start waits for it

    name = citizen.normalize_name(full_name) if full_name and full_name.strip() else ""
    text = " ".join(nfc(title or "").split())
    if len(text) > TITLE_MAX or any(ord(ch) < 32 for ch in title or "" if ch not in "\t\n"):
        raise ValidationError("auth.bad_title", field="title", max=TITLE_MAX)
    return name, text


def add_first_admin(
    store: Store,
    *,
    username: str,
    password: str,
    now: datetime,
    full_name: str = "",
    title: str = "",
) -> None:
    """Inside `init`'s transaction: the account that can create all others."""
    passwords.check_strength(password)
    full_name, title = check_identity(full_name, title)
    store.users.insert(
        check_username(username),
        Role.ADMIN,
        passwords.hash_password(password),
        now,
        full_name=full_name,
        title=title,
    )


def add_user(
    ctx: ServiceContext,
    *,
    username: str,
    role: Role,
    password: str,
    full_name: str = "",
    title: str = "",
) -> UserRecord:
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    name = check_username(username)
    passwords.check_strength(password)
    full_name, title = check_identity(full_name, title)
    if ctx.store.users.get(name) is not None:
        raise DomainError("auth.user_exists", username=name)
    now = ctx.now()
    with ctx.store.transaction():
        ctx.store.users.insert(
            name,
            Role(role),
            passwords.hash_password(password),
            now,
            full_name=full_name,
            title=title,
        )
        ctx.journal(
            at=now,
            action="user.add",
            entity="user",
            entity_id=name,
            detail={"role": role},
            payload=account_event(ctx, name, now),
            portal=False,  # accounts are the center's, a clerk signs in at any counter
        )
    return ctx.store.users.get(name)


def update_user(
    ctx: ServiceContext, *, username: str, full_name: str | None = None, title: str | None = None
) -> UserRecord:
    """Set an officer's full name and/or title (None keeps what is there). The audit says
    which fields changed, never their values: a name is personal data."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    name = username.strip().lower()
    user = ctx.store.users.get(name)
    if user is None:
        raise DomainError("auth.unknown_user", username=name)
    new_name, new_title = check_identity(
        user.full_name if full_name is None else full_name,
        user.title if title is None else title,
    )
    changed = [f for f, old, new in (("full_name", user.full_name, new_name),
                                     ("title", user.title, new_title)) if old != new]  # fmt: skip
    if not changed:
        return user
    now = ctx.now()
    with ctx.store.transaction():
        ctx.store.users.set_identity(name, full_name=new_name, title=new_title)
        ctx.journal(
            at=now,
            action="user.update",
            entity="user",
            entity_id=name,
            detail={"changed": changed},
            payload=account_event(ctx, name, now),
            portal=False,
        )
    return ctx.store.users.get(name)


def officer(store: Store, username: str) -> tuple[str, str]:
    """(full name, title) as a form prints them: the login when no full name is set, and
    the name as given for a station actor that has no account (the kiosk, a replica)."""
    user = store.users.get(username)
    if user is None:
        return username, ""
    return user.display_name, user.title


def set_locked(ctx: ServiceContext, *, username: str, locked: bool) -> UserRecord:
    """Lock an account (a clerk who left) or unlock it (also clears a lock-out)."""
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    name = username.strip().lower()
    user = ctx.store.users.get(name)
    if user is None:
        raise DomainError("auth.unknown_user", username=name)
    if locked and user.role is Role.ADMIN:
        admins = [u for u in ctx.store.users.all() if u.role is Role.ADMIN and not u.locked]
        if len(admins) <= 1:
            raise DomainError("auth.last_admin")
    now = ctx.now()
    with ctx.store.transaction():
        ctx.store.users.set_locked(name, locked)
        ctx.journal(
            at=now,
            action="user.lock" if locked else "user.unlock",
            entity="user",
            entity_id=name,
            payload=account_event(ctx, name, now),
            portal=False,
        )
    return ctx.store.users.get(name)


def list_users(ctx: ServiceContext) -> list[UserRecord]:
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    return ctx.store.users.all()
