"""Build the one-folder program: `python packaging/build.py` writes dist/counter-app/.

Needs the `package` extra (`pip install -e '.[package]'`). Prints the build time and the
folder's size, and fails when the size passes the budget in packaging/contents.py, so a
dependency that drags in a few hundred MB of Qt is caught at build time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import contents  # noqa: E402


def build(*, clean: bool = True) -> Path:
    work = ROOT / "build" / "pyinstaller"
    if clean:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(contents.bundle_dir(ROOT), ignore_errors=True)
    command = [
        sys.executable, "-m", "PyInstaller", str(ROOT / "packaging" / "counter-app.spec"),
        "--noconfirm", "--log-level", "WARN",
        "--distpath", str(ROOT / "dist"), "--workpath", str(work),
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, check=True)
    return contents.bundle_dir(ROOT)


def check_size(folder: Path, budget_mb: float = contents.BUDGET_MB) -> float:
    size = contents.folder_size_mb(folder)
    if size > budget_mb:
        raise SystemExit(
            f"Gói quá lớn: {size:.0f} MB > ngân sách {budget_mb} MB "
            f"(bundle over budget). Xem packaging/contents.py."
        )
    return size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-clean", action="store_true", help="reuse PyInstaller's cache")
    args = parser.parse_args()
    started = time.perf_counter()
    folder = build(clean=not args.no_clean)
    seconds = time.perf_counter() - started
    size = check_size(folder)
    print(json.dumps({"bundle": str(folder), "size_mb": round(size, 1),
                      "budget_mb": contents.BUDGET_MB, "build_s": round(seconds, 1)}))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
