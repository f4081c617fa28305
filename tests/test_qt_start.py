"""When Qt cannot start (no display, a missing xcb library), the program says so and the demo
plays on the command line; nothing aborts. Real `counter-app` processes, a broken platform."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CLI = "from counter_app.cli import main; raise SystemExit(main())"
BROKEN = [
    pytest.param({"QT_QPA_PLATFORM": "xcb"}, id="xcb-without-display"),
    pytest.param({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":97"}, id="xcb-display-with-no-server"),
]


def _run(tmp_path, extra: dict, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(extra)
    env.update(COUNTER_APP_USER="admin", COUNTER_APP_PASSWORD="quantri2026")
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb platform is Linux's")
@pytest.mark.parametrize("broken", BROKEN)
def test_the_demo_falls_back_to_the_text_scene_when_qt_cannot_start(tmp_path, broken):
    done = _run(tmp_path, broken, "--data-dir", str(tmp_path / "demo"), "demo")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Không mở được cửa sổ chương trình" in done.stderr
    assert "libxcb-icccm4" in done.stderr and "Chạy cảnh mẫu trên dòng lệnh" in done.stderr
    assert "Traceback" not in done.stderr
    assert "Một lượt làm việc tại quầy" in done.stdout and "canbo / canbo2026" in done.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb platform is Linux's")
@pytest.mark.parametrize("args", [(), ("ui",)], ids=["plain", "ui"])
def test_the_window_refuses_with_a_message_instead_of_aborting(tmp_path, args):
    done = _run(tmp_path, {"QT_QPA_PLATFORM": "xcb", "COUNTER_APP_DATA": str(tmp_path)}, *args)
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Không mở được cửa sổ chương trình" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_readme_names_the_system_packages_qt_needs_on_linux():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"):
        assert package in readme
