"""A kill while a paper is written leaves the old paper or the new one, whole.

A child attaches papers 1 and 2 of one dossier again and again (each time replacing the
one before) and is killed with SIGKILL at random moments. After every kill each paper the
store names opens and matches its SHA-256, every paper the child confirmed is there or was
replaced by a later one, and what the kill left half-done (a file written before its
commit, a partial write) is swept without touching a kept paper.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from counter_app.services import papers
from counter_app.store import open_store
from tests.conftest import make_ctx
from tests.test_papers import receive, text_page

WORKER = Path(__file__).parent / "helpers" / "paper_kill_worker.py"
KILLS = 8


def test_a_kill_during_a_write_leaves_the_old_or_the_new_paper(store, clock, station, tmp_path):
    ctx = make_ctx(store, clock, station)
    code = receive(ctx).code
    page = text_page(tmp_path / "page.png")
    data_dir = store.path.parent
    store.close()
    t0 = time.time()
    rng = random.Random(17)
    confirmed: dict[str, int] = {}
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, str(WORKER), str(data_dir), code, str(page), repr(t0)],
            stdout=subprocess.PIPE, text=True, env={**os.environ},
        )  # fmt: skip
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        for line in out.splitlines():
            _, paper_id, paper_no = line.split()
            confirmed[paper_id] = int(paper_no)
        again = open_store(data_dir)
        try:
            check = make_ctx(again, clock, station)
            current = papers.papers_of(check, code)
            assert sorted(p.paper_no for p in current) in ([], [1], [1, 2])  # one per paper
            for paper in current:
                pdf = papers.read_paper(check, paper.paper_id)
                assert hashlib.sha256(pdf).hexdigest() == paper.sha256
            rows = {r["paper_id"] for r in again.query("SELECT paper_id FROM papers")}
            assert set(confirmed) <= rows  # nothing confirmed was lost
            again.papers.forget_orphans()
            assert set(again.papers.files.ids()) == {p.paper_id for p in current}
        finally:
            again.close()
    assert len(confirmed) >= KILLS  # the kills landed among real writes
