"""The board's voice: the clip list for a call, the shipped clips, one joined WAV, and the
system voice only where it speaks Vietnamese."""

from __future__ import annotations

import io
import sys
import types
import wave
from array import array

import pytest

from counter_app.core.announcement import (
    CLIP_RATE,
    CLIP_TEXTS,
    LETTERS,
    PLAY_RATE,
    announcement_clips,
    join_wavs,
    number_clips,
    upsample_for_playback,
)
from counter_app.ui.announcer import CHIME_MS, Announcer, call_sound, chime_path, clip_path


def test_a012_to_counter_3_is_read_digit_by_digit_then_the_counter_as_a_number():
    assert announcement_clips("A012", 3) == [
        "moi_so", "letter_a", "digit_0", "digit_1", "digit_2", "den_quay_so", "digit_3",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "một"), (5, "năm"), (10, "mười"), (11, "mười một"), (15, "mười lăm"),
        (20, "hai mươi"), (21, "hai mươi mốt"), (24, "hai mươi bốn"), (25, "hai mươi lăm"),
        (99, "chín mươi chín"), (105, "một không năm"),
    ],
)  # fmt: skip
def test_counters_are_read_as_vietnamese_numbers(n, words):
    assert " ".join(CLIP_TEXTS[c] for c in number_clips(n)) == words


def test_group_codes_of_several_letters_and_stray_signs():
    assert announcement_clips("BC-007", 12) == [
        "moi_so", "letter_b", "letter_c", "digit_0", "digit_0", "digit_7",
        "den_quay_so", "muoi", "digit_2",
    ]  # fmt: skip


def every_clip_the_announcer_can_ask_for() -> set[str]:
    names = set()
    for letter in LETTERS:
        names.update(announcement_clips(f"{letter}0123456789", 1))
    for counter in range(1, 120):
        names.update(announcement_clips("A001", counter))
    return names


def test_every_clip_the_announcer_can_need_is_shipped_as_a_small_valid_wav():
    needed = every_clip_the_announcer_can_ask_for()
    assert needed == set(CLIP_TEXTS)  # nothing missing, nothing shipped for nothing
    for name in sorted(needed):
        with wave.open(str(clip_path(name)), "rb") as clip:
            assert (clip.getnchannels(), clip.getsampwidth(), clip.getframerate()) == (
                1, 2, CLIP_RATE,
            ), name  # fmt: skip
            assert 0.1 < clip.getnframes() / CLIP_RATE < 1.5, name  # trimmed, not empty
            samples = array("h", clip.readframes(clip.getnframes()))
            assert 1_000 < max(map(abs, samples)) <= 26_000, name  # audible, never clipped
    with wave.open(str(chime_path()), "rb") as chime:  # joins with the clips in one buffer
        assert chime.getframerate() == CLIP_RATE and chime.getnchannels() == 1


def frames(path_or_bytes) -> int:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    with wave.open(source, "rb") as w:
        return w.getnframes()


