"""Writes the board's Vietnamese voice clips with espeak-ng (run by hand; the WAVs are committed).

Why clips: a Windows PC in a commune rarely has a Vietnamese system voice, and the board must
still say "Mời số A012 đến quầy số 3". The clip names and texts come from
counter_app/core/announcement.py, so the script and the announcer never disagree.
Needs espeak-ng on PATH (Debian: apt-get install -y espeak-ng). See README.md beside this file.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from counter_app.core.announcement import CLIP_RATE, CLIP_TEXTS  # noqa: E402

VOICE = "vi"  # espeak-ng's Northern Vietnamese, the broadcast standard
SPEED = 140  # words per minute: a little slower than espeak's 175, for a hall with echo
PITCH = 45
SILENCE = 300  # samples below this amplitude at either end are trimmed
PAD_MS = 60  # a short pause kept after each clip so the words do not run together
TARGET_RMS = 4_500  # every word equally loud, so no digit is lost in a noisy hall...
PEAK_MAX = 26_000  # ...with headroom below 32767, so none crackles


def speak(text: str, out: Path) -> None:
    command = ["espeak-ng", "-v", VOICE, "-s", str(SPEED), "-p", str(PITCH), "-w", str(out), text]
    subprocess.run(command, check=True)


def read_samples(path: Path) -> tuple[list[int], int]:
    with wave.open(str(path), "rb") as source:
        assert source.getnchannels() == 1 and source.getsampwidth() == 2
        raw = source.readframes(source.getnframes())
        return list(struct.unpack(f"<{len(raw) // 2}h", raw)), source.getframerate()


def resample(samples: list[int], rate: int, target: int) -> list[int]:
    """Linear interpolation after a 3-tap smoothing: enough for speech, and no numpy needed."""
    if rate == target:
        return samples
    smooth = [
        (samples[max(i - 1, 0)] + 2 * samples[i] + samples[min(i + 1, len(samples) - 1)]) // 4
        for i in range(len(samples))
    ]
    step = rate / target
    out = []
    for j in range(int(len(smooth) / step)):
        x = j * step
        i = int(x)
        nxt = smooth[min(i + 1, len(smooth) - 1)]
        out.append(int(smooth[i] + (nxt - smooth[i]) * (x - i)))
    return out


def level(samples: list[int]) -> list[int]:
    """One loudness for all clips (espeak's words differ by 6 dB and some touch full scale)."""
    rms = (sum(s * s for s in samples) / max(len(samples), 1)) ** 0.5
    peak = max((abs(s) for s in samples), default=0)
    if not rms or not peak:
        return samples
    gain = min(TARGET_RMS / rms, PEAK_MAX / peak)
    return [int(s * gain) for s in samples]


def trim(samples: list[int]) -> list[int]:
    loud = [i for i, s in enumerate(samples) if abs(s) > SILENCE]
    if not loud:
        return samples
    pad = CLIP_RATE * PAD_MS // 1000
    return samples[loud[0] : loud[-1] + 1] + [0] * pad


def main() -> None:
    if shutil.which("espeak-ng") is None:
        raise SystemExit("Thiếu espeak-ng: apt-get install -y espeak-ng")
    folder = Path(__file__).parent
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in sorted(CLIP_TEXTS.items()):
            raw = Path(tmp) / f"{name}.wav"
            speak(text, raw)
            samples, rate = read_samples(raw)
            clip = level(trim(resample(samples, rate, CLIP_RATE)))
            with wave.open(str(folder / f"{name}.wav"), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(CLIP_RATE)
                out.writeframes(struct.pack(f"<{len(clip)}h", *clip))
            print(f"{name}.wav  {len(clip) / CLIP_RATE:.2f} s  «{text}»")


if __name__ == "__main__":
    main()
