"""The root `counter-app` command: data folder, language, and turning errors into messages."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from counter_app import __version__
from counter_app.cli.paths import default_data_dir
from counter_app.core.errors import DomainError, NotFound, ValidationError
from counter_app.core.messages import command_hint, register
from counter_app.preferences import stored_language

if TYPE_CHECKING:
    from counter_app.center.link import CenterLink
    from counter_app.core.roles import Permission
    from counter_app.resident.service import ServedRequest
    from counter_app.services.context import ServiceContext
    from counter_app.store import Store

EXIT_BAD_INPUT = 2
EXIT_REFUSED = 1
LANGUAGES = ("vi", "en")

register(
    {
        "cli.no_store": {
            "vi": "Chưa có kho dữ liệu tại {folder}. Kiểm tra --data-dir, hoặc khởi tạo bằng "
            "«counter-app init».",
            "en": "There is no store in {folder}. Check --data-dir, or create one with "
            "'counter-app init'.",
        },
        "cli.empty_data_dir": {
            "vi": "--data-dir không được để trống.",
            "en": "--data-dir cannot be empty.",
        },
    }
)


@dataclass
class CliState:
    data_dir: Path
    lang: str
    data_dir_given: bool = False
    _store: Store | None = field(default=None, repr=False)
    _context: ServiceContext | None = field(default=None, repr=False)
    _link: CenterLink | None = field(default=None, repr=False)
    _warned: bool = field(default=False, repr=False)
    sent: int = 0  # center events this command published, over all its link's turns
    received: int = 0
    # Set when the resident station service runs this command for a client: its open
    # store and link are lent, the client's credentials log in (counter_app/resident).
    served: ServedRequest | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.served is not None:
            self._store, self._link = self.served.store, self.served.link

    # The store and the services are imported when a command first needs them, so that
    # `counter-app` shows its window without paying for them first.
    def store(self, *, create: bool = False) -> Store:
        """The store in the data folder; only `create` (init) may make a new one, so a
        mistyped --data-dir is an error instead of an empty store nobody meant."""
        if self._store is None:
            from counter_app.logs import setup_logging
            from counter_app.store import STORE_FILE, open_store

            if not create and not (self.data_dir / STORE_FILE).is_file():
                raise NotFound("cli.no_store", folder=str(self.data_dir))
            setup_logging(self.data_dir)
            self._store = open_store(self.data_dir)
        return self._store

    def context(self) -> ServiceContext:
        if self._context is None:
            from counter_app.cli.auth import acting_user
            from counter_app.core.clock import system_now
            from counter_app.services.setup import open_context

            store = self.store()
            actor = acting_user(store, self.served)
            self._context = open_context(store, clock=system_now, actor=actor)
            if self._context.station.in_center and self._context.station.role != "hub":
                # a station of a center: catch up before reading, claim shared tickets
                self.center_sync(quiet=False)
                self.refuse_if_revoked()
                self._context = replace(self._context, claims=self._link)
        return self._context

    def center_sync(self, *, publish: bool = True, apply: bool = True, quiet: bool = True):
        """Publish what waits and apply what is new, within a short bound; cut off, the
        command goes on with the local store and says so."""
        if self._link is None:
            from counter_app.center.link import CenterLink
            from counter_app.services.station import load_station

            self._link = CenterLink(self.store(), load_station(self.store()))
        report = self._link.sync(publish=publish, apply=apply)
        self.sent += report.published  # `center sync` counts its own catch-up's too
        self.received += report.applied
        if not report.reachable and not report.revoked and not quiet and not self._warned:
            self._warned = True  # once per command, however many times it tried
            from counter_app.center.link import cut_off_message

            click.echo(cut_off_message(self.lang, report.waiting, report.outdated), err=True)
        return report

    @property
    def link(self) -> CenterLink | None:
        """This command's link to the center, once a turn made it (None alone)."""
        return self._link

    def refuse_if_revoked(self) -> None:
        """A station the hub revoked learns it at its first contact and stops: no ticket
        issued or called as if it were merely cut off."""
        from counter_app.services.context import revoked_error

        revoked = revoked_error(self.store())
        if revoked is not None:
            raise revoked

    def require(self, permission: Permission) -> ServiceContext:
        """Log in and check a permission, for a command that calls no service that would."""
        ctx = self.context()
        ctx.actor.require(permission)
        return ctx

    def close(self) -> None:
        if self._link is not None:
            if self._context is not None:  # publish what this command wrote
                self.center_sync(apply=False, quiet=False)
            if self.served is None:  # the resident service's link stays open
                self._link.close()
        if self.served is not None:
            self._store = self._link = self._context = None
        if self._store is not None:
            self._store.close()
            self._store = self._context = None


