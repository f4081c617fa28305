"""Child process for test_papers_kill: attaches papers to one dossier until killed.

Usage: python paper_kill_worker.py DATA_DIR DOSSIER_CODE PAGE_PNG T0

The clock is a working morning plus the real time since T0 (shared by every child), so it
never goes back from one child to the next.

Prints "A <paper_id> <paper_no>" after each attach returned (after its COMMIT), scanning
papers 1 and 2 again and again, so every kill lands in a write or a replacement.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from counter_app.core.clock import VN_TZ
from counter_app.core.paper_pdf import make_pdf
from counter_app.core.roles import Actor, Role
from counter_app.services.papers import attach_pdf
from counter_app.services.setup import open_context
from counter_app.store import open_store

data_dir, code, page, t0 = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
store = open_store(data_dir)
start = datetime(2026, 4, 29, 9, 30, tzinfo=VN_TZ)  # after the dossier was received
ctx = open_context(
    store,
    clock=lambda: start + timedelta(seconds=time.time() - t0),
    actor=Actor("canbo1", Role.CLERK),
)
pdf = make_pdf([Path(page).read_bytes()])
print("ready", flush=True)
n = 0
while True:
    paper_no = 1 + n % 2
    paper = attach_pdf(ctx, code, paper_no, pdf)
    print(f"A {paper.paper_id} {paper_no}", flush=True)
    n += 1
