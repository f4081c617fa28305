"""`queue call / pause / resume / states / policy / figures`: the counter beyond "next".

Added to the `queue` group by commands_queue (add_commands), so `counter-app queue --help`
lists them with the others. Reasons are checked by the core, which answers in Vietnamese
(exit 2); a paused counter, a ticket not waiting, a busy counter are refusals (exit 1).
"""

from __future__ import annotations

from datetime import date

import click

from counter_app.cli.app import Bounded, CliState, pass_state
from counter_app.cli.output import emit_json, ticket_json
from counter_app.core.counter_desk import CALL_REASONS, PAUSE_REASONS
from counter_app.core.errors import ValidationError
from counter_app.core.messages import register
from counter_app.core.queue import POLICY_NAMES, PolicyKind, QueuePolicy, TicketState
from counter_app.services import queue as service
from counter_app.services import queue_desk

JSON = click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
COUNTER = click.option("--counter", type=Bounded(1, 999), required=True, help="Số quầy.")
OUTCOMES = {"served": TicketState.DONE, "absent": TicketState.NO_SHOW}

register(
    {
        "cli.bad_day": {
            "vi": "Ngày phải có dạng năm-tháng-ngày, ví dụ 2026-04-29.",
            "en": "A day is written year-month-day, e.g. 2026-04-29.",
        },
    }
)


def _say(state: CliState, vi: str, en: str) -> None:
    click.echo(vi if state.lang == "vi" else en)


