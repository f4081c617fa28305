"""What the board says when it calls a ticket, as a list of pre-rendered Vietnamese clips.

Why clips: most counter PCs run Windows without a Vietnamese voice, so the board plays short
WAV clips made once with espeak-ng (resources/voice/make_clips.py) and joined here.

How numbers are read, as Vietnamese calling systems do: the ticket digit by digit, exactly as
printed ("A012" -> "a, không, một, hai"; reading it as "mười hai" would drop the zero the
citizen sees on the slip), and the counter as a number ("quầy số mười hai"), because counters
are few and have no leading zeros. Headless: the board's Qt code only plays the bytes.
"""

from __future__ import annotations

import io
import sys
import wave
from array import array
from collections.abc import Iterable
from pathlib import Path

CLIP_RATE = 16_000  # Hz, mono, 16-bit: clear speech, small files
PLAY_RATE = 48_000  # what Windows audio endpoints run at; Qt recommends it for QSoundEffect

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# How a Vietnamese reader names the letters of group codes (A-Z, as core/catalogue.py allows).
LETTERS = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "E": "e", "F": "ép", "G": "giê", "H": "hát",
    "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ", "O": "o",
    "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét xì", "T": "tê", "U": "u", "V": "vê",
    "W": "vê kép", "X": "ích xì", "Y": "i dài", "Z": "dét",
}  # fmt: skip
PHRASES = {"moi_so": "Mời số", "den_quay_so": "đến quầy số"}
# Number words that differ from the digit names: 10, the tens' "mươi", 21's "mốt", 15's "lăm".
NUMBER_WORDS = {"muoi": "mười", "muoi_tens": "mươi", "mot_unit": "mốt", "lam_unit": "lăm"}

CLIP_TEXTS: dict[str, str] = {
    **{f"digit_{d}": text for d, text in enumerate(DIGITS)},
    **{f"letter_{k.lower()}": text for k, text in LETTERS.items()},
    **PHRASES,
    **NUMBER_WORDS,
}


def number_clips(n: int) -> list[str]:
    """1 to 99 as a Vietnamese number ("hai mươi mốt"); other numbers digit by digit."""
    if not 1 <= n <= 99:
        return [f"digit_{d}" for d in str(abs(n))]
    tens, unit = divmod(n, 10)
    if tens == 0:
        return [f"digit_{unit}"]
    head = ["muoi"] if tens == 1 else [f"digit_{tens}", "muoi_tens"]
    if unit == 0:
        return head
    if unit == 5:
        return [*head, "lam_unit"]
    if unit == 1 and tens > 1:
        return [*head, "mot_unit"]
    return [*head, f"digit_{unit}"]


def announcement_clips(label: str, counter: int) -> list[str]:
    """The clip names for "Mời số <label> đến quầy số <counter>", in order."""
    spoken = []
    for char in label.upper():
        if char.isdigit():
            spoken.append(f"digit_{char}")
        elif char in LETTERS:
            spoken.append(f"letter_{char.lower()}")
        # anything else (a dash, a space) is not read aloud
    return ["moi_so", *spoken, "den_quay_so", *number_clips(counter)]


def join_wavs(parts: Iterable[Path | bytes]) -> bytes:
    """One WAV made of the parts played back to back; they must share rate, width and channels.

    One buffer, not a playlist: players leave gaps between files, and a gap in the middle of
    "A, không, một, hai" makes the number hard to catch in a noisy hall.
    """
    params = None
    frames = []
    for part in parts:
        source = io.BytesIO(part) if isinstance(part, bytes) else str(part)
        with wave.open(source, "rb") as clip:
            shape = (clip.getnchannels(), clip.getsampwidth(), clip.getframerate())
            if params is None:
                params = shape
            elif shape != params:
                raise ValueError(f"clip format {shape} differs from {params}")
            frames.append(clip.readframes(clip.getnframes()))
    if params is None:
        raise ValueError("nothing to join")
    out = io.BytesIO()
    with wave.open(out, "wb") as joined:
        joined.setnchannels(params[0])
        joined.setsampwidth(params[1])
        joined.setframerate(params[2])
        joined.writeframes(b"".join(frames))
    return out.getvalue()


def upsample_for_playback(sound: bytes) -> bytes:
    """The 16 kHz call at 48 kHz (linear interpolation, x3), for the sound card.

    Why: a Windows endpoint in shared mode usually accepts only its own rate (48 kHz), and
    QSoundEffect refuses or reopens a device for other rates; the clips stay 16 kHz on disk.
    """
    with wave.open(io.BytesIO(sound), "rb") as source:
        if source.getsampwidth() != 2 or source.getnchannels() != 1:
            raise ValueError("expected 16-bit mono")
        factor, rest = divmod(PLAY_RATE, source.getframerate())
        if rest:
            raise ValueError(f"cannot play {source.getframerate()} Hz at {PLAY_RATE} Hz")
        samples = array("h", source.readframes(source.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()  # WAV is little-endian
    out = array("h", bytes(2 * factor * len(samples)))
    nxt = samples[1:] + array("h", samples[-1:])
    for step in range(factor):
        out[step::factor] = array(
            "h", (a + (b - a) * step // factor for a, b in zip(samples, nxt, strict=True))
        )
    if sys.byteorder == "big":
        out.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as played:
        played.setnchannels(1)
        played.setsampwidth(2)
        played.setframerate(PLAY_RATE)
        played.writeframes(out.tobytes())
    return buffer.getvalue()
