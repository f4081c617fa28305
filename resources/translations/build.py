"""Builds the translations: one script, run after changing any user-visible string.

    python resources/translations/build.py

1. pyside6-lupdate collects every self.tr(...) / QCoreApplication.translate(...) string of
   counter_app/ui into counter_app_en.ts, keeping the translations already there.
2. pyside6-lrelease compiles it to counter_app_en.qm, which the program loads for English.

Vietnamese is the source language (the strings in the code), so it needs no file. The .ts is
edited by hand or in Qt Linguist; the .qm is generated: never edit it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TS = HERE / "counter_app_en.ts"
QM = HERE / "counter_app_en.qm"


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    return found


def sources() -> list[str]:
    return sorted(str(p) for p in (ROOT / "counter_app" / "ui").glob("*.py"))


def update_ts() -> None:
    subprocess.run(
        [_tool("pyside6-lupdate"), *sources(), "-source-language", "vi", "-target-language",
         "en", "-no-obsolete", "-locations", "none", "-ts", str(TS)],
        check=True,
    )  # fmt: skip


def release() -> None:
    subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True)


if __name__ == "__main__":
    update_ts()
    if "--update-only" not in sys.argv:
        release()
