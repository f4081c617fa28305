"""Claim leases: a counter killed (SIGKILL) between its claim and its call strands no
citizen. Real nats-server under `hub start`, real station processes; the killed one is a
real counter process that stops right after its claim reached the center."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from counter_app.center.lab import cli, cli_json

# a counter process that claims the next ticket, says so, and is killed before it commits
CLAIM_THEN_HANG = """
import sys, time
from counter_app.center.link import CenterLink
from counter_app.core.clock import system_now
from counter_app.core.roles import Actor, Role
from counter_app.services import queue
from counter_app.services.context import ServiceContext
from counter_app.services.station import load_station
from counter_app.store import open_store

store = open_store(sys.argv[1])
station = load_station(store)
link = CenterLink(store, station)
link.sync()


class ClaimThenHang:
    def claim(self, name, owner):
        won = link.claim(name, owner)
        print("CLAIMED" if won else "LOST", flush=True)
        time.sleep(600)


actor = Actor("admin", Role.ADMIN)
ctx = ServiceContext(store, system_now, station, actor, claims=ClaimThenHang())
queue.call_next(ctx, counter=int(sys.argv[2]))
"""


def test_a_counter_killed_between_claim_and_call_strands_nobody(short_lease, center):
    kiosk = center.join("kiosk", "kiosk")
    first, second = center.join("c1", "counter"), center.join("c2", "counter")
    assert cli_json(kiosk, "ticket", "take", "--group", "A")["label"] == "A001"
    cli(first, "center", "sync")
    hung = subprocess.Popen(
        [sys.executable, "-c", CLAIM_THEN_HANG, str(first), "1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert hung.stdout.readline().strip() == "CLAIMED"
        claimed_at = time.monotonic()
    finally:
        os.kill(hung.pid, signal.SIGKILL)
        hung.wait(10)

    def call(*more):
        return cli(second, "queue", "call", "--counter", "2", "--ticket", "A001",
                   "--reason", "supplement", *more, check=False)  # fmt: skip

    refused = call()
    # the truth: another counter holds it for a while, not "not waiting"
    assert refused.returncode == 1
    assert "vừa được một quầy khác nhận gọi" in refused.stderr + refused.stdout
    assert f"{short_lease} giây" in refused.stderr + refused.stdout
    while True:
        done = call("--json")
        if done.returncode == 0:
            break
        assert time.monotonic() - claimed_at < short_lease + 10, done.stderr
        time.sleep(1.0)
    waited = time.monotonic() - claimed_at
    assert waited < short_lease + 10

    # the killed counter, restarted, sees A001 called at counter 2 and calls nobody twice
    cli(first, "center", "sync")
    active = cli_json(first, "queue", "list")["active"]
    assert [(t["label"], t["counter"]) for t in active] == [("A001", 2)]
    empty = cli(first, "queue", "call-next", "--counter", "1", check=False)
    assert empty.returncode == 1
