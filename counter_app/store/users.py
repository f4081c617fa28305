"""Accounts: role, password hash, failed logins and locks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from counter_app.core.roles import Role

if TYPE_CHECKING:
    from counter_app.store.database import Store


@dataclass(frozen=True)
class UserRecord:
    username: str
    role: Role
    password_hash: str
    failed_logins: int
    locked_until: datetime | None
    locked: bool
    last_login_at: datetime | None
    full_name: str = ""  # Họ và tên, as printed on forms; empty for an older account
    title: str = ""  # Chức danh

    @property
    def display_name(self) -> str:
        """The name a form prints: the officer's full name, or the login until one is set."""
        return self.full_name or self.username


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class UserRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, username: str) -> UserRecord | None:
        row = self._store.query_one("SELECT * FROM users WHERE username = ?", (username,))
        if row is None:
            return None
        return UserRecord(
            username=row["username"],
            role=Role(row["role"]),
            password_hash=row["password_hash"],
            failed_logins=row["failed_logins"],
            locked_until=_dt(row["locked_until"]),
            locked=bool(row["locked"]),
            last_login_at=_dt(row["last_login_at"]),
            full_name=row["full_name"],
            title=row["title"],
        )

    def insert(
        self,
        username: str,
        role: Role,
        password_hash: str,
        at: datetime,
        *,
        full_name: str = "",
        title: str = "",
    ) -> None:
        self._store.conn.execute(
            "INSERT INTO users(username, role, password_hash, created_at, full_name, title) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (username, role.value, password_hash, at.isoformat(), full_name, title),
        )

    def set_identity(self, username: str, *, full_name: str, title: str) -> None:
        self._store.conn.execute(
            "UPDATE users SET full_name = ?, title = ? WHERE username = ?",
            (full_name, title, username),
        )

    def record_failure(self, username: str, failures: int, locked_until: datetime | None) -> None:
        self._store.conn.execute(
            "UPDATE users SET failed_logins = ?, locked_until = ? WHERE username = ?",
            (failures, locked_until.isoformat() if locked_until else None, username),
        )

    def record_success(self, username: str, at: datetime) -> None:
        self._store.conn.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? "
            "WHERE username = ?",
            (at.isoformat(), username),
        )

    def set_locked(self, username: str, locked: bool) -> None:
        self._store.conn.execute(
            "UPDATE users SET locked = ?, failed_logins = 0, locked_until = NULL "
            "WHERE username = ?",
            (int(locked), username),
        )

    def set_password(self, username: str, password_hash: str) -> None:
        self._store.conn.execute(
            "UPDATE users SET password_hash = ? WHERE username = ?", (password_hash, username)
        )

    def all(self) -> list[UserRecord]:
        names = [r["username"] for r in self._store.query("SELECT username FROM users ORDER BY 1")]
        return [self.get(n) for n in names]

    def count(self) -> int:
        return self._store.query_one("SELECT count(*) FROM users")[0]
