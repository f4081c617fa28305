"""A center of several PCs: the hub (`hub ...`) and a station's link to it (`center ...`)."""

from __future__ import annotations

import click

from counter_app.cli.app import Bounded, CliState, pass_state
from counter_app.cli.auth import ask_secret
from counter_app.cli.output import emit_json
from counter_app.core.clock import system_now, vn_time
from counter_app.core.roles import Actor, Permission, Role
from counter_app.services.accounts import check_username
from counter_app.store.keys import os_keyring_available

JSON = click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")


def _passphrase() -> str | None:
    if os_keyring_available():
        return None
    return ask_secret("COUNTER_APP_PASSPHRASE", "Cụm mật khẩu bảo vệ dữ liệu", confirm=True)


def _join(state: CliState, code: str, **node):
    """A station (or, with `listen`, a hub node) from a join code; its recovery code."""
    from counter_app.center.enrol import read_code
    from counter_app.center.join import join_center
    from counter_app.core.catalogue import load_default_catalogue

    read_code(code)  # a bad code makes no store
    recovery: list[str] = []
    station = join_center(
        state.store(create=True),
        code,
        now=vn_time(system_now()),
        catalogue=load_default_catalogue(),
        passphrase=_passphrase(),
        on_recovery_code=recovery.append,
        **node,
    )
    return station, recovery[0]


@click.group()
def hub() -> None:
    """Máy chủ trung tâm: NATS JetStream cho nhiều máy cùng một hàng chờ."""


@hub.command("init")
@click.option("--agency-code", required=True, help="Mã định danh cơ quan.")
@click.option("--center-name", required=True, help="Tên Trung tâm phục vụ hành chính công.")
@click.option("--counters", default=6, show_default=True, help="Số quầy tiếp nhận.")
@click.option("--listen", default="0.0.0.0:4222", show_default=True, help="Địa chỉ lắng nghe.")
@click.option("--address", help="Địa chỉ các máy trạm dùng để nối tới máy chủ (MÁY:CỔNG).")
@click.option("--admin-user", default="admin", show_default=True)
@click.option("--admin-password", help="Mật khẩu quản trị (hoặc COUNTER_APP_PASSWORD).")
@click.option("--tls", is_flag=True, help="Mã hóa kết nối trong mạng nội bộ (TLS).")
@JSON
@pass_state
def hub_init(
    state: CliState,
    agency_code: str,
    center_name: str,
    counters: int,
    listen: str,
    address: str | None,
    admin_user: str,
    admin_password: str | None,
    tls: bool,
    as_json: bool,
) -> None:
    """Khởi tạo máy chủ trung tâm: khóa dữ liệu, tài khoản quản trị đầu tiên."""
    from counter_app.center.hub import make_hub, parse_address, ranges_for
    from counter_app.services.setup import initialise_store

    host, port = parse_address(listen)
    advertise = address or (f"127.0.0.1:{port}" if host in ("0.0.0.0", "::") else listen)
    password = admin_password or ask_secret(
        "COUNTER_APP_PASSWORD", "Mật khẩu quản trị", confirm=True
    )
    recovery: list[str] = []
    store = state.store(create=True)
    tickets, block = ranges_for(1, "hub")
    station = initialise_store(
        store,
        agency_code=agency_code,
        center_name=center_name,
        now=system_now(),
        actor=Actor(check_username(admin_user), Role.ADMIN),
        admin_password=password,
        data_passphrase=_passphrase(),
        on_recovery_code=recovery.append,
        counters=counters,
        role="hub",
        ticket_range=tickets,
        dossier_block=block,
    )
    with store.transaction():
        station = make_hub(store, station, listen=listen, advertise=advertise, tls=tls)
    if as_json:
        emit_json({"station": station.to_settings(), "recovery_code": recovery[0]})
        return
    click.echo(f"Đã khởi tạo máy chủ trung tâm tại {state.data_dir}")
    click.echo(f"Các máy trạm sẽ nối tới: {advertise}")
    click.echo(f"MÃ KHÔI PHỤC (chỉ hiện một lần, hãy chép ra giấy và cất giữ): {recovery[0]}")


