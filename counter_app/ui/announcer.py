"""Chime and voice for the display board, on machines that may have no sound at all.

QtMultimedia and QtTextToSpeech load the system's audio libraries when imported; a machine
without libpulse cannot even import them. Both are imported on the first call, and any
failure turns the announcer silent with one log line: calls are still shown on screen.

The system voice is used only when it speaks the board's language; otherwise (most Windows
PCs have no Vietnamese voice) the chime and the pre-rendered Vietnamese clips are joined into
one WAV (core/announcement.py) and played as one sound.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import shutil
import tempfile
import wave
from functools import partial
from pathlib import Path

from PySide6.QtCore import QLocale, QTimer, QUrl

from counter_app.core.announcement import announcement_clips, join_wavs, upsample_for_playback

log = logging.getLogger(__name__)
CHIME_MS = 1200  # resources/sounds/chime.wav lasts 1.15 s


def chime_path() -> Path:
    from importlib import resources

    return Path(str(resources.files("resources") / "sounds" / "chime.wav"))


def clip_path(name: str) -> Path:
    from importlib import resources

    return Path(str(resources.files("resources") / "voice" / f"{name}.wav"))


def call_sound(label: str, counter: int) -> bytes:
    """The chime then "Mời số <label> đến quầy số <counter>", as one 48 kHz WAV."""
    clips = [clip_path(name) for name in announcement_clips(label, counter)]
    return upsample_for_playback(join_wavs([chime_path(), *clips]))


class Announcer:
    def __init__(self, *, language: str = "vi") -> None:
        self.language = language
        self.mode: str | None = None  # "speech", "clips" or "silent" once tried
        self.spoken: list[str] = []  # what was announced (the board shows the same text)
        self.last_sound: Path | None = None  # the WAV last played in "clips" mode
        self._speech = None
        self._multimedia = None
        self._chime: bytes | None = None  # the chime at the playback rate, once audio loaded
        self._effect = None
        self._folder: Path | None = None
        self._played = 0

    def _load(self) -> None:
        if self.mode is not None:
            return
        problems = []
        try:
            self._multimedia = importlib.import_module("PySide6.QtMultimedia")
            self._chime = upsample_for_playback(chime_path().read_bytes())
            self._multimedia.QSoundEffect()  # fails here, not mid-call, without an audio stack
        except Exception as error:  # ImportError, OSError from a missing library...
            problems.append(f"chime: {error}")
        try:
            speech = importlib.import_module("PySide6.QtTextToSpeech")
            engine = speech.QTextToSpeech()
            if self._pick_voice(engine):
                self._speech = engine
            else:
                problems.append(f"speech: no {self.language} system voice, clips instead")
        except Exception as error:
            problems.append(f"speech: {error}")
        self.mode = "speech" if self._speech else "clips" if self._chime else "silent"
        if problems:
            log.info("display board announcements: %s (%s)", self.mode, "; ".join(problems))

    def _pick_voice(self, engine) -> bool:
        wanted = QLocale(QLocale.Vietnamese if self.language == "vi" else QLocale.English)
        for locale in engine.availableLocales():
            if locale.language() == wanted.language():
                engine.setLocale(locale)
                return True
        return False

    def announce(self, text: str, *, label: str | None = None, counter: int | None = None) -> str:
        """Say `text`; with the ticket's label and counter, clips can say it without a voice."""
        self._load()
        self.spoken.append(text)
        del self.spoken[:-20]
        if self._speech is not None:
            if self._chime is None:
                self._speech.say(text)
            else:  # the voice starts when the chime ends, not over it
                self._play(self._chime)
                QTimer.singleShot(CHIME_MS, partial(self._speech.say, text))
        elif self._chime is not None:
            self._play(self._call_sound(label, counter) or self._chime)
        return self.mode

    def _call_sound(self, label: str | None, counter: int | None) -> bytes | None:
        """The joined call, or None (then the chime alone) when a clip is missing or damaged."""
        if label is None or counter is None:
            return None
        try:
            return call_sound(label, counter)
        except (OSError, ValueError, EOFError, wave.Error) as error:
            log.warning("display board voice clips unusable, chime only: %s", error)
            return None

    def _play(self, sound: bytes) -> None:
        """Through a file, as QSoundEffect reads only files; two names, so a call cuts the last."""
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="counter-app-voice-"))
            atexit.register(shutil.rmtree, self._folder, ignore_errors=True)
        self._played += 1
        path = self._folder / f"call-{self._played % 2}.wav"
        path.write_bytes(sound)
        if self._effect is not None:
            self._effect.stop()
        self._effect = self._multimedia.QSoundEffect()
        self._effect.setSource(QUrl.fromLocalFile(str(path)))
        self._effect.play()  # QSoundEffect plays once loaded
        self.last_sound = path
