"""Dossiers: receive, show, change status, search, and compute an appointment."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time

import click

from counter_app.cli import commands_online
from counter_app.cli.app import CliState, pass_state
from counter_app.cli.commands_papers import add_commands, paper_lines
from counter_app.cli.commands_setup import parse_day, plausible_year
from counter_app.cli.output import dossier_json, dossier_line, emit_json, hhmm_date
from counter_app.core.catalogue import ReturnMethod
from counter_app.core.clock import vn_time
from counter_app.core.dossier import STATUS_NAMES
from counter_app.core.dossier_notices import EXTENDED_KIND
from counter_app.core.errors import ValidationError
from counter_app.core.messages import register
from counter_app.services import dossier_notices as notices
from counter_app.services import dossiers as service
from counter_app.services import papers as papers_service
from counter_app.services.queue import find_ticket
from counter_app.services.search import search_dossiers

register(
    {
        "cli.bad_datetime": {
            "vi": "Thời điểm phải có dạng YYYY-MM-DDTHH:MM, ví dụ 2026-04-29T09:00.",
            "en": "A time looks like YYYY-MM-DDTHH:MM, e.g. 2026-04-29T09:00.",
        },
        "cli.documents_required": {
            "vi": "Hãy ghi rõ giấy tờ đã kiểm tra và nhận: --documents all (đủ giấy tờ bắt "
            "buộc) hoặc --documents 1,3 (số thứ tự trong «counter-app catalogue show MÃ»).",
            "en": "Say which papers were checked and received: --documents all (every required "
            "one) or --documents 1,3 (their numbers in 'counter-app catalogue show CODE').",
        },
        "cli.bad_documents": {
            "vi": "Giấy tờ «{given}» không có trong danh mục của thủ tục (có {count} loại): "
            "dùng số thứ tự 1 đến {count}, cách nhau bằng dấu phẩy, hoặc all.",
            "en": "Paper '{given}' is not on the procedure's checklist ({count} items): use "
            "numbers 1 to {count} separated by commas, or all.",
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


def received_documents(ctx, procedure_code: str, given: str | None):
    """The papers the clerk says they checked, by their checklist numbers.

    A window starts every box unticked; the command line has no boxes, so it asks to be told
    rather than certify papers nobody looked at.
    """
    if given is None or not given.strip():
        raise ValidationError("cli.documents_required", field="documents")
    procedure = ctx.catalogue().procedure(procedure_code)
    if given.strip().lower() == "all":
        return service.checklist(procedure, required_received=True)
    papers = service.checklist(procedure)
    chosen = set()
    for part in given.split(","):
        number = part.strip()
        if not number.isdecimal() or not 1 <= int(number) <= len(papers):
            shown = number[:20]
            raise ValidationError(
                "cli.bad_documents", field="documents", given=shown, count=len(papers)
            )
        chosen.add(int(number) - 1)
    return tuple(replace(p, received=i in chosen) for i, p in enumerate(papers))


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
@click.option(
    "--documents",
    "documents",
    help="Giấy tờ đã kiểm tra và nhận: all (đủ giấy tờ bắt buộc) hoặc số thứ tự, ví dụ 1,3.",
)
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
        documents=received_documents(ctx, opts["procedure"], opts["documents"]),
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
    ctx = state.context()
    if as_json:
        papers = papers_service.papers_of(ctx, d.code)
        emit_json(dossier_json(d, overdue=detail.overdue, events=detail.events, papers=papers))
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
        if e.kind == EXTENDED_KIND:  # the status stayed: say what happened
            status = "Gia hạn"
        note = f" — {e.note}" if e.note else ""
        click.echo(f"  {e.at:%H:%M %d/%m/%Y}  {status}  ({e.actor}){note}")
    lines = paper_lines(ctx, d.code)
    click.echo("Giấy tờ đã số hóa:" if lines else "Giấy tờ đã số hóa: chưa có.")
    for line in lines:
        click.echo(line)


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


def _print_notice(
    state: CliState, form: str, code: str, printer: str | None, as_json: bool
) -> None:
    """The letter that goes with the move, on the given or default printer; without one (or
    with --json, whose output stays one JSON value), how to print it later: the move itself
    is already recorded."""
    if as_json:
        return
    from counter_app.cli.commands_print import _run
    from printers import service as printing

    named = state.context().store.settings.get("printers", {}) or {}
    if not printer and not named.get("default"):
        click.echo(f"Chưa chọn máy in: in sau bằng «counter-app print {form} {code}».")
        return
    _run(state, lambda ctx, url: [printing.form_doc(ctx, form, code)], printer, False)


NOTICE_PRINTER = click.option(
    "--printer", help="Máy in (địa chỉ hoặc tên trong cài đặt); mặc định: máy in mặc định."
)


def parse_until(text: str, current: datetime | None) -> datetime:
    """A date and time, or a date alone (then at the time of day of the current due time)."""
    if "T" in text or " " in text.strip():
        return parse_when(text)
    day = parse_day(text)
    at = current.time() if current else time(16, 30)
    return vn_time(datetime.combine(day, at))


@dossier.command("extend")
@click.argument("code")
@click.option(
    "--until",
    "until",
    required=True,
    help="Ngày hẹn trả mới: 2026-12-05 (giữ giờ hẹn cũ) hoặc 2026-12-05T16:00.",
)
@click.option("--reason", required=True, help="Lý do chậm trễ, in trên văn bản xin lỗi.")
@NOTICE_PRINTER
@JSON
@pass_state
def dossier_extend(state: CliState, code: str, until: str, reason: str, printer: str | None,
                   as_json: bool) -> None:  # fmt: skip
    """Gia hạn thời gian giải quyết hồ sơ và in Văn bản xin lỗi (Mẫu 04)."""
    ctx = state.context()
    current = service.get_dossier(ctx, code).due_at
    d = notices.extend_due(ctx, code=code, until=parse_until(until, current), reason=reason)
    if as_json:
        emit_json(dossier_json(d))
    else:
        click.echo(f"Hồ sơ {d.code}: gia hạn, hẹn trả mới {hhmm_date(d.due_at)}.")
    _print_notice(state, "form04", d.code, printer, as_json)


@dossier.command("stop")
@click.argument("code")
@click.option("--reason", required=True, help="Lý do dừng giải quyết, in trên thông báo.")
@click.option(
    "--guidance",
    default="",
    help="Công dân cần làm gì tiếp theo (mặc định: liên hệ Bộ phận Một cửa).",
)
@NOTICE_PRINTER
@JSON
@pass_state
def dossier_stop(state: CliState, code: str, reason: str, guidance: str, printer: str | None,
                 as_json: bool) -> None:  # fmt: skip
    """Dừng giải quyết hồ sơ và in Thông báo dừng giải quyết (Mẫu 05)."""
    d = notices.stop_dossier(state.context(), code=code, reason=reason, guidance=guidance)
    if as_json:
        emit_json(dossier_json(d))
    else:
        click.echo(f"Hồ sơ {d.code}: {STATUS_NAMES[d.status][0]}.")
    _print_notice(state, "form05", d.code, printer, as_json)


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


add_commands(dossier)
commands_online.add_commands(dossier)
COMMANDS = (dossier, search, appointment)
