"""Printing: tickets, receipts, forms to thermal printers; the tracking book to PDF; the spool."""

from __future__ import annotations

from pathlib import Path

import click

from counter_app.cli.app import ROW_ID, CliState, pass_state
from counter_app.cli.commands_setup import parse_day
from counter_app.cli.output import emit_json
from counter_app.core.clock import system_now
from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.core.oserrors import NOT_CREATED, cannot_write, check_writable_file
from counter_app.core.roles import Permission

register(
    {
        "printer.not_all_printed": {
            "vi": "Chưa in xong mọi phiếu; các phiếu còn lại được giữ để in tiếp.",
            "en": "Not everything was printed; the rest is kept to print later.",
            "cli_vi": "Xem các phiếu: counter-app printers jobs",
            "cli_en": "See the jobs: counter-app printers jobs",
        },
    }
)

PRINTER = click.option(
    "--printer",
    "printer",
    help="Máy in: địa chỉ (tcp://192.168.1.50:9100, usb://04b8:0202, "
    "serial:///dev/ttyUSB0?baudrate=9600, win32://Tên, cups://hàng-đợi, file:///tệp, "
    "pdf:///thư-mục; thêm ?width=58 cho giấy 58 mm, ?mode=text cho chế độ chữ CP1258) "
    "hoặc tên máy in trong cài đặt.",
)
REPRINT = click.option("--reprint", is_flag=True, help="In lại (trên giấy ghi «BẢN IN LẠI»).")


def _run(state: CliState, make_documents, printer: str | None, reprint: bool) -> None:
    from printers import service
    from printers.spool import PRINTED

    ctx = state.context()
    url = service.resolve_printer(ctx, printer)
    documents = make_documents(ctx, url)
    if reprint:
        documents = service.mark_reprint(ctx, documents)
    with service.open_spool(state.data_dir, clock=system_now, sealer=state.store().crypto) as spool:
        outcomes = service.print_now(spool, documents, url)
    all_printed = True
    for outcome in outcomes:
        job = outcome.job
        if not outcome.created:
            click.echo(
                f"{job.title}: đã có lệnh in số {job.id} ({job.state_name}), không in thêm. "
                "Muốn in lại, thêm --reprint."
            )
            all_printed = all_printed and job.state == PRINTED
            continue
        if job.state == PRINTED:
            click.echo(f"Đã in {job.title} (lệnh in số {job.id}, {job.bytes_sent} byte).")
            continue
        all_printed = False
        if job.state == "queued":
            click.echo(
                f"Chưa in được {job.title}: {job.reason} Lệnh in số {job.id} được giữ lại và "
                "sẽ in khi máy in sẵn sàng (hoặc chạy «counter-app printers retry»)."
            )
        elif job.state == "unknown":
            click.echo(
                f"Không rõ {job.title} đã in xong chưa: {job.reason} Hãy xem giấy; nếu cần in "
                f"lại, chạy «counter-app printers retry {job.id}»."
            )
        else:
            click.echo(f"Không in được {job.title}: {job.reason}")
    if not all_printed:
        raise DomainError("printer.not_all_printed")


@click.group("print")
def print_group() -> None:
    """In phiếu: số thứ tự, giấy tiếp nhận, các mẫu phiếu, trang in thử, sổ theo dõi."""


@print_group.command("ticket")
@click.argument("number")
@PRINTER
@REPRINT
@pass_state
def print_ticket(state: CliState, number: str, printer: str | None, reprint: bool) -> None:
    """In phiếu số thứ tự hôm nay, ví dụ A012."""
    from printers import service

    _run(state, lambda ctx, url: [service.ticket_doc(ctx, number)], printer, reprint)


@print_group.command("receipt")
@click.argument("code")
@PRINTER
@click.option("--copies", default=1, show_default=True, help="Số liên: 1 hoặc 2.")
@REPRINT
@pass_state
def print_receipt(state: CliState, code: str, printer: str | None, copies: int, reprint: bool):
    """In Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)."""
    from printers import service

    _run(state, lambda ctx, url: service.receipt_docs(ctx, code, copies=copies), printer, reprint)


def _form_command(form: str, title: str):
    @click.argument("code")
    @PRINTER
    @REPRINT
    @pass_state
    def command(state: CliState, code: str, printer: str | None, reprint: bool) -> None:
        from printers import service

        _run(state, lambda ctx, url: [service.form_doc(ctx, form, code)], printer, reprint)

    command.__doc__ = title
    return print_group.command(form)(command)


