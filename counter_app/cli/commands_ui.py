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
    default="all-in-one",
    show_default=True,
    help="Trạm hiển thị gì: tất cả, quầy, kiosk lấy số hay màn hình gọi số.",
)
@click.option("--fullscreen", is_flag=True, help="Toàn màn hình (kiosk, màn hình gọi số).")
@pass_state
def ui(state: CliState, role: str, fullscreen: bool) -> None:
    """Mở chương trình (cửa sổ) trên kho dữ liệu đã cài đặt."""
    from counter_app.ui.launcher import run

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
    """Vẽ mọi cửa sổ trên dữ liệu mẫu ra tệp PNG (không cần màn hình)."""
    from counter_app.store import STORE_FILE
    from counter_app.ui.screenshots import render_all

    folder = state.data_dir if state.data_dir_given else None
    if folder is not None and (folder / STORE_FILE).is_file():
        from counter_app.services.demo import require_demo_store

        require_demo_store(state.store())  # the pictures show its data: demo data only
        state.close()
    for path in render_all(out, data_dir=folder, lang=state.lang):
        click.echo(str(path))


COMMANDS = (ui, screenshots)
