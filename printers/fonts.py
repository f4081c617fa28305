"""Finding a font that has every Vietnamese letter, on a machine that may have none.

Order: COUNTER_APP_FONT (a .ttf/.otf; COUNTER_APP_FONT_BOLD for the bold face), the
font-source-sans-pro package (OFL, installed with the program), then common system fonts.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import NamedTuple

from counter_app.core.errors import DomainError
from counter_app.core.messages import register

register(
    {
        "printer.font_missing": {
            "vi": "Không tìm thấy phông chữ có đủ chữ tiếng Việt để in. Hãy cài gói "
            "«font-source-sans-pro» (pip install font-source-sans-pro) hoặc đặt biến "
            "môi trường COUNTER_APP_FONT trỏ tới một tệp phông .ttf có tiếng Việt "
            "(ví dụ DejaVuSans.ttf, arial.ttf). Đã tìm ở: {searched}.",
            "en": "No font with the Vietnamese letters was found for printing. Install the "
            "'font-source-sans-pro' package or set COUNTER_APP_FONT to a .ttf file that "
            "covers Vietnamese (e.g. DejaVuSans.ttf, arial.ttf). Searched: {searched}.",
        },
    }
)

# (regular, bold) pairs of system fonts known to cover Vietnamese.
_SYSTEM_FONTS: tuple[tuple[str, str], ...] = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
    ("C:/Windows/Fonts/tahoma.ttf", "C:/Windows/Fonts/tahomabd.ttf"),
    ("/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf"),
    (
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
    ),
)


class FontFiles(NamedTuple):
    """A named tuple, not a dataclass: the window finds its font before the first paint,
    and the dataclasses module is not loaded by then."""

    regular: Path
    bold: Path
    source: str  # where it came from, for `print test` and error reports


def _packaged() -> FontFiles | None:
    # Located, not imported: the package globs its folder on import, and the window's first
    # paint waits for this (its `font_directory` is the "files" folder inside it).
    from importlib.util import find_spec

    try:
        spec = find_spec("font_source_sans_pro")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "files"
    regular, bold = folder / "SourceSansPro-Regular.ttf", folder / "SourceSansPro-Semibold.ttf"
    if regular.is_file() and bold.is_file():
        return FontFiles(regular, bold, "font-source-sans-pro")
    return None


def find_fonts(env: dict[str, str] | None = None, *, packaged: bool = True) -> FontFiles:
    env = dict(os.environ) if env is None else env
    searched: list[str] = []
    chosen = env.get("COUNTER_APP_FONT")
    if chosen:
        regular = Path(chosen)
        bold = Path(env.get("COUNTER_APP_FONT_BOLD") or chosen)
        if regular.is_file() and bold.is_file():
            return FontFiles(regular, bold, "COUNTER_APP_FONT")
        searched.append(f"COUNTER_APP_FONT={chosen}")
    if packaged:
        found = _packaged()
        if found is not None:
            return found
        searched.append("gói font-source-sans-pro")
    for regular_name, bold_name in _SYSTEM_FONTS:
        regular, bold = Path(regular_name), Path(bold_name)
        if regular.is_file():
            return FontFiles(regular, bold if bold.is_file() else regular, str(regular))
        searched.append(regular_name)
    raise DomainError("printer.font_missing", searched=", ".join(searched))


@cache
def default_fonts() -> FontFiles:
    return find_fonts()
