"""Tickets and the queue at a counter."""

from __future__ import annotations

import click

from counter_app.cli.app import Bounded, CliState, pass_state
from counter_app.cli.commands_queue_desk import add_commands
from counter_app.cli.output import emit_json, ticket_json, ticket_line
from counter_app.core.messages import MESSAGES
from counter_app.core.queue import TicketState
from counter_app.core.wait import wait_message
from counter_app.services import queue as service

JSON = click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
COUNTER = click.option("--counter", type=int, required=True, help="Số quầy.")


@click.group()
def ticket() -> None:
    """Số thứ tự."""


@ticket.command("take")
@click.option("--group", required=True, help="Nhóm dịch vụ (chữ cái), ví dụ A.")
@click.option("--priority", default="", help="Loại ưu tiên, ví dụ elderly, disability, pregnant.")
@JSON
@pass_state
def ticket_take(state: CliState, group: str, priority: str, as_json: bool) -> None:
    """Lấy số thứ tự cho một nhóm dịch vụ."""
    taken = service.take_ticket(state.context(), group=group, priority=priority)
    if as_json:
        emit_json(ticket_json(taken.ticket, ahead=taken.ahead, wait_minutes=taken.wait_minutes))
        return
    click.echo(f"Số thứ tự của Quý khách: {taken.ticket.label}")
    click.echo(f"Số người đang chờ trước Quý khách: {taken.ahead}")
    key, params = wait_message(taken.wait_minutes)  # as the kiosk shows it
    click.echo(MESSAGES[key].get(state.lang, MESSAGES[key]["vi"]).format(**params))


@click.group()
def queue() -> None:
    """Gọi số và theo dõi hàng chờ."""


def _show(state: CliState, ticket, as_json: bool, text: str) -> None:
    if as_json:
        emit_json(ticket_json(ticket))
    else:
        click.echo(text)


OUTCOMES = {"served": TicketState.DONE, "absent": TicketState.NO_SHOW}


@queue.command("call-next")
@COUNTER
@click.option(
    "--current",
    "current",
    type=click.Choice(sorted(OUTCOMES)),
    help="Số đang gọi mà chưa bắt đầu phục vụ: served (đã phục vụ xong) hoặc absent (vắng mặt).",
)
@JSON
@pass_state
def queue_call_next(state: CliState, counter: int, current: str | None, as_json: bool) -> None:
    """Gọi số tiếp theo (ưu tiên trước, rồi theo thứ tự đến)."""
    outcome = OUTCOMES[current] if current else None
    t = service.call_next(state.context(), counter=counter, current_outcome=outcome)
    _show(state, t, as_json, f"Mời số {t.label} đến quầy số {counter}.")


@queue.command("recall")
@COUNTER
@JSON
@pass_state
def queue_recall(state: CliState, counter: int, as_json: bool) -> None:
    """Gọi lại số đang gọi ở quầy."""
    t = service.recall(state.context(), counter=counter)
    if t.state.value == "no_show":
        _show(state, t, as_json, f"Số {t.label} đã gọi quá số lần cho phép: ghi vắng mặt.")
    else:
        _show(
            state, t, as_json, f"Mời số {t.label} đến quầy số {counter} (gọi lại lần {t.recalls})."
        )


@queue.command("start")
@COUNTER
@JSON
@pass_state
def queue_start(state: CliState, counter: int, as_json: bool) -> None:
    """Công dân đã đến quầy: bắt đầu phục vụ."""
    t = service.start_serving(state.context(), counter=counter)
    _show(state, t, as_json, f"Đang phục vụ số {t.label} tại quầy số {counter}.")


@queue.command("no-show")
@COUNTER
@JSON
@pass_state
def queue_no_show(state: CliState, counter: int, as_json: bool) -> None:
    """Ghi vắng mặt cho số đang gọi."""
    t = service.no_show(state.context(), counter=counter)
    _show(state, t, as_json, f"Số {t.label}: vắng mặt.")


@queue.command("restore")
@click.argument("ticket_label", metavar="TICKET")
@COUNTER
@JSON
@pass_state
def queue_restore(state: CliState, ticket_label: str, counter: int, as_json: bool) -> None:
    """Đưa số đã ghi vắng mặt trở lại hàng chờ (công dân quay lại), giữ thứ tự đến."""
    t = service.restore_no_show(state.context(), label=ticket_label, counter=counter)
    _show(state, t, as_json, f"Số {t.label} đã trở lại hàng chờ nhóm {t.group}.")


@queue.command("transfer")
@COUNTER
@click.option("--to", "to_group", help="Nhóm dịch vụ nhận chuyển.")
@click.option("--to-counter", type=Bounded(1, 999), help="Quầy nhận chuyển (số quầy).")
@click.option("--to-clerk", default="", help="Cán bộ nhận chuyển (tên đăng nhập).")
@JSON
@pass_state
def queue_transfer(state: CliState, counter: int, to_group, to_counter, to_clerk, as_json) -> None:
    """Chuyển công dân sang nhóm khác, hoặc đến một quầy, một cán bộ; giữ thứ tự đến."""
    ctx = state.context()  # the account first, as every command: then what is missing
    if not (to_group or to_counter or to_clerk.strip()):
        raise click.UsageError("cần --to (nhóm), --to-counter (quầy) hoặc --to-clerk (cán bộ).")
    t = service.transfer(ctx, counter=counter, to_group=to_group,
                         to_counter=to_counter, to_clerk=to_clerk)  # fmt: skip
    if t.target_counter is not None:
        text = f"Đã chuyển số {t.label} đến quầy số {t.target_counter} (nhóm {t.group})."
    elif t.target_clerk:
        text = f"Đã chuyển số {t.label} đến cán bộ {t.target_clerk} (nhóm {t.group})."
    else:
        text = f"Đã chuyển số {t.label} sang nhóm {t.group}."
    _show(state, t, as_json, text)


@queue.command("finish")
@COUNTER
@JSON
@pass_state
def queue_finish(state: CliState, counter: int, as_json: bool) -> None:
    """Kết thúc phục vụ số hiện tại."""
    t = service.finish(state.context(), counter=counter)
    _show(state, t, as_json, f"Đã phục vụ xong số {t.label}.")


@queue.command("list")
@JSON
@pass_state
def queue_list(state: CliState, as_json: bool) -> None:
    """Hàng chờ hôm nay theo nhóm, và các quầy đang phục vụ."""
    snap = service.snapshot(state.context())
    if as_json:
        emit_json(
            {
                "waiting": {g: [ticket_json(t) for t in ts] for g, ts in snap.waiting.items()},
                "active": [ticket_json(t) for t in snap.active],
                "served_today": snap.served_today,
                "no_show_today": snap.no_show_today,
            }
        )
        return
    for t in snap.active:
        click.echo(f"Quầy {t.counter}: {ticket_line(t, state.lang)}")
    for group, tickets in snap.waiting.items():
        click.echo(f"Nhóm {group}: {len(tickets)} người đang chờ")
        for t in tickets:
            click.echo(f"  {ticket_line(t, state.lang)}")
    click.echo(f"Đã phục vụ hôm nay: {snap.served_today} · vắng mặt: {snap.no_show_today}")


add_commands(queue)

COMMANDS = (ticket, queue)
