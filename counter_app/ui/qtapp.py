"""The QApplication: one per process, with the Vietnamese font, the style and the language."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from counter_app.qt_process import qt_application
from counter_app.ui.fonts import register_fonts
from counter_app.ui.i18n import install_language
from counter_app.ui.style import STYLE


def make_app(lang: str = "vi", argv: list[str] | None = None) -> QApplication:
    app = qt_application(argv)
    register_fonts(app)
    app.setStyleSheet(STYLE)
    install_language(lang)
    return app
