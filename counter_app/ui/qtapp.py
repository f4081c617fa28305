"""The QApplication: one per process, with the Vietnamese font, the style and the language."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app.ui.fonts import register_fonts
from counter_app.ui.i18n import install_language
from counter_app.ui.none_guard import guard_none
from counter_app.ui.style import STYLE


def make_app(lang: str = "vi", argv: list[str] | None = None) -> QApplication:
    guard_none()
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("counter-app")
        app.setOrganizationName("counter-app")
    register_fonts(app)
    app.setStyleSheet(STYLE)
    install_language(lang)
    return app
