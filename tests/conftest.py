"""Shared fixtures: a fresh store per test, a clock the test controls, contexts per role."""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The user's own home folder is never written: the data folder, Qt settings (QSettings), the
# keyring and every cache point into a folder of this test run, in child processes too.
# Kept in the environment: this module may be imported twice (as `conftest` by a test too).
if "COUNTER_APP_TEST_HOME" not in os.environ:
    os.environ["COUNTER_APP_REAL_HOME"] = str(Path.home())
    os.environ["COUNTER_APP_TEST_HOME"] = tempfile.mkdtemp(prefix="counter-app-test-home-")
    atexit.register(shutil.rmtree, os.environ["COUNTER_APP_TEST_HOME"], ignore_errors=True)
REAL_HOME = Path(os.environ["COUNTER_APP_REAL_HOME"])
TEST_HOME = Path(os.environ["COUNTER_APP_TEST_HOME"])
# Under pytest-xdist each worker gets a home of its own inside the run's: what one test
# leaves in QSettings or the caches never reaches a test running beside it.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if WORKER and TEST_HOME.name != WORKER:
    TEST_HOME = TEST_HOME / WORKER
    os.environ["COUNTER_APP_TEST_HOME"] = str(TEST_HOME)
for name, sub in (
    ("HOME", ""),
    ("USERPROFILE", ""),
    ("XDG_CONFIG_HOME", ".config"),
    ("XDG_DATA_HOME", ".local/share"),
    ("XDG_CACHE_HOME", ".cache"),
    ("XDG_STATE_HOME", ".local/state"),
    ("APPDATA", "AppData/Roaming"),
    ("LOCALAPPDATA", "AppData/Local"),
):
    os.environ[name] = str(TEST_HOME / sub)
    (TEST_HOME / sub).mkdir(parents=True, exist_ok=True)
# Stores made by tests are sealed with this passphrase; child processes inherit it. The OS
# keyring is off so tests never touch the developer's own, and scrypt is cheaper.
os.environ.setdefault("COUNTER_APP_PASSPHRASE", "cum-mat-khau-cho-kiem-thu")
os.environ.setdefault("COUNTER_APP_KEYRING", "off")
os.environ.setdefault("COUNTER_APP_KDF_N", str(2**12))

from datetime import datetime  # noqa: E402

import pytest  # noqa: E402

from counter_app.core.clock import VN_TZ  # noqa: E402
from counter_app.core.roles import Actor, Role  # noqa: E402
from counter_app.services.context import ServiceContext  # noqa: E402
from counter_app.services.setup import initialise_store  # noqa: E402
from counter_app.store import open_store  # noqa: E402
from tests.helpers.center import center, short_lease  # noqa: E402, F401 (center tests')

AGENCY = "000.00.01.H22"
# A dossier received on the command line, every required paper checked (`--documents all`).
RECEIVE = ("dossier", "receive", "--documents", "all", "--procedure", "1.001193", "--name",
           "Nguyễn Thị Đường")  # fmt: skip


class ManualClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, *args: int) -> datetime:
        self.now = datetime(*args, tzinfo=VN_TZ)
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ))


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "data")
    yield store
    store.close()


@pytest.fixture
def station(store, clock):
    return initialise_store(
        store,
        agency_code=AGENCY,
        center_name="Trung tâm phục vụ hành chính công xã Tân Lập",
        now=clock.now,
        actor=Actor("admin", Role.ADMIN),
        counters=3,
    )


def make_ctx(store, clock, station, role: Role = Role.CLERK, name: str = "canbo1"):
    return ServiceContext(store, clock, station, Actor(name, role))


@pytest.fixture
def ctx(store, clock, station):
    return make_ctx(store, clock, station)


@pytest.fixture(scope="session")
def qapp():
    """pytest-qt's application, made the program's way: with the None guard (see qt_process),
    so a long test session cannot abort the interpreter the way the unguarded one could."""
    from counter_app.qt_process import qt_application

    return qt_application()


# A test file that defines a module-, class- or package-scoped fixture (an emulator, a demo
# store, a window) runs on one worker: the fixture is made once and its tests keep their order.
SHARED_FIXTURE = re.compile(r"""scope\s*=\s*["'](module|class|package)["']""")


@functools.cache
def _shares_fixtures(path: Path) -> bool:
    return path.is_file() and bool(SHARED_FIXTURE.search(path.read_text(encoding="utf-8")))


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's; without it (`-p no:xdist`) unused
def pytest_xdist_make_scheduler(config, log):
    """How pytest-xdist (`-n 4`, pyproject.toml) hands out the tests: each on its own to
    whichever worker is free, but a file that shares fixtures between its tests (see
    SHARED_FIXTURE) as one piece. (Its `loadgroup` marks are lost with pytest 9.2.)"""
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::")[0]
            return path if _shares_fixtures(config.rootpath / path) else nodeid

    return SharedFixtureScheduling(config, log)
