"""Where the data lives: --data-dir, else COUNTER_APP_DATA, else the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    env = os.environ.get("COUNTER_APP_DATA")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("counter-app", appauthor=False))