pass_state = click.make_pass_decorator(CliState)


class Bounded(click.ParamType):
    """An integer within limits, refused in Vietnamese (click's IntRange says it in English,
    and its plain INT lets 10^30 through to SQLite, which cannot hold it)."""

    name = "integer"

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def convert(self, value, param, ctx) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(f"«{value}» không phải số nguyên.", param, ctx)
        if not self.low <= number <= self.high:
            self.fail(f"phải từ {self.low} đến {self.high}.", param, ctx)
        return number


ROW_ID = Bounded(1, 2**63 - 1)  # SQLite's largest integer


# Which module defines each command: a command's module is imported only when it runs, so
# `counter-app` opens its window without loading printing, sync and the rest.
LAZY_COMMANDS = {
    "init": "commands_setup",
    "demo": "commands_setup",
    "demo-data": "commands_setup",
    "clock": "commands_setup",
    "calendar": "commands_setup",
    "catalogue": "commands_catalogue",
    "ticket": "commands_queue",
    "queue": "commands_queue",
    "dossier": "commands_dossier",
    "search": "commands_dossier",
    "appointment": "commands_dossier",
    "users": "commands_admin",
    "audit": "commands_admin",
    "backup": "commands_data",
    "restore": "commands_data",
    "keys": "commands_data",
    "citizen": "commands_data",
    "sync": "commands_sync",
    "portal-emulator": "commands_sync",
    "print": "commands_print",
    "printers": "commands_print",
    "ui": "commands_ui",
    "hub": "commands_center",
    "center": "commands_center",
    "screenshots": "commands_ui",
    "report": "commands_report",
    "station": "commands_station",
}


# click's own "-h, --help" line is English ("Show this message and exit."): a Vietnamese
# help page ended in English. Said in the run's language instead.
HELP_OPTION_TEXT = {"vi": "Hiện hướng dẫn này rồi thoát.", "en": "Show this message and exit."}
_help_lang = {"lang": "vi"}  # the run's language, chosen by main() before click parses


