"""Dossier codes under `motcua`: the day's pool of server-issued codes and the reserved
offline block, against the real emulator on 127.0.0.1 with faults on.

A day starts online (the sync round fills the pool), goes offline at noon (the round points
at a dead port), uses the pool then the reserved block, and comes back: every printed code
is unique and every dossier reaches the upstream exactly once under the code on its
receipt. The cap holds, a refill under 5xx leaves the pool as it was, a new day never
serves yesterday's codes, and SIGKILLs around taking a code neither reuse nor lose one.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import socket
import time
from datetime import timedelta

import pytest
import requests

from counter_app.core.errors import DomainError
from counter_app.core.roles import Actor, Role
from counter_app.services import dossiers as service
from counter_app.services.code_pool import pool_status, refill_code_pool
from counter_app.services.context import ServiceContext
from sync.dialects import make_engine
from sync.emulator_motcua import MotcuaEmulator
from sync.engine import SyncConfig
from sync.errors import TransportError
from sync.testing_dialects import (
    OFFLINE_BLOCK,
    check_motcua_exactly_once,
    configure_motcua,
    emulator_get,
    intake_child,
)
from tests.conftest import AGENCY

FAULTS = "5xx=0.1,drop_after=0.1,drop_before=0.05,seed=29"
FAST = SyncConfig(max_tries=1000, backoff_base=0.01, backoff_cap=0.05, pause_base=0.01)
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")


@pytest.fixture
def emulator(tmp_path):
    emu = MotcuaEmulator(
        tmp_path / "motcua", faults=FAULTS, reserved={AGENCY: OFFLINE_BLOCK}
    ).start()
    emu.state.day = "20260429"  # the tests' clock's day (tests/conftest.py)
    yield emu
    emu.stop()


def dead_url() -> str:
    """An address nothing listens on: the link down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def receive(ctx, rng) -> str:
    return service.receive_dossier(
        ctx,
        procedure_code="1.001193",
        applicant=service.ApplicantInput(full_name=rng.choice(NAMES)),
    ).code


def settle(engine, until) -> None:
    """Sync rounds (which end by refilling the pool) until `until()` holds."""
    for _ in range(40):
        engine.run_until_idle(max_rounds=5, horizon=0.5)
        if until():
            return
    raise AssertionError("sync did not settle")


def free_today(store, clock) -> int:
    return store.code_pool.free(clock.now.date().isoformat())


def test_a_day_online_then_offline_at_noon_then_back(
    store, ctx, clock, station, emulator, tmp_path
):
    rng = random.Random(429)
    configure_motcua(store, emulator.url, cap=6)
    printed: list[str] = []
    # morning, online: the first round fills the pool; intake takes from it
    online = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock, ctx=ctx)
    settle(online, lambda: free_today(store, clock) == 6)
    for _ in range(4):
        printed.append(receive(ctx, rng))
        clock.now += timedelta(minutes=20)
    settle(online, lambda: free_today(store, clock) == 6 and store.outbox.counts() == {"synced": 4})
    assert all(code.startswith(f"{AGENCY}-20260429-") for code in printed)
    assert not any(store.code_pool.is_offline(c) for c in printed)
    # noon: the link goes down; the pool's six codes, then the reserved block
    clock.set(2026, 4, 29, 12, 0)
    down = make_engine(store, tmp_path, dead_url(), config=FAST, clock=clock, ctx=ctx)
    for _ in range(9):
        printed.append(receive(ctx, rng))
        report = down.run_once()
        assert not report.ok
        clock.now += timedelta(minutes=10)
    offline = [c for c in printed if store.code_pool.is_offline(c)]
    assert offline == [f"{AGENCY}-20260429-{n:07d}" for n in (9000, 9001, 9002)]
    assert free_today(store, clock) == 0
    # back online: every dossier reaches the upstream once with the code on its receipt
    settle(
        online, lambda: set(store.outbox.counts()) == {"synced"} and free_today(store, clock) == 6
    )
    assert len(printed) == len(set(printed)) == 13
    figures = check_motcua_exactly_once(store, emulator.url, AGENCY)
    held = sorted(d["record"]["MaHoSo"] for d in emulator_get(emulator.url, "dossiers")["dossiers"])
    assert held == sorted(printed)
    stats = emulator_get(emulator.url, "stats")
    assert stats["faults_5xx"] + stats["faults_drop_after"] + stats["faults_drop_before"] > 0
    # the server issued what went to the pool (less answers lost on the link), never more
    # than the pool's three fills; none of its codes fell in the reserved block
    assert 16 <= stats["codes_issued"] <= 18 + stats["faults_drop_after"]
    print(f"code pool day: {figures}")


