"""Runs before any of our code in the frozen program.

python-escpos, when imported, reads capabilities.json and pickles it into a folder from
`environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR", mkdtemp())`: the default is evaluated anyway,
so every start that prints would leave an empty folder in %TEMP%, and the pickle would be
remade each time. In the frozen program the file comes from the bundle and the pickle lives
in the program's cache folder; the one mkdtemp call made by that module returns that folder.
"""

import os
import sys
import tempfile
from pathlib import Path

_bundle = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
_capabilities = _bundle / "escpos" / "capabilities.json"
if _capabilities.is_file():
    os.environ.setdefault("ESCPOS_CAPABILITIES_FILE", str(_capabilities))
try:
    from platformdirs import user_cache_dir

    _cache = Path(user_cache_dir("counter-app", appauthor=False)) / "escpos"
    _cache.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(_cache))
except OSError:  # a read-only profile: escpos keeps its temporary folder
    _cache = None

_mkdtemp = tempfile.mkdtemp


def _escpos_aware_mkdtemp(suffix=None, prefix=None, dir=None):  # noqa: A002 (tempfile's name)
    if _cache is not None and sys._getframe(1).f_globals.get("__name__") == "escpos.capabilities":
        return str(_cache)
    return _mkdtemp(suffix, prefix, dir)


tempfile.mkdtemp = _escpos_aware_mkdtemp
