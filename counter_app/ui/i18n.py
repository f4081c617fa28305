"""Translation: Vietnamese source strings in the code, English from resources/translations.

Vietnamese is the source language so the default language needs no file at all: a station
whose .qm went missing still speaks Vietnamese. English comes from counter_app_en.qm, built
from counter_app_en.ts by resources/translations/build.py.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from counter_app.core.errors import DomainError

LANGUAGES = ("vi", "en")
_installed: list[QTranslator] = []
_current = {"lang": "vi"}


def translations_dir() -> Path:
    from importlib import resources  # only English needs a file: Vietnamese starts without it

    return Path(str(resources.files("resources") / "translations"))


def current_language() -> str:
    return _current["lang"]


def install_language(lang: str) -> bool:
    """Switch the application's language; False when the English file is missing."""
    app = QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _current["lang"] = lang if lang in LANGUAGES else "vi"
    if _current["lang"] == "vi":
        return True
    translator = QTranslator(app)
    if not translator.load(str(translations_dir() / f"counter_app_{lang}.qm")):
        _current["lang"] = "vi"
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def error_text(error: DomainError) -> str:
    """A rule's refusal in the user's language (the core carries both texts)."""
    return error.message(current_language())


def message_text(key: str, **params) -> str:
    """A text the core registered (core/messages.py), in the user's language."""
    from counter_app.core.messages import MESSAGES

    texts = MESSAGES[key]
    return texts.get(current_language(), texts["vi"]).format(**params)


def pick(vi: str, en: str) -> str:
    """Data that the core or the catalogue carries in both languages (status names...)."""
    return en if current_language() == "en" else vi