_form_command("form02", "In Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02).")
_form_command("form03", "In Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03).")
_form_command("form04", "In Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (Mẫu 04).")
_form_command("form05", "In Thông báo dừng giải quyết hồ sơ (Mẫu 05).")
_form_command("form06", "In Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06).")


@print_group.command("test")
@PRINTER
@pass_state
def print_test(state: CliState, printer: str | None) -> None:
    """In trang thử: tiếng Việt, cỡ chữ, mã QR."""
    from printers import service

    _run(state, lambda ctx, url: [service.test_doc(ctx, url)], printer, False)


@print_group.command("tracking-book")
@click.option("--from", "start", required=True, help="Từ ngày (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Đến ngày (YYYY-MM-DD).")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Tệp PDF sẽ ghi."
)
@pass_state
def print_tracking_book(state: CliState, start: str, end: str, out: Path) -> None:
    """Xuất Sổ theo dõi hồ sơ (Mẫu 07) của một khoảng thời gian ra PDF khổ A4."""
    from printers import service

    check_writable_file(out)
    count, pages = service.tracking_book(
        state.context(), start=parse_day(start), end=parse_day(end), out=out
    )
    if not out.is_file() or out.stat().st_size == 0:  # Qt reports a failed write nowhere
        raise cannot_write(out, NOT_CREATED)
    click.echo(f"Đã ghi sổ theo dõi hồ sơ ({count} hồ sơ, {pages} trang) vào {out}.")


@click.group("printers")
def printers_group() -> None:
    """Hàng đợi in: xem, in lại, hủy lệnh in."""


@printers_group.command("jobs")
@click.option("--all", "show_all", is_flag=True, help="Cả các lệnh đã in và đã hủy.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_state
def printers_jobs(state: CliState, show_all: bool, as_json: bool) -> None:
    """Liệt kê lệnh in đang chờ, không in được hoặc không rõ đã in chưa."""
    from printers import service

    state.require(Permission.READ_DOSSIERS)  # titles name dossiers; a retry prints them
    with service.open_spool(state.data_dir, clock=system_now, sealer=state.store().crypto) as spool:
        jobs = spool.jobs() if show_all else spool.stuck()
    if as_json:
        emit_json(
            [
                {
                    "id": j.id,
                    "state": j.state,
                    "state_name": j.state_name,
                    "title": j.title,
                    "printer": j.printer,
                    "reason": j.reason,
                    "attempts": j.attempts,
                    "reprint": j.reprint,
                    "created_at": j.created_at,
                    "next_try_at": j.next_try_at,
                    "printed_at": j.printed_at,
                    "bytes_sent": j.bytes_sent,
                }
                for j in jobs
            ]
        )
        return
    if not jobs:
        click.echo("Không có lệnh in nào đang chờ.")
    for j in jobs:
        reason = f" — {j.reason}" if j.reason else ""
        click.echo(f"{j.id:>5}  {j.state_name:<20} {j.title}  [{j.printer}]{reason}")


@printers_group.command("retry")
@click.argument("jobs", nargs=-1, type=ROW_ID)
@pass_state
def printers_retry(state: CliState, jobs: tuple[int, ...]) -> None:
    """Thử in lại ngay: mọi lệnh đang chờ, hoặc các lệnh được chỉ định (kể cả lệnh không rõ)."""
    from printers import service

    state.require(Permission.READ_DOSSIERS)  # titles name dossiers; a retry prints them
    with service.open_spool(state.data_dir, clock=system_now, sealer=state.store().crypto) as spool:
        done = [spool.retry(job) for job in jobs] if jobs else spool.run_due(force=True)
    if not done:
        click.echo("Không có lệnh in nào đang chờ.")
    for j in done:
        reason = f" — {j.reason}" if j.reason and j.state != "printed" else ""
        click.echo(f"Lệnh in số {j.id}: {j.state_name}{reason}")
    if any(j.state != "printed" for j in done):
        raise DomainError("printer.not_all_printed")


@printers_group.command("cancel")
@click.argument("job", type=ROW_ID)
@pass_state
def printers_cancel(state: CliState, job: int) -> None:
    """Hủy một lệnh in chưa in."""
    from printers import service

    state.require(Permission.READ_DOSSIERS)  # titles name dossiers; a retry prints them
    with service.open_spool(state.data_dir, clock=system_now, sealer=state.store().crypto) as spool:
        cancelled = spool.cancel(job)
    click.echo(f"Đã hủy lệnh in số {cancelled.id} ({cancelled.title}).")


COMMANDS = (print_group, printers_group)
