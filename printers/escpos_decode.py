"""Reading an ESC/POS stream back: pictures, text through its code page, QR data, cuts.

Used by the tests and by anyone who wants to see what a printer was sent. It knows only
the commands this package emits and refuses the rest, so a new command cannot slip by
unread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from PIL import Image, ImageOps

from printers.codepages import CODEPAGES, DEFAULT_CODEPAGE_NUMBERS

# ESC t n -> code page, as Epson numbers them; a printer set up with another `cpnum=` is
# read with `decode_escpos(data, codepages={n: "tcvn3"})`.
DEFAULT_CODEPAGE_NAMES = {n: name for name, n in DEFAULT_CODEPAGE_NUMBERS.items()}


@dataclass
class Decoded:
    images: list[Image.Image] = field(default_factory=list)  # each GS v 0 block, black = ink
    text: str = ""
    qr: list[str] = field(default_factory=list)
    cuts: int = 0
    status_queries: list[int] = field(default_factory=list)

    def picture(self) -> Image.Image | None:
        """All raster blocks stacked, as printed on the paper, in mode "1"."""
        if not self.images:
            return None
        width = max(i.width for i in self.images)
        page = Image.new("1", (width, sum(i.height for i in self.images)), 255)
        y = 0
        for img in self.images:
            page.paste(img, (0, y))
            y += img.height
        return page


class DecodeError(ValueError):
    pass


def decode_escpos(data: bytes, codepages: Mapping[int, str] | None = None) -> Decoded:
    """`codepages` adds or overrides ESC t numbers (n -> "cp1258" | "tcvn3")."""
    names = {**DEFAULT_CODEPAGE_NAMES, **(codepages or {})}
    out = Decoded()
    text = bytearray()
    codepage = 0
    i = 0

    def flush() -> None:
        nonlocal text
        if text:
            name = names.get(codepage)
            decoder = CODEPAGES[name][1] if name else lambda b: b.decode("ascii")
            out.text += decoder(bytes(text))
            text = bytearray()

    while i < len(data):
        b = data[i]
        if b == 0x1B:  # ESC
            cmd = data[i + 1 : i + 2]
            if cmd == b"@":
                i += 2
            elif cmd == b"t":
                flush()
                codepage = data[i + 2]
                i += 3
            elif cmd in (b"a", b"E", b"d", b"!", b"-", b"M", b"3"):
                i += 3
            elif cmd == b"2":
                i += 2
            else:
                raise DecodeError(f"unknown ESC command {cmd!r} at {i}")
        elif b == 0x1D:  # GS
            cmd = data[i + 1 : i + 2]
            if cmd == b"v":
                width_bytes = data[i + 4] | data[i + 5] << 8
                height = data[i + 6] | data[i + 7] << 8
                start = i + 8
                end = start + width_bytes * height
                if end > len(data):
                    raise DecodeError("raster block cut short")
                ink = Image.frombytes("1", (width_bytes * 8, height), data[start:end])
                out.images.append(ImageOps.invert(ink.convert("L")).convert("1"))
                i = end
            elif cmd == b"V":
                out.cuts += 1
                i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
            elif cmd == b"!":
                i += 3
            elif cmd == b"(":  # GS ( k pL pH ...: 2D codes
                length = data[i + 3] | data[i + 4] << 8
                body = data[i + 5 : i + 5 + length]
                if data[i + 2 : i + 3] == b"k" and body[:3] == b"1P0":
                    flush()
                    out.qr.append(body[3:].decode("utf-8"))
                i += 5 + length
            else:
                raise DecodeError(f"unknown GS command {cmd!r} at {i}")
        elif b == 0x10 and data[i + 1 : i + 2] == b"\x04":  # DLE EOT n: status query
            out.status_queries.append(data[i + 2])
            i += 3
        else:
            text.append(b)
            i += 1
    flush()
    return out
