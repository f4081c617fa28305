"""Writes chime.wav: a soft two-tone "ding-dong" for the display board (run once)."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 16_000  # the rate of the voice clips, so chime and voice join in one buffer


def tone(freq: float, seconds: float, volume: float = 0.35) -> list[int]:
    count = int(RATE * seconds)
    out = []
    for i in range(count):
        decay = math.exp(-3.0 * i / count)
        sample = math.sin(2 * math.pi * freq * i / RATE) + 0.3 * math.sin(
            4 * math.pi * freq * i / RATE
        )
        out.append(int(32767 * volume * decay * sample / 1.3))
    return out


def main() -> None:
    samples = tone(880.0, 0.45) + tone(660.0, 0.7)
    path = Path(__file__).with_name("chime.wav")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))


if __name__ == "__main__":
    main()
