"""One deadline for every sync round, whatever the upstream does (issue 20 #9): a portal that
drips one byte at a time, served for real on 127.0.0.1, is cut at the round's deadline in
every dialect, and the outbox is never left "sending". The deadline is a parameter
(`Limits.round_seconds`), so these tests take seconds; the default stays under 100 s."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from counter_app.services import dossiers as service
from sync import protocol as p
from sync.answers import Limits
from sync.dialects import make_engine
from sync.dialects.settings import save_settings
from sync.emulator_dvcqg import DEFAULT_ACCOUNT
from sync.engine import SyncConfig
from tests.test_sync_hostile import FAST, GOOD, HostilePortal, answer_json, drip

ROUND = Limits(answer_bytes=1_000_000, answer_seconds=30.0, round_seconds=3.0)


@pytest.fixture
def portal():
    server = HostilePortal()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.closing.set()
    server.shutdown()
    server.server_close()


def test_the_default_round_deadline_is_under_100_seconds() -> None:
    limits = Limits()
    assert limits.round_seconds < 100 and limits.answer_seconds <= limits.round_seconds


def receive(ctx) -> str:
    return service.receive_dossier(
        ctx, procedure_code="1.001193", applicant=service.ApplicantInput(full_name="Lê Văn An")
    ).code


def dvcqg_that_drips(portal, store) -> None:
    """A dvcqg upstream that logs in at once, then drips every service call's answer."""
    portal.routes["/auth"] = answer_json({"error_code": 0, "message": "", "session": "phien"})
    portal.routes["/integration"] = drip
    with store.transaction():
        save_settings(store, portal_url=portal.url, dialect="dvcqg", credentials=DEFAULT_ACCOUNT)


def run_with_a_watch(engine, limit: float):
    """The round in a thread, so a round that never ends fails the test instead of hanging."""
    done: list = []
    worker = threading.Thread(target=lambda: done.append(engine.run_once()), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(limit)
    assert done, f"the round was still running after {limit} s"
    return done[0], time.monotonic() - started


def test_a_dialect_round_ends_at_its_deadline_against_a_dripping_upstream(
    portal, store, ctx, tmp_path
):
    dvcqg_that_drips(portal, store)
    receive(ctx)
    config = SyncConfig(**{**FAST.__dict__, "timeout": (1.0, 30.0), "limits": ROUND})
    engine = make_engine(store, tmp_path / "data", portal.url, config=config)
    report, elapsed = run_with_a_watch(engine, ROUND.round_seconds + 10)
    assert elapsed < ROUND.round_seconds + 1.0, elapsed
    assert not report.ok and "lượt đồng bộ đã quá 3 giây" in report.error, report.error
    assert store.outbox.counts() == {"waiting": 1}  # never left "sending"


def test_a_round_releases_what_an_earlier_round_left_sending(portal, store, ctx, tmp_path):
    """A round of this process that died mid-send (here: marked by hand, as a kill of the
    round's thread leaves it) is sent again by the next round, not left "sending"."""
    portal.routes["/auth"] = answer_json({"error_code": 0, "message": "", "session": "phien"})
    portal.routes["/integration"] = answer_json({"error_code": 0, "message": "", "result": []})
    with store.transaction():
        save_settings(store, portal_url=portal.url, dialect="dvcqg", credentials=DEFAULT_ACCOUNT)
    receive(ctx)
    engine = make_engine(store, tmp_path / "data", portal.url, config=FAST)
    (item,) = store.outbox.pending()
    with store.transaction():
        store.outbox.mark_sending([item.idem_key])
    report = engine.run_once()
    assert report.ok and report.pushed == 1, report
    assert store.outbox.counts() == {"synced": 1}


def test_a_killed_sync_leaves_nothing_sending_for_the_next_run(portal, store, ctx, tmp_path):
    """`counter-app sync --once` SIGKILLed while the portal drips its push answer: the batch
    it was sending goes again at the next run, with the same key."""
    portal.routes[p.PATH_PUSH] = drip
    receive(ctx)
    data_dir = store.path.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "COUNTER_APP_LANG": "en"}
    child = subprocess.Popen(
        [sys.executable, "-m", "counter_app", "--data-dir", str(data_dir), "sync",
         "--portal", portal.url, "--once"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while store.outbox.counts().get("sending") != 1:  # the batch is on its way
        assert time.monotonic() < deadline and child.poll() is None
        time.sleep(0.1)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert store.outbox.counts() == {"sending": 1}  # what the kill left
    portal.routes[p.PATH_PUSH] = GOOD[p.PATH_PUSH]
    engine = make_engine(store, tmp_path / "data", portal.url, config=FAST)
    assert engine.run_once().ok
    assert store.outbox.counts() == {"synced": 1}


@pytest.mark.parametrize("seconds", [2.0, 4.0])
def test_the_reference_round_ends_at_the_deadline_it_is_given(
    seconds, portal, store, ctx, tmp_path
):
    portal.routes[p.PATH_PUSH] = drip
    receive(ctx)
    limits = Limits(answer_bytes=1_000_000, answer_seconds=60.0, round_seconds=seconds)
    config = SyncConfig(**{**FAST.__dict__, "timeout": (1.0, 30.0), "limits": limits})
    engine = make_engine(store, tmp_path / "data", portal.url, config=config)
    report, elapsed = run_with_a_watch(engine, seconds + 10)
    assert seconds - 0.5 < elapsed < seconds + 1.0, elapsed
    assert not report.ok and f"lượt đồng bộ đã quá {seconds:g} giây" in report.error
    assert store.outbox.counts() == {"waiting": 1}
