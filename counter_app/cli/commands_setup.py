"""Setting up a store: init, demo data, the demo, clock confirmation, calendar overrides."""

from __future__ import annotations

from datetime import date

import click

from counter_app.cli.app import CliState, pass_state
from counter_app.cli.auth import ask_secret
from counter_app.cli.output import emit_json
from counter_app.core.calendar import CalendarOverride
from counter_app.core.clock import system_now
from counter_app.core.dossier_code import SequenceBlock
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from counter_app.core.queue import TicketRange
from counter_app.core.roles import Actor, Permission, Role
from counter_app.services import admin
from counter_app.services.accounts import check_username
from counter_app.services.setup import confirm_clock, confirm_portal_clock, initialise_store
from counter_app.store.keys import os_keyring_available

register(
    {
        "cli.bad_range": {
            "vi": "Dải số phải có dạng ĐẦU-CUỐI, ví dụ 1-499.",
            "en": "A range looks like START-END, e.g. 1-499.",
        },
        "cli.bad_year": {
            "vi": "Năm phải từ {first} đến {last}.",
            "en": "The year must be between {first} and {last}.",
        },
        "cli.bad_date": {
            "vi": "Ngày phải có dạng YYYY-MM-DD, ví dụ 2026-08-22.",
            "en": "A date looks like YYYY-MM-DD, e.g. 2026-08-22.",
        },
    }
)


def parse_range(text: str) -> tuple[int, int]:
    try:
        start, end = (int(part) for part in text.split("-"))
    except ValueError:
        raise ValidationError("cli.bad_range", field="range") from None
    return start, end


# Dates a counter deals with; beyond them date arithmetic (due dates, periods) overflows.
YEARS = range(2000, 2100)


def plausible_year(day: date, field: str) -> None:
    if day.year not in YEARS:
        raise ValidationError("cli.bad_year", field=field, first=YEARS[0], last=YEARS[-1])


def parse_day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError("cli.bad_date", field="date") from None
    plausible_year(day, "date")
    return day


