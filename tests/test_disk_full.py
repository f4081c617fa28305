"""A full disk, for real (issue 20 #11b): SQLite made to return SQLITE_FULL by a page cap, and
a small tmpfs filled to the last byte (when this runs as root and may mount). The clerk reads
the cause in Vietnamese and what to do, nothing is half-written, the day's intake does not
start without a day's room, and the status bar shows the free space before it runs out."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from counter_app.core.errors import DomainError
from counter_app.services import dossiers as service
from counter_app.services.room import check_room_for_the_day, disk_full
from counter_app.store import open_store
from counter_app.store.room import BYTES_PER_DOSSIER, DAY_OF_ROOM, LOW_ROOM
from tests.conftest import AGENCY, RECEIVE

HOA = service.ApplicantInput(
    full_name="Nguyễn Thị Hoa", citizen_id="001190012345", phone="0912345678", address="Thôn 3"
)


def receive(ctx):
    return service.receive_dossier(ctx, procedure_code="1.001193", applicant=HOA)


def counts(store) -> dict[str, int]:
    tables = ("dossiers", "dossier_events", "outbox", "audit", "sequences")
    return {t: store.query_one(f"SELECT count(*) FROM {t}")[0] for t in tables}


def on_disk(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


def test_the_room_a_dossier_takes_is_what_was_measured(store, ctx, clock) -> None:
    """`BYTES_PER_DOSSIER` stays a measurement: a dossier received and moved once, with its
    events, audit entries, sealed outbox rows and indexes, takes no more, nor far less."""
    folder = store.path.parent
    receive(ctx)  # the first pages of every table exist
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = on_disk(folder)
    for _ in range(100):
        clock.now += timedelta(minutes=1)
        d = receive(ctx)
        service.change_status(ctx, code=d.code, to=service.DossierStatus.PROCESSING)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    per_dossier = (on_disk(folder) - before) / 100
    print(f"store growth: {per_dossier:.0f} bytes a dossier")
    assert BYTES_PER_DOSSIER / 3 < per_dossier <= BYTES_PER_DOSSIER, per_dossier
    assert DAY_OF_ROOM < LOW_ROOM


def test_sqlite_full_is_named_and_nothing_is_half_written(store, ctx, clock) -> None:
    """SQLite itself says SQLITE_FULL (the store may not grow by one page): the use case
    fails whole, the message names the full disk, and work goes on once there is room."""
    first = receive(ctx)
    before = counts(store)
    (pages,) = store.query_one("PRAGMA page_count")
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    clock.now += timedelta(minutes=1)
    with pytest.raises(sqlite3.OperationalError) as caught:
        for _ in range(50):  # a page or two may be free inside the file still
            receive(ctx)
            before = counts(store)
    assert caught.value.sqlite_errorcode == sqlite3.SQLITE_FULL
    full = disk_full(caught.value)
    assert full is not None and "Ổ đĩa đã đầy nên không ghi được" in full.message("vi")
    assert "giải phóng chỗ trống" in full.message("vi")
    assert not store.conn.in_transaction
    assert counts(store) == before  # nothing of the failed receipt
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    after = receive(ctx)
    number = int(after.code.rsplit("-", 1)[1])
    assert number == before["dossiers"] + 1 and first.code.endswith("-0001")  # contiguous
    assert store.audit.verify() is None


def test_a_day_does_not_start_without_a_days_room(store, ctx, clock) -> None:
    with pytest.raises(DomainError) as refused:
        check_room_for_the_day(ctx, clock.now, need=10**18)  # more than any disk holds
    assert "không đủ cho một ngày tiếp nhận" in refused.value.message("vi")
    receive(ctx)  # the day started with room: later receipts are not held back
    check_room_for_the_day(ctx, clock.now, need=10**18)


# ---- a real full disk: a small tmpfs (root only) ----------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of `size` MB at tmp_path/disk, unmounted afterwards."""
    mounted: list[Path] = []

    def mount(size_mb: int) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(point)],
            capture_output=True,
        )
        if done.returncode != 0:
            pytest.skip("cannot mount a small filesystem here (needs root)")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.update(COUNTER_APP_USER="admin", COUNTER_APP_PASSWORD="mat-khau-dai")
    return subprocess.run(
        [sys.executable, "-m", "counter_app", "--data-dir", str(folder), *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def init(folder: Path) -> None:
    done = cli(folder, "init", "--agency-code", AGENCY, "--center-name", "Trung tâm xã Tân Lập",
               "--admin-password", "mat-khau-dai")  # fmt: skip
    assert done.returncode == 0, done.stderr


def fill(folder: Path) -> Path:
    """Write until the filesystem says ENOSPC: the disk is full to the last block."""
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as out:
        for block in (65536, 4096, 1):
            try:
                while out.write(b"\0" * block):
                    pass
            except OSError:
                pass
    return filler


def test_a_full_disk_from_the_command_line(small_disk) -> None:
    disk = small_disk(40)
    folder = disk / "data"
    init(folder)
    first = cli(folder, *RECEIVE, "--json")
    assert first.returncode == 0, first.stderr
    store = open_store(folder)
    before = counts(store)
    store.close()
    filler = fill(disk)
    done = cli(folder, *RECEIVE)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Ổ đĩa đã đầy nên không ghi được" in done.stderr, done.stderr
    assert "Lỗi không mong đợi" not in done.stderr and "Traceback" not in done.stderr
    filler.unlink()  # space comes back
    store = open_store(folder)
    try:
        now = counts(store)
        assert {k: now[k] for k in ("dossiers", "outbox", "sequences")} == {
            k: before[k] for k in ("dossiers", "outbox", "sequences")
        }
        assert store.audit.verify() is None and store.integrity_check() == "ok"
    finally:
        store.close()
    again = cli(folder, *RECEIVE)
    assert again.returncode == 0, again.stderr
    assert "-0002" in again.stdout  # the codes stayed contiguous


def test_the_day_does_not_start_on_a_nearly_full_disk(small_disk) -> None:
    disk = small_disk(DAY_OF_ROOM // 1_000_000 - 4)  # less than a day's room
    folder = disk / "data"
    init(folder)
    done = cli(folder, *RECEIVE)
    assert done.returncode == 1
    assert "không đủ cho một ngày tiếp nhận" in done.stderr and "Traceback" not in done.stderr
    store = open_store(folder)
    try:
        assert store.dossiers.count() == 0
    finally:
        store.close()


def test_the_status_bar_shows_the_free_space_when_it_runs_low(small_disk, qtbot, qapp) -> None:
    from datetime import datetime

    from counter_app.core.clock import VN_TZ
    from counter_app.core.roles import Actor, Role
    from counter_app.services.setup import initialise_store
    from counter_app.ui.qtapp import make_app
    from counter_app.ui.session import Session
    from counter_app.ui.shell import StationWindow
    from tests.conftest import ManualClock

    disk = small_disk(LOW_ROOM // 1_000_000 // 2)  # half the warning's threshold
    store = open_store(disk / "data")
    clock = ManualClock(datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ))
    initialise_store(store, agency_code=AGENCY, center_name="Trung tâm xã Tân Lập",
                     now=clock.now, actor=Actor("admin", Role.ADMIN))  # fmt: skip
    make_app("vi")
    session = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    window = StationWindow()
    qtbot.addWidget(window)
    window.attach(session)
    window.resize(1366, 768)
    window.show()
    bar = window.statusBar()
    bar.refresh()
    try:
        assert bar.room.isVisible()
        assert bar.room.text().startswith("Ổ đĩa còn trống ") and bar.room.text().endswith(" MB")
        assert "sắp đầy" in bar.room.toolTip()
    finally:
        window.close()
        session.close()
        store.close()


def test_a_commit_that_meets_a_full_disk_leaves_no_transaction_open(small_disk) -> None:
    """The disk fills between a use case's writes and its commit (the WAL cannot grow): the
    commit fails, nothing of it stays, and the next use case can begin."""
    disk = small_disk(8)
    store = open_store(disk / "data")
    try:
        store.conn.execute("CREATE TABLE probe (x TEXT)")
        filler = None
        with pytest.raises(sqlite3.OperationalError) as caught, store.transaction():
            store.conn.execute("INSERT INTO probe VALUES (?)", ("x" * 200_000,))
            filler = fill(disk)
        assert disk_full(caught.value) is not None
        assert not store.conn.in_transaction
        filler.unlink()
        with store.transaction():  # the next use case begins and commits
            store.conn.execute("INSERT INTO probe VALUES ('y')")
        assert [r[0] for r in store.query("SELECT x FROM probe")] == ["y"]
    finally:
        store.close()
