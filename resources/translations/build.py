"""Builds the translations: one script, run after changing any user-visible string.

    python resources/translations/build.py

1. pyside6-lupdate collects every self.tr(...) / QCoreApplication.translate(...) string of
   counter_app/ui into counter_app_en.ts, keeping the translations already there.
2. pyside6-lrelease compiles it to counter_app_en.qm, which the program loads for English.

3. pyside6-lrelease compiles qtbase_vi.ts to qtbase_vi.qm: Qt's own texts (context menus,
   standard buttons, the file dialog, key names) in Vietnamese, since Qt ships no Vietnamese
   catalogue. Its sources are Qt's English strings, contexts as in Qt 6's qtbase; add a
   message there when a new Qt dialog is shown to users. "Return" becomes "Enter", the
   name printed on the key.

Vietnamese is the source language (the strings in the code), so our own texts need no file.
The .ts files are edited by hand or in Qt Linguist; the .qm files are generated: never edit
them.
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
QT_TS = HERE / "qtbase_vi.ts"
QT_QM = HERE / "qtbase_vi.qm"


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
    for ts, qm in ((TS, QM), (QT_TS, QT_QM)):
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True)


if __name__ == "__main__":
    update_ts()
    if "--update-only" not in sys.argv:
        release()
