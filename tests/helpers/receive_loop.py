"""Child process for test_sequence_concurrency: receives dossiers for a while, as fast as it can.

Usage: python receive_loop.py DATA_DIR T0 SECONDS

Opens the store with its own connection, prints "ready", waits for a line on stdin (so all
children start together), then calls receive_dossier in a loop for SECONDS and prints the
codes it got, one a line, then "done". The clock is a fixed working day plus the real time
elapsed since T0, the same in every child, so every dossier lands on that day.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta

from counter_app.core.clock import VN_TZ
from counter_app.core.roles import Actor, Role
from counter_app.services.dossiers import ApplicantInput, receive_dossier
from counter_app.services.setup import open_context
from counter_app.store import open_store

BASE = datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ)
PROCEDURE = "1.001193"


def main() -> None:
    data_dir, t0, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])

    def clock() -> datetime:
        return BASE + timedelta(seconds=time.time() - t0)

    store = open_store(data_dir)
    ctx = open_context(store, clock=clock, actor=Actor(f"canbo{os.getpid()}", Role.CLERK))
    ctx.catalogue().procedure(PROCEDURE)  # warm up before the start line:
    ctx.calendar().due_at(BASE, ctx.catalogue().procedure(PROCEDURE).processing)  # holidays
    print("ready", flush=True)
    sys.stdin.readline()
    codes = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        dossier = receive_dossier(
            ctx, procedure_code=PROCEDURE, applicant=ApplicantInput("Nguyễn Thị Thùy Dương")
        )
        codes.append(dossier.code)
    store.close()
    print("\n".join([*codes, "done"]), flush=True)


if __name__ == "__main__":
    main()
