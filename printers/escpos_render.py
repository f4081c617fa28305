"""A document as the ESC/POS bytes a thermal printer receives, built with python-escpos.

Raster mode (the default) sends the picture from `printers.raster` with GS v 0; text mode
sends text in a Vietnamese code page and a native QR code, for printers whose profile has
that code page and that print faster or sharper in text:

    ?mode=text                       CP1258, ESC t 52 (Epson's WPC1258)
    ?mode=text&cpnum=27              CP1258 on a printer that numbers it 27 (Netum, Zjiang)
    ?mode=text&codepage=tcvn3        TCVN-3 ("ABC", VN3), ESC t 30 (Epson's TCVN-3-1)
    ?mode=text&codepage=tcvn3&cpnum=N   TCVN-3 on a printer that numbers it N

No standard says which ESC t number a maker gives a code page; the defaults are Epson's,
from escpos-printer-db. For any other printer the administrator reads the number off the
printer's self-test or code page print-out and sets `cpnum=`. TCVN-3 has no toned capitals:
see `printers.codepages` for how those are printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageChops

from printers.codepages import CODEPAGES, DEFAULT_CODEPAGE_NUMBERS
from printers.documents import QR, Columns, Document, Rule, Space, Text
from printers.fonts import FontFiles
from printers.raster import PAPER_DOTS, render_raster

ESC, GS = b"\x1b", b"\x1d"
# Rows per GS v 0 block: small enough for the receive buffer of cheap printers.
FRAGMENT_ROWS = 256
_TEXT_COLUMNS = {58: 32, 80: 48}
# A printer silent for longer is hung: the clerk hears about the job while the citizen waits.
MAX_TIMEOUT_S = 120


@dataclass(frozen=True)
class PrinterProfile:
    """How one printer wants its paper: from the query of its URL, e.g. `?width=58&mode=text`."""

    width_mm: int = 80
    mode: str = "raster"  # raster | text
    codepage: str = "cp1258"  # cp1258 | tcvn3
    # ESC t n that selects `codepage` on this printer; None: Epson's number for it
    # (52 for WPC1258, 30 for TCVN-3-1, see DEFAULT_CODEPAGE_NUMBERS)
    codepage_number: int | None = None
    cut: bool = True
    status: bool = True  # ask DLE EOT before and after a job where the link is two-way
    timeout: float = 5.0

    def __post_init__(self) -> None:
        if self.codepage not in CODEPAGES:
            raise ValueError(f"unsupported code page {self.codepage}")
        if self.codepage_number is None:
            object.__setattr__(self, "codepage_number", DEFAULT_CODEPAGE_NUMBERS[self.codepage])
        if not 0 <= self.codepage_number <= 255:
            raise ValueError(f"cpnum must be 0-255, not {self.codepage_number}")

    @property
    def dots(self) -> int:
        return PAPER_DOTS[self.width_mm]

    @classmethod
    def from_query(cls, query: dict[str, str]) -> PrinterProfile:
        width = int(query.get("width", 80))
        if width not in PAPER_DOTS:
            raise ValueError(f"width must be 58 or 80, not {width}")
        mode = query.get("mode", "raster")
        if mode not in ("raster", "text"):
            raise ValueError(f"mode must be raster or text, not {mode}")
        codepage = query.get("codepage", "cp1258").lower().replace("-", "")
        if codepage not in CODEPAGES:
            raise ValueError(
                f"unsupported code page {codepage} (choose {', '.join(sorted(CODEPAGES))})"
            )
        number = query.get("cpnum")
        timeout = float(query.get("timeout", 5.0))
        if not 0 < timeout <= MAX_TIMEOUT_S:  # also refuses nan and inf
            raise ValueError(f"timeout must be above 0 and at most {MAX_TIMEOUT_S} s")
        return cls(
            width_mm=width,
            mode=mode,
            codepage=codepage,
            codepage_number=int(number) if number is not None else None,
            cut=query.get("cut", "1") not in ("0", "false", "no"),
            status=query.get("status", "1") not in ("0", "false", "no"),
            timeout=timeout,
        )


def _printer(profile: PrinterProfile):
    from escpos.printer import Dummy

    printer = Dummy()
    data = dict(printer.profile.profile_data)
    data["media"] = {"width": {"mm": profile.width_mm, "pixels": profile.dots}, "dpi": 203}
    printer.profile.profile_data = data  # an instance attribute: the shared profile stays
    return printer


def encode_document(
    document: Document, profile: PrinterProfile | None = None, *, fonts: FontFiles | None = None
) -> bytes:
    profile = profile or PrinterProfile()
    printer = _printer(profile)
    printer._raw(ESC + b"@")  # initialise: forget the previous job's modes
    if profile.mode == "raster":
        picture = render_raster(document, width_mm=profile.width_mm, fonts=fonts)
        for block in raster_blocks(picture):
            printer._raw(block)
    else:
        _text_mode(printer, document, profile)
    if profile.cut:
        printer._raw(ESC + b"d" + bytes((4,)))  # feed past the cutter
        printer._raw(GS + b"V" + bytes((1,)))  # partial cut
    return printer.output


def raster_blocks(picture: Image.Image, rows: int = FRAGMENT_ROWS) -> list[bytes]:
    """GS v 0 blocks, byte for byte what `Escpos.image(impl="bitImageRaster")` sends.

    python-escpos converts the picture through RGBA, grey and a dithered 1-bit image, and
    again for every fragment: three times our whole render budget for a picture that is
    already 1-bit. A test holds these bytes equal to python-escpos' own.
    """
    ink = ImageChops.invert(picture.convert("1"))  # GS v 0: a set bit burns a dot
    width_bytes = (ink.width + 7) // 8
    blocks = []
    for top in range(0, ink.height, rows):
        part = ink.crop((0, top, ink.width, min(top + rows, ink.height)))
        header = GS + b"v0\x00" + width_bytes.to_bytes(2, "little")
        blocks.append(header + part.height.to_bytes(2, "little") + part.tobytes())
    return blocks


def _text_mode(printer, document: Document, profile: PrinterProfile) -> None:
    encode = CODEPAGES[profile.codepage][0]
    columns = _TEXT_COLUMNS[profile.width_mm]
    printer._raw(ESC + b"t" + bytes((profile.codepage_number,)))

    def line(
        text: str, *, bold: bool = False, align: str = "left", size: str = "normal", wrap=True
    ):
        printer._raw(ESC + b"a" + bytes((("left", "center", "right").index(align),)))
        printer._raw(ESC + b"E" + bytes((1 if bold else 0,)))
        magnify = {"huge": 0x33, "large": 0x11}.get(size, 0)
        printer._raw(GS + b"!" + bytes((magnify,)))
        width = columns // (1 + (magnify & 0x0F))
        for chunk in _wrap_words(text, width) if wrap else [text]:
            printer._raw(encode(chunk) + b"\n")

    for block in document.printed_blocks():
        if isinstance(block, Text):
            line(
                f"{block.label}{block.text}",
                bold=block.bold or (block.label and not block.text),
                align=block.align,
                size=block.size,
            )
        elif isinstance(block, Columns):
            # each cell wraps in its own width (less one column, so cells never touch) and
            # is centred in it: the signature columns stand side by side as on the raster
            cell = columns // max(len(block.cells), 1)
            wrapped = [_wrap_words(c, cell - 1) for c in block.cells]
            for row in range(max(len(w) for w in wrapped)):
                cells = (w[row] if row < len(w) else "" for w in wrapped)
                line("".join(c.center(cell) for c in cells).rstrip(), bold=block.bold, wrap=False)
        elif isinstance(block, QR):
            printer._raw(ESC + b"a\x01")
            printer.qr(block.data, native=True, size=6)
            if block.caption:
                line(block.caption, align="center")
        elif isinstance(block, Rule):
            line("-" * columns)
        elif isinstance(block, Space):
            printer._raw(b"\n" * max(1, round(block.lines)))
    printer._raw(ESC + b"a\x00" + ESC + b"E\x00" + GS + b"!\x00")


def _wrap_words(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines
