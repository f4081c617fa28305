"""One program window per data folder, with real processes on the offscreen platform.

A second start on the same folder (however spelled) asks the running window to come forward
and exits; a holder that died leaves no lock behind; a holder that hangs is named as such.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from counter_app.ui.single_instance import LOCK_FILE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signals stop the holder")
START = "import sys; from counter_app.cli import main; sys.exit(main())"


def _env(tmp_path: Path) -> dict[str, str]:
    """One temporary folder per test: Qt's socket files live there, not in /tmp."""
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_LOGGING_RULES="qt.qpa.*=false",
                TMPDIR=str(tmp_path))  # fmt: skip


def _start(data_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", START, "--data-dir", str(data_dir), *args],
        env=_env(data_dir.parent), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _holding(process: subprocess.Popen, data_dir: Path, timeout: float = 60) -> None:
    """Wait until the window process holds the folder's lock (and is still running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if (data_dir / LOCK_FILE).exists():
            return
        time.sleep(0.1)
    raise AssertionError("the first window never took its lock")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=30)


def test_a_second_start_brings_the_running_window_forward(tmp_path):
    data = tmp_path / "station"
    first = _start(data)
    try:
        _holding(first, data)
        second = subprocess.run(
            [sys.executable, "-c", START, "--data-dir", str(data)],
            env=_env(tmp_path),
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode == 0, second.stderr
        assert "cửa sổ đang chạy được đưa lên trước" in second.stderr
        # the same folder spelled through a link, in English
        (tmp_path / "link").symlink_to(data, target_is_directory=True)
        third = subprocess.run(
            [sys.executable, "-c", START, "--lang", "en", "--data-dir", str(tmp_path / "link")],
            env=_env(tmp_path),
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert third.returncode == 0, third.stderr
        assert "its window was brought to the front" in third.stderr
        assert first.poll() is None  # the running window carries on
        # a window open since morning: its lock is old, never stale while it runs
        hours_ago = time.time() - 6 * 3600
        os.utime(data / LOCK_FILE, (hours_ago, hours_ago))
        late = subprocess.run(
            [sys.executable, "-c", START, "--data-dir", str(data)],
            env=_env(tmp_path),
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert late.returncode == 0 and "đưa lên trước" in late.stderr, late.stderr
        # another folder is another station: it opens
        other = _start(tmp_path / "other")
        try:
            _holding(other, tmp_path / "other")
            time.sleep(1)
            assert other.poll() is None
        finally:
            _stop(other)
    finally:
        _stop(first)


def test_a_dead_holder_leaves_no_lock_and_a_hung_one_is_named(tmp_path):
    data = tmp_path / "station"
    first = _start(data)
    _holding(first, data)
    first.send_signal(signal.SIGSTOP)  # hung: holds the lock, answers nothing
    try:
        hung = subprocess.run(
            [sys.executable, "-c", START, "--data-dir", str(data)],
            env=_env(tmp_path),
            capture_output=True, text=True, timeout=90,
        )  # fmt: skip
        assert hung.returncode == 1
        assert "không trả lời" in hung.stderr
    finally:
        first.send_signal(signal.SIGCONT)
    first.kill()  # a power cut for the holder: its lock file stays on disk
    first.communicate(timeout=30)
    assert (data / LOCK_FILE).exists()
    again = _start(data)
    try:
        time.sleep(3)  # long enough for a refused start to have exited
        assert again.poll() is None, again.communicate()
        # and it answers on the dead holder's socket name
        forwarded = subprocess.run(
            [sys.executable, "-c", START, "--data-dir", str(data)],
            env=_env(tmp_path),
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert forwarded.returncode == 0 and "đưa lên trước" in forwarded.stderr
    finally:
        _stop(again)


def test_two_starts_at_once_open_one_window(tmp_path):
    """A kiosk's logon start racing a click: one wins the store, the other is answered once
    the winner's window exists."""
    data = tmp_path / "station"
    starts = [_start(data) for _ in range(2)]
    try:
        deadline = time.monotonic() + 90
        while all(p.poll() is None for p in starts) and time.monotonic() < deadline:
            time.sleep(0.1)
        ended = [p for p in starts if p.poll() is not None]
        assert len(ended) == 1, "both or neither opened the store"
        _, err = ended[0].communicate(timeout=30)
        assert ended[0].returncode == 0 and "đưa lên trước" in err, err
        time.sleep(1)
        assert sum(p.poll() is None for p in starts) == 1
    finally:
        for p in starts:
            _stop(p)
