"""What the program loads before the clerk sees it (issue 19's start-up).

A plain `counter-app` runs in a fresh process on a real store, with the bench's probe signing
a clerk in through the real login. The modules present at the first painted window, and when
the counter page is painted after login, are read from `sys.modules` there: a module-level
import that drags the services, the printers, the portal dialects or the spreadsheet writer
back in front of the window fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.core.roles import Role
from counter_app.services.accounts import add_user
from tests.conftest import make_ctx

ROOT = Path(__file__).resolve().parent.parent

# The print and housekeeping threads start START_DELAY_MS after the window, on purpose, and
# import the printers then; a loaded machine may take longer than that to paint the counter,
# so the child holds them off to see what the start itself loaded.
CHILD = """
import json, sys
from counter_app.ui import background, launcher

background.START_DELAY_MS = 600_000

seen = {}
first_paint, page = launcher._Probe.first_paint, launcher._Probe.page

def at_window(self, window):
    first_paint(self, window)
    seen["window"] = sorted(sys.modules)
    import gc
    seen["collections"] = -sum(generation["collections"] for generation in gc.get_stats())
    import PySide6.QtCore  # its names made so far: a Qt type is made when first read
    seen["qt_types"] = sorted(vars(PySide6.QtCore))

def at_page(self, window, key):
    page(self, window, key)
    if key == "counter":
        seen["counter"] = sorted(sys.modules)
        import gc
        seen["collections"] += sum(generation["collections"] for generation in gc.get_stats())

launcher._Probe.first_paint, launcher._Probe.page = at_window, at_page
from counter_app.cli import main

main([])
print(json.dumps(seen))
"""

# Never before the counter is painted: other pages, other issues' machinery, heavy libraries.
NEVER = (
    "sync", "counter_app.center", "counter_app.scanner", "openpyxl", "escpos", "reportlab",
    "img2pdf", "pikepdf", "PIL", "nats", "counter_app.core.paper_pdf",
    "counter_app.ui.intake", "counter_app.ui.dossiers", "counter_app.ui.reports",
    "counter_app.ui.settings", "counter_app.ui.papers", "counter_app.services.dossiers",
    "counter_app.services.papers", "counter_app.services.search",
    "counter_app.services.portal_link", "counter_app.services.procedures",
)  # fmt: skip
# Nor before the first window: the store and everything behind the login.
NOT_BEFORE_WINDOW = NEVER + (
    "counter_app.store", "counter_app.services", "counter_app.ui.gateway",
    "counter_app.ui.counter", "counter_app.ui.session", "cryptography", "PySide6.QtNetwork",
    "importlib.resources", "hashlib",
)  # fmt: skip
# Qt types whose Python enums cost most and the login form does not need: the `Qt` namespace
# (94 enums), QEvent (every event type), the list and item views, shortcuts.
NOT_MADE_BEFORE_WINDOW = ("Qt", "QEvent")


def _loaded(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """The modules that are one of `prefixes` or inside one; printers.fonts is the one
    printers module the window needs (its Vietnamese font)."""
    return [
        m
        for m in modules
        if any(m == p or m.startswith(p + ".") for p in (*prefixes, "printers"))
        and m not in ("printers", "printers.fonts")
    ]


@pytest.fixture
def started(tmp_path, store, clock, station) -> dict:
    add_user(make_ctx(store, clock, station, Role.ADMIN, "admin"), username="canbo",
             role=Role.CLERK, password="matkhau-dai-2026")  # fmt: skip
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               COUNTER_APP_DATA=str(store.path.parent),
               COUNTER_APP_UI_PROBE=str(tmp_path / "probe.json"),
               COUNTER_APP_UI_PROBE_LOGIN="canbo:matkhau-dai-2026")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)  # fmt: skip
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert json.loads((tmp_path / "probe.json").read_text())["login_check_s"] > 0
    return seen


def test_the_first_window_and_the_counter_load_only_what_they_show(started):
    """One start for both moments (a start costs seconds on a shared machine)."""
    assert "counter_app.ui.login" in started["window"]  # the control: the login form is there
    assert _loaded(started["window"], NOT_BEFORE_WINDOW) == []
    assert "QObject" in started["qt_types"]  # the control: made types are listed
    assert [t for t in NOT_MADE_BEFORE_WINDOW if t in started["qt_types"]] == []
    # The cycle collector held while starting: from the first window to the counter it
    # walked the start's objects some 40-60 times, for nothing.
    assert started["collections"] < 5
    assert "counter_app.ui.counter" in started["counter"]
    assert "counter_app.services.queue" in started["counter"]
    assert _loaded(started["counter"], NEVER) == []