@click.command()
@click.option("--agency-code", required=True, help="Mã định danh cơ quan, ví dụ 000.00.01.H22.")
@click.option("--center-name", required=True, help="Tên Trung tâm phục vụ hành chính công.")
@click.option("--counters", default=3, show_default=True, help="Số quầy tiếp nhận.")
@click.option("--station-number", default=1, show_default=True, help="Số thứ tự của trạm.")
@click.option("--ticket-range", default="1-999", show_default=True, help="Dải số thứ tự.")
@click.option("--dossier-block", default="1-9999", show_default=True, help="Dải số hồ sơ.")
@click.option(
    "--admin-user", default="admin", show_default=True, help="Tài khoản quản trị đầu tiên."
)
@click.option(
    "--admin-password",
    help="Mật khẩu quản trị (hoặc COUNTER_APP_PASSWORD, hoặc nhập khi được hỏi).",
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_state
def init(
    state: CliState,
    agency_code: str,
    center_name: str,
    counters: int,
    station_number: int,
    ticket_range: str,
    dossier_block: str,
    admin_user: str,
    admin_password: str | None,
    as_json: bool,
) -> None:
    """Khởi tạo kho dữ liệu cho một trạm (quầy) của Trung tâm."""
    password = admin_password or ask_secret(
        "COUNTER_APP_PASSWORD", "Mật khẩu quản trị", confirm=True
    )
    passphrase = (
        None
        if os_keyring_available()
        else ask_secret("COUNTER_APP_PASSPHRASE", "Cụm mật khẩu bảo vệ dữ liệu", confirm=True)
    )
    recovery: list[str] = []
    station = initialise_store(
        state.store(create=True),
        agency_code=agency_code,
        center_name=center_name,
        now=system_now(),
        actor=Actor(check_username(admin_user), Role.ADMIN),
        admin_password=password,
        data_passphrase=passphrase,
        on_recovery_code=recovery.append,
        counters=counters,
        station_number=station_number,
        ticket_range=TicketRange(*parse_range(ticket_range)),
        dossier_block=SequenceBlock(*parse_range(dossier_block)),
    )
    if as_json:
        emit_json(
            {
                "station": station.to_settings(),
                "data_dir": str(state.data_dir),
                "recovery_code": recovery[0] if recovery else None,
            }
        )
        return
    click.echo(f"Đã khởi tạo kho dữ liệu tại {state.data_dir}")
    click.echo(f"Trung tâm: {station.center_name} · mã cơ quan {station.agency_code}")
    click.echo(f"Trạm số {station.number} · {len(station.counters)} quầy")
    if recovery:
        click.echo(f"MÃ KHÔI PHỤC (chỉ hiện một lần, hãy chép ra giấy và cất giữ): {recovery[0]}")


@click.command("demo-data")
@click.option("--days", default=30, show_default=True, help="Số ngày làm việc được tạo.")
@click.option("--seed", default=2026, show_default=True, help="Hạt giống ngẫu nhiên.")
@pass_state
def demo_data(state: CliState, days: int, seed: int) -> None:
    """Tạo dữ liệu mẫu: vé, hồ sơ ở mọi trạng thái, tên tiếng Việt (chỉ vào kho mẫu)."""
    from counter_app.services.demo import generate_demo_data

    ctx = state.require(Permission.CHANGE_SETTINGS)
    summary = generate_demo_data(ctx.store, days=days, seed=seed, end=system_now())
    click.echo(
        f"Đã tạo {summary.tickets} vé và {summary.dossiers} hồ sơ trong {summary.days} ngày "
        "làm việc."
    )


@click.command()
@click.option("--no-gui", is_flag=True, help="Chạy cảnh mẫu trên dòng lệnh, không mở cửa sổ.")
@pass_state
def demo(state: CliState, no_gui: bool) -> None:
    """Mở chương trình trên kho dữ liệu mẫu (tạo mới nếu chưa có)."""
    from counter_app.ui.launcher import display_available

    if not no_gui and display_available():
        from counter_app.ui.launcher import run

        folder = state.data_dir if state.data_dir_given else demo_data_dir()
        try:
            raise SystemExit(run(data_dir=folder, demo=True, lang=state.lang))
        except DomainError as error:
            if error.code != "ui.qt_cannot_start":
                raise
            click.echo(error.message(state.lang), err=True)
            click.echo(TEXT_DEMO_INSTEAD[state.lang], err=True)
    from counter_app.cli.output import hhmm_date
    from counter_app.core.roles import ROLE_NAMES
    from counter_app.services.demo import DEMO_ACCOUNTS, demo_counter_day, ensure_demo_store
    from counter_app.services.search import search_dossiers
    from counter_app.services.setup import open_context

    folder = state.data_dir if state.data_dir_given else demo_data_dir()
    click.echo(f"Kho dữ liệu mẫu: {folder}")
    store, created = ensure_demo_store(folder, now=system_now())
    if created:
        click.echo("Đã tạo dữ liệu mẫu của 30 ngày làm việc.")
    scene = demo_counter_day(store, clock=system_now)
    click.echo("\nMột lượt làm việc tại quầy:")
    for taken in scene["taken"]:
        t = taken.ticket
        click.echo(
            f"  Kiosk: công dân lấy số {t.label} (nhóm {t.group}), {taken.ahead} người chờ trước"
        )
    click.echo(f"  Quầy 1: «Mời số {scene['called'].label} đến quầy số 1»")
    d = scene["dossier"]
    click.echo(f"  Quầy 1: tiếp nhận hồ sơ {d.code} của {d.applicant.full_name}")
    click.echo(f"          {d.procedure_name}")
    click.echo(f"          hẹn trả kết quả: {hhmm_date(d.due_at)}")
    ctx = open_context(store, clock=system_now)
    found = search_dossiers(ctx, "nguyen thi duong", limit=3)
    click.echo(
        f"  Tìm «nguyen thi duong» (không dấu): {len(found)} hồ sơ, mới nhất {found[0].code}"
    )
    click.echo("\nTài khoản mẫu (tên / mật khẩu):")
    for username, (role, password) in DEMO_ACCOUNTS.items():
        click.echo(f"  {username} / {password}  ({ROLE_NAMES[role][0]})")
    click.echo("\nThử tiếp, ví dụ:")
    click.echo("  export COUNTER_APP_USER=canbo COUNTER_APP_PASSWORD=canbo2026")
    click.echo(f"  counter-app --data-dir {folder} queue list")
    click.echo(f'  counter-app --data-dir {folder} search "nguyen duong"')
    click.echo(f"  counter-app --data-dir {folder} dossier show {d.code}")
    store.close()


TEXT_DEMO_INSTEAD = {
    "vi": "Chạy cảnh mẫu trên dòng lệnh thay cho cửa sổ.",
    "en": "Playing the demo scene on the command line instead of the window.",
}


def demo_data_dir():
    from pathlib import Path

    from platformdirs import user_data_dir

    return Path(user_data_dir("counter-app", appauthor=False)) / "demo"


@click.group()
def clock() -> None:
    """Đồng hồ của trạm."""


@clock.command("confirm")
@click.option(
    "--portal",
    "portal",
    is_flag=True,
    help="Xác nhận giờ của Cổng là đúng dù lệch xa giờ máy (mặc định: giờ của máy là đúng).",
)
@pass_state
def clock_confirm(state: CliState, portal: bool) -> None:
    """Quản trị viên xác nhận ngày giờ hiện tại của máy là đúng."""
    if portal:
        offset = confirm_portal_clock(state.context())
        click.echo(f"Đã xác nhận giờ của Cổng (lệch {offset / 3600:+.1f} giờ so với máy).")
        return
    now = confirm_clock(state.context())
    click.echo(f"Đã xác nhận ngày giờ: {now:%H:%M %d/%m/%Y}.")


@click.group()
def calendar() -> None:
    """Lịch làm việc: ngày nghỉ bù, ngày làm bù."""


@calendar.command("set")
@click.argument("day")
@click.option(
    "--kind", type=click.Choice(["off", "work"]), required=True, help="off: nghỉ; work: làm việc."
)
@click.option("--note", default="", help="Ghi chú, ví dụ số văn bản.")
@pass_state
def calendar_set(state: CliState, day: str, kind: str, note: str) -> None:
    """Đặt một ngày nghỉ hoặc ngày làm việc bù."""
    admin.set_calendar_override(state.context(), CalendarOverride(parse_day(day), kind, note))
    label = "ngày nghỉ" if kind == "off" else "ngày làm việc"
    click.echo(f"Đã đặt {parse_day(day):%d/%m/%Y} là {label}.")


@calendar.command("list")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_state
def calendar_list(state: CliState, as_json: bool) -> None:
    """Liệt kê các ngày điều chỉnh."""
    overrides = state.require(Permission.LOOK_UP_PROCEDURES).store.catalogue.overrides()
    if as_json:
        emit_json(overrides)
        return
    for o in overrides:
        click.echo(f"{o.day:%d/%m/%Y}  {'nghỉ' if o.kind == 'off' else 'làm việc'}  {o.note}")


COMMANDS = (init, demo_data, demo, clock, calendar)
