"""The test suite writes nothing into the home folder of whoever runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REAL_HOME = Path(os.environ["COUNTER_APP_REAL_HOME"])  # both set by conftest.py
TEST_HOME = Path(os.environ["COUNTER_APP_TEST_HOME"])

PROBE = """
import json, os
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from platformdirs import user_cache_dir, user_config_dir, user_data_dir
from counter_app.cli.paths import default_data_dir
from counter_app.qt_process import qt_application
from PySide6.QtCore import QSettings
qt_application()
print(json.dumps([str(Path.home()), str(default_data_dir()), user_config_dir("counter-app"),
                  user_cache_dir("counter-app"), user_data_dir("counter-app"),
                  QSettings().fileName()]))
"""


def test_every_place_the_program_writes_to_is_inside_the_test_home():
    assert TEST_HOME != REAL_HOME
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    places = json.loads(done.stdout.strip().splitlines()[-1])
    for place in places:
        assert Path(place).is_relative_to(TEST_HOME), place
