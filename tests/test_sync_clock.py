"""An upstream clock that is no date (inf, nan, 10^300) is never taken as the portal's time,
and a bad value an older version stored breaks neither intake nor `sync status`."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from counter_app.cli import main
from counter_app.store import open_store
from tests.conftest import AGENCY, RECEIVE


class BrokenPortal(ThreadingHTTPServer):
    """A real HTTP server that answers everything "busy" (503), stamped with a given clock."""

    def __init__(self, stamp: str) -> None:
        stamped = stamp

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                body = json.dumps({"error": "busy"}).encode()
                self.send_response(503)
                self.send_header("X-Portal-Time", stamped)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture(autouse=True)
def logged_in(monkeypatch) -> None:
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    assert main(["--data-dir", str(folder), "init", "--agency-code", AGENCY,
                 "--center-name", "Trung tâm xã Tân Lập"]) == 0  # fmt: skip
    return folder


def stored(folder: Path, key: str):
    store = open_store(folder)
    try:
        return store.sync_state.get(key)
    finally:
        store.close()


def works_on(folder: Path, capsys) -> None:
    """Intake and both forms of `sync status` answer normally."""
    capsys.readouterr()
    assert main(["--data-dir", str(folder), *RECEIVE]) == 0
    assert main(["--data-dir", str(folder), "sync", "status"]) == 0
    assert main(["--data-dir", str(folder), "sync", "status", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "Lỗi" not in err and "Cảnh báo" not in err
    assert json.loads(out[out.index("{") :])["clock_offset_s"] is None


@pytest.mark.parametrize("stamp", ["inf", "-inf", "nan", "1e300", "-1e12", "4102444800"])
def test_an_implausible_portal_clock_is_never_stored(data, capsys, stamp) -> None:
    portal = BrokenPortal(stamp)  # 4102444800: 1 January 2100, one second too far
    try:
        assert main(["--data-dir", str(data), "sync", "--once", "--portal", portal.url]) == 1
    finally:
        portal.shutdown()
    err = capsys.readouterr().err
    assert "Lỗi không mong đợi" not in err and "Cảnh báo" not in err  # no clock was seen
    assert stored(data, "clock_offset") is None and stored(data, "clock_behind_s") is None
    works_on(data, capsys)


def test_a_plausible_portal_clock_is_measured(data, capsys) -> None:
    """The same broken portal with a real clock 30 minutes ahead: the header is read, so the
    test above is not passing for want of it."""
    portal = BrokenPortal(f"{time.time() + 1800:.3f}")
    try:
        assert main(["--data-dir", str(data), "sync", "--once", "--portal", portal.url]) == 1
    finally:
        portal.shutdown()
    assert abs(stored(data, "clock_offset") - 1800) < 60
    capsys.readouterr()
    assert main(["--data-dir", str(data), *RECEIVE]) == 1
    assert "Đồng hồ máy chậm 30 phút so với Cổng" in capsys.readouterr().err


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 1e300, -1e12, "x", True])
def test_a_bad_offset_stored_by_an_older_version_breaks_nothing(data, capsys, value) -> None:
    store = open_store(data)
    with store.transaction():
        store.sync_state.set("clock_offset", value)
        store.sync_state.set("clock_behind_s", value)
        store.sync_state.set("clock_measured_at", time.time())
    store.close()
    works_on(data, capsys)


@pytest.mark.parametrize("offset", [float("inf"), float("nan"), 1e300, -1e12])
def test_the_recording_point_refuses_what_no_clock_can_show(store, offset) -> None:
    """Whatever reads a portal clock (this client, a future adapter) goes through here."""
    with store.transaction():
        store.sync_state.record_clock(offset, measured_at=time.time())
    assert store.sync_state.get("clock_offset") is None
    assert store.sync_state.get("clock_behind_s") is None
    with store.transaction():  # a PC in the year 2000 whose portal says 2026: measured
        store.sync_state.record_clock(8.2e8, measured_at=946_857_600.0)
    assert store.sync_state.local_clock_behind() == 8.2e8


TEN_YEARS = 10 * 365 * 86_400


def test_a_portal_ten_years_ahead_is_reported_and_ignored_until_an_admin_confirms(
    data, capsys
) -> None:
    """Issue 20 #10: the emulator's clock 10 years ahead blocked all intake ("Đồng hồ máy
    chậm 5255995 phút"). An upstream must not stop the counter: the reading is reported and
    intake goes on; an admin who says the portal is right makes it count."""
    from sync.emulator import PortalEmulator

    emulator = PortalEmulator(data.parent / "portal", faults=f"clock_skew={TEN_YEARS}").start()
    try:
        capsys.readouterr()
        main(["--data-dir", str(data), "sync", "--once", "--portal", emulator.url])
        err = capsys.readouterr().err
        assert "Cổng báo giờ lệch 3650 ngày so với máy này" in err, err
        assert "Đồng hồ máy lệch" not in err
        assert stored(data, "clock_behind_s") is None
        assert abs(stored(data, "clock_doubtful")["offset"] - TEN_YEARS) < 60
        assert main(["--data-dir", str(data), *RECEIVE]) == 0  # intake goes on
        assert main(["--data-dir", str(data), "sync", "status"]) == 0
        assert "nhiều khả năng đồng hồ của Cổng sai" in capsys.readouterr().err
        assert main(["--lang", "en", "--data-dir", str(data), "sync", "status"]) == 0
        assert "most likely the portal's clock is wrong" in capsys.readouterr().err
        # the next round says the same, and still changes nothing
        main(["--data-dir", str(data), "sync", "--once", "--portal", emulator.url])
        assert stored(data, "clock_behind_s") is None
        # an admin says the portal is right: then it counts, as a slow clock does
        assert main(["--data-dir", str(data), "clock", "confirm", "--portal"]) == 0
        capsys.readouterr()
        assert main(["--data-dir", str(data), *RECEIVE]) == 1
        assert "Đồng hồ máy chậm" in capsys.readouterr().err
    finally:
        emulator.stop()


@pytest.mark.parametrize("hours", [0.5, 7.0, 23.0])
def test_a_slow_clock_by_minutes_or_hours_still_blocks_codes(store, hours) -> None:
    """7 hours: a PC set to UTC instead of Vietnam time, which the portal must still show."""
    with store.transaction():
        store.sync_state.record_clock(hours * 3600, measured_at=time.time())
    assert store.sync_state.local_clock_behind() == hours * 3600
    assert store.sync_state.doubtful_clock() is None


def test_confirming_the_portal_clock_needs_an_admin_and_a_reading(store, ctx) -> None:
    from counter_app.core.errors import Forbidden, NotFound
    from counter_app.core.roles import Role
    from counter_app.services.setup import confirm_portal_clock
    from tests.conftest import make_ctx

    with pytest.raises(NotFound):
        confirm_portal_clock(make_ctx(store, ctx.clock, ctx.station, Role.ADMIN, "admin"))
    with store.transaction():  # three years behind ours: still a date, but doubtful
        store.sync_state.record_clock(-3 * 365 * 86_400, measured_at=time.time())
    assert store.sync_state.doubtful_clock() == -3 * 365 * 86_400
    with pytest.raises(Forbidden):
        confirm_portal_clock(ctx)  # a clerk
