"""One funnel for the windows' writes, and one signal for "something changed".

Modelled on Anki's CollectionOp: a window hands `run_op` the service call, what it changes
and the sentence to show on success. The call runs once, in the service's own transaction;
a rule's refusal comes back as its Vietnamese (or English) message, an unexpected failure as
one plain sentence (the details go to the log, never to the user), and on success
`Session.changed` carries a `Changes` to every window. Changes that other stations (the
center) or the portal (sync) bring in are announced with the same signal, so a window
listens in one place and is never stale.

The call runs on the UI thread: the window's store connection belongs to it, and a use case
is one short SQLite transaction. Work that takes seconds (printing, sync, backup) already
runs on its own thread (ui/background.py) and reports through this same signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QCoreApplication

from counter_app.core.errors import DomainError, ValidationError
from counter_app.services.room import disk_full
from counter_app.ui.i18n import current_language, error_text

if TYPE_CHECKING:
    from counter_app.services.context import ServiceContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changes:
    """What a write (here, at another station, or from the portal) may have changed."""

    tickets: bool = False
    dossiers: bool = False
    settings: bool = False
    accounts: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name)
                          for f in fields(self)})  # fmt: skip

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


TICKETS = Changes(tickets=True)
DOSSIERS = Changes(dossiers=True)
SETTINGS = Changes(settings=True)
ACCOUNTS = Changes(accounts=True)


class OpSession(Protocol):
    """What `run_op` needs of the window's Session (ui/session.py), named here: the session
    imports this module, so this one does not import it back."""

    def ctx(self) -> ServiceContext: ...
    def notify(self, changes: Changes) -> None: ...


@dataclass(frozen=True)
class OpResult:
    ok: bool
    value: Any = None
    error: DomainError | None = None  # a rule's refusal (None for an unexpected failure)
    text: str = ""  # what the user was told


def run_op(
    session: OpSession,
    call: Callable[[ServiceContext], Any],
    *,
    changes: Changes,
    done: str = "",
    report: Callable[[str, str], None] | None = None,
    ctx: ServiceContext | None = None,
) -> OpResult:
    """Run `call(ctx)`; tell `report(text, kind)` ("ok"/"error") how it went; announce
    `changes` on success. A ValidationError is returned for the caller to put next to its
    field (and reported too, unless the caller handles it)."""
    try:
        value = call(ctx or session.ctx())
    except DomainError as error:
        text = error_text(error)
        if report is not None and not isinstance(error, ValidationError):
            report(text, "error")
        return OpResult(False, error=error, text=text)
    except Exception as error:  # noqa: BLE001 - a sentence for the user, the details logged
        log.error("operation failed", exc_info=error)
        text = failure_text(error)
        if report is not None:
            report(text, "error")
        return OpResult(False, text=text)
    session.notify(changes)
    if done and report is not None:
        report(done, "ok")
    return OpResult(True, value, text=done)


def failure_text(error: BaseException) -> str:
    """What the user reads about a failure, in their language: a rule's own message, a
    portal fault's sentence, else one plain sentence (an operating-system or library error
    is English and may quote a path or a value; it goes to the log, not on screen)."""
    if isinstance(error, DomainError):
        return error_text(error)
    full = disk_full(error)
    if full is not None:  # a full disk: the cause and what to do
        return error_text(full)
    message = getattr(error, "message", None)
    if callable(message):  # sync's UpstreamFault: worded for a clerk, in both languages
        return message(current_language())
    return QCoreApplication.translate(
        "Operation",
        "Không thực hiện được do lỗi không mong đợi; không có gì bị ghi dở. Chi tiết đã "
        "ghi vào nhật ký: hãy báo quản trị viên.",
    )
