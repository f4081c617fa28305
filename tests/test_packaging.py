"""The one-folder bundle: what it keeps and drops, its budget, and (once built) the program.

The rules run everywhere; the tests marked `bundle` need `python packaging/build.py` first
and are skipped without it (.ci/run builds the bundle and runs packaging/smoke.py).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    """packaging/ holds scripts, not a package (and PyPA's `packaging` owns that name)."""
    spec = importlib.util.spec_from_file_location(
        f"_packaging_{name}", ROOT / "packaging" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


contents = _load("contents")

BUNDLE = contents.bundle_dir(ROOT)
built = pytest.mark.skipif(not contents.executable(BUNDLE).is_file(), reason="no bundle built")


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/texttospeech/libqtexttospeech_speechd.so", True),
        ("PySide6/plugins/texttospeech/qtexttospeech_sapi.dll", True),
        ("PySide6/Qt/plugins/texttospeech/libqtexttospeech_mock.so", False),
        ("PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/webview/libqtwebview_webengine.so", False),
        ("PySide6/Qt/plugins/qmltooling/libqmldbg_debugger.so", False),
        ("PySide6/Qt/translations/qtbase_en.qm", False),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/lib/libQt6WebEngineCore.so.6", False),
        ("PySide6/Qt6Quick.dll", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("resources/translations/counter_app_en.qm", True),
        ("resources/translations/qtbase_vi.qm", True),
        ("resources/voice/digit_0.wav", True),  # the board's voice clips
    ],
)
def test_the_bundle_keeps_what_the_windows_load_and_drops_the_rest(dest, kept):
    assert contents.keep(dest) is kept


def test_nats_server_is_found_where_its_wheel_put_it():
    binary = contents.nats_server_binary()
    assert binary.parent.name in ("bin", "Scripts")  # the scripts folder, not a package
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and out.stdout.startswith("nats-server")


def test_a_bundle_over_its_budget_fails_the_build(tmp_path):
    check_size = _load("build").check_size
    (tmp_path / "big.bin").write_bytes(b"\0" * 3 * 2**20)
    assert check_size(tmp_path, budget_mb=4) == pytest.approx(3)
    with pytest.raises(SystemExit, match="ngân sách"):
        check_size(tmp_path, budget_mb=2)


@built
def test_nats_server_sits_where_the_frozen_hub_looks():
    from counter_app.bundled import NATS_SERVER

    assert (BUNDLE / "_internal" / NATS_SERVER).is_file()


@built
def test_every_module_of_the_program_is_frozen_in():
    """Modules imported by name (lazy commands, the None guard, the board's sound) included."""
    from PyInstaller.archive.readers import CArchiveReader

    frozen = set(CArchiveReader(str(contents.executable(BUNDLE))).open_embedded_archive(
        "PYZ.pyz").toc)  # fmt: skip
    wanted = set()
    for package in contents.HIDDEN_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            wanted.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    assert "counter_app.none_guard" in wanted
    assert wanted - frozen == set()
    assert "font_source_sans_pro" in frozen  # located by find_spec, never imported
    qt = BUNDLE / "_internal" / "PySide6"
    for module in (
        "QtMultimedia",
        "QtTextToSpeech",
        "QtCharts",
        "QtNetwork",
        "QtPrintSupport",
        "QtPdf",
    ):
        assert list(qt.glob(f"{module}.*")), module  # extension modules are files


# The Qt libraries a Linux bundle may hold: what the kept modules and plugins link, no more.
LINUX_QT_LIBRARIES = {
    "libQt6Core", "libQt6Gui", "libQt6Widgets", "libQt6Network", "libQt6DBus", "libQt6XcbQpa",
    "libQt6Charts", "libQt6OpenGL", "libQt6OpenGLWidgets", "libQt6Concurrent",
    "libQt6Multimedia", "libQt6TextToSpeech", "libQt6FFmpegStub-crypto", "libQt6FFmpegStub-ssl",
    "libQt6FFmpegStub-va", "libQt6FFmpegStub-va-drm", "libQt6FFmpegStub-va-x11",
    "libQt6PrintSupport", "libQt6Pdf",
}  # fmt: skip


@built
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux library names")
def test_the_bundle_holds_only_the_qt_libraries_it_uses():
    found = {p.name.split(".so")[0] for p in (BUNDLE / "_internal").rglob("libQt6*")}
    assert found == LINUX_QT_LIBRARIES


@built
def test_the_bundle_is_within_budget_and_carries_no_excluded_qt():
    assert contents.folder_size_mb(BUNDLE) <= contents.BUDGET_MB
    internal = BUNDLE / "_internal"
    for path in internal.rglob("*"):
        assert contents.keep(path.relative_to(internal).as_posix()), path
    for name in contents.EXCLUDED_QT:  # the Python modules (their Qt libraries may be needed)
        assert not list((internal / "PySide6").glob(f"{name}.*")), name
    assert (internal / "escpos" / "capabilities.json").is_file()
    assert {p.name for p in (internal / "font_source_sans_pro" / "files").iterdir()} == set(
        contents.FONT_FILES
    )
