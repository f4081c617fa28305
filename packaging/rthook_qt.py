"""Runs instead of PyInstaller's PySide6 runtime hook, without importing Qt.

That hook imports QtCore at every start to register a qt.conf, which the PySide6 wheels
register themselves when QtCore loads; a command-line start (`counter-app --version`,
`print receipt`) paid ~0.1 s for a Qt it never uses. What remains is telling Qt where its
plugins are, before anything loads it.
"""

import os
import sys

_qt = (
    os.path.join(sys._MEIPASS, "PySide6")
    if sys.platform == "win32"
    else os.path.join(sys._MEIPASS, "PySide6", "Qt")
)
os.environ["QT_PLUGIN_PATH"] = os.path.join(_qt, "plugins")
if sys.platform == "win32":  # DLLs collected beside the program (OpenSSL for QtNetwork)
    os.environ["PATH"] = sys._MEIPASS + os.pathsep + os.environ.get("PATH", "")