def test_the_next_day_never_serves_yesterdays_codes(store, ctx, clock, station, emulator, tmp_path):
    configure_motcua(store, emulator.url, cap=5)
    emulator.state.set_faults(emulator.state.faults.__class__())
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    refill_code_pool(ctx, engine.dialect)
    first = receive(ctx, random.Random(1))
    assert "-20260429-" in first
    clock.set(2026, 4, 30, 8, 0)
    emulator.state.day = "20260430"
    nxt = receive(ctx, random.Random(2))  # pool of the 30th empty: the offline block
    assert nxt == f"{AGENCY}-20260430-0009000" and store.code_pool.is_offline(nxt)
    refill_code_pool(ctx, engine.dialect)
    third = receive(ctx, random.Random(3))
    assert "-20260430-" in third and not store.code_pool.is_offline(third)
    days = {(r["day"], r["source"], r["state"]): r["n"] for r in pool_status(ctx)["days"]}
    assert days[("2026-04-29", "server", "unused")] == 4  # kept for the report
    assert days[("2026-04-29", "server", "used")] == 1
    assert ("2026-04-29", "server", "free") not in days


def test_refill_stops_at_the_cap_and_a_5xx_leaves_the_pool_as_it_was(
    store, ctx, clock, station, emulator, tmp_path
):
    configure_motcua(store, emulator.url, cap=4)
    emulator.state.set_faults(emulator.state.faults.__class__())
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    assert refill_code_pool(ctx, engine.dialect).fetched == 4
    assert refill_code_pool(ctx, engine.dialect).fetched == 0
    assert emulator_get(emulator.url, "stats")["codes_issued"] == 4
    before = store.query("SELECT * FROM code_pool ORDER BY rowid")
    with store.transaction():
        store.settings.set("code_pool", {"offline_block": list(OFFLINE_BLOCK), "cap": 10})
    requests.post(f"{emulator.url}/_emulator/faults", json={"spec": "5xx=1.0"}, timeout=10)
    with pytest.raises(TransportError):
        refill_code_pool(ctx, engine.dialect)
    after = store.query("SELECT * FROM code_pool ORDER BY rowid")
    assert [tuple(r) for r in after] == [tuple(r) for r in before]


def test_without_a_reserved_block_an_empty_pool_refuses_in_vietnamese(
    store, ctx, clock, station, emulator
):
    configure_motcua(store, emulator.url)
    with store.transaction():
        store.settings.set("code_pool", {})
    with pytest.raises(DomainError) as caught:
        receive(ctx, random.Random(4))
    assert "dải số dự phòng" in str(caught.value.message("vi"))
    assert store.query_one("SELECT count(*) FROM dossiers")[0] == 0


def test_the_upstream_refuses_a_code_it_neither_issued_nor_reserved(
    store, ctx, clock, station, emulator, tmp_path
):
    emulator.state.set_faults(emulator.state.faults.__class__())
    ours = receive(ctx, random.Random(5))  # received before the switch: our own 2018 code
    configure_motcua(store, emulator.url, offline_block=(9500, 9999))  # 9000-9499 not ours
    offline = receive(ctx, random.Random(6))
    assert offline.endswith("-0009500")
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    report = engine.run_until_idle(max_rounds=5, horizon=0.5)
    assert report.set_aside == 1 and report.waiting == 0
    (aside,) = store.outbox.attention()
    assert aside.entity_id == ours and "MaHoSo" in aside.last_error
    held = [d["record"]["MaHoSo"] for d in emulator_get(emulator.url, "dossiers")["dossiers"]]
    assert held == [offline]


def test_sigkill_while_taking_codes_never_reuses_nor_loses_one(
    store, ctx, clock, station, emulator, tmp_path
):
    """Kill an intake loop at random moments: every code a dossier carries left the pool
    (or the block) exactly once, and every code that left is on a dossier."""
    configure_motcua(store, emulator.url, cap=40)
    emulator.state.set_faults(emulator.state.faults.__class__())
    admin = ServiceContext(store, clock, station, Actor("admin", Role.ADMIN))
    refill_code_pool(admin, make_engine(store, tmp_path, emulator.url).dialect)
    mp = multiprocessing.get_context("forkserver")
    mp.set_forkserver_preload(["sync.testing_dialects", "counter_app.services.dossiers"])
    rng = random.Random(20261129)
    for _ in range(12):
        child = mp.Process(
            target=intake_child,
            args=(str(tmp_path / "data"), clock.now.isoformat()),
            daemon=True,
        )
        child.start()
        # killed after a random number of dossiers, a random instant into the next one
        target = len(store.query("SELECT code FROM dossiers")) + rng.randint(1, 40)
        deadline = time.monotonic() + 30
        while len(store.query("SELECT code FROM dossiers")) < target:
            assert time.monotonic() < deadline and child.is_alive(), "the intake loop stopped"
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.01))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        codes = [r[0] for r in store.query("SELECT code FROM dossiers")]
        left = [r[0] for r in store.query("SELECT code FROM code_pool WHERE state = 'used'")]
        assert len(codes) == len(set(codes))
        assert sorted(codes) == sorted(left), "a code left the pool without its dossier"
    assert store.code_pool.free(clock.now.date().isoformat()) == 0
    offline = sum(store.code_pool.is_offline(c) for c in codes)
    assert offline
    print(f"code pool kills: 12, dossiers {len(codes)}, from the pool 40, offline {offline}")


