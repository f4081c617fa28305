"""Scanned or imported pages to one PDF per paper, small enough to send over a commune link.

A page is kept grey at 200 dpi unless colour is asked for (a photo ID's colours rarely
matter; its size does: the province's upload caps at a few MB per file). Each page is a
JPEG inside the PDF (img2pdf wraps it without re-encoding), compressed until it fits a
budget of about 300 KB for an A4 text page. A PDF given as is stays as is: it may carry a
signature; several inputs are joined with pikepdf.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from counter_app.core.errors import ValidationError
from counter_app.core.messages import register

DPI = 200
A4_PX = (round(8.27 * DPI), round(11.69 * DPI))  # 1654 x 2338 at 200 dpi
PAGE_BUDGET = 300_000  # bytes for an A4 page; smaller pages get their share of it
QUALITIES = (70, 60, 50, 40)
MAX_INPUT_BYTES = 50 * 1024 * 1024  # a phone photo is ~10 MB; beyond, not a paper
THUMB_WIDTH = 96

register(
    {
        "paper.bad_file": {
            "vi": "Tệp thứ {n} không phải PDF, JPEG hay PNG đọc được.",
            "en": "File number {n} is not a readable PDF, JPEG or PNG.",
        },
        "paper.too_big": {
            "vi": "Tệp thứ {n} lớn quá {mb} MB, không phải một trang giấy tờ.",
            "en": "File number {n} is larger than {mb} MB: not a scanned paper.",
        },
        "paper.no_pages": {
            "vi": "Chưa có trang nào để số hóa.",
            "en": "There is no page to digitise.",
        },
    }
)


@dataclass(frozen=True)
class PaperPdf:
    """One paper's PDF in clear: held in memory only until it is sealed."""

    pdf: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()

    def __repr__(self) -> str:  # the bytes are a citizen's papers: never in a traceback
        return f"PaperPdf(pages={self.pages}, size={len(self.pdf)})"


def read_inputs(paths: list[Path]) -> list[bytes]:
    """Each file's bytes, refused with its position (never its name: a name may be a
    person's) when it is too big or cannot be read."""
    contents = []
    for n, path in enumerate(paths, start=1):
        try:
            if Path(path).stat().st_size > MAX_INPUT_BYTES:
                raise ValidationError("paper.too_big", field="file", n=n, mb=MAX_INPUT_BYTES >> 20)
            contents.append(Path(path).read_bytes())
        except OSError:
            raise ValidationError("paper.bad_file", field="file", n=n) from None
    return contents


def make_pdf(inputs: list[bytes], *, colour: bool = False) -> PaperPdf:
    """One PDF from page images (JPEG, PNG, PNM) and PDFs, in the order given."""
    if not inputs:
        raise ValidationError("paper.no_pages", field="file")
    parts: list[bytes] = []
    run: list[bytes] = []  # consecutive images become one img2pdf part
    for n, data in enumerate(inputs, start=1):
        if data.startswith(b"%PDF"):
            if run:
                parts.append(_images_to_pdf(run))
                run = []
            parts.append(data)
        else:
            run.append(_page_jpeg(data, colour=colour, n=n))
    if run:
        parts.append(_images_to_pdf(run))
    if len(parts) == 1:
        return PaperPdf(parts[0], _page_count(parts[0], 1))
    return _merge(parts)


def _page_jpeg(data: bytes, *, colour: bool, n: int) -> bytes:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError("paper.bad_file", field="file", n=n) from None
    image = _flatten(image, colour)
    image = image.resize(_size_at_dpi(image), Image.Resampling.LANCZOS)
    budget = _budget(image.size)
    dpi = float(DPI)
    while True:
        for quality in QUALITIES:
            out = io.BytesIO()
            image.save(out, "JPEG", quality=quality, dpi=(round(dpi), round(dpi)), optimize=True)
            if out.tell() <= budget:
                return out.getvalue()
        # still over at the lowest quality (a photo full of texture): fewer pixels on the
        # same paper size, so a lower resolution
        width, height = max(1, int(image.width * 0.8)), max(1, int(image.height * 0.8))
        dpi *= width / image.width
        image = image.resize((width, height), Image.Resampling.LANCZOS)


def _flatten(image, colour: bool):
    """Transparency on white, then grey or RGB: JPEG knows no alpha."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image.convert("RGB" if colour else "L")


def _size_at_dpi(image) -> tuple[int, int]:
    """The pixel size at 200 dpi: from the image's own resolution when it has one, else
    (a photo) fitted into an A4 page; never enlarged."""
    width, height = image.size
    dpi = image.info.get("dpi")
    if dpi and dpi[0] and float(dpi[0]) > DPI:
        scale = DPI / float(dpi[0])
    else:
        short, long = sorted(A4_PX)
        box = (short, long) if height >= width else (long, short)
        scale = min(1.0, box[0] / width, box[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _budget(size: tuple[int, int]) -> int:
    """An A4 page's budget, shared out by area (an ID card gets far less)."""
    area = size[0] * size[1] / (A4_PX[0] * A4_PX[1])
    return max(30_000, round(PAGE_BUDGET * min(1.0, area)))


def _images_to_pdf(jpegs: list[bytes]) -> bytes:
    import img2pdf

    return img2pdf.convert(jpegs)  # each page sized by its JPEG's own resolution


def _page_count(pdf: bytes, n: int) -> int:
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            return len(document.pages)
    except (pikepdf.PdfError, ValueError):
        raise ValidationError("paper.bad_file", field="file", n=n) from None


def _merge(parts: list[bytes]) -> PaperPdf:
    import pikepdf

    merged = pikepdf.new()
    sources = []
    for n, part in enumerate(parts, start=1):
        try:
            source = pikepdf.open(io.BytesIO(part))
        except (pikepdf.PdfError, ValueError):
            raise ValidationError("paper.bad_file", field="file", n=n) from None
        sources.append(source)
        merged.pages.extend(source.pages)
    out = io.BytesIO()
    merged.save(out)
    pages = len(merged.pages)
    for source in sources:
        source.close()
    return PaperPdf(out.getvalue(), pages)


def thumbnail(pdf: bytes) -> bytes | None:
    """A small JPEG of the first page's first image (a scan is one image a page), for the
    checklist row; None when the first page has no image (a typed PDF)."""
    import pikepdf
    from PIL import Image

    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            page = document.pages[0]
            for _name, raw in page.get_images().items():
                image = pikepdf.PdfImage(raw).as_pil_image()
                image.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 2), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                image.convert("L" if image.mode in ("L", "1") else "RGB").save(out, "JPEG")
                return out.getvalue()
    except (pikepdf.PdfError, ValueError, IndexError, NotImplementedError, OSError):
        return None
    return None