def test_the_call_is_one_wav_whose_frames_are_the_sum_of_its_parts():
    parts = [chime_path(), *(clip_path(n) for n in announcement_clips("A012", 3))]
    joined = join_wavs(parts)
    assert frames(joined) == sum(frames(p) for p in parts)
    assert joined.endswith(wave_data(clip_path("digit_3")))  # the counter comes last, whole
    played = call_sound("A012", 3)
    with wave.open(io.BytesIO(played), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (PLAY_RATE, 1, 2)
    assert frames(played) == frames(joined) * PLAY_RATE // CLIP_RATE  # same length in seconds


def wave_data(path) -> bytes:
    with wave.open(str(path), "rb") as w:
        return w.readframes(w.getnframes())


def test_playback_rate_interpolates_between_samples():
    source = io.BytesIO()
    with wave.open(source, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(CLIP_RATE)
        w.writeframes(array("h", [0, 300, -300]).tobytes())
    with wave.open(io.BytesIO(upsample_for_playback(source.getvalue())), "rb") as w:
        out = array("h", w.readframes(w.getnframes()))
    assert list(out) == [0, 100, 200, 300, 100, -100, -300, -300, -300]


def test_clips_of_another_format_are_refused_rather_than_played_as_noise(tmp_path):
    odd = tmp_path / "odd.wav"
    with wave.open(str(odd), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22_050)
        w.writeframes(b"\0\0" * 100)
    with pytest.raises(ValueError):
        join_wavs([chime_path(), odd])


class FakeEffect:
    played: list[str] = []

    def setSource(self, url) -> None:  # noqa: N802 (Qt name)
        self.source = url.toLocalFile()

    def play(self) -> None:
        FakeEffect.played.append(self.source)

    def stop(self) -> None:
        pass


def fake_audio(monkeypatch, locales: list) -> list[str]:
    said: list[str] = []

    class FakeSpeech:
        def availableLocales(self):  # noqa: N802
            return locales

        def setLocale(self, locale) -> None:  # noqa: N802
            self.locale = locale

        def say(self, text: str) -> None:
            said.append(text)

    FakeEffect.played = []
    monkeypatch.setitem(sys.modules, "PySide6.QtTextToSpeech",
                        types.SimpleNamespace(QTextToSpeech=FakeSpeech))  # fmt: skip
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia",
                        types.SimpleNamespace(QSoundEffect=FakeEffect))  # fmt: skip
    return said


def test_without_a_vietnamese_system_voice_the_board_plays_chime_and_clips(monkeypatch, qapp):
    from PySide6.QtCore import QLocale

    said = fake_audio(monkeypatch, [QLocale(QLocale.English)])  # a stock Windows PC
    announcer = Announcer(language="vi")
    assert announcer.announce("Mời số A012 đến quầy số 3", label="A012", counter=3) == "clips"
    assert said == []  # the English voice never reads Vietnamese
    assert FakeEffect.played[-1] == str(announcer.last_sound)
    assert announcer.last_sound.read_bytes() == call_sound("A012", 3)
    announcer.announce("Mời số B001 đến quầy số 12", label="B001", counter=12)
    assert announcer.last_sound.read_bytes() == call_sound("B001", 12)
    assert len(set(FakeEffect.played)) == 2  # a new call does not overwrite the one playing


def test_with_a_vietnamese_system_voice_it_speaks_after_the_chime(monkeypatch, qtbot):
    from PySide6.QtCore import QLocale

    said = fake_audio(monkeypatch, [QLocale(QLocale.English), QLocale(QLocale.Vietnamese)])
    announcer = Announcer(language="vi")
    assert announcer.announce("Mời số A012 đến quầy số 3", label="A012", counter=3) == "speech"
    assert announcer.last_sound.read_bytes() == upsample_for_playback(chime_path().read_bytes())
    assert said == []  # not over the chime...
    qtbot.waitUntil(lambda: said == ["Mời số A012 đến quầy số 3"], timeout=3000)  # ...after it
    assert len(FakeEffect.played) == 1


def test_the_voice_waits_for_the_whole_chime():
    assert 1000 * frames(chime_path()) / CLIP_RATE <= CHIME_MS


def test_the_real_audio_stack_here_plays_the_joined_call_or_stays_silent(qapp, caplog):
    announcer = Announcer(language="vi")
    mode = announcer.announce("Mời số A012 đến quầy số 3", label="A012", counter=3)
    assert mode in ("speech", "clips", "silent")
    if mode == "clips":
        assert frames(announcer.last_sound.read_bytes()) == frames(call_sound("A012", 3))


def test_a_missing_clip_folder_is_a_log_line_not_a_crash(monkeypatch, qapp, caplog, tmp_path):
    from PySide6.QtCore import QLocale

    fake_audio(monkeypatch, [QLocale(QLocale.English)])
    monkeypatch.setattr("counter_app.ui.announcer.clip_path", lambda n: tmp_path / f"{n}.wav")
    announcer = Announcer(language="vi")
    assert announcer.announce("Mời số A012 đến quầy số 3", label="A012", counter=3) == "clips"
    assert announcer.last_sound.read_bytes() == upsample_for_playback(chime_path().read_bytes())
    assert "voice clips" in caplog.text  # the chime at least, and one line saying why


def test_importing_the_clip_rules_does_not_load_qt():
    import subprocess

    code = "import sys, counter_app.core.announcement; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_clips_go_into_the_wheel_and_the_bundle():
    import tomllib
    from pathlib import Path

    from tests.test_packaging import contents

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "voice/*.wav" in config["tool"]["setuptools"]["package-data"]["resources"]
    assert all(contents.keep(f"resources/voice/{name}.wav") for name in CLIP_TEXTS)
    total = sum(clip_path(name).stat().st_size for name in CLIP_TEXTS)
    assert total < 1_000_000  # under 1 MB of the 210 MB budget