def _name(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    vi, en = table.get(key, (key, key))
    return vi if lang == "vi" else en


def _pause_json(pause, lang: str) -> dict:
    return {
        "counter": pause.counter,
        "reason": pause.reason,
        "reason_name": _name(PAUSE_REASONS, pause.reason, lang),
        "started_at": pause.started_at.isoformat(),
        "ended_at": pause.ended_at.isoformat() if pause.ended_at else None,
        "paused": pause.ended_at is None,
    }


def add_commands(queue: click.Group) -> None:
    for command in (queue_call, queue_pause, queue_resume, queue_states, queue_policy,
                    queue_figures):  # fmt: skip
        queue.add_command(command)


@click.command("call")
@COUNTER
@click.option("--ticket", "label", required=True, help="Số cần gọi trước, ví dụ A012.")
@click.option(
    "--reason",
    required=True,
    help="Lý do gọi trước: " + ", ".join(f"{k} ({vi})" for k, (vi, _) in CALL_REASONS.items()),
)
@click.option("--note", default="", help="Ghi chú ngắn cho lý do (bắt buộc với «other»).")
@click.option(
    "--current",
    type=click.Choice(sorted(OUTCOMES)),
    help="Số đang gọi mà chưa bắt đầu phục vụ: served (đã phục vụ xong) hoặc absent (vắng mặt).",
)
@JSON
@pass_state
def queue_call(state: CliState, counter, label, reason, note, current, as_json) -> None:
    """Gọi một số đang chờ trước lượt, có lý do (được thống kê trong báo cáo)."""
    t = service.call_ticket(
        state.context(), counter=counter, label=label, reason=reason.strip().lower(),
        note=note, current_outcome=OUTCOMES[current] if current else None,
    )  # fmt: skip
    if as_json:
        emit_json(ticket_json(t))
        return
    why = _name(CALL_REASONS, t.call_reason, state.lang)
    _say(state, f"Mời số {t.label} đến quầy số {counter} (gọi trước: {why}).",
         f"Ticket {t.label} to counter {counter} (out of turn: {why}).")  # fmt: skip


@click.command("pause")
@COUNTER
@click.option(
    "--reason",
    required=True,
    help="Lý do: " + ", ".join(f"{k} ({vi})" for k, (vi, _) in PAUSE_REASONS.items()),
)
@JSON
@pass_state
def queue_pause(state: CliState, counter: int, reason: str, as_json: bool) -> None:
    """Tạm nghỉ quầy (nghỉ trưa, họp...): quầy không gọi số cho đến khi tiếp tục."""
    pause = queue_desk.pause_counter(state.context(), counter=counter,
                                     reason=reason.strip().lower())  # fmt: skip
    if as_json:
        emit_json(_pause_json(pause, state.lang))
        return
    why = _name(PAUSE_REASONS, pause.reason, state.lang)
    _say(state, f"Quầy số {counter} tạm nghỉ ({why}) từ {pause.started_at:%H:%M}.",
         f"Counter {counter} paused ({why}) since {pause.started_at:%H:%M}.")  # fmt: skip


@click.command("resume")
@COUNTER
@JSON
@pass_state
def queue_resume(state: CliState, counter: int, as_json: bool) -> None:
    """Quầy làm việc trở lại sau khi tạm nghỉ."""
    pause = queue_desk.resume_counter(state.context(), counter=counter)
    if as_json:
        emit_json(_pause_json(pause, state.lang))
        return
    minutes = round(pause.minutes(pause.ended_at))
    _say(state, f"Quầy số {counter} làm việc trở lại (đã nghỉ {minutes} phút).",
         f"Counter {counter} is back at work (paused {minutes} min).")  # fmt: skip


@click.command("states")
@JSON
@pass_state
def queue_states(state: CliState, as_json: bool) -> None:
    """Mỗi quầy đang làm gì: số đang phục vụ, hoặc tạm nghỉ và từ lúc nào."""
    states = queue_desk.counter_states(state.context())
    if as_json:
        emit_json([
            {"counter": s.counter, "groups": list(s.groups),
             "ticket": ticket_json(s.ticket) if s.ticket else None,
             "pause": _pause_json(s.pause, state.lang) if s.pause else None}
            for s in states
        ])  # fmt: skip
        return
    for s in states:
        if s.pause is not None:
            why = _name(PAUSE_REASONS, s.pause.reason, state.lang)
            _say(
                state,
                f"Quầy {s.counter}: tạm nghỉ ({why}) từ {s.pause.started_at:%H:%M}",
                f"Counter {s.counter}: paused ({why}) since {s.pause.started_at:%H:%M}",
            )
        elif s.ticket is not None:
            _say(state, f"Quầy {s.counter}: số {s.ticket.label}",
                 f"Counter {s.counter}: ticket {s.ticket.label}")  # fmt: skip
        else:
            _say(state, f"Quầy {s.counter}: chưa gọi số", f"Counter {s.counter}: idle")


@click.command("policy")
@click.argument("kind", required=False, metavar="[strict|ratio|max_wait]")
@click.option("--ratio", type=Bounded(0, 10_000), help="Số lượt số thường giữa hai số ưu tiên.")
@click.option("--max-wait", type=Bounded(0, 10_000), help="Thời gian chờ tối đa (phút).")
@JSON
@pass_state
def queue_policy(state: CliState, kind, ratio, max_wait, as_json) -> None:
    """Xem, hoặc đặt (quản trị) chính sách gọi số của Trung tâm."""
    ctx = state.context()
    policy = queue_desk.current_policy(ctx)
    if kind is not None or ratio is not None or max_wait is not None:
        try:
            chosen = PolicyKind((kind or policy.kind.value).strip().lower())
        except ValueError:
            raise ValidationError("queue.bad_policy", field="policy") from None
        policy = queue_desk.set_policy(
            ctx,
            QueuePolicy(
                chosen,
                policy.ratio if ratio is None else ratio,
                policy.max_wait_minutes if max_wait is None else max_wait,
            ),
        )
    if as_json:
        emit_json(policy.to_dict())
        return
    _say(state, f"Chính sách gọi số: {POLICY_NAMES[policy.kind][0]} ({policy.kind.value}).",
         f"Call policy: {POLICY_NAMES[policy.kind][1]} ({policy.kind.value}).")  # fmt: skip
    if policy.kind is PolicyKind.RATIO:
        _say(state, f"N = {policy.ratio} số thường cho mỗi số ưu tiên.",
             f"N = {policy.ratio} ordinary tickets per priority one.")  # fmt: skip
    if policy.kind is PolicyKind.MAX_WAIT:
        _say(state, f"M = {policy.max_wait_minutes} phút chờ tối đa.",
             f"M = {policy.max_wait_minutes} minutes of maximum wait.")  # fmt: skip


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError("cli.bad_day", field="day") from None


@click.command("figures")
@click.option("--from", "start", required=True, help="Từ ngày, ví dụ 2026-04-01.")
@click.option("--to", "end", required=True, help="Đến ngày (tính cả ngày này).")
@JSON
@pass_state
def queue_figures(state: CliState, start: str, end: str, as_json: bool) -> None:
    """Số lần gọi trước lượt theo lý do, và số phút tạm nghỉ của mỗi quầy."""
    figures = queue_desk.queue_figures(state.context(), start=_day(start), end=_day(end))
    if as_json:
        emit_json(figures)
        return
    _say(state, "Gọi trước lượt, theo lý do (lần):", "Calls out of turn, by reason (count):")
    for code, count in figures.calls_by_reason.items():
        click.echo(f"  {_name(CALL_REASONS, code, state.lang)}: {count}")
    _say(state, "Thời gian tạm nghỉ, theo quầy (phút):", "Pauses, by counter (minutes):")
    for counter, minutes in figures.pause_minutes.items():
        click.echo(f"  {'Quầy' if state.lang == 'vi' else 'Counter'} {counter}: {minutes:g}")
