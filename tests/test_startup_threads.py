"""Who does what while the program starts (issue 19's start-up).

The store's thread imports headless modules only: PySide makes a Qt type's Python side the
first time a module reads its name, and two threads doing it at once saw a half-made type
(`QEvent.KeyPress` missing). And a clerk who signs in the moment the login takes a password
gets the counter page built while the password is checked on a thread of its own (scrypt
lets the window's thread run), not after it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from counter_app.ui.session import Session
from tests.helpers.login import clerk_login_window, sign_in

ROOT = Path(__file__).resolve().parent.parent

PREFETCH = """
import sys
from pathlib import Path
from counter_app.ui import launcher

launcher._prefetch_store(Path(sys.argv[1]))
print(sorted(m for m in sys.modules if m.startswith("PySide6") or m.startswith("counter_app.ui")))
"""


def test_the_store_thread_loads_nothing_of_qt(store, station):
    """Run in a fresh process, as the store's thread runs at start: the login's services and
    the store, and not one Qt module or window module."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", PREFETCH, str(store.path.parent)], env=env,
                         cwd=ROOT, capture_output=True, text=True, timeout=120,
                         check=True)  # fmt: skip
    loaded = out.stdout.strip().splitlines()[-1]
    # The launcher itself is the one window module a start has loaded by then.
    assert loaded == "['counter_app.ui', 'counter_app.ui.launcher']", loaded


def _login_window(qtbot, store, clock, station):
    window = clerk_login_window(qtbot, store, clock, station)
    window.attach(Session(store, clock=clock))
    return window


def test_the_counter_page_is_built_while_the_password_is_checked(
    qtbot, store, clock, station, monkeypatch
):
    """A clerk who signs in before the page was built: the window builds it while the check
    runs on its own thread, and shows that very page once the password is right.

    The real check, held until the window's thread has reached `checking`: on its own thread
    the two overlap by construction; on the window's thread it would wait for a signal that
    can only come after it (and say so), however loaded the machine."""
    from counter_app.core import passwords

    window = _login_window(qtbot, store, clock, station)
    seen = {}
    reached = threading.Event()
    real_check = passwords.verify_password

    def check_held(password: str, stored: str) -> bool:
        seen["check_on"] = threading.current_thread().name
        seen["overlapped"] = reached.wait(10)
        return real_check(password, stored)

    def while_checking() -> None:  # after the window's own slot: the page is built by now
        seen["built"] = "counter" in window._prebuilt
        reached.set()

    monkeypatch.setattr(passwords, "verify_password", check_held)
    window.login.checking.connect(while_checking)
    sign_in(qtbot, window, "matkhau-dai-2026")
    assert seen == {"check_on": "password-check", "overlapped": True, "built": True}
    assert window.stack.currentWidget() is window.pages["counter"]
    assert not any(t.name == "password-check" for t in threading.enumerate())  # joined
    window.close()


def test_a_wrong_password_checked_aside_still_says_so(qtbot, store, clock, station):
    window = _login_window(qtbot, store, clock, station)
    sign_in(qtbot, window, "sai-mat-khau")
    assert "không đúng" in window.login.error.text()
    assert window.stack.currentWidget() is window.login and "counter" not in window.pages
    window.close()
