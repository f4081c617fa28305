"""Online dossiers in a center (issue 18): the hub alone pulls the motcua emulator's inbox,
the dossiers reach every counter's inbox through the stream, two clerks cannot take the same
one (a claim `o.*` with the tickets' 30 s lease), and the emulator sees the clerk's status 2
exactly once through SIGKILLs of the hub's sync and of the hub. Real nats-server under `hub
start`, real station processes, the emulator over HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
import requests

from counter_app.center.lab import ADMIN, Center, cli, cli_json
from sync.emulator_motcua import DEFAULT_CLIENT, MotcuaEmulator
from sync.testing_dialects import OFFLINE_BLOCK
from tests.conftest import AGENCY

# a second clerk deciding with a replica that has not applied the first one's decision:
# only the claim can stop it
DECIDE_UNAWARE = """
import sys
from counter_app.center.link import CenterLink
from counter_app.core.clock import system_now
from counter_app.core.errors import DomainError
from counter_app.core.roles import Actor, Role
from counter_app.services import online_inbox
from counter_app.services.context import ServiceContext
from counter_app.services.station import load_station
from counter_app.store import open_store

store = open_store(sys.argv[1])
station = load_station(store)
with CenterLink(store, station) as link:
    ctx = ServiceContext(store, system_now, station, Actor("canbo2", Role.CLERK), claims=link)
    try:
        online_inbox.accept_online(ctx, sys.argv[2])
        print("ACCEPTED")
    except DomainError as refused:
        print(refused.message("vi"))
"""


# a clerk whose counter claims the dossier, says so, and is killed before it decides
CLAIM_THEN_HANG = """
import sys, time
from counter_app.center.link import CenterLink
from counter_app.core.clock import system_now
from counter_app.core.roles import Actor, Role
from counter_app.services import online_inbox
from counter_app.services.context import ServiceContext
from counter_app.services.station import load_station
from counter_app.store import open_store

store = open_store(sys.argv[1])
station = load_station(store)
link = CenterLink(store, station)


class ClaimThenHang:
    def claim_online(self, code, owner):
        print("CLAIMED" if link.claim_online(code, owner) else "LOST", flush=True)
        time.sleep(600)


ctx = ServiceContext(store, system_now, station, Actor("canbo1", Role.CLERK),
                     claims=ClaimThenHang())
online_inbox.accept_online(ctx, sys.argv[2])
"""


@pytest.fixture
def emulator(tmp_path):
    emu = MotcuaEmulator(tmp_path / "motcua", reserved={AGENCY: OFFLINE_BLOCK}).start()
    yield emu
    emu.stop()


def hub_sync(center: Center, url: str) -> subprocess.Popen:
    """The hub's sync, a round every second, as `counter-app sync` runs at a hub."""
    return subprocess.Popen(
        [sys.executable, "-m", "counter_app", "--data-dir", str(center.hub_dir), "sync",
         "--portal", url, "--dialect", "motcua", "--interval", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, **ADMIN, "COUNTER_APP_PORTAL_PASSWORD": DEFAULT_CLIENT["client_secret"]},
    )  # fmt: skip


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)


def until(check, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"never: {what}")


def inbox_codes(station) -> list[str]:
    return [row["upstream_code"] for row in cli_json(station, "dossier", "inbox")]


def decisions(url: str) -> dict:
    return requests.get(f"{url}/_emulator/online-decisions", timeout=10).json()