def test_cli_sets_the_block_refills_and_reports(store, station, emulator, tmp_path, capsys):
    from counter_app.cli.app import main

    configure_motcua(store, emulator.url, offline_block=(9000, 9999))
    emulator.state.set_faults(emulator.state.faults.__class__())
    emulator.state.day = None  # the command line runs on today's real date
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "sync", "code-pool", "--offline-block", "8000-8999"]) == 0
    assert "Dải số dự phòng: 8000-8999" in capsys.readouterr().out
    assert main(["--data-dir", data, "sync", "code-pool", "--offline-block", "9-x"]) != 0
    assert "Dải số hồ sơ không hợp lệ" in capsys.readouterr().err
    assert main(["--data-dir", data, "sync", "code-pool", "--cap", "3"]) == 0
    assert main(["--data-dir", data, "sync", "refill-codes"]) == 0
    assert "Đã lấy 3 mã; mã còn sẵn cho hôm nay: 3/3." in capsys.readouterr().out
    assert main(["--data-dir", data, "sync", "code-pool", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["today_free"] == 3 and info["offline_block"] == [8000, 8999]
    assert main(["--data-dir", data, "sync", "code-pool", "--cap", "5"]) == 0
    dead = dead_url()
    assert main(["--data-dir", data, "sync", "refill-codes", "--portal", dead]) != 0
    assert "Chưa lấy được mã hồ sơ từ hệ thống một cửa" in capsys.readouterr().err


def test_the_server_never_issues_a_number_of_the_reserved_block(
    store, ctx, clock, station, emulator, tmp_path
):
    configure_motcua(store, emulator.url, cap=2)
    emulator.state.set_faults(emulator.state.faults.__class__())
    with emulator.state.lock:
        emulator.state.conn.execute("INSERT INTO codes VALUES ('20260429', 8998)")
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    assert refill_code_pool(ctx, engine.dialect).fetched == 2
    codes = [r[0] for r in store.query("SELECT code FROM code_pool ORDER BY rowid")]
    assert codes == [f"{AGENCY}-20260429-0008999", f"{AGENCY}-20260429-0010000"]


def test_a_code_dated_another_day_is_kept_unused_and_never_served(
    store, ctx, clock, station, emulator, tmp_path
):
    configure_motcua(store, emulator.url, cap=3)
    emulator.state.set_faults(emulator.state.faults.__class__())
    emulator.state.day = "20260430"  # the server's day is already tomorrow
    engine = make_engine(store, tmp_path, emulator.url, config=FAST, clock=clock)
    report = refill_code_pool(ctx, engine.dialect)
    assert (report.fetched, report.other_day, report.free) == (1, 1, 0)
    assert receive(ctx, random.Random(7)).endswith("-20260429-0009000")
    row = store.query_one("SELECT day, state FROM code_pool WHERE source = 'server'")
    assert tuple(row) == ("2026-04-30", "unused")


def test_a_dossier_received_yesterday_takes_no_code_of_today(
    store, station, emulator, tmp_path, capsys
):
    """Codes carry their day: a dossier entered late with `--at` yesterday gets a code of
    yesterday (the reserved block), and today's pool stays whole for today's citizens."""
    from counter_app.cli.app import main
    from counter_app.core.clock import system_now, vn_time

    configure_motcua(store, emulator.url, cap=3)
    emulator.state.set_faults(emulator.state.faults.__class__())
    emulator.state.day = None  # the command line runs on today's real date
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "sync", "refill-codes"]) == 0
    capsys.readouterr()
    now = vn_time(system_now())
    if now.hour == 23 and now.minute >= 58:  # yesterday 23:59 must stay within 24 hours
        time.sleep(125)
        now = vn_time(system_now())
    today = now.date()
    yesterday = today - timedelta(days=1)
    received = [
        "--data-dir", data, "dossier", "receive", "--documents", "all", "--procedure",
        "1.001193", "--name", "Nguyễn Văn An", "--json",
    ]  # fmt: skip
    # late entry may go back 24 hours: the last minute of yesterday is always allowed
    assert main([*received, "--at", f"{yesterday.isoformat()}T23:59"]) == 0
    late = json.loads(capsys.readouterr().out)["code"]
    assert f"-{yesterday:%Y%m%d}-" in late and store.code_pool.is_offline(late), late
    assert main(["--data-dir", data, "sync", "code-pool", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["today_free"] == 3
    assert main(received) == 0  # a dossier of today takes today's first code
    now = json.loads(capsys.readouterr().out)["code"]
    assert f"-{today:%Y%m%d}-" in now and not store.code_pool.is_offline(now), now
