"""Sync with the national portal, its status, and the portal emulator.

`counter-app sync --portal URL [--once] [--json]` runs sync (a click group invoked without a
subcommand); `counter-app sync status [--json]` shows the backlog; `sync requeue` sends
items set aside again; `counter-app portal-emulator ...` runs the emulator.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import click

from counter_app.cli.app import CliState, pass_state
from counter_app.cli.output import emit_json, hhmm_date
from counter_app.core.clock import vn_time
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from counter_app.core.roles import Permission

register(
    {
        "sync.unreachable": {
            "vi": "chưa đồng bộ xong với Cổng ({error}); các mục còn lại vẫn chờ gửi.",
            "en": "sync did not finish ({error}); the remaining items stay waiting.",
        },
        "sync.not_all_sent": {
            "vi": "chưa gửi được hết: {waiting} mục còn chờ, {set_aside} mục bị Cổng từ chối.",
            "en": "not everything was sent: {waiting} items still waiting, {set_aside} refused "
            "by the portal.",
            "cli_vi": "Xem chi tiết: counter-app sync status",
            "cli_en": "See why: counter-app sync status",
        },
        "sync.test_failed": {
            "vi": "Thử kết nối Cổng không thành công: {error}",
            "en": "The portal connection test failed: {error}",
        },
        "sync.bad_interval": {
            "vi": "--interval là số giây giữa hai lượt, từ 1 đến 86400 (một ngày).",
            "en": "--interval is the seconds between rounds, from 1 to 86400 (one day).",
        },
        "sync.refill_failed": {
            "vi": "Chưa lấy được mã hồ sơ từ hệ thống một cửa: {error}. Các mã đã nhận trước lỗi "
            "vẫn được giữ; khi hết mã, máy dùng dải số dự phòng.",
            "en": "No dossier codes from the one-door system: {error}. Codes received before the "
            "failure are kept; when the pool runs out, the offline block is used.",
        },
        "sync.no_portal": {
            "vi": "Chưa có địa chỉ Cổng dịch vụ công: dùng --portal URL hoặc thiết lập "
            "«sync.portal_url».",
            "en": "No portal address: use --portal URL or set 'sync.portal_url'.",
        },
    }
)

JSON = click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
MAX_INTERVAL_S = 86_400.0


def _interval(_ctx, _param, value: float) -> float:
    """Refused here, before a loop that would spin (0, negative) or never wake (inf, nan).

    Written as `not (low <= value <= high)` so that nan, for which every comparison is
    false, is refused too."""
    if not 1.0 <= value <= MAX_INTERVAL_S:
        raise ValidationError("sync.bad_interval", field="interval")
    return value


def _portal_url(state: CliState, given: str | None) -> str:
    if given:
        return given
    settings = state.store().settings.get("sync", {}) or {}
    url = settings.get("portal_url") if isinstance(settings, dict) else None
    if not url:
        raise ValidationError("sync.no_portal", field="portal")
    return url


def _print_report(report, lang: str) -> None:
    vi = lang == "vi"
    click.echo(
        (
            f"Đã gửi: {report.pushed} · Đã nhận về: {report.pulled} · "
            f"Để riêng (cần xử lý): {report.set_aside} · Còn chờ: {report.waiting}"
        )
        if vi
        else (
            f"Pushed: {report.pushed} · Pulled: {report.pulled} · "
            f"Set aside: {report.set_aside} · Still waiting: {report.waiting}"
        )
    )
    for key in report.set_aside_keys:
        click.echo(f"  {'Để riêng' if vi else 'Set aside'}: {key}")
    if report.online_taken:
        click.echo(
            f"Hồ sơ trực tuyến mới hoặc nộp bổ sung: {report.online_taken}"
            if vi
            else f"Online dossiers new or resubmitted: {report.online_taken}"
        )
    for reason in report.online_refused:  # the record's own words, kept in Vietnamese
        click.echo(f"  {'Chưa nhận' if vi else 'Not taken'}: {reason}")
    if report.conflicts:
        click.echo(
            f"Xung đột cần cán bộ xem: {report.conflicts}"
            if vi
            else f"Conflicts for a clerk: {report.conflicts}"
        )
    if report.clock_doubtful:
        from counter_app.core.messages import MESSAGES
        from sync.status import doubt_days

        days = doubt_days(report.clock_offset or 0.0)
        text = MESSAGES["clock.portal_doubtful"][lang].format(days=days)
        click.echo(f"{'Cảnh báo' if vi else 'Warning'}: {text}", err=True)
    elif report.clock_warning:
        from sync.status import clock_message

        click.echo(
            f"Cảnh báo: {clock_message(report.clock_offset)}"
            if vi
            else f"Warning: the local clock is {report.clock_offset:+.0f} s off the portal's.",
            err=True,
        )
    if not report.ok:
        click.echo(
            f"Chưa kết nối được Cổng: {report.error}. Sẽ thử lại sau."
            if vi
            else f"Portal not reachable: {report.error}. Will retry.",
            err=True,
        )


DIALECT = click.option(
    "--dialect",
    type=click.Choice(["dvcqg", "motcua", "reference"]),
    help="Chuẩn kết nối: dvcqg (Cổng DVC quốc gia), motcua (một cửa tỉnh), reference.",
)


@click.group(invoke_without_command=True)
@click.option("--portal", "portal", help="Địa chỉ Cổng (hoặc cổng giả lập), ví dụ http://...")
@DIALECT
@click.option("--once", is_flag=True, help="Đồng bộ một lượt rồi thoát.")
@click.option(
    "--interval",
    type=float,
    default=60.0,
    show_default=True,
    callback=_interval,
    help="Giây giữa hai lượt nhận về (1-86400).",
)
@JSON
@click.pass_context
def sync(
    ctx: click.Context,
    portal: str | None,
    dialect: str | None,
    once: bool,
    interval: float,
    as_json: bool,
):
    """Đồng bộ với Cổng dịch vụ công: gửi hồ sơ chờ, nhận cập nhật trạng thái."""
    if ctx.invoked_subcommand is not None:
        return
    from sync.dialects import make_engine

    state: CliState = ctx.obj
    acting = state.require(Permission.CHANGE_STATUS)
    store = acting.store
    url = _portal_url(state, portal)

    def progress(phase: str, done: int, total: int) -> None:
        if not as_json and phase == "push" and total:
            click.echo(
                f"\r{'Đang gửi' if state.lang == 'vi' else 'Pushing'} {done}/{total}",
                nl=False,
                err=True,
            )

    engine = make_engine(store, state.data_dir, url, dialect=dialect, progress=progress, ctx=acting)
    if once:
        report = engine.run_until_idle(max_rounds=10, give_up_unreachable=True)
        if not as_json:
            click.echo("", err=True)
        emit_json(report.to_dict()) if as_json else _print_report(report, state.lang)
        if not report.ok:
            raise DomainError("sync.unreachable", error=report.error)
        if report.waiting or report.set_aside:  # a script must see that items stayed behind
            raise DomainError(
                "sync.not_all_sent", waiting=report.waiting, set_aside=report.set_aside
            )
        return
    stop = threading.Event()

    def on_round(report) -> None:
        emit_json(report.to_dict()) if as_json else _print_report(report, state.lang)

    try:
        engine.run_forever(stop, interval=interval, on_round=on_round)
    except KeyboardInterrupt:
        stop.set()


@sync.command("status")
@JSON
@pass_state
def sync_status_cmd(state: CliState, as_json: bool) -> None:
    """Tình trạng đồng bộ: số chờ gửi, mục cần xử lý, lần đồng bộ cuối, lệch đồng hồ."""
    from sync.status import sync_status

    info = sync_status(state.require(Permission.READ_DOSSIERS).store)
    if as_json:
        emit_json(info)
        return
    vi = state.lang == "vi"
    age = info["oldest_waiting_age_s"]
    click.echo(
        f"{'Chờ gửi' if vi else 'Waiting'}: {info['waiting']}"
        + (f" ({'cũ nhất' if vi else 'oldest'} {age / 3600:.1f} h)" if age else "")
    )
    click.echo(f"{'Đã đồng bộ' if vi else 'Synced'}: {info['synced']}")
    click.echo(f"{'Cần xử lý' if vi else 'Needs attention'}: {info['attention']}")
    for item in info["attention_items"]:
        click.echo(f"  {item['key']} {item['op']} {item['entity_id']}: {item['reason']}")
    click.echo(f"{'Xung đột' if vi else 'Conflicts'}: {len(info['conflicts'])}")
    for c in info["conflicts"]:
        click.echo(
            f"  #{c['id']} {c['entity_id']}: {c['local_status']} / "
            f"{c['portal_status']} — {c['reason']}"
        )
    last = info["last_sync_at"]
    click.echo(
        f"{'Lần đồng bộ cuối' if vi else 'Last sync'}: "
        + (hhmm_date(vn_time(last)) + ("" if info["last_sync_ok"] else " ✗") if last else "—")
    )
    offset = info["clock_offset_s"]
    click.echo(
        f"{'Lệch đồng hồ' if vi else 'Clock offset'}: "
        + ("—" if offset is None else f"{offset:+.1f} s")
        + (" ⚠" if info["clock_warning"] else "")
    )
    doubtful = info["clock_doubtful_s"]
    if info["clock_message"] and doubtful is not None and not vi:
        from counter_app.core.messages import MESSAGES
        from sync.status import doubt_days

        text = MESSAGES["clock.portal_doubtful"]["en"].format(days=doubt_days(doubtful))
        click.echo(f"Warning: {text}", err=True)
    elif info["clock_message"]:
        click.echo(
            f"Cảnh báo: {info['clock_message']}"
            if vi
            else f"Warning: the local clock is {offset / 60:+.0f} min off the portal's.",
            err=True,
        )


@sync.command("conflicts")
@JSON
@pass_state
def sync_conflicts_cmd(state: CliState, as_json: bool) -> None:
    """Xung đột với Cổng đang chờ cán bộ xử lý."""
    from sync.conflicts import list_conflicts

    conflicts = list_conflicts(state.require(Permission.READ_DOSSIERS).store)
    if as_json:
        emit_json([c.to_dict() for c in conflicts])
        return
    vi = state.lang == "vi"
    if not conflicts:
        click.echo("Không có xung đột nào." if vi else "No conflicts.")
        return
    for c in conflicts:
        local = c.local_status_name or "—"
        portal = c.portal_status_name or "—"
        where = (
            f"tại máy «{local}», trên Cổng «{portal}»" if vi else f"local {local}, portal {portal}"
        )
        click.echo(f"#{c.id} {c.entity_id} ({c.kind}): {where} — {c.reason}")
    click.echo(
        "Xử lý: counter-app sync resolve SỐ --keep local|portal [--note ...]"
        if vi
        else "Resolve: counter-app sync resolve ID --keep local|portal [--note ...]"
    )


@sync.command("resolve")
@click.argument("conflict_id", type=int)
@click.option(
    "--keep",
    type=click.Choice(["local", "portal"]),
    required=True,
    help="Giữ trạng thái tại máy (local) hay áp dụng trạng thái của Cổng (portal).",
)
@click.option("--note", default="", help="Ghi chú của cán bộ.")
@JSON
@pass_state
def sync_resolve_cmd(state: CliState, conflict_id: int, keep: str, note: str, as_json) -> None:
    """Xử lý một xung đột (chỉ quản trị viên hoặc cán bộ một cửa)."""
    from sync.conflicts import resolve_conflict

    ctx = state.context()
    result = resolve_conflict(
        ctx.store, conflict_id, actor=ctx.actor, keep=keep, note=note, clock=ctx.clock
    )
    if as_json:
        emit_json(result)
        return
    vi = state.lang == "vi"
    if result["applied"]:
        click.echo(
            f"Đã xử lý xung đột #{conflict_id}: áp dụng trạng thái của Cổng."
            if vi
            else f"Conflict #{conflict_id} resolved: the portal's status was applied."
        )
    else:
        click.echo(
            f"Đã xử lý xung đột #{conflict_id}: giữ trạng thái tại máy."
            if vi
            else f"Conflict #{conflict_id} resolved: the local status was kept."
        )


@sync.command("configure")
@click.option("--portal", "portal", required=True, help="Địa chỉ Cổng, ví dụ https://...")
@DIALECT
@click.option("--username", default="", help="Tài khoản kết nối do Cổng cấp.")
@click.option("--madonvi", default="", help="Mã đơn vị (mã định danh của cơ quan).")
@click.option("--dstcode", default="", help="Mã hệ thống gửi (tiêu đề dstcode).")
@click.option("--client-id", default="", help="Mã ứng dụng (motcua).")
@click.option(
    "--password",
    default="",
    help="Mật khẩu kết nối (hoặc COUNTER_APP_PORTAL_PASSWORD, hoặc nhập khi được hỏi).",
)
@pass_state
def sync_configure(
    state: CliState, portal, dialect, username, madonvi, dstcode, client_id, password
):
    """Lưu địa chỉ Cổng, chuẩn kết nối và tài khoản của trung tâm (chỉ quản trị viên)."""
    from counter_app.core.roles import Permission
    from sync.dialects import check_dialect
    from sync.dialects.settings import save_settings

    ctx = state.require(Permission.CHANGE_SETTINGS)
    name = check_dialect(dialect or "reference")
    if not password and name != "reference":  # asked only of an admin, after the login
        from counter_app.cli.auth import ask_secret

        password = ask_secret("COUNTER_APP_PORTAL_PASSWORD", "Mật khẩu kết nối")
    creds = {"username": username, "madonvi": madonvi, "dstcode": dstcode, "client_id": client_id}
    if password:  # the dvcqg password, or the motcua client secret
        creds["client_secret" if name == "motcua" else "password"] = password
    with ctx.store.transaction():
        save_settings(
            ctx.store,
            portal_url=portal,
            dialect=name,
            credentials={k: v for k, v in creds.items() if v},
        )
    click.echo(
        f"Đã lưu kết nối Cổng ({name})." if state.lang == "vi" else f"Portal link saved ({name})."
    )


@sync.command("test")
@click.option("--portal", "portal", help="Địa chỉ Cổng (mặc định: theo cài đặt).")
@DIALECT
@pass_state
def sync_test(state: CliState, portal: str | None, dialect: str | None) -> None:
    """Thử kết nối: đăng nhập vào Cổng bằng tài khoản đã lưu, không gửi dữ liệu."""
    from sync.dialects import connection_test
    from sync.errors import PortalError

    store = state.require(Permission.READ_DOSSIERS).store
    try:
        connection_test(store, state.data_dir, _portal_url(state, portal), dialect=dialect)
    except PortalError as error:
        raise DomainError("sync.test_failed", error=str(error)) from None
    click.echo("Kết nối Cổng: tốt." if state.lang == "vi" else "Portal link: OK.")


@sync.command("requeue")
@click.argument("key", required=False)
@pass_state
def sync_requeue(state: CliState, key: str | None) -> None:
    """Gửi lại các mục đã để riêng (một mục theo khóa, hoặc tất cả)."""
    store = state.require(Permission.CHANGE_STATUS).store
    with store.transaction():
        n = store.outbox.requeue(key)
    click.echo(f"{'Đã đưa lại vào hàng chờ' if state.lang == 'vi' else 'Requeued'}: {n}")


@sync.command("refill-codes")
@click.option("--portal", "portal", help="Địa chỉ hệ thống một cửa (mặc định: theo cài đặt).")
@JSON
@pass_state
def sync_refill_codes(state: CliState, portal: str | None, as_json: bool) -> None:
    """Lấy thêm mã hồ sơ do hệ thống một cửa (motcua) cấp cho hôm nay, tới mức giữ sẵn."""
    from counter_app.services.code_pool import refill_code_pool
    from sync.dialects import make_engine
    from sync.errors import PortalError

    ctx = state.require(Permission.CHANGE_STATUS)
    engine = make_engine(ctx.store, state.data_dir, _portal_url(state, portal), dialect="motcua")
    try:
        report = refill_code_pool(ctx, engine.dialect)
    except PortalError as error:
        raise DomainError("sync.refill_failed", error=str(error)) from None
    if as_json:
        emit_json(report.__dict__)
        return
    vi = state.lang == "vi"
    click.echo(
        f"Đã lấy {report.fetched} mã; mã còn sẵn cho hôm nay: {report.free}/{report.cap}."
        if vi
        else f"Fetched {report.fetched} codes; ready for today: {report.free}/{report.cap}."
    )


@sync.command("code-pool")
@click.option(
    "--offline-block",
    help="Dải số dự phòng khi mất mạng đã thống nhất với tỉnh, "
    "ví dụ 9000-9999 (chỉ quản trị viên).",
)
@click.option("--cap", type=int, help="Số mã giữ sẵn tối đa (mặc định: 2 giờ tiếp nhận).")
@JSON
@pass_state
def sync_code_pool(state: CliState, offline_block: str | None, cap: int | None, as_json) -> None:
    """Kho mã hồ sơ (motcua): mã còn sẵn hôm nay, dải số dự phòng, báo cáo theo ngày."""
    from counter_app.services.code_pool import configure_code_pool, pool_status

    if offline_block is not None or cap is not None:
        block = _parse_block(offline_block) if offline_block is not None else None
        configure_code_pool(state.context(), offline_block=block, cap=cap)
    info = pool_status(state.require(Permission.READ_DOSSIERS))
    if as_json:
        emit_json(info)
        return
    vi = state.lang == "vi"
    block = info["offline_block"]
    click.echo(
        f"{'Mã còn sẵn hôm nay' if vi else 'Ready today'}: {info['today_free']}/{info['cap']}"
    )
    click.echo(
        f"{'Dải số dự phòng' if vi else 'Offline block'}: "
        + (f"{block[0]:04d}-{block[1]:04d}" if block else ("chưa khai báo" if vi else "not set"))
    )
    names = {"free": "còn sẵn", "used": "đã dùng", "unused": "không dùng (quá ngày)"}
    for row in info["days"]:
        state_name = names[row["state"]] if vi else row["state"]
        source = ("dự phòng" if vi else "offline") if row["source"] == "offline" else "server"
        click.echo(f"  {row['day']} {source}: {state_name} {row['n']}")


def _parse_block(text: str) -> tuple[int, int]:
    start, sep, end = text.partition("-")
    if not sep or not start.strip().isdigit() or not end.strip().isdigit():
        raise ValidationError("dossier.bad_block", field="offline_block", start=start, end=end)
    return int(start), int(end)


@click.command("portal-emulator")
@click.option(
    "--dialect",
    type=click.Choice(["dvcqg", "motcua", "reference"]),
    default="reference",
    show_default=True,
    help="Chuẩn kết nối mà cổng giả lập nói.",
)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--data", "data", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--faults", default="", help='Ví dụ "5xx=0.2,drop_before=0.1,latency=0.3".')
@click.option("--advance", type=float, help="Giây giữa các bước chuyển trạng thái hồ sơ.")
@click.option("--token-ttl", default=900.0, show_default=True, help="Thời hạn token (giây).")
@click.option(
    "--reserve",
    multiple=True,
    metavar="AGENCY=FIRST-LAST",
    help="(motcua) Dải số dự phòng khi mất kết nối đã thống nhất cho một đơn vị, "
    "ví dụ G09.20=9000-9999; lặp lại cho nhiều đơn vị.",
)
@click.option(
    "--max-file-mb",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.001),
    help="(dvcqg, motcua) Dung lượng tối đa của một tệp tải lên (MB).",
)
@click.option(
    "--online",
    default=0,
    type=click.IntRange(0, 200),
    help="(motcua) Số hồ sơ trực tuyến tạo sẵn khi khởi động (đơn vị của trạm trình diễn).",
)
def portal_emulator(
    dialect: str,
    port: int,
    host: str,
    data: Path,
    faults: str,
    advance,
    token_ttl,
    reserve: tuple[str, ...],
    max_file_mb: float,
    online: int,
) -> None:
    """Chạy cổng giả lập (máy chủ HTTP thật) để thử nghiệm và trình diễn."""
    from sync.emulator import Faults, PortalEmulator

    try:
        parsed = Faults.parse(faults)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--faults") from None
    blocks = dict(_parse_reserve(text) for text in reserve)
    if blocks and dialect != "motcua":
        raise click.BadParameter("chỉ dùng với --dialect motcua", param_hint="--reserve")
    if online and dialect != "motcua":
        raise click.BadParameter("chỉ dùng với --dialect motcua", param_hint="--online")
    if dialect != "reference":
        options = {"max_file_bytes": int(max_file_mb * 1024 * 1024)}
        if blocks:
            options["reserved"] = blocks
        if online:
            options["online"] = online
        _dialect_emulator(dialect, host, port, data, parsed, options)
        return
    emulator = PortalEmulator(
        data, host=host, port=port, faults=parsed, advance=advance, token_ttl=token_ttl
    )
    click.echo(f"Cổng giả lập: {emulator.url}  (thống kê: {emulator.url}/_emulator/stats)")
    with contextlib.suppress(KeyboardInterrupt):
        emulator.serve_forever()


def _parse_reserve(text: str) -> tuple[str, tuple[int, int]]:
    """`AGENCY=FIRST-LAST` (the agency code may itself hold dashes and dots)."""
    agency, sep, block = text.rpartition("=")
    first, dash, last = block.partition("-")
    if (not sep or not agency.strip() or not dash or not first.strip().isdigit()
            or not last.strip().isdigit() or int(first) > int(last)):  # fmt: skip
        raise click.BadParameter(
            f"«{text}»: cần dạng MÃ_ĐƠN_VỊ=ĐẦU-CUỐI, ví dụ G09.20=9000-9999",
            param_hint="--reserve",
        )
    return agency.strip(), (int(first), int(last))


def _dialect_emulator(
    dialect: str, host: str, port: int, data: Path, faults, options: dict
) -> None:
    from sync.dialects import check_dialect

    check_dialect(dialect)
    if dialect == "dvcqg":
        from sync.emulator_dvcqg import DvcqgEmulator as Emulator
    else:
        from sync.emulator_motcua import MotcuaEmulator as Emulator
    emulator = Emulator(data, host=host, port=port, faults=faults, **options)
    account = " · ".join(f"{k} {v}" for k, v in emulator.account.items())
    click.echo(
        f"Cổng giả lập ({dialect}): {emulator.url}  (thống kê: {emulator.url}/_emulator/stats,"
        f" tệp: {emulator.url}/_emulator/files)\n"
        f"Tài khoản: {account}"
    )
    for agency, (first, last) in options.get("reserved", {}).items():
        click.echo(f"Dải số dự phòng của {agency}: {first:07d}-{last:07d}")
    if options.get("online"):
        click.echo(
            f"Hồ sơ trực tuyến chờ kiểm tra: {options['online']} "
            f"(thêm: POST {emulator.url}/_emulator/online)"
        )
    with contextlib.suppress(KeyboardInterrupt):
        emulator.serve_forever()


COMMANDS = (sync, portal_emulator)
