"""The documented window commands work as written, and screenshots never touch a real store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.test_cli import INIT, table_counts

MAIN = [sys.executable, "-c", "from counter_app.cli import main; main()"]


def counter_app(*args: str, env: dict[str, str], timeout: int = 60):
    return subprocess.run(
        [*MAIN, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def environment(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        COUNTER_APP_DATA=str(data), COUNTER_APP_USER="admin",
        COUNTER_APP_PASSWORD="mat-khau-dai", QT_QPA_PLATFORM="offscreen",
    )  # fmt: skip
    return env


def test_screenshots_leave_the_configured_store_untouched(tmp_path) -> None:
    data = tmp_path / "real"
    env = environment(data)
    assert counter_app(*INIT, env=env).returncode == 0
    assert counter_app("ticket", "take", "--group", "A", env=env).returncode == 0
    before = table_counts(data)
    files_before = sorted(p.name for p in data.iterdir())
    out = tmp_path / "shots"
    done = counter_app("screenshots", "--out", str(out), env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert {"counter.png", "intake.png", "kiosk.png", "dossiers.png"} <= {
        p.name for p in out.iterdir()
    }
    assert table_counts(data) == before  # no ticket, call or dossier written
    assert sorted(p.name for p in data.iterdir()) == files_before
    # --data-dir as well: the pictures are always drawn on a fresh, temporary demo store
    done = counter_app("--data-dir", str(data), "screenshots", "--out", str(out), env=env,
                       timeout=600)  # fmt: skip
    assert done.returncode == 0 and table_counts(data) == before


def test_the_bare_command_takes_role_and_fullscreen(tmp_path) -> None:
    # A kiosk on a store never set up says so and stops, where the all-in-one window would
    # open its first-run wizard: the role reached the program.
    env = environment(tmp_path / "empty")
    for args in (["--role", "kiosk"], ["--role", "display", "--fullscreen"]):
        done = counter_app(*args, env=env)
        assert done.returncode == 1, (args, done.stderr)
        assert "Không có tùy chọn" not in done.stderr
        assert "khởi tạo" in done.stdout + done.stderr
    done = counter_app("--role", "bogus", env=env)
    assert done.returncode == 2 and "--role" in done.stderr
    done = counter_app("--role", "kiosk", "queue", "list", env=env)
    assert done.returncode == 2 and "chỉ dùng khi mở chương trình" in done.stderr
    assert "counter-app ui --role kiosk" in done.stderr


def test_a_station_reopens_as_the_screen_it_was_enrolled_for(tmp_path, store, station) -> None:
    """After a power cut the kiosk PC comes back as the kiosk, with nobody to type --role."""
    from counter_app.preferences import joined_role

    folder = tmp_path / "data"
    assert joined_role(folder) == "all-in-one"  # a single station: every window
    for role, opens in (("kiosk", "kiosk"), ("display", "display"), ("counter", "counter"),
                        ("hub", "all-in-one")):  # fmt: skip
        store.settings.set("station", {**station.to_settings(), "role": role, "in_center": True})
        assert joined_role(folder) == opens, role
    store.settings.set("station", {**station.to_settings(), "role": "kiosk", "in_center": False})
    assert joined_role(folder) == "all-in-one"
    assert joined_role(tmp_path / "nothing-yet") == "all-in-one"  # the first-run wizard
