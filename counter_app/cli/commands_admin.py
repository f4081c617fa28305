"""Accounts and the audit log."""

from __future__ import annotations

import click

from counter_app.cli.app import CliState, pass_state
from counter_app.cli.auth import ask_secret
from counter_app.cli.output import emit_json
from counter_app.core.roles import ROLE_NAMES, Permission, Role
from counter_app.services import accounts

JSON = click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")


@click.group()
def users() -> None:
    """Tài khoản: quản trị, cán bộ, tình nguyện viên."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="Vai trò.")
@pass_state
def users_add(state: CliState, username: str, role: str) -> None:
    """Tạo tài khoản (mật khẩu từ COUNTER_APP_NEW_PASSWORD hoặc nhập khi được hỏi)."""
    ctx = state.context()
    ctx.actor.require(Permission.CHANGE_SETTINGS)  # before asking for a password
    password = ask_secret("COUNTER_APP_NEW_PASSWORD", "Mật khẩu mới", confirm=True)
    user = accounts.add_user(ctx, username=username, role=Role(role), password=password)
    click.echo(f"Đã tạo tài khoản {user.username} ({ROLE_NAMES[user.role][0]}).")


@users.command("list")
@JSON
@pass_state
def users_list(state: CliState, as_json: bool) -> None:
    """Liệt kê tài khoản."""
    found = accounts.list_users(state.context())
    if as_json:
        emit_json(
            [
                {"username": u.username, "role": u.role.value, "locked": u.locked,
                 "locked_until": u.locked_until, "last_login_at": u.last_login_at}
                for u in found
            ]
        )  # fmt: skip
        return
    for u in found:
        flag = " · đã khóa" if u.locked else ""
        click.echo(f"{u.username:<20} {ROLE_NAMES[u.role][0]}{flag}")


@users.command("lock")
@click.argument("username")
@pass_state
def users_lock(state: CliState, username: str) -> None:
    """Khóa một tài khoản."""
    accounts.set_locked(state.context(), username=username, locked=True)
    click.echo(f"Đã khóa tài khoản {username}.")


@users.command("unlock")
@click.argument("username")
@pass_state
def users_unlock(state: CliState, username: str) -> None:
    """Mở khóa một tài khoản (kể cả khi bị khóa do nhập sai mật khẩu)."""
    accounts.set_locked(state.context(), username=username, locked=False)
    click.echo(f"Đã mở khóa tài khoản {username}.")


@click.group()
def audit() -> None:
    """Nhật ký kiểm tra (chuỗi băm)."""


@audit.command("verify")
@JSON
@pass_state
def audit_verify(state: CliState, as_json: bool) -> None:
    """Kiểm tra toàn bộ nhật ký; báo mục đầu tiên bị sửa hoặc bị xóa."""
    ctx = state.context()
    ctx.actor.require(Permission.CHANGE_SETTINGS)
    problem = ctx.store.audit.verify()
    entries = ctx.store.audit.count()
    if as_json:
        emit_json({"entries": entries, "ok": problem is None, "first_broken": problem})
    elif problem is None:
        click.echo(f"Nhật ký toàn vẹn: {entries} mục.")
    else:
        click.echo(f"Nhật ký bị thay đổi từ mục số {problem.entry_id} ({problem.reason}).")
    if problem is not None:
        raise click.exceptions.Exit(1)


COMMANDS = (users, audit)
