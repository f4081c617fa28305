"""Chime and voice for the display board, on machines that may have no sound at all.

QtMultimedia and QtTextToSpeech load the system's audio libraries when imported; a machine
without libpulse cannot even import them. Both are imported on the first call, and any
failure turns the announcer silent with one log line: calls are still shown on screen.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def chime_path() -> Path:
    from importlib import resources

    return Path(str(resources.files("resources") / "sounds" / "chime.wav"))


class Announcer:
    def __init__(self, *, language: str = "vi") -> None:
        self.language = language
        self.mode: str | None = None  # "speech", "chime" or "silent" once tried
        self.spoken: list[str] = []  # what was announced (the board shows the same text)
        self._speech = None
        self._chime = None

    def _load(self) -> None:
        if self.mode is not None:
            return
        problems = []
        try:
            multimedia = importlib.import_module("PySide6.QtMultimedia")
            from PySide6.QtCore import QUrl

            effect = multimedia.QSoundEffect()
            effect.setSource(QUrl.fromLocalFile(str(chime_path())))
            self._chime = effect
        except Exception as error:  # ImportError, OSError from a missing library...
            problems.append(f"chime: {error}")
        try:
            speech = importlib.import_module("PySide6.QtTextToSpeech")
            engine = speech.QTextToSpeech()
            self._pick_voice(engine)
            self._speech = engine
        except Exception as error:
            problems.append(f"speech: {error}")
        self.mode = "speech" if self._speech else "chime" if self._chime else "silent"
        if problems:
            log.info("display board announcements: %s (%s)", self.mode, "; ".join(problems))

    def _pick_voice(self, engine) -> None:
        from PySide6.QtCore import QLocale

        wanted = QLocale(QLocale.Vietnamese if self.language == "vi" else QLocale.English)
        for locale in engine.availableLocales():
            if locale.language() == wanted.language():
                engine.setLocale(locale)
                return

    def announce(self, text: str) -> str:
        self._load()
        self.spoken.append(text)
        del self.spoken[:-20]
        if self._chime is not None:
            self._chime.play()
        if self._speech is not None:
            self._speech.say(text)
        return self.mode