def test_the_hub_pulls_two_counters_see_it_one_clerk_decides_upstream_once(
    center, emulator, tmp_path
):
    url = emulator.url
    env = {"COUNTER_APP_PORTAL_PASSWORD": DEFAULT_CLIENT["client_secret"]}
    cli(center.hub_dir, "sync", "configure", "--portal", url, "--dialect", "motcua",
        "--client-id", DEFAULT_CLIENT["client_id"], env=env)  # fmt: skip
    first, second = center.join("c1", "counter"), center.join("c2", "counter")
    (code, other) = requests.post(f"{url}/_emulator/online", json={"count": 2}, timeout=10).json()[
        "MaHoSo"
    ]
    syncing = hub_sync(center, url)
    try:
        for station in (first, second):  # the hub's pull, through the stream, to each counter
            until(lambda s=station: {code, other} <= set(inbox_codes(s)), "both listed")
        kill(syncing)  # the decisions go up only under the SIGKILLs below
        rows = {r["upstream_code"]: r for r in cli_json(second, "dossier", "inbox")}
        assert rows[code]["citizen_name"] and len(rows[code]["papers"]) >= 1
        # a paper taken in by the hub opens at a counter (its file from the center's store)
        paper = rows[code]["papers"][0]["paper_id"]
        opened = cli(second, "dossier", "paper", paper, "--out", str(tmp_path / "p.pdf"),
                     check=False)  # fmt: skip
        assert opened.returncode == 0, opened.stderr
        assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")

        # the first clerk accepts; the second, its replica caught up, is told it is decided
        accepted = cli(first, "dossier", "accept-online", code)
        assert "Được tiếp nhận" in accepted.stdout
        late = cli(second, "dossier", "accept-online", code, check=False)
        assert late.returncode == 1
        assert f"Hồ sơ trực tuyến {code} đã được xử lý" in late.stderr
        assert "Traceback" not in late.stderr

        # a clerk whose replica has not applied a decision yet is stopped by the claim
        cli(first, "dossier", "refuse-online", other, "--reason", "Không thuộc thẩm quyền.")
        unaware = subprocess.run(
            [sys.executable, "-c", DECIDE_UNAWARE, str(second), other],
            capture_output=True, text=True, timeout=60, env={**os.environ, **ADMIN},
        )  # fmt: skip
        assert unaware.stdout.startswith(f"Hồ sơ trực tuyến {other} đang được một cán bộ"), (
            unaware.stdout + unaware.stderr
        )

        # SIGKILLs: the hub's sync mid-round, again and again, and the hub itself; answers
        # lost on the way too
        assert decisions(url) == {}
        rng = random.Random(18)
        requests.post(f"{url}/_emulator/faults", json={"spec": "drop_after=0.3,seed=18"},
                      timeout=10)  # fmt: skip
        for n in range(6):
            syncing = hub_sync(center, url)
            time.sleep(rng.uniform(0.5, 2.5))
            kill(syncing)
            if n == 2:
                center.kill_hub()
                center.start_hub()
        syncing = hub_sync(center, url)
        requests.post(f"{url}/_emulator/faults", json={"spec": ""}, timeout=10)
        until(lambda: decisions(url).get(code) and decisions(url).get(other), "both decided")
        time.sleep(3.0)  # more rounds: nothing sent twice
        assert decisions(url) == {code: {"2": 1}, other: {"3": 1}}
    finally:
        kill(syncing)
    for station in (first, second):
        assert inbox_codes(station) == []


def test_a_clerk_killed_after_the_claim_strands_nothing_and_a_decision_keeps_its_claim(
    short_lease, center, emulator
):
    url = emulator.url
    env = {"COUNTER_APP_PORTAL_PASSWORD": DEFAULT_CLIENT["client_secret"]}
    cli(center.hub_dir, "sync", "configure", "--portal", url, "--dialect", "motcua",
        "--client-id", DEFAULT_CLIENT["client_id"], env=env)  # fmt: skip
    first, second = center.join("c1", "counter"), center.join("c2", "counter")
    (code,) = requests.post(f"{url}/_emulator/online", json={"count": 1}, timeout=10).json()[
        "MaHoSo"
    ]
    cli(center.hub_dir, "sync", "--once", env=env)
    for station in (first, second):
        until(lambda s=station: code in inbox_codes(s), "listed")
    hung = subprocess.Popen([sys.executable, "-c", CLAIM_THEN_HANG, str(first), code],
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, **ADMIN})  # fmt: skip
    try:
        assert hung.stdout.readline().strip() == "CLAIMED"
        claimed_at = time.monotonic()
    finally:
        kill(hung)
    refused = cli(second, "dossier", "accept-online", code, check=False)
    assert refused.returncode == 1
    assert "đang được một cán bộ ở quầy khác kiểm tra" in refused.stderr
    assert f"{short_lease} giây" in refused.stderr
    until(lambda: cli(second, "dossier", "accept-online", code, check=False).returncode == 0,
          "the lease lapsed", timeout=short_lease + 15)  # fmt: skip
    accepted_at = time.monotonic()
    assert accepted_at - claimed_at < short_lease + 15
    # the decision was published: its claim no longer lapses, even for a clerk whose
    # replica never heard of the decision
    time.sleep(max(0.0, short_lease + 2 - (time.monotonic() - accepted_at)))
    unaware = subprocess.run([sys.executable, "-c", DECIDE_UNAWARE, str(first), code],
                             capture_output=True, text=True, timeout=60,
                             env={**os.environ, **ADMIN})  # fmt: skip
    assert unaware.stdout.startswith(f"Hồ sơ trực tuyến {code} đang được một cán bộ"), (
        unaware.stdout + unaware.stderr
    )
    cli(center.hub_dir, "sync", "--once", env=env)
    assert decisions(url) == {code: {"2": 1}}
    assert inbox_codes(first) == []  # caught up: decided elsewhere
