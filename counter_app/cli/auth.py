"""Who the command line acts as: an account, from the environment or a prompt.

Nothing waits for a prompt without a terminal: a missing password is then a clear error.
A store made by a program without any account (tests, tools) is run by the local operator.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from counter_app.core.clock import system_now
from counter_app.core.errors import ValidationError
from counter_app.core.messages import register
from counter_app.core.roles import Actor, Role
from counter_app.store import Store

if TYPE_CHECKING:
    from counter_app.resident.service import ServedRequest

register(
    {
        "cli.need_credentials": {
            "vi": "Cần đăng nhập: đặt biến môi trường {names} (không có bàn phím để hỏi).",
            "en": "Log in by setting {names} (there is no terminal to ask).",
        },
    }
)

LOCAL_OPERATOR = Actor("admin", Role.ADMIN)


def interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def ask_secret(env_name: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env_name)
    if value:
        return value
    if not interactive():
        raise ValidationError("cli.need_credentials", field="password", names=env_name)
    return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)


def acting_user(store: Store, request: ServedRequest | None = None) -> Actor:
    """The account this command acts as: from the environment (or a prompt), or, for a
    command the resident station service runs (counter_app/resident), from its client's
    request, through the same login."""
    if store.users.count() == 0:
        return LOCAL_OPERATOR
    from counter_app.services.accounts import login

    if request is not None:
        username, password = request.username, request.password
        return login(store, username=username, password=password, now=system_now(),
                     verify=request.verify)  # fmt: skip
    username = os.environ.get("COUNTER_APP_USER")
    if not username:
        if not interactive():
            raise ValidationError(
                "cli.need_credentials",
                field="username",
                names="COUNTER_APP_USER và COUNTER_APP_PASSWORD",
            )
        username = click.prompt("Tên đăng nhập")
    password = ask_secret("COUNTER_APP_PASSWORD", "Mật khẩu")
    return login(store, username=username, password=password, now=system_now())