@hub.command("start")
@click.option("--listen", help="Địa chỉ lắng nghe (mặc định như lúc khởi tạo).")
@click.option("--peer", "peers", multiple=True, help="Máy chủ khác của cụm (MÁY:CỔNG).")
@pass_state
def hub_start(state: CliState, listen: str | None, peers: tuple[str, ...]) -> None:
    """Chạy máy chủ trung tâm (nats-server) và phục vụ các máy trạm."""
    from counter_app.center.hub import hub_settings, move_listen, parse_address
    from counter_app.center.runner import Hub

    store = state.store()
    settings = hub_settings(store)
    for peer in peers:
        parse_address(peer)
    if listen and listen != settings["listen"]:
        state.context()  # acts as an account: the address every join code names changes
        move_listen(store, listen)
    listen = listen or settings["listen"]
    runner = Hub(store, state.data_dir, listen=listen, peers=list(peers), say=click.echo)
    try:
        runner.run()
    except KeyboardInterrupt:
        click.echo("Đã dừng máy chủ trung tâm.")


@hub.command("invite")
@click.option("--role", type=click.Choice(["counter", "kiosk", "display", "hub"]), required=True)
@click.option(
    "--counter",
    "counters",
    type=Bounded(1, 50),
    multiple=True,
    help="Số quầy giao cho máy này (mặc định: số quầy trống nhỏ nhất).",
)
@JSON
@pass_state
def hub_invite(state: CliState, role: str, counters: tuple[int, ...], as_json: bool) -> None:
    """In mã tham gia dùng một lần cho một máy trạm mới."""
    from counter_app.center.hub import invite

    result = invite(
        state.context(), role=role, now=vn_time(system_now()), counters=list(counters) or None
    )
    if as_json:
        emit_json(result)
        return
    own = ", ".join(str(n) for n in result["counters"])
    click.echo(
        f"Trạm {result['station']} ({role}{', quầy số ' + own if own else ''}), "
        f"mã dùng một lần, hết hạn {result['expires_at']}:"
    )
    click.echo(result["code"])


@hub.command("join")
@click.argument("code")
@click.option("--listen", default="0.0.0.0:4222", show_default=True, help="Địa chỉ lắng nghe.")
@click.option("--address", help="Địa chỉ các máy trạm dùng để nối tới máy chủ này.")
@pass_state
def hub_join(state: CliState, code: str, listen: str, address: str | None) -> None:
    """Thêm máy chủ này vào cụm máy chủ trung tâm (mã từ «hub invite --role hub»)."""
    from counter_app.center.hub import parse_address

    parse_address(listen)
    station, recovery = _join(state, code, listen=listen, advertise=address)
    click.echo(f"Máy chủ số {station.number} của cụm {station.center_name} đã sẵn sàng.")
    click.echo(f"MÃ KHÔI PHỤC (chỉ hiện một lần, hãy chép ra giấy và cất giữ): {recovery}")


@hub.command("stations")
@JSON
@pass_state
def hub_stations(state: CliState, as_json: bool) -> None:
    """Danh sách máy trạm và lần liên lạc gần nhất."""
    from counter_app.center.hub import stations

    state.context()  # acts as an account
    rows = stations(state.store())
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        status = (
            "đã thu hồi"
            if r["revoked_at"]
            else ("đã tham gia" if r["joined_at"] else "chờ tham gia")
        )
        bad = f"  {r['set_aside']} sự kiện bị bỏ qua" if r["set_aside"] else ""
        if r["outdated"]:
            bad += "  phiên bản cũ: máy này cần cập nhật phiên bản"
        click.echo(f"{r['station']}  {r['role']:<8} {status:<12} {r['last_event_at'] or '-'}{bad}")
    _echo_set_aside(state)


@hub.command("revoke")
@click.argument("station")
@pass_state
def hub_revoke(state: CliState, station: str) -> None:
    """Thu hồi quyền của một máy trạm (không đọc, không gửi được nữa)."""
    from counter_app.center.hub import revoke

    revoke(state.context(), station=station, now=vn_time(system_now()))
    click.echo(f"Đã thu hồi trạm {station}.")


@hub.command("rotate-keys")
@JSON
@pass_state
def hub_rotate_keys(state: CliState, as_json: bool) -> None:
    """Đổi khóa dữ liệu của cả trung tâm; mỗi máy trạm còn quyền nhận khóa mới của vai trò
    mình ở lần liên lạc tới (máy đã thu hồi thì không)."""
    from counter_app.center.rotation import rotate_center_keys

    result = rotate_center_keys(state.context(), now=vn_time(system_now()))
    if as_json:
        emit_json(result)
        return
    keys = result["keys"]
    click.echo(
        f"Đã tạo khóa mới (vé {keys['ticket']}, hồ sơ {keys['personal']}, máy chủ "
        f"{keys['hub']}); gửi cho {len(result['stations'])} máy trạm ở lần liên lạc tới: "
        + (", ".join(result["stations"]) or "-")
    )


