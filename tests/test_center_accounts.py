"""Accounts by role, with real nats-server and real station processes.

An account event carries a clerk's name and the scrypt hash of their password, so it is
sealed under the personal keys that only counters and hub nodes hold: a kiosk's or a
board's data folder, stolen from the lobby, opens no account event with its own NATS
credentials and every key it holds, and its store keeps no center account, only the
operator made on that PC at join. A counter signs in with an account made at the hub. A
center whose stream already holds account events under the ticket key (sealed so before)
still brings them to its counters, never into a kiosk's store.
"""

from __future__ import annotations

import json
from datetime import datetime

from counter_app.center.lab import ADMIN, cli, cli_json
from counter_app.store import open_store
from tests.helpers.center import credentials
from tests.test_center_keys import _every_key, _keyset, _open_with, _opens_with_any, _read_stream

CLERK = {"COUNTER_APP_USER": "canbo2", "COUNTER_APP_PASSWORD": "mat-khau-can-bo-2"}
BOARD_ADMIN = {"COUNTER_APP_USER": "bang", "COUNTER_APP_PASSWORD": "mat-khau-bang-goi-so"}


def _accounts(folder) -> dict[str, tuple]:
    store = open_store(folder)
    try:
        rows = store.query("SELECT username, role, password_hash, full_name FROM users")
        return {r["username"]: tuple(r) for r in rows}
    finally:
        store.close()


def _join_board(center):
    """A board joined with its own operator, named and with a password of its own."""
    code = cli_json(center.hub_dir, "hub", "invite", "--role", "display")["code"]
    board = center.root / "board"
    cli(board, "center", "join", code, "--admin-user", "bang",
        "--admin-password", BOARD_ADMIN["COUNTER_APP_PASSWORD"])  # fmt: skip
    return board


def test_a_kiosk_and_a_board_hold_no_account_a_counter_signs_in_with_the_hubs(center):
    kiosk, board = center.join("kiosk", "kiosk"), _join_board(center)
    counter = center.join("c1", "counter")
    new = {"COUNTER_APP_NEW_PASSWORD": CLERK["COUNTER_APP_PASSWORD"]}
    cli(center.hub_dir, "users", "add", "canbo2", "--role", "clerk",
        "--full-name", "Nguyễn Thị Đường", env=new)  # fmt: skip
    for folder in (center.hub_dir, counter, kiosk):
        cli(folder, "center", "sync")
    cli(board, "center", "sync", env=BOARD_ADMIN)

    # a counter signs the hub's clerk in, with the full name the forms print
    assert cli(counter, "queue", "list", env=CLERK).returncode == 0
    assert _accounts(counter)["canbo2"][3] == "Nguyễn Thị Đường"

    hub_admin = _accounts(center.hub_dir)["admin"]
    for thief, own in ((kiosk, "admin"), (board, "bang")):
        messages = _read_stream(credentials(thief))  # its own credentials read the stream
        accounts = [m for m in messages if m["action"].startswith("user.")]
        assert accounts, [m["action"] for m in messages]
        keys = _every_key(_keyset(thief))
        assert not [m["seq"] for m in accounts if _opens_with_any(keys, m["sealed"], m["key"])]
        assert set(_open_with(thief, accounts).values()) == {"not-mine"}
        # its store: its own operator alone, no clerk, no hash of the center's
        held = _accounts(thief)
        assert set(held) == {own}, held
        assert held[own][1] == "admin" and held[own][2] != hub_admin[2]
        # and the center's accounts do not sign in there
        assert cli(thief, "center", "status", env=CLERK, check=False).returncode != 0
    # the kiosk still works under its own operator, the board under its own
    taken = cli_json(kiosk, "ticket", "take", "--group", "A")
    assert taken["label"].startswith("A")
    assert cli(board, "center", "status", env=BOARD_ADMIN).returncode == 0
    refused = cli(board, "center", "status", env=ADMIN, check=False)  # the hub's admin
    assert refused.returncode != 0 and "không đúng" in refused.stderr + refused.stdout
    # a counter's keys open every account event
    messages = _read_stream(credentials(counter))
    accounts = [m for m in messages if m["action"].startswith("user.")]
    assert set(_open_with(counter, accounts).values()) == {"open"}


def test_a_kiosk_or_board_join_without_an_operator_password_uses_nothing_up(center, tmp_path):
    code = cli_json(center.hub_dir, "hub", "invite", "--role", "kiosk")["code"]
    kiosk = tmp_path / "kiosk"
    weak = cli(kiosk, "center", "join", code, "--admin-password", "ngan", check=False)
    assert weak.returncode != 0 and "Mật khẩu" in weak.stderr + weak.stdout, weak
    # the invite is still open: the same code joins with a proper password
    cli(kiosk, "center", "join", code, "--admin-password", "mat-khau-may-lay-so")
    assert set(_accounts(kiosk)) == {"admin"}


def _journal_old_class_account(hub_dir, username: str, password: str) -> None:
    """An account added at the hub as a version before this one sealed it: under the
    ticket key, which every role holds (the hub's runner publishes it)."""
    from counter_app.core.clock import system_now
    from counter_app.core.passwords import hash_password
    from counter_app.core.roles import Actor, Role
    from counter_app.services.context import ServiceContext
    from counter_app.services.events import account_event
    from counter_app.services.station import load_station

    store = open_store(hub_dir)
    try:
        _ = store.crypto
        station = load_station(store)
        ctx = ServiceContext(store, system_now, station, Actor("admin", Role.ADMIN))
        now = system_now()
        with store.transaction():
            store.users.insert(username, Role.CLERK, hash_password(password), now,
                               full_name="Trần Văn Bình")  # fmt: skip
            payload = {**account_event(ctx, username, now), "to_portal": False}
            key = store.outbox.new_key(station.id)
            sealed = store.center_keys.ticket.seal(json.dumps(payload, ensure_ascii=False), key)
            store.conn.execute(
                "INSERT INTO center_outbox(idem_key, entity, entity_id, op, payload, "
                "created_at) VALUES (?, 'user', ?, 'user.add', ?, ?)",
                (key, username, sealed, datetime.now().isoformat()),
            )
    finally:
        store.close()


def test_account_events_under_the_old_ticket_class_reach_counters_never_a_kiosk(center):
    kiosk, counter = center.join("kiosk", "kiosk"), center.join("c1", "counter")
    _journal_old_class_account(center.hub_dir, "canbo3", "mat-khau-can-bo-3")
    cli(center.hub_dir, "center", "sync")
    late = center.join("kiosk2", "kiosk")  # replays the stream from the start
    for folder in (counter, kiosk, late):
        cli(folder, "center", "sync")
    old = [m for m in _read_stream(credentials(kiosk)) if m["action"] == "user.add"]
    assert len(old) == 1 and old[0]["sealed"].split(":")[1] == "t1"
    # it opens at the kiosks (what was sealed so cannot be taken back) but is not kept
    for folder in (kiosk, late):
        assert _open_with(folder, old) == {old[0]["seq"]: "open"}
        assert set(_accounts(folder)) == {"admin"}
        store = open_store(folder)
        try:
            assert store.center.set_aside_rows() == []
        finally:
            store.close()
    as_clerk = {"COUNTER_APP_USER": "canbo3", "COUNTER_APP_PASSWORD": "mat-khau-can-bo-3"}
    assert cli(counter, "queue", "list", env=as_clerk).returncode == 0
