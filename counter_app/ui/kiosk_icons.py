"""The pictures on the kiosk's group tiles, drawn from small SVG files in resources/icons.

A Windows kiosk often has no colour emoji font, so a "👪" on a tile shows as an empty box.
SVG files are drawn by Qt itself (the svg image plugin ships with PySide6), need no font,
stay sharp at any tile size, and a province can add one next to its own group.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QIcon

FALLBACK = "service"  # a plain document, for a group the catalogue gives no picture


def group_icon(name: str) -> QIcon:
    """The icon called `name` (resources/icons/<name>.svg), or the plain one if none."""
    folder = resources.files("resources") / "icons"
    path = folder / f"{name}.svg"
    if not name or not path.is_file():
        path = folder / f"{FALLBACK}.svg"
    return QIcon(str(path))
