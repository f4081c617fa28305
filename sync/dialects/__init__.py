"""Dialects: the upstream interfaces sync can speak, chosen per center.

`reference` is the program's own API (sync/api.yaml, sync/engine.py, unchanged). The others
speak an existing upstream's wire through `sync/item_engine.py`, which keeps the outbox's
exactly-once machinery (states, backoff, set-aside with a Vietnamese reason, progress, the
clock check) and asks the dialect only how to log in, how to send one event, and how to
recognise what the upstream already holds. See docs/dialects.md.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from counter_app.core.errors import ValidationError
from counter_app.core.messages import register
from counter_app.core.roles import Permission

DIALECTS = ("reference", "dvcqg", "motcua")

register(
    {
        "sync.bad_dialect": {
            "vi": "Chuẩn kết nối «{name}» không được hỗ trợ; chọn một trong: {names}.",
            "en": "Interface '{name}' is not supported; choose one of: {names}.",
        },
        "sync.no_credentials": {
            "vi": "Chưa có tài khoản kết nối Cổng ({missing}): nhập trong Cài đặt › Cổng DVC.",
            "en": "The portal account is not set ({missing}): enter it in Settings › Portal.",
            "cli_vi": "Dòng lệnh: counter-app sync configure",
            "cli_en": "Command line: counter-app sync configure",
        },
    }
)


def check_dialect(name: str) -> str:
    if name not in DIALECTS:
        raise ValidationError(
            "sync.bad_dialect", field="dialect", name=name, names=", ".join(DIALECTS)
        )
    return name


def make_engine(
    store,
    data_dir: Path | str,
    portal_url: str,
    *,
    dialect: str | None = None,
    **options: Any,
):
    """The sync engine for the center's dialect (or the one given)."""
    from sync.dialects.settings import load_settings

    settings = load_settings(store)
    name = check_dialect(dialect or settings.dialect)
    acting = options.pop("ctx", None)  # who the round acts for: then it refills the code pool
    if name == "reference":
        from sync.engine import SyncEngine

        return SyncEngine(store, data_dir, portal_url, **options)
    from sync.item_engine import ItemSyncEngine

    if name == "dvcqg":
        from sync.dialects.dvcqg import DvcqgDialect as Upstream
    else:
        from sync.dialects.motcua import MotcuaDialect as Upstream
    session = options.pop("session", None)
    config = options.get("config")
    timeout = config.timeout if config is not None else (5.0, 60.0)
    extra = {"clock": options["clock"]} if name == "dvcqg" and "clock" in options else {}
    upstream = Upstream(
        store, portal_url, settings.credentials, session=session, timeout=timeout, **extra
    )
    if name == "motcua" and acting is not None:
        upstream.refill = _pool_refill(acting)
        if Permission.CHECK_ONLINE in acting.actor.permissions:
            upstream.acting = acting  # the round also pulls the online inbox
    return ItemSyncEngine(store, upstream, **options)


def _pool_refill(ctx):
    """The `motcua` round's last step: top up today's code pool. A failed link stops the
    round like any other; a refusal of ours (a clock to confirm, a missing right) only
    skips the refill, since intake falls back to the offline block anyway."""
    from counter_app.core.errors import DomainError
    from counter_app.services.code_pool import refill_code_pool

    def refill(upstream) -> None:
        with contextlib.suppress(DomainError):
            refill_code_pool(ctx, upstream)

    return refill


def connection_test(
    store,
    data_dir: Path | str,
    portal_url: str,
    *,
    dialect: str | None = None,
    credentials: dict[str, str] | None = None,
    timeout: tuple[float, float] = (5.0, 15.0),
) -> None:
    """Log in once, sending no record (Settings' and the CLI's connection test); raises what
    sync would. `credentials` tries an account before it is saved (Settings' form)."""
    from sync.dialects.settings import load_settings

    settings = load_settings(store)
    name = check_dialect(dialect or settings.dialect)
    if name == "reference":
        make_engine(store, data_dir, portal_url, dialect=name).client.token()
        return
    if name == "dvcqg":
        from sync.dialects.dvcqg import DvcqgDialect as Upstream
    else:
        from sync.dialects.motcua import MotcuaDialect as Upstream
    creds = settings.credentials if credentials is None else credentials
    Upstream(store, portal_url, creds, timeout=timeout).test_connection()
