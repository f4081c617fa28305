"""Works around a PySide6 6.12 binding bug on Python 3.11: every call of a Qt method that
returns void hands back None without taking a reference to it (True and False suffer the
same in some signal paths).

On Python 3.12+ None is immortal and nothing happens. On 3.11 each such call (setText,
QTimer.start, ...) lowers None's reference count by one; a fresh interpreter holds about
5,000, so the program aborted with "none_dealloc" after a few minutes at a counter. Making
None's count huge once, as 3.12 does, removes the problem; bench/ui_startup.py reports the
drift so a fixed PySide6 can be recognised and this module removed.
"""

from __future__ import annotations

import ctypes
import sys

_FLOOR = 1 << 40
_done = {"guarded": False}


def guard_none() -> bool:
    """Give None a reference count no leak can exhaust. True when it was needed and done."""
    if sys.version_info >= (3, 12) or _done["guarded"]:
        return False
    for obj in (None, True, False):  # bool signal arguments (clicked(bool)) leak the same way
        count = ctypes.c_ssize_t.from_address(id(obj))
        count.value += _FLOOR
    _done["guarded"] = True
    return True
