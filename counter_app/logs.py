"""Logging that rotates and never carries a citizen's data.

Messages are written by us and name codes, counts and states, not people; as a second line of
defence a filter masks anything shaped like an ID number, a phone number or an e-mail, and
crash reports keep the traceback's places but not the exception's message, which may quote
user input.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = "counter-app.log"
_MASKS = (
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "[email]"),
    (re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)"), "[số]"),
    (re.compile(r"(?<!\d)\d{9,12}(?!\d)"), "[số]"),
)


def mask_personal(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_personal(record.getMessage())
        record.args = ()
        if record.exc_info:
            record.exc_text = crash_summary(*record.exc_info)
            record.exc_info = None
        return True


def crash_summary(exc_type, exc, tb) -> str:
    """Where it failed and with what type of error, without the message text."""
    frames = traceback.extract_tb(tb)
    places = "\n".join(f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames)
    return f"{exc_type.__name__} (message withheld)\n{places}"


def setup_logging(data_dir: Path, *, level: int = logging.INFO) -> Path:
    """Log to <data_dir>/logs/counter-app.log, 1 MB a file, 5 files kept."""
    folder = Path(data_dir) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    root = logging.getLogger("counter_app")
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        handler.addFilter(PersonalDataFilter())
        root.addHandler(handler)
        root.setLevel(level)

        def excepthook(exc_type, exc, tb) -> None:
            root.critical("crash\n%s", crash_summary(exc_type, exc, tb))
            sys.__excepthook__(exc_type, exc, tb)

        sys.excepthook = excepthook
    return path
