"""SANE through its command-line front end `scanimage` (package sane-utils)."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

from counter_app.core.errors import DomainError

log = logging.getLogger(__name__)

TOOL = "scanimage"
SCAN_TIMEOUT = 180.0  # a flatbed at 200 dpi takes ~20 s; an ADF warming up, more
_DEVICE = re.compile(r"^device `([^']+)' is ")


def _tool() -> str:
    path = shutil.which(TOOL)
    if path is None:
        raise DomainError("scanner.missing", tool="sane-utils")
    return path


def devices() -> list[str]:
    try:
        done = subprocess.run(
            [_tool(), "-L"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [m.group(1) for line in done.stdout.splitlines() if (m := _DEVICE.match(line))]


def scan(device: str, *, colour: bool, dpi: int) -> bytes:
    """One page as PNG on standard output; the device's own error text goes to the log
    only (it names the device, never a person)."""
    command = [_tool(), "-d", device, "--mode", "Color" if colour else "Gray"]
    command += ["--resolution", str(dpi), "--format", "png"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=SCAN_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        log.warning("scanner %s did not answer within %.0f s", device, SCAN_TIMEOUT)
        raise DomainError("scanner.failed") from None
    except OSError:
        raise DomainError("scanner.missing", tool="sane-utils") from None
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        log.warning("scanimage failed (%s): %s", done.returncode, done.stderr[-300:])
        raise DomainError("scanner.failed")
    return done.stdout
