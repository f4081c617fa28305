"""The core, the store and the services must run without Qt (CLI, sync worker, tests, servers).

Each check runs in a fresh interpreter: the test process itself has pytest-qt loaded, so
looking at its own `sys.modules` would prove nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEADLESS_PACKAGES = (
    "counter_app.core", "counter_app.store", "counter_app.services", "counter_app.resident",
)  # fmt: skip
QT_PREFIXES = ("PySide6", "shiboken6")

# Imports every module of the given packages, then reports what it imported and which Qt
# modules ended up in sys.modules. `extra` lets the control test import Qt on purpose.
PROBE = """
import importlib, json, pkgutil, sys
packages, prefixes, extra = json.loads(sys.argv[1])
imported = []
for name in packages:
    package = importlib.import_module(name)
    imported.append(name)
    for info in pkgutil.walk_packages(package.__path__, prefix=name + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
for name in extra:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in prefixes)
print(json.dumps({"imported": imported, "qt": qt}))
"""


def run_probe(packages: tuple[str, ...], extra: tuple[str, ...] = ()) -> dict:
    args = json.dumps([list(packages), list(QT_PREFIXES), list(extra)])
    result = subprocess.run(
        [sys.executable, "-c", PROBE, args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_core_store_and_services_import_without_qt():
    report = run_probe(HEADLESS_PACKAGES)
    assert report["qt"] == [], f"Qt was imported by a headless module: {report['qt']}"
    imported = set(report["imported"])
    # The walk really reached the modules (not just the package __init__ files).
    for name in (
        "counter_app.core.dossier",
        "counter_app.store.migrations",
        "counter_app.services.dossiers",
        "counter_app.services.queue",
    ):
        assert name in imported


def test_probe_detects_qt_when_it_is_imported():
    """Control: the probe is not blind (it sees Qt when something does import it)."""
    pytest.importorskip("PySide6.QtCore")
    report = run_probe(("counter_app.core",), extra=("PySide6.QtCore",))
    assert "PySide6.QtCore" in report["qt"]
    assert any(name.startswith("shiboken6") for name in report["qt"])
