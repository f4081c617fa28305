"""Backups, restore, key rotation and citizens' data requests."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from counter_app.cli.app import CliState, pass_state
from counter_app.core.clock import system_now
from counter_app.core.roles import Permission
from counter_app.services import backup as backups
from counter_app.services import citizen_data
from counter_app.services.keys import rotate_keys


@click.command()
@click.option("--to", "to", type=click.Path(file_okay=False), help="Thư mục.")
@pass_state
def backup(state: CliState, to: str | None) -> None:
    """Sao lưu (đã mã hóa) toàn bộ kho dữ liệu, ví dụ ra ổ USB."""
    target = backups.backup_now(state.context(), to=to)
    click.echo(f"Đã sao lưu: {target}")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--recovery-code", help="Mã khôi phục, nếu không còn cụm mật khẩu.")
@pass_state
def restore(state: CliState, file: Path, recovery_code: str | None) -> None:
    """Khôi phục từ bản sao lưu (kiểm tra khóa và tính toàn vẹn trước khi thay)."""
    from counter_app.store import STORE_FILE
    from counter_app.store.database import StoreDamaged

    if (state.data_dir / STORE_FILE).is_file():
        # A damaged store cannot say who its admins are: the backup's key is the only check.
        with contextlib.suppress(StoreDamaged):
            state.require(Permission.CHANGE_SETTINGS)  # an admin of the store being replaced
        state.close()  # the file is about to be replaced
    kept = backups.restore(state.data_dir, file, now=system_now(), recovery=recovery_code)
    click.echo("Đã khôi phục kho dữ liệu từ bản sao lưu.")
    click.echo(f"Kho dữ liệu cũ được giữ lại tại: {kept}")


@click.group()
def keys() -> None:
    """Khóa mã hóa dữ liệu cá nhân."""


@keys.command("rotate")
@pass_state
def keys_rotate(state: CliState) -> None:
    """Thay khóa mã hóa và mã hóa lại mọi dữ liệu cá nhân (có thể ngắt giữa chừng)."""
    count = rotate_keys(state.context())
    click.echo(f"Đã thay khóa và mã hóa lại {count} bản ghi.")


@click.group()
def citizen() -> None:
    """Yêu cầu của công dân về dữ liệu cá nhân."""


@citizen.command("export")
@click.option("--citizen-id", required=True, help="Số căn cước của công dân.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def citizen_export(state: CliState, citizen_id: str, out: Path) -> None:
    """Xuất mọi dữ liệu đang lưu về một công dân ra một tệp dễ đọc."""
    path = citizen_data.export_citizen(state.context(), citizen_id=citizen_id, out=out)
    click.echo(f"Đã xuất dữ liệu ra {path}")


@citizen.command("erase")
@click.option("--citizen-id", required=True, help="Số căn cước của công dân.")
@pass_state
def citizen_erase(state: CliState, citizen_id: str) -> None:
    """Ẩn danh dữ liệu của công dân (giữ lại hồ sơ mà cơ quan phải lưu)."""
    count = citizen_data.erase_citizen(state.context(), citizen_id=citizen_id)
    click.echo(f"Đã ẩn danh {count} hồ sơ.")


@citizen.command("retention")
@click.option("--days", type=int, help="Ẩn danh hồ sơ đã kết thúc cũ hơn số ngày này.")
@pass_state
def citizen_retention(state: CliState, days: int | None) -> None:
    """Ẩn danh hồ sơ đã kết thúc quá thời hạn lưu giữ."""
    count = citizen_data.apply_retention(state.context(), days=days)
    click.echo(f"Đã ẩn danh {count} hồ sơ quá thời hạn lưu giữ.")


COMMANDS = (backup, restore, keys, citizen)
