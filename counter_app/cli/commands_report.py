"""`report`: the period's figures on the command line, the digitised share first (the
portal counts the dossiers whose papers are digitised)."""

from __future__ import annotations

import click

from counter_app.cli.app import CliState, pass_state
from counter_app.cli.commands_setup import parse_day
from counter_app.cli.output import emit_json
from counter_app.services import reports


def _share(row: reports.ReportRow) -> str:
    pct = "—" if row.digitised_pct is None else f"{row.digitised_pct:.1f}%"
    return f"{row.digitised}/{row.dossiers} hồ sơ số hóa đủ giấy tờ ({pct})"


@click.command("report")
@click.option("--from", "start", required=True, help="Ngày đầu kỳ, ví dụ 2026-04-01.")
@click.option("--to", "end", required=True, help="Ngày cuối kỳ (tính cả ngày này).")
@click.option("--json", "as_json", is_flag=True, help="In cả báo cáo dạng JSON.")
@pass_state
def report(state: CliState, start: str, end: str, as_json: bool) -> None:
    """Báo cáo kỳ: tỷ lệ hồ sơ số hóa đủ giấy tờ theo ngày và theo cán bộ."""
    built = reports.build_report(state.context(), start=parse_day(start), end=parse_day(end))
    if as_json:
        emit_json(built)
        return
    click.echo(f"Báo cáo từ {built.start:%d/%m/%Y} đến {built.end:%d/%m/%Y}")
    click.echo(f"Tổng cộng: {_share(built.total)}")
    click.echo("Theo ngày:")
    for row in built.by_day:
        click.echo(f"  {row.label}: {_share(row)}")
    click.echo("Theo cán bộ:")
    for row in built.by_clerk:
        click.echo(f"  {row.label} ({row.key}): {_share(row)}")


COMMANDS = (report,)
