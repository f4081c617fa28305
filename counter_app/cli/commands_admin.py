"""Accounts and the audit log."""

from __future__ import annotations

import click

from counter_app.cli.app import CliState, pass_state
from counter_app.cli.auth import ask_secret
from counter_app.cli.output import emit_json
from counter_app.core.roles import ROLE_NAMES, Permission, Role
from counter_app.services import accounts

JSON = click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
FULL_NAME_HELP = "Họ và tên cán bộ, in trên các phiếu (ví dụ «Nguyễn Thị Đường»)."
TITLE_HELP = "Chức danh, in dưới họ tên (ví dụ «Công chức Tư pháp - Hộ tịch»)."


@click.group()
def users() -> None:
    """Tài khoản: quản trị, cán bộ, tình nguyện viên."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="Vai trò.")
@click.option("--full-name", default="", help=FULL_NAME_HELP)
@click.option("--title", default="", help=TITLE_HELP)
@pass_state
def users_add(state: CliState, username: str, role: str, full_name: str, title: str) -> None:
    """Tạo tài khoản (mật khẩu từ COUNTER_APP_NEW_PASSWORD hoặc nhập khi được hỏi)."""
    ctx = state.context()
    ctx.actor.require(Permission.CHANGE_SETTINGS)  # before asking for a password
    accounts.check_identity(full_name, title)  # a typo is said before the password is asked
    password = ask_secret("COUNTER_APP_NEW_PASSWORD", "Mật khẩu mới", confirm=True)
    user = accounts.add_user(
        ctx, username=username, role=Role(role), password=password, full_name=full_name,
        title=title,
    )  # fmt: skip
    click.echo(f"Đã tạo tài khoản {user.username} ({ROLE_NAMES[user.role][0]}).")


@users.command("update")
@click.argument("username")
@click.option("--full-name", default=None, help=FULL_NAME_HELP)
@click.option("--title", default=None, help=TITLE_HELP)
@pass_state
def users_update(state: CliState, username: str, full_name: str | None, title: str | None) -> None:
    """Sửa họ và tên, chức danh của một tài khoản (ô không nêu giữ nguyên)."""
    user = accounts.update_user(state.context(), username=username, full_name=full_name,
                                title=title)  # fmt: skip
    click.echo(f"Đã cập nhật tài khoản {user.username}: {user.display_name}"
               + (f", {user.title}" if user.title else "") + ".")  # fmt: skip


@users.command("list")
@JSON
@pass_state
def users_list(state: CliState, as_json: bool) -> None:
    """Liệt kê tài khoản."""
    found = accounts.list_users(state.context())
    if as_json:
        emit_json(
            [
                {"username": u.username, "full_name": u.full_name, "title": u.title,
                 "role": u.role.value, "locked": u.locked,
                 "locked_until": u.locked_until, "last_login_at": u.last_login_at}
                for u in found
            ]
        )  # fmt: skip
        return
    for u in found:
        flag = " · đã khóa" if u.locked else ""
        who = " · ".join(x for x in (u.full_name, u.title) if x)
        click.echo(f"{u.username:<20} {ROLE_NAMES[u.role][0]}{flag}" + (f" · {who}" if who else ""))


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
