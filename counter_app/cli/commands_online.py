"""The online inbox on the command line (issue 18): list it, and accept, ask for supplements or
refuse an online dossier by its upstream code.

Added to the `dossier` group by commands_dossier (add_commands). Each command acts as the
signed-in account and passes the same check as the window's page
(`core.roles.may_check_online`, enforced in services/online_inbox.py): a volunteer can
neither list nor decide. A decision prints its form (Form 01, 02 or 03) on the given or
default printer; without one, it says how to print it later (the decision is recorded
either way and goes upstream with the next sync round).
"""

from __future__ import annotations

import click

from counter_app.cli.app import CliState, pass_state
from counter_app.cli.output import dossier_json, emit_json, hhmm_date, to_jsonable
from counter_app.core.dossier import STATUS_NAMES, Dossier
from counter_app.services import online_inbox as service
from printers.service import decision_docs

JSON = click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
PRINTER = click.option(
    "--printer", help="Máy in (địa chỉ hoặc tên trong cài đặt); mặc định: máy in mặc định."
)
LEVELS = {"ok": "còn hạn", "amber": "sắp hết hạn", "red": "gấp/quá hạn"}


def add_commands(dossier: click.Group) -> None:
    for command in (dossier_inbox, accept_online, supplement_online, refuse_online):
        dossier.add_command(command)


def _left(row: service.OnlineDossierRow) -> str:
    minutes = int(row.time_left.total_seconds() // 60)
    text = f"{abs(minutes) // 60} giờ {abs(minutes) % 60:02d} phút làm việc"
    return f"quá hạn {text}" if minutes < 0 else f"còn {text}"


def row_json(row: service.OnlineDossierRow) -> dict:
    data = to_jsonable(row)
    data.pop("time_left")
    data["time_left_minutes"] = int(row.time_left.total_seconds() // 60)
    data["status_name"] = STATUS_NAMES[row.status][0]
    return data


@click.command("inbox")
@JSON
@pass_state
def dossier_inbox(state: CliState, as_json: bool) -> None:
    """Hồ sơ trực tuyến chờ kiểm tra, kèm mã hồ sơ trên hệ thống một cửa và thời hạn."""
    rows = service.inbox(state.context())
    if as_json:
        emit_json([row_json(r) for r in rows])
        return
    if not rows:
        click.echo("Không có hồ sơ trực tuyến nào chờ kiểm tra.")
        return
    click.echo(f"{len(rows)} hồ sơ trực tuyến chờ kiểm tra:")
    for row in rows:
        again = f" · nộp lần {row.round}" if row.round > 1 else ""
        click.echo(f"{row.upstream_code}  {row.procedure_name}{again}")
        click.echo(f"  Người nộp: {row.citizen_name} · nộp lúc {hhmm_date(row.submitted_at)}")
        click.echo(
            f"  Hạn kiểm tra: {hhmm_date(row.check_due_at)} ({_left(row)}, {LEVELS[row.level]})"
        )
        for paper in row.papers:
            click.echo(f"  Giấy tờ {paper.paper_no}: {paper.title} ({paper.pages} trang)")


def _decided(state: CliState, d: Dossier, printer: str | None, as_json: bool):
    if as_json:
        emit_json(dossier_json(d))
        return
    click.echo(f"Hồ sơ trực tuyến {d.code}: {STATUS_NAMES[d.status][0]}.")
    if d.due_at is not None:
        click.echo(f"Hẹn trả kết quả: {hhmm_date(d.due_at)}")
    from counter_app.cli.commands_print import _run

    ctx = state.context()
    documents = decision_docs(ctx, d)
    named = ctx.store.settings.get("printers", {}) or {}
    if not printer and not named.get("default"):
        form = documents[0].kind
        click.echo(f"Chưa chọn máy in: in sau bằng «counter-app print {form} {d.code}».")
        return
    _run(state, lambda ctx, url: documents, printer, False)


@click.command("accept-online")
@click.argument("upstream_code")
@PRINTER
@JSON
@pass_state
def accept_online(state: CliState, upstream_code: str, printer: str | None, as_json: bool):
    """Tiếp nhận hồ sơ trực tuyến (trạng thái 2) và in Giấy tiếp nhận, hẹn trả (Mẫu 01)."""
    decided = service.accept_online(state.context(), upstream_code)
    _decided(state, decided, printer, as_json)


@click.command("supplement-online")
@click.argument("upstream_code")
@click.option("--reason", required=True, help="Giấy tờ, nội dung cần bổ sung, hoàn thiện.")
@PRINTER
@JSON
@pass_state
def supplement_online(
    state: CliState, upstream_code: str, reason: str, printer: str | None, as_json: bool
):
    """Yêu cầu bổ sung hồ sơ trực tuyến (trạng thái 5) và in Phiếu yêu cầu bổ sung (Mẫu 02)."""
    decided = service.supplement_online(state.context(), upstream_code, reason)
    _decided(state, decided, printer, as_json)


@click.command("refuse-online")
@click.argument("upstream_code")
@click.option("--reason", required=True, help="Lý do từ chối tiếp nhận.")
@PRINTER
@JSON
@pass_state
def refuse_online(
    state: CliState, upstream_code: str, reason: str, printer: str | None, as_json: bool
):
    """Từ chối hồ sơ trực tuyến (trạng thái 3) và in Phiếu từ chối (Mẫu 03)."""
    decided = service.refuse_online(state.context(), upstream_code, reason)
    _decided(state, decided, printer, as_json)
