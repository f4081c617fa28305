"""Dossiers: receive, show, change status, search, and compute an appointment."""

from __future__ import annotations

from datetime import datetime

import click

from counter_app.cli.app import CliState, pass_state
from counter_app.cli.commands_setup import plausible_year
from counter_app.cli.output import dossier_json, dossier_line, emit_json, hhmm_date
from counter_app.core.catalogue import ReturnMethod
from counter_app.core.clock import vn_time
from counter_app.core.dossier import STATUS_NAMES
from counter_app.core.errors import ValidationError
from counter_app.core.messages import register
from counter_app.services import dossiers as service
from counter_app.services.queue import find_ticket
from counter_app.services.search import search_dossiers

register(
    {
        "cli.bad_datetime": {
            "vi": "Thời điểm phải có dạng YYYY-MM-DDTHH:MM, ví dụ 2026-04-29T09:00.",
            "en": "A time looks like YYYY-MM-DDTHH:MM, e.g. 2026-04-29T09:00.",
        },
    }
)

JSON = click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")


def parse_when(text: str) -> datetime:
    try:
        when = vn_time(datetime.fromisoformat(text))
    except (ValueError, OverflowError):  # OverflowError: 9999-12-31T23:00-07:00
        raise ValidationError("cli.bad_datetime", field="at") from None
    plausible_year(when.date(), "at")
    return when


@click.group()
def dossier() -> None:
    """Hồ sơ thủ tục hành chính."""


def _birth_date(text: str | None):
    """dd/mm/yyyy as a clerk writes it, or yyyy-mm-dd; whether it is after today is the
    service's rule (core.citizen.check_birth_date), not this parser's."""
    if not text:
        return None
    from datetime import datetime

    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise click.BadParameter("ngày sinh phải có dạng ngày/tháng/năm, ví dụ 05/03/1990.")


@dossier.command("receive")
@click.option("--procedure", required=True, help="Mã thủ tục, ví dụ 1.001193.")
@click.option("--name", required=True, help="Họ và tên người nộp hồ sơ.")
@click.option("--citizen-id", default="", help="Số căn cước (12 chữ số).")
@click.option("--phone", default="", help="Số điện thoại.")
@click.option("--address", default="", help="Địa chỉ.")
@click.option("--email", default="", help="Thư điện tử.")
@click.option(
    "--birth-date", callback=lambda _c, _p, v: _birth_date(v), help="Ngày sinh, ví dụ 05/03/1990."
)
@click.option("--sets", default=1, show_default=True, help="Số bộ hồ sơ.")
@click.option(
    "--return-by",
    type=click.Choice([m.value for m in ReturnMethod]),
    default=ReturnMethod.COUNTER.value,
    show_default=True,
    help="Nơi trả kết quả.",
)
@click.option("--verification", is_flag=True, help="Hồ sơ cần xác minh (gia hạn theo thủ tục).")
@click.option("--fee", type=int, help="Lệ phí (đồng); mặc định theo danh mục.")
@click.option("--ticket", "ticket_label", help="Số thứ tự của công dân hôm nay, ví dụ A012.")
@click.option("--at", "at", help="Thời điểm tiếp nhận, mặc định là bây giờ.")
@click.option("--note", default="", help="Ghi chú.")
@JSON
@pass_state
def dossier_receive(state: CliState, **opts) -> None:
    """Tiếp nhận hồ sơ: cấp mã hồ sơ và ngày hẹn trả kết quả."""
    ctx = state.context()
    ticket_id = find_ticket(ctx, opts["ticket_label"]).id if opts["ticket_label"] else None
    received = service.receive_dossier(
        ctx,
        procedure_code=opts["procedure"],
        applicant=service.ApplicantInput(
            full_name=opts["name"],
            citizen_id=opts["citizen_id"],
            phone=opts["phone"],
            address=opts["address"],
            email=opts["email"],
            birth_date=opts["birth_date"],
        ),
        sets=opts["sets"],
        return_method=ReturnMethod(opts["return_by"]),
        with_verification=opts["verification"],
        fee_vnd=opts["fee"],
        ticket_id=ticket_id,
        received_at=parse_when(opts["at"]) if opts["at"] else None,
        note=opts["note"],
    )
    if opts["as_json"]:
        emit_json(dossier_json(received))
        return
    click.echo(f"Đã tiếp nhận hồ sơ. Mã hồ sơ: {received.code}")
    click.echo(f"Thủ tục: {received.procedure_name}")
    click.echo(f"Nhận lúc: {hhmm_date(received.received_at)}")
    click.echo(f"Hẹn trả kết quả: {hhmm_date(received.due_at)}")


