"""Runs before any of our code in the frozen program, and costs nothing until escpos loads.

(The file also runs pyusb's runtime hook when escpos.printer is first imported: see the end.)

python-escpos, when imported, reads capabilities.json and pickles it into a folder from
`environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR", mkdtemp())`: the default is evaluated anyway,
so every start that prints would leave an empty folder in %TEMP%, and the pickle would be
remade each time. Just before `escpos.capabilities` is imported, this points its
capabilities file at the bundle and its pickle at the program's cache folder, and makes the
one mkdtemp call of that module return that folder. Until then nothing is imported: a start
that never prints does not pay for tempfile and platformdirs.
"""

import os
import sys


def _prepare() -> None:
    import tempfile
    from pathlib import Path

    bundle = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    capabilities = bundle / "escpos" / "capabilities.json"
    if capabilities.is_file():
        os.environ.setdefault("ESCPOS_CAPABILITIES_FILE", str(capabilities))
    try:
        from platformdirs import user_cache_dir

        cache = Path(user_cache_dir("counter-app", appauthor=False)) / "escpos"
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only profile: escpos keeps its temporary folder
        return
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(cache))
    mkdtemp = tempfile.mkdtemp

    def escpos_aware_mkdtemp(suffix=None, prefix=None, dir=None):  # noqa: A002 (its name)
        if sys._getframe(1).f_globals.get("__name__") == "escpos.capabilities":
            return str(cache)
        return mkdtemp(suffix, prefix, dir)

    tempfile.mkdtemp = escpos_aware_mkdtemp


def _usb_backends() -> None:
    """pyusb's own runtime hook (libusb found inside the bundle), moved here from start-up
    by packaging/counter-app.spec: only printing reaches USB."""
    from pathlib import Path

    hook = Path(getattr(sys, "_MEIPASS", "")) / "deferred_rthooks" / "pyi_rth_usb.py"
    if hook.is_file():
        exec(
            compile(hook.read_text(encoding="utf-8"), str(hook), "exec"),
            {"__name__": "pyi_rth_usb"},
        )


_WAITING = {"escpos.capabilities": _prepare, "escpos.printer": _usb_backends}


class _BeforeEscpos:
    """A finder that finds nothing: it notices the first import of each module above and
    prepares for it, once."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        prepare = _WAITING.pop(name, None)
        if prepare is not None:
            if not _WAITING:
                sys.meta_path.remove(_BeforeEscpos)
            prepare()
        return None


sys.meta_path.insert(0, _BeforeEscpos)
