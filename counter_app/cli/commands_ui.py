"""The desktop program: `counter-app ui` and `counter-app screenshots`."""

from __future__ import annotations

from pathlib import Path

import click

from counter_app.cli.app import CliState, pass_state

ROLES = ("all-in-one", "counter", "kiosk", "display")


@click.command("ui")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    help="Trạm hiển thị gì: tất cả, quầy, kiosk lấy số hay màn hình gọi số "
    "(mặc định: vai trò trạm nhận khi gia nhập trung tâm).",
)
@click.option("--fullscreen", is_flag=True, help="Toàn màn hình (kiosk, màn hình gọi số).")
@pass_state
def ui(state: CliState, role: str | None, fullscreen: bool) -> None:
    """Mở chương trình (cửa sổ) trên kho dữ liệu đã cài đặt."""
    from counter_app.preferences import joined_role
    from counter_app.ui.launcher import run

    role = role or joined_role(state.data_dir)
    raise SystemExit(run(data_dir=state.data_dir, role=role, fullscreen=fullscreen,
                         lang=state.lang))  # fmt: skip


@click.command("screenshots")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục ghi các tệp PNG.",
)
@pass_state
def screenshots(state: CliState, out: Path) -> None:
    """Vẽ mọi cửa sổ trên dữ liệu mẫu ra tệp PNG (không cần màn hình).

    Luôn dùng một kho dữ liệu mẫu mới, tạm thời: không bao giờ ghi vào kho dữ liệu thật.
    """
    from counter_app.ui.screenshots import render_all

    for path in render_all(out, lang=state.lang):
        click.echo(str(path))


COMMANDS = (ui, screenshots)
