"""Scanners behind one narrow call: `scan_page(device, colour=...)` gives one page image.

A backend per platform, chosen by an explicit mapping: SANE's `scanimage` on Linux (a
subprocess: python-sane would need a compiler on every PC), WIA on Windows (sane.py,
wia.py). Importing a file is the fallback that always works; it needs no backend at all.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.scanner import sane, wia

DPI = 200

register(
    {
        "scanner.missing": {
            "vi": "Máy này chưa cài chương trình điều khiển máy quét ({tool}); hãy dùng "
            "\u201cNhập tệp\u201d để đính kèm ảnh hoặc PDF đã quét.",
            "en": "This PC has no scanner driver ({tool}); use \u201cImport file\u201d to "
            "attach a scanned image or PDF.",
        },
        "scanner.none": {
            "vi": "Không tìm thấy máy quét nào. Kiểm tra dây cáp và nguồn điện, hoặc dùng "
            "\u201cNhập tệp\u201d.",
            "en": "No scanner found. Check its cable and power, or use \u201cImport file\u201d.",
        },
        "scanner.failed": {
            "vi": "Máy quét báo lỗi, chưa quét được trang này (kẹt giấy, nắp mở hoặc đang "
            "bận). Thử lại hoặc dùng \u201cNhập tệp\u201d.",
            "en": "The scanner reported an error and this page was not scanned (paper jam, "
            "open lid or busy). Try again or use \u201cImport file\u201d.",
        },
    }
)


@dataclass(frozen=True)
class ScannedPage:
    image: bytes  # PNG (SANE) or the driver's own format (WIA): Pillow reads both

    def __repr__(self) -> str:
        return f"ScannedPage(size={len(self.image)})"


BACKENDS = {"linux": sane, "darwin": sane, "win32": wia}


def _backend():
    backend = BACKENDS.get(sys.platform)
    if backend is None:
        raise DomainError("scanner.missing", tool="SANE/WIA")
    return backend


def devices() -> list[str]:
    """The names of the scanners this PC sees now."""
    return _backend().devices()


def scan_page(device: str | None = None, *, colour: bool = False) -> ScannedPage:
    """One page from `device` (the first one found when None), grey 200 dpi unless colour:
    blocks for as long as the scanner takes, so the windows call it on a worker thread."""
    backend = _backend()
    if not device:
        found = backend.devices()
        if not found:
            raise DomainError("scanner.none")
        device = found[0]
    return ScannedPage(backend.scan(device, colour=colour, dpi=DPI))