def _localise_help(command: click.Command, ctx: click.Context) -> None:
    option = command.get_help_option(ctx)
    if option is not None:
        option.help = HELP_OPTION_TEXT[_help_lang["lang"]]
    for sub in getattr(command, "commands", {}).values():
        _localise_help(sub, ctx)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(LAZY_COMMANDS)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_TEXT[_help_lang["lang"]]
        return option

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = LAZY_COMMANDS.get(name)
        if module is None:
            return None
        import importlib

        commands = importlib.import_module(f"counter_app.cli.{module}").COMMANDS
        command = next((c for c in commands if c.name == name), None)
        if command is not None:
            _localise_help(command, ctx)
        return command


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", message="counter-app %(version)s")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),  # a str: an empty one must not become "."
    help="Thư mục dữ liệu (mặc định: COUNTER_APP_DATA, hoặc thư mục dữ liệu của người dùng).",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=lambda: os.environ.get("COUNTER_APP_LANG"),
    help="Ngôn ngữ thông báo: vi hoặc en (mặc định: ngôn ngữ chọn trong Cài đặt, "
    "nếu chưa chọn thì tiếng Việt).",
)
# `counter-app --role kiosk --fullscreen`, as the README writes it: the bare command opens
# the program, so it takes the options of `counter-app ui` too.
@click.option(
    "--role",
    type=click.Choice(["all-in-one", "counter", "kiosk", "display"]),
    default="all-in-one",
    show_default=True,
    help="Khi mở chương trình: trạm hiển thị gì (như «counter-app ui --role»).",
)
@click.option("--fullscreen", is_flag=True, help="Khi mở chương trình: toàn màn hình.")
@click.pass_context
def cli(
    ctx: click.Context, data_dir: str | None, lang: str | None, role: str, fullscreen: bool
) -> None:
    """counter-app: phần mềm quầy một cửa của Trung tâm phục vụ hành chính công cấp xã."""
    if data_dir is not None and not data_dir.strip():
        raise ValidationError("cli.empty_data_dir", field="data_dir")
    given = data_dir is not None or "COUNTER_APP_DATA" in os.environ
    folder = Path(data_dir) if data_dir else default_data_dir()
    served = ctx.obj  # the resident service's request, when it runs this command
    state = CliState(folder, lang or stored_language(folder) or "vi", given, served=served)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:  # plain `counter-app`: open the program
        ctx.invoke(cli.get_command(ctx, "ui"), role=role, fullscreen=fullscreen)
    elif role != "all-in-one" or fullscreen:
        raise click.UsageError(
            "--role và --fullscreen đặt trước tên lệnh chỉ dùng khi mở chương trình: "
            "«counter-app --role kiosk», hoặc «counter-app ui --role kiosk»."
        )


_CLICK_MESSAGES = {
    click.MissingParameter: "Thiếu {param}.",
    click.NoSuchOption: "Không có tùy chọn {option}.",
    click.BadParameter: "Giá trị không hợp lệ cho {param}: {detail}",
}


def _usage_error_vi(error: click.UsageError) -> str:
    if isinstance(error, click.MissingParameter) and error.param is not None:
        return _CLICK_MESSAGES[click.MissingParameter].format(
            param="/".join(getattr(error.param, "opts", [error.param.name]))
        )
    if isinstance(error, click.NoSuchOption):
        return _CLICK_MESSAGES[click.NoSuchOption].format(option=error.option_name)
    if isinstance(error, click.BadParameter) and error.param is not None:
        return _CLICK_MESSAGES[click.BadParameter].format(
            param="/".join(getattr(error.param, "opts", [error.param.name])),
            detail=error.message,
        )
    return f"Lệnh không đúng: {error.format_message()}"


def _option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
    return None


def _language(argv: list[str]) -> str:
    """The language of this run's messages: --lang, else COUNTER_APP_LANG, else the one
    chosen in Settings for the data folder, else Vietnamese. Read before click parses, so
    that click's own usage errors come out in it too."""
    given = _option(argv, "--lang") or os.environ.get("COUNTER_APP_LANG")
    if given:
        return given
    folder = _option(argv, "--data-dir")
    try:
        return stored_language(Path(folder) if folder else default_data_dir()) or "vi"
    except OSError:  # an unreadable folder is reported by the command itself
        return "vi"


def _unreadable(args: list[str]) -> int | None:
    """The position of the first argument that is no text: bytes that are not UTF-8 (Python
    keeps them as lone surrogates, which fail wherever they are encoded) or a NUL."""
    for position, arg in enumerate(args, 1):
        if "\0" in arg or any("\ud800" <= ch <= "\udfff" for ch in arg):
            return position
    return None


def _with_hint(error: DomainError, lang: str) -> str:
    """The message, then the command that does what it asks (windows show the message only)."""
    hint = command_hint(error.code, lang).format(**error.params)
    return f"{error.message(lang)}\n{hint}" if hint else error.message(lang)


