"""Child process for test_print_spool: spools one receipt and prints it, like a counter PC.

Usage: python print_one_job.py SPOOL_DB PRINTER_URL

Prints "state STATE" when the job has left `printing`, or is killed while it prints.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from counter_app.core.clock import VN_TZ
from printers.documents import form01_document
from printers.samples import SAMPLE_HEADER, sample_dossier
from printers.spool import Spool

clock = lambda: datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ)  # noqa: E731
document = form01_document(sample_dossier(), header=SAMPLE_HEADER, copy=1, processing="3 ngày")
with Spool(Path(sys.argv[1]), clock=clock) as spool:
    job = spool.deliver(spool.enqueue(document, sys.argv[2]).job.id)
    print("state", job.state, flush=True)