@dossier.command("show")
@click.argument("code")
@JSON
@pass_state
def dossier_show(state: CliState, code: str, as_json: bool) -> None:
    """Xem một hồ sơ và lịch sử xử lý."""
    detail = service.show_dossier(state.context(), code)
    d = detail.dossier
    if as_json:
        emit_json(dossier_json(d, overdue=detail.overdue, events=detail.events))
        return
    click.echo(f"Mã hồ sơ: {d.code}")
    click.echo(f"Thủ tục: {d.procedure_code} · {d.procedure_name}")
    click.echo(f"Người nộp: {d.applicant.full_name}")
    click.echo(
        f"Trạng thái: {STATUS_NAMES[d.status][0]}" + (" · QUÁ HẠN" if detail.overdue else "")
    )
    click.echo(f"Nhận lúc: {hhmm_date(d.received_at)}")
    click.echo(f"Hẹn trả: {hhmm_date(d.due_at)}")
    click.echo("Lịch sử:")
    for e in detail.events:
        status = STATUS_NAMES[e.to_status][0] if e.to_status else e.kind
        note = f" — {e.note}" if e.note else ""
        click.echo(f"  {e.at:%H:%M %d/%m/%Y}  {status}  ({e.actor}){note}")


@dossier.command("status")
@click.argument("code")
@click.option("--to", "to", required=True, type=int, help="Trạng thái mới (1-10).")
@click.option("--note", default="", help="Lý do hoặc nội dung xử lý.")
@JSON
@pass_state
def dossier_status(state: CliState, code: str, to: int, note: str, as_json: bool) -> None:
    """Chuyển trạng thái hồ sơ (theo trạng thái của Cổng dịch vụ công)."""
    d = service.change_status(state.context(), code=code, to=to, note=note)
    if as_json:
        emit_json(dossier_json(d))
        return
    click.echo(f"Hồ sơ {d.code}: {STATUS_NAMES[d.status][0]}.")


@click.command()
@click.argument("text")
@JSON
@pass_state
def search(state: CliState, text: str, as_json: bool) -> None:
    """Tìm hồ sơ theo mã hồ sơ, số căn cước, số điện thoại hoặc họ tên (có dấu hoặc không)."""
    found = search_dossiers(state.context(), text)
    if as_json:
        emit_json([dossier_json(d) for d in found])
        return
    if not found:
        click.echo("Không tìm thấy hồ sơ nào.")
    for d in found:
        click.echo(dossier_line(d, state.lang))


@click.command()
@click.option("--procedure", required=True, help="Mã thủ tục.")
@click.option("--at", "at", required=True, help="Thời điểm tiếp nhận, ví dụ 2026-04-29T09:00.")
@click.option("--verification", is_flag=True, help="Hồ sơ cần xác minh.")
@JSON
@pass_state
def appointment(
    state: CliState, procedure: str, at: str, verification: bool, as_json: bool
) -> None:
    """Tính ngày giờ hẹn trả kết quả (không ghi gì vào kho dữ liệu)."""
    due = service.appointment(
        state.context(), procedure_code=procedure, at=parse_when(at), with_verification=verification
    )
    if as_json:
        emit_json({"procedure": procedure, "received_at": parse_when(at), "due_at": due})
        return
    click.echo(f"Hẹn trả kết quả: {hhmm_date(due)}")


COMMANDS = (dossier, search, appointment)