def main(argv: list[str] | None = None, *, served: ServedRequest | None = None) -> int:
    """Run the CLI; return (and exit with) its status: 0 ok, 1 refused, 2 bad input.
    `served`: the resident station service runs it for a client (counter_app/resident)."""
    args = list(sys.argv[1:] if argv is None else argv)
    position = _unreadable(args)
    if position is not None:
        click.echo(
            f"Lỗi: đối số thứ {position} chứa ký tự không đọc được (không phải chữ UTF-8, "
            "hoặc ký tự NUL). Hãy gõ lại.",
            err=True,
        )
        return _exit(EXIT_BAD_INPUT, argv)
    lang = _language(args)
    if lang not in LANGUAGES:
        click.echo(
            f"Lỗi: không có ngôn ngữ «{lang}»: chọn vi (tiếng Việt) hoặc en (English).", err=True
        )
        return _exit(EXIT_BAD_INPUT, argv)
    _help_lang["lang"] = lang
    try:
        # Without standalone mode, click returns an Exit's code instead of raising it.
        result = cli.main(args=args, prog_name="counter-app", standalone_mode=False, obj=served)
    except click.UsageError as error:
        message = _usage_error_vi(error) if lang == "vi" else error.format_message()
        hint = "Xem «counter-app --help»." if lang == "vi" else "See 'counter-app --help'."
        click.echo(f"{'Lỗi' if lang == 'vi' else 'Error'}: {message}\n{hint}", err=True)
        return _exit(EXIT_BAD_INPUT, argv)
    except (ValidationError, NotFound) as error:
        click.echo(f"{'Lỗi' if lang == 'vi' else 'Error'}: {_with_hint(error, lang)}", err=True)
        return _exit(EXIT_BAD_INPUT, argv)
    except DomainError as error:
        click.echo(
            f"{'Không thực hiện được' if lang == 'vi' else 'Refused'}: {_with_hint(error, lang)}",
            err=True,
        )
        return _exit(EXIT_REFUSED, argv)
    except click.exceptions.Exit as done:
        return _exit(done.exit_code, argv)
    except (click.Abort, KeyboardInterrupt):
        click.echo("Đã hủy." if lang == "vi" else "Aborted.", err=True)
        return _exit(EXIT_REFUSED, argv)
    except Exception as error:  # the last resort: a message, never a traceback
        from counter_app.services.room import disk_full

        folder = _option(args, "--data-dir") or os.environ.get("COUNTER_APP_DATA")
        full = disk_full(error, Path(folder) if folder else default_data_dir())
        if full is not None:  # the cause, and what to do about it
            label = "Không thực hiện được" if lang == "vi" else "Refused"
            click.echo(f"{label}: {full.message(lang)}", err=True)
            return _exit(EXIT_REFUSED, argv)
        return _exit(_unexpected(error, lang), argv)
    return _exit(result if isinstance(result, int) else 0, argv)


def _unexpected(error: Exception, lang: str) -> int:
    """Log where it failed (the log keeps places, not the message, which may quote input)
    and tell the user in a sentence; every use case is one transaction, so nothing is
    half-written."""
    import logging

    logging.getLogger("counter_app.cli").error("unexpected error", exc_info=error)
    kind = type(error).__name__
    click.echo(
        f"Lỗi không mong đợi ({kind}): lệnh chưa thực hiện được và không có gì bị ghi dở. "
        "Chi tiết kỹ thuật đã được ghi vào nhật ký (logs/counter-app.log trong thư mục dữ "
        "liệu); hãy báo cho quản trị viên."
        if lang == "vi"
        else f"Unexpected error ({kind}): the command did not run and nothing was half-written. "
        "The details are in the log (logs/counter-app.log in the data folder); tell the admin.",
        err=True,
    )
    return EXIT_REFUSED


def _exit(code: int, argv: list[str] | None) -> int:
    if argv is None:
        sys.exit(code)
    return code
