"""Does the program's dependency set install on Windows? `python packaging/windows_resolve.py`

CI runs on Linux, where a requirement for Windows only (`python-escpos[win32]`, which brings
pywin32) is never looked at: pip's `--platform` still evaluates `platform_system ==
'Windows'` for the machine it runs on. `uv pip compile --python-platform windows` evaluates
the markers for Windows, and `--only-binary :all:` asks for wheels, since a center's PC has
no compiler. Each run also resolves a copy of pyproject.toml with an impossible Windows-only
pin and requires that to fail (and the same copy to pass for Linux): the check proves it is
not blind before it is believed. Quiet when all is well; uv's own words when not.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "3.12"  # the Python the Windows build ships
IMPOSSIBLE = "pywin32>=9999; platform_system == 'Windows'"  # a real name, no such version


def compile_for(project: Path, platform: str, *options: str) -> subprocess.CompletedProcess:
    """uv's resolution of `project` with the `package` extra for `platform`, wheels only."""
    command = [sys.executable, "-m", "uv", "pip", "compile", str(project), "--extra", "package",
               "--python-platform", platform, "--python-version", PYTHON,
               "--only-binary", ":all:", "--quiet", "--no-header", "--no-annotate",
               *options]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def with_requirement(source: Path, requirement: str, folder: Path) -> Path:
    """A copy of pyproject.toml with one more runtime requirement."""
    text = source.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^dependencies = \[\n", f'\\g<0>    "{requirement}",\n', text)
    if count != 1:
        raise SystemExit("pyproject.toml: no `dependencies = [` line to add the control to")
    copy = folder / "pyproject.toml"
    copy.write_text(text, encoding="utf-8")
    return copy


def main() -> int:
    resolved = compile_for(ROOT / "pyproject.toml", "windows")
    if resolved.returncode != 0:
        print("The dependencies do not resolve for Windows (wheels only):", file=sys.stderr)
        print(resolved.stderr.strip(), file=sys.stderr)
        return 1
    pins = dict(line.split("==", 1) for line in resolved.stdout.split() if "==" in line)
    if "pywin32" not in pins:
        print("The Windows resolution lacks pywin32: markers were not evaluated for Windows.",
              file=sys.stderr)  # fmt: skip
        return 1
    # The Windows control reads what the resolution above just fetched (--offline: seconds,
    # not minutes) and must fail on the pin itself, not on a cache miss; the Linux one needs
    # Linux wheels' metadata that the Windows resolution never fetched, so it goes online.
    with tempfile.TemporaryDirectory(prefix="windows-resolve-") as folder:
        control = with_requirement(ROOT / "pyproject.toml", IMPOSSIBLE, Path(folder))
        refused = compile_for(control, "windows", "--offline")
        if (
            refused.returncode == 0
            or "pywin32" not in refused.stderr
            or ("cache" in refused.stderr)
        ):
            print(f"Control failed: {IMPOSSIBLE!r} was not refused for Windows:", file=sys.stderr)
            print(refused.stderr.strip(), file=sys.stderr)
            return 1
        linux = compile_for(control, "linux")
        if linux.returncode != 0:
            print(f"Control failed: {IMPOSSIBLE!r} broke Linux too:", file=sys.stderr)
            print(linux.stderr.strip(), file=sys.stderr)
            return 1
    print(f"Windows dependencies resolve: {len(pins)} wheels, pywin32 {pins['pywin32']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
