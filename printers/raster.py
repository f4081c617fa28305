"""Drawing a document as a 1-bit picture at the paper's dot width (384 or 576 dots).

The printer then receives pictures, not characters, so no code page can turn Vietnamese
into "?". Lines wrap at spaces; a word wider than the paper is cut between letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

from printers.documents import QR, Block, Columns, Document, Rule, Space, Text
from printers.fonts import FontFiles, default_fonts

PAPER_DOTS = {58: 384, 80: 576}
# Font size in dots (203 dpi: 8 dots a millimetre) per paper width.
_SIZES = {
    58: {"small": 20, "normal": 23, "large": 28, "huge": 120},
    80: {"small": 22, "normal": 26, "large": 32, "huge": 150},
}
_MARGIN = 6
_THRESHOLD = 150  # grey below this prints black: slightly heavy strokes survive thermal paper


@dataclass(frozen=True)
class RasterStyle:
    width_mm: int = 80

    @property
    def dots(self) -> int:
        return PAPER_DOTS[self.width_mm]


@cache
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # Basic layout: NFC Vietnamese needs no shaping, and it is several times faster than raqm.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@cache
def _length(font: ImageFont.FreeTypeFont, text: str) -> float:
    return font.getlength(text)


class _Painter:
    def __init__(self, style: RasterStyle, fonts: FontFiles) -> None:
        self.style = style
        self.fonts = fonts
        self.width = style.dots
        self.inner = self.width - 2 * _MARGIN

    def font(self, size: str, bold: bool) -> ImageFont.FreeTypeFont:
        path = self.fonts.bold if bold else self.fonts.regular
        return _font(str(path), _SIZES[self.style.width_mm][size])

    def line_height(self, size: str) -> int:
        font = self.font(size, False)
        ascent, descent = font.getmetrics()
        return ascent + descent + (4 if size != "huge" else 0)

    # Each block becomes a strip of the page: an "L" image, white background.
    def strip(self, block: Block) -> Image.Image:
        if isinstance(block, Text):
            return self._text(block)
        if isinstance(block, Columns):
            return self._columns(block)
        if isinstance(block, QR):
            return self._qr(block)
        if isinstance(block, Rule):
            img = Image.new("L", (self.width, 12), 255)
            draw = ImageDraw.Draw(img)
            for x in range(_MARGIN, self.width - _MARGIN, 8):
                draw.line((x, 6, x + 4, 6), fill=0, width=2)
            return img
        if isinstance(block, Space):
            return Image.new("L", (self.width, int(self.line_height("normal") * block.lines)), 255)
        raise TypeError(f"unknown block {block!r}")

    def wrap(self, runs: list[tuple[str, ImageFont.FreeTypeFont]], width: int) -> list[list]:
        """Lay words out in lines; returns lines of (x, word, font)."""
        lines: list[list] = [[]]
        x = 0.0
        for text, font in runs:
            space = _length(font, " ")
            for word in text.split():
                w = _length(font, word)
                if lines[-1] and x + space + w > width:
                    lines.append([])
                    x = 0.0
                elif lines[-1]:
                    x += space
                while w > width:  # a word longer than the paper: cut it between letters
                    cut = len(word)
                    while cut > 1 and font.getlength(word[:cut]) > width - x:
                        cut -= 1
                    lines[-1].append((x, word[:cut], font))
                    lines.append([])
                    word, x = word[cut:], 0.0
                    w = font.getlength(word)
                lines[-1].append((x, word, font))
                x += w
        return [line for line in lines if line] or [[]]

    def _place(self, line: list, width: int, align: str, left: int) -> list:
        if not line:
            return line
        last_x, last_word, last_font = line[-1]
        used = last_x + _length(last_font, last_word)
        shift = {"left": 0, "center": (width - used) / 2, "right": width - used}[align]
        # Words that follow each other in one font are drawn as one string: far fewer calls.
        merged: list[list] = []
        for x, word, font in line:
            if merged and merged[-1][2] is font:
                merged[-1][1] += " " + word
            else:
                merged.append([left + shift + x, word, font])
        return merged

    def _text(self, block: Text) -> Image.Image:
        runs = []
        if block.label:
            runs.append((block.label, self.font(block.size, True)))
        if block.text:
            runs.append((block.text, self.font(block.size, block.bold)))
        lines = self.wrap(runs, self.inner)
        height = self.line_height(block.size)
        img = Image.new("L", (self.width, height * len(lines)), 255)
        draw = ImageDraw.Draw(img)
        for i, line in enumerate(lines):
            for x, word, font in self._place(line, self.inner, block.align, _MARGIN):
                draw.text((x, i * height + 2), word, font=font, fill=0)
        return img

    def _columns(self, block: Columns) -> Image.Image:
        n = max(len(block.cells), 1)
        cell_width = self.inner // n
        font = self.font(block.size, block.bold)
        wrapped = [self.wrap([(cell, font)], cell_width - 4) for cell in block.cells]
        height = self.line_height(block.size)
        rows = max(len(w) for w in wrapped)
        img = Image.new("L", (self.width, height * rows), 255)
        draw = ImageDraw.Draw(img)
        for c, lines in enumerate(wrapped):
            left = _MARGIN + c * cell_width
            for i, line in enumerate(lines):
                for x, word, f in self._place(line, cell_width, "center", left):
                    draw.text((x, i * height + 2), word, font=f, fill=0)
        return img

    def _qr(self, block: QR) -> Image.Image:
        # A fixed mask skips qrcode's slow search for the best of eight; any mask scans.
        qr = qrcode.QRCode(
            border=0, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2
        )
        qr.add_data(block.data)
        qr.make(fit=True)
        modules = qr.modules_count
        scale = max(2, min(8, (self.inner // 2) // modules))
        matrix = qr.get_matrix()
        cells = bytes(0 if dark else 255 for row in matrix for dark in row)
        code = Image.frombytes("L", (modules, modules), cells)
        code = code.resize((modules * scale, modules * scale), Image.Resampling.NEAREST)
        caption = (
            self._text(Text(block.caption, size="small", align="center")) if block.caption else None
        )
        height = code.height + 16 + (caption.height if caption else 0)
        img = Image.new("L", (self.width, height), 255)
        img.paste(code, ((self.width - code.width) // 2, 8))
        if caption:
            img.paste(caption, (0, code.height + 12))
        return img


def render_raster(
    document: Document, *, width_mm: int = 80, fonts: FontFiles | None = None
) -> Image.Image:
    """The document as a 1-bit picture, `PAPER_DOTS[width_mm]` wide (black = ink)."""
    painter = _Painter(RasterStyle(width_mm), fonts or default_fonts())
    strips = [painter.strip(block) for block in document.printed_blocks()]
    height = sum(s.height for s in strips) + 8
    page = Image.new("L", (painter.width, height), 255)
    y = 0
    for strip in strips:
        page.paste(strip, (0, y))
        y += strip.height
    return page.point(lambda v: 0 if v < _THRESHOLD else 255, mode="1")
