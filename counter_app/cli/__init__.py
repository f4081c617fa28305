"""The command line: a thin shell over the services, Vietnamese by default.

Each command opens the store, calls one service and prints the result. A rule's refusal
prints its message in the chosen language; bad input exits 2 with nothing written.
A plain `counter-app` (no arguments: the desktop shortcut) opens the window without loading
click and the command table first, since the window is what the user waits for. A queue
command goes first to the station's resident service when one runs (`counter-app station
serve`, counter_app/resident), again before click is loaded: it answers in a fraction of
the time a whole process takes.
"""

from __future__ import annotations

import os
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return (and exit with) its status: 0 ok, 1 refused, 2 bad input."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        return _done(_open_window(os.environ.get("COUNTER_APP_LANG")), argv)
    from counter_app.resident.client import answer

    served = answer(args, _default_folder)  # a resident station service ran it
    if served is not None:
        return _done(served, argv)
    from counter_app.cli.app import main as click_main

    return click_main(argv)


def _default_folder():
    """cli/paths.py (and pathlib) only when no --data-dir or COUNTER_APP_DATA names one."""
    from counter_app.cli.paths import default_data_dir

    return default_data_dir()


def _done(code: int, argv: list[str] | None) -> int:
    if argv is None:
        sys.exit(code)
    return code


def _open_window(asked: str | None) -> int:
    from counter_app.cli.paths import default_data_dir
    from counter_app.core.errors import DomainError, NotFound, ValidationError
    from counter_app.preferences import stored_language
    from counter_app.ui.launcher import run

    folder = default_data_dir()
    lang = asked or stored_language(folder) or "vi"  # for the messages below
    try:
        return run(data_dir=folder, lang=lang)
    except (ValidationError, NotFound) as error:
        print(f"{'Lỗi' if lang == 'vi' else 'Error'}: {error.message(lang)}", file=sys.stderr)
        return 2
    except DomainError as error:
        refused = "Không thực hiện được" if lang == "vi" else "Refused"
        print(f"{refused}: {error.message(lang)}", file=sys.stderr)
        return 1
