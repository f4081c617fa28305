"""`counter-app station serve`: the resident station service (counter_app/resident)."""

from __future__ import annotations

import click

from counter_app.cli.app import CliState, pass_state


@click.group()
def station() -> None:
    """Trạm này: dịch vụ thường trú cho các lệnh một lần."""


@station.command("serve")
@pass_state
def station_serve(state: CliState) -> None:
    """Chạy trạm thường trú cho thư mục dữ liệu này (không cửa sổ): giữ kho dữ liệu mở và
    kết nối trung tâm, để các lệnh «counter-app queue ...» và «counter-app ticket take» trên
    máy này trả lời ngay. Chỉ nhận lệnh từ chính máy này, của cùng người dùng hệ điều hành;
    mỗi lệnh vẫn đăng nhập bằng tài khoản của nó. Dừng bằng Ctrl+C."""
    import counter_app.cli.commands_queue  # noqa: F401 (loaded now, not by the first client)
    from counter_app.cli.app import main
    from counter_app.resident.service import serve

    def ready(folder: str) -> None:
        if state.lang == "vi":
            click.echo(f"Trạm thường trú đang chạy cho thư mục {folder}. Nhấn Ctrl+C để dừng.")
        else:
            click.echo(f"The resident station service runs for {folder}. Ctrl+C stops it.")

    serve(state, main, ready)
    click.echo("Đã dừng trạm thường trú." if state.lang == "vi" else "Stopped.")


COMMANDS = (station,)
