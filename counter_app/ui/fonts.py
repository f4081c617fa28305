"""A font with every Vietnamese letter, registered with Qt before the first window.

A fresh Windows or minimal Linux machine may give Qt no font with ư, ơ, ặ...: reuse the
printing engineer's finder (COUNTER_APP_FONT, the font-source-sans-pro package, system
fonts) so the screen and the receipts agree.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)
_family: dict[str, str] = {}


def register_fonts(app: QApplication, point_size: int = 11) -> str | None:
    """Register the Vietnamese font files and make them the application font."""
    if "family" in _family:
        app.setFont(QFont(_family["family"], point_size))
        return _family["family"]
    try:
        from printers.fonts import find_fonts

        files = find_fonts()
    except Exception as error:  # no font at all: Qt's fallback may still render something
        log.warning("no Vietnamese font found: %s", error)
        return None
    family = None
    for path in dict.fromkeys((files.regular, files.bold)):
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = family or (families[0] if families else None)
    if family:
        _family["family"] = family
        app.setFont(QFont(family, point_size))
    return family
