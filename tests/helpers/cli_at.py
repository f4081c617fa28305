"""Child process: the real `counter-app` command line on a PC whose clock shows another time.

Usage: python cli_at.py WHEN [counter-app arguments...]

WHEN is an ISO time in Vietnam time (e.g. 2000-01-03T09:00): the clock the PC shows, as
after a flat CMOS battery. The clock module's `system_now` is replaced before the command
line is imported, so every part that reads the clock (login, services, spool) sees it; the
program itself has no switch for this.
"""

from __future__ import annotations

import sys
from datetime import datetime

import counter_app.core.clock as clock

WHEN = clock.vn_time(datetime.fromisoformat(sys.argv[1]))
clock.system_now = lambda: WHEN

from counter_app.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[2:]))