@click.group()
def center() -> None:
    """Máy trạm của một trung tâm: tham gia, trạng thái, đồng bộ."""


@center.command("join")
@click.argument("code")
@click.option("--admin-user", default="admin", show_default=True,
              help="Tài khoản quản trị riêng của máy lấy số hoặc bảng gọi số.")  # fmt: skip
@click.option("--admin-password", help="Mật khẩu của tài khoản đó (hoặc COUNTER_APP_PASSWORD).")
@JSON
@pass_state
def center_join(
    state: CliState, code: str, admin_user: str, admin_password: str | None, as_json: bool
) -> None:
    """Biến thư mục dữ liệu này thành một máy trạm của trung tâm. Máy lấy số và bảng gọi
    số không nhận tài khoản của trung tâm: chúng có một tài khoản quản trị riêng."""

    def local_admin() -> tuple[str, str]:
        password = admin_password or ask_secret(
            "COUNTER_APP_PASSWORD", "Mật khẩu quản trị của máy này", confirm=True
        )
        return admin_user, password

    station, recovery = _join(state, code, local_admin=local_admin)
    if as_json:
        emit_json({"station": station.to_settings(), "recovery_code": recovery})
        return
    click.echo(
        f"Đã tham gia trung tâm {station.center_name}: trạm số {station.number} ({station.role})"
    )
    click.echo(f"MÃ KHÔI PHỤC (chỉ hiện một lần, hãy chép ra giấy và cất giữ): {recovery}")


@center.command("status")
@JSON
@pass_state
def center_status(state: CliState, as_json: bool) -> None:
    """Kết nối với trung tâm: từ khi nào, số sự kiện chờ gửi, độ trễ."""
    state.require(Permission.READ_DOSSIERS)
    report = state.center_sync(publish=False, apply=False, quiet=True)
    status = _status(state, report)
    if as_json:
        emit_json(status)
        return
    if status["linked"]:
        click.echo(
            f"Đã kết nối với trung tâm. Chờ gửi: {status['waiting']}; chưa nhận: {status['lag']}."
        )
    elif report.outdated:
        from counter_app.center.link import cut_off_message

        click.echo(cut_off_message(state.lang, report.waiting, report.outdated))
    else:
        since = _when(status["cut_since"])
        click.echo(
            f"MẤT KẾT NỐI với trung tâm từ {since}. "
            f"Chờ gửi: {status['waiting']}. Vẫn làm việc bình thường trên máy này."
        )
    _echo_set_aside(state)


def _echo_set_aside(state: CliState) -> None:
    from counter_app.center.screening import describe

    for line in describe(state.store().center.set_aside_rows(), state.lang):
        click.echo(line)


@center.command("sync")
@JSON
@pass_state
def center_sync(state: CliState, as_json: bool) -> None:
    """Gửi những gì đang chờ và nhận những gì mới, rồi thoát."""
    state.require(Permission.READ_DOSSIERS)
    report = state.center_sync(quiet=True)
    status = _status(state, report) | {"published": state.sent, "applied": state.received}
    if as_json:
        emit_json(status)
    elif report.reachable:
        click.echo(f"Đã gửi {state.sent}, đã nhận {state.received} sự kiện.")
    else:
        click.echo(f"Không kết nối được với trung tâm. Chờ gửi: {report.waiting}.")
    if not report.reachable:
        raise SystemExit(1)


def _when(iso: str | None) -> str:
    from datetime import datetime

    return datetime.fromisoformat(iso).strftime("%H:%M ngày %d/%m/%Y") if iso else "-"


def _status(state: CliState, report) -> dict:
    center_state = state.store().center
    return {
        "linked": report.reachable,
        "outdated": report.outdated,
        "cut_since": center_state.get_state("cut_since"),
        "last_contact": center_state.get_state("last_contact"),
        "waiting": report.waiting,
        "lag": report.lag,
        "position": center_state.position(),
        "set_aside": center_state.set_aside_rows(),
    }


COMMANDS = (hub, center)
