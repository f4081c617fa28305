"""The `counter-app` side of the resident service, run before click and the commands are
imported: a command the service answers is sent to it, and its answer printed as the
command itself would have printed it.

Nothing is sent unless the service proved it knows the station's secret, and a service
that is not there, not answering, or declining (another folder, a command it does not
run) leaves the command to run in this process as always. Once the request went out whole
it is never run here too: if the service dies before it answers, the command may have
been done there, so the user is told to look instead of having it done twice.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator  # typing's cost is left out of the fast path

from counter_app.resident import wire

EXIT_UNKNOWN = 1  # a refusal's status: the command did not visibly succeed
ANSWER_WAIT_S = 180.0  # a command cut off from the center still answers within seconds
MAX_REPLY = 64 << 20  # a reply's frame: a long `queue list --json` is far below
GLOBAL_OPTIONS = ("--data-dir", "--lang")
LOST = {
    "vi": "Lỗi: trạm thường trú (counter-app station serve) đã ngừng khi đang làm lệnh "
    "này, nên không biết lệnh đã được thực hiện hay chưa. Lệnh không được chạy lại, để "
    "khỏi làm hai lần: xem lại bằng «counter-app queue list» rồi hãy làm tiếp.",
    "en": "Error: the resident station service (counter-app station serve) stopped while "
    "running this command, so it is not known whether the command was done. It is not run "
    "again, so as not to do it twice: check with 'counter-app queue list' first.",
}


def served_command(args: list[str]) -> list[str] | None:
    """The command words after the global options, when the service runs this command
    (the queue commands, `ticket take`); None otherwise. Help, the version and anything
    unusual are left to click in this process."""
    words: list[str] = []
    position = 0
    while position < len(args):
        arg = args[position]
        if arg in ("-h", "--help", "--version") or "\0" in arg:
            return None
        if any("\ud800" <= ch <= "\udfff" for ch in arg):
            return None
        if not words and arg.startswith("-"):
            name = arg.split("=", 1)[0]
            if name not in GLOBAL_OPTIONS:
                return None
            position += 1 if "=" in arg else 2
            continue
        words.append(arg)
        position += 1
    if len(words) >= 2 and words[0] == "queue" and not words[1].startswith("-"):
        return words
    if words[:2] == ["ticket", "take"]:
        return words
    return None


def _leading_options(args: list[str]) -> Iterator[tuple[int, str, int]]:
    """Each global option before the command's words: its position, its name, and where its
    value is (the same position when written `--name=value`, the next word otherwise)."""
    position = 0
    while position < len(args) and args[position].startswith("-"):
        name, inline, _ = args[position].partition("=")
        yield position, name, position if inline else position + 1
        position += 1 if inline else 2


def _option(args: list[str], name: str) -> str | None:
    """A global option's value (before the command's words)."""
    for position, option, value_at in _leading_options(args):
        if option == name:
            if value_at == position:
                return args[position].split("=", 1)[1]
            return args[value_at] if value_at < len(args) else None
    return None


def _absolute(args: list[str], folder: str) -> list[str]:
    """`args` with the global --data-dir spelled as `folder`: the service runs elsewhere."""
    out = list(args)
    for position, option, value_at in _leading_options(args):
        if option == "--data-dir" and value_at < len(out):
            out[value_at] = f"--data-dir={folder}" if value_at == position else folder
    return out


def data_folder(args: list[str], default: Callable[[], object]) -> str | None:
    """The station folder as the command would take it, absolute; None if unclear."""
    folder = _option(args, "--data-dir")
    if folder is None:
        folder = os.environ.get("COUNTER_APP_DATA")
    if folder is None:
        folder = str(default())
    if not folder.strip():
        return None  # the command says what is wrong with it
    return os.path.abspath(folder)


def answer(args: list[str], default_folder: Callable[[], object]) -> int | None:
    """Run `args` in the resident service and print its answer: its exit status. None:
    no service took it, run it here. `default_folder()`: the data folder when neither
    --data-dir nor COUNTER_APP_DATA names one (cli/paths.py)."""
    user = os.environ.get("COUNTER_APP_USER")
    password = os.environ.get("COUNTER_APP_PASSWORD")
    if not (user and password) or served_command(args) is None:
        return None
    folder = data_folder(args, default_folder)
    if folder is None:
        return None
    frames, nonces, key = _connect(folder)
    if frames is None:
        return None
    request = {
        "argv": _absolute(args, folder),
        "folder": folder,
        "lang": os.environ.get("COUNTER_APP_LANG"),
        "data": os.environ.get("COUNTER_APP_DATA") and folder,
        "user": user,
        "password": password,
    }
    try:
        try:
            wire.client_request(frames, key, nonces, json.dumps(request).encode("utf-8"))
        except OSError:  # it never had the whole request: nothing was done
            return None
        frames.within(ANSWER_WAIT_S)
        reply = json.loads(frames.receive(MAX_REPLY))
    except (OSError, EOFError, ValueError, wire.Refused):  # a broken or oversized answer
        lang = _option(args, "--lang") or os.environ.get("COUNTER_APP_LANG")
        print(LOST["en" if lang == "en" else "vi"], file=sys.stderr)
        return EXIT_UNKNOWN
    finally:
        frames.close()
    if reply.get("declined"):
        return None
    sys.stdout.write(reply["stdout"])
    sys.stderr.write(reply["stderr"])
    return int(reply["code"])


def _connect(folder: str):
    """(frames, nonces, key) of a service of the folder that proved the station's secret
    (wire.client_proves), or (None, None, None): none there, stale, or not ours."""
    family, address = wire.address(folder)
    try:
        with open(os.path.join(folder, wire.KEY_NAME), "rb") as file:
            key = file.read()
    except (OSError, ValueError):  # none ran here, not ours, or a name the OS refuses
        return None, None, None
    if family == "AF_UNIX" and not os.path.exists(address):
        return None, None, None
    frames = None
    try:
        frames = _open(family, address)
        frames.within(wire.HANDSHAKE_S)
        return frames, wire.client_proves(frames, key), key
    except (OSError, EOFError, wire.Refused):  # gone, stale, stopped or not ours: run here
        if frames is not None:
            frames.close()
        return None, None, None


def _open(family: str, address: str):
    if family == "AF_PIPE":
        from multiprocessing.connection import Client

        return wire.PipeFrames(Client(address, family))
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(wire.HANDSHAKE_S)
        wire.reach(sock, address, "connect")
    except OSError:
        sock.close()
        raise
    return wire.SocketFrames(sock)
