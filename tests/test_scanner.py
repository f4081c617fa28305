"""The scanner backends: SANE's own `test` device through scanimage (a real backend, not a
mock), and WIA where Windows and a scanner are."""

from __future__ import annotations

import io
import shutil
import sys

import pytest
from PIL import Image

from counter_app.core.errors import DomainError
from counter_app.core.paper_pdf import make_pdf
from counter_app.scanner import scan_page

needs_sane = pytest.mark.skipif(
    sys.platform != "linux" or shutil.which("scanimage") is None,
    reason="SANE's scanimage (sane-utils; .ci/run installs it)",
)


@needs_sane
def test_the_sane_test_device_gives_a_grey_page_at_200_dpi_or_a_colour_one():
    grey = Image.open(io.BytesIO(scan_page("test").image))
    assert grey.mode == "L"
    assert round(grey.info["dpi"][0]) == 200
    colour = Image.open(io.BytesIO(scan_page("test", colour=True).image))
    assert colour.mode == "RGB"
    assert make_pdf([scan_page("test").image]).pages == 1


@needs_sane
def test_a_scanner_that_is_not_there_is_one_vietnamese_sentence():
    with pytest.raises(DomainError) as raised:
        scan_page("khong-co-may-nay")
    assert raised.value.code == "scanner.failed"
    assert "Nhập tệp" in raised.value.message()


@pytest.mark.skipif(sys.platform != "win32", reason="WIA exists on Windows only")
def test_wia_lists_and_scans_where_a_scanner_is():
    from counter_app.scanner import wia

    found = wia.devices()
    if not found:
        pytest.skip("no WIA scanner attached to this Windows PC")
    page = Image.open(io.BytesIO(scan_page(found[0]).image))
    assert page.width > 0 and page.height > 0
