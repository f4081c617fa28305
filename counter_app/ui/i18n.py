"""Translation: Vietnamese source strings in the code, English from resources/translations.

Vietnamese is the source language so the default language needs no file at all: a station
whose .qm went missing still speaks Vietnamese. English comes from counter_app_en.qm, built
from counter_app_en.ts by resources/translations/build.py.

Qt's own texts (a line edit's context menu, the OK/Cancel of a message box, the file dialog,
key names in shortcuts) come from qtbase_vi.qm, our translation of the qtbase contexts we
show, since Qt ships none for Vietnamese. Month and day names (the calendar of a date field)
and number formats come from the default QLocale, set with the language.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from counter_app.core.errors import DomainError

LANGUAGES = ("vi", "en")
_installed: list[QTranslator] = []
_current = {"lang": "vi"}


def translations_dir() -> Path:
    """The `resources/translations` folder, found from the package itself: importlib.resources
    would import zipfile and tempfile before the first window."""
    import resources

    return Path(resources.__path__[0]) / "translations"


def current_language() -> str:
    return _current["lang"]


# The locale of each language: Vietnamese month names and "4.975"; English with the
# day-first dates a Vietnamese office reads.
LOCALES = {
    "vi": (QLocale.Language.Vietnamese, QLocale.Country.Vietnam),
    "en": (QLocale.Language.English, QLocale.Country.UnitedKingdom),
}


def install_language(lang: str) -> bool:
    """Switch the application's language (for widgets built from now on); False when the
    English file is missing, and the program stays in Vietnamese."""
    app = QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    lang = lang if lang in LANGUAGES else "vi"
    loaded = lang == "vi" or _load(app, f"counter_app_{lang}.qm")
    if not loaded:
        lang = "vi"
    if lang == "vi":
        _load(app, "qtbase_vi.qm")  # without it only Qt's own dialogs stay in English
    _current["lang"] = lang
    QLocale.setDefault(QLocale(*LOCALES[lang]))
    return loaded


def _load(app, name: str) -> bool:
    translator = QTranslator(app)
    if not translator.load(str(translations_dir() / name)):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def number(n: int) -> str:
    """A count as the user's language writes it: 4.975 in Vietnamese, 4,975 in English."""
    return QLocale().toString(int(n))


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
