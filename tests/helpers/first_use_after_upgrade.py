"""Child process for test_migrations: the first use of an upgraded pre-encryption store.

Usage: python first_use_after_upgrade.py DATA_DIR search|receive

Opens the store, prints "ready", waits for a line on stdin (so siblings start together),
then either searches by name (a read, outside any transaction) or receives one dossier for
"Phạm Văn Lộc", and prints "ok ..." or "error TYPE: MESSAGE".
"""

from __future__ import annotations

import sys
from datetime import datetime

from counter_app.core.clock import VN_TZ
from counter_app.core.roles import Actor, Role
from counter_app.services.dossiers import ApplicantInput, receive_dossier
from counter_app.services.setup import open_context
from counter_app.store import open_store

data_dir, mode = sys.argv[1], sys.argv[2]
store = open_store(data_dir)
ctx = open_context(
    store,
    clock=lambda: datetime(2026, 4, 29, 10, 0, tzinfo=VN_TZ),
    actor=Actor("canbo1", Role.CLERK),
)
ctx.catalogue()
print("ready", flush=True)
sys.stdin.readline()
try:
    if mode == "search":
        print("ok", len(store.dossiers.by_name("nguyen", 10)), flush=True)
    else:
        dossier = receive_dossier(
            ctx, procedure_code="1.001193", applicant=ApplicantInput("Phạm Văn Lộc")
        )
        print("ok", dossier.code, flush=True)
except Exception as exc:  # reported to the test
    print("error", f"{type(exc).__name__}: {exc}", flush=True)
finally:
    store.close()
