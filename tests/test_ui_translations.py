"""Every user-visible string of the UI goes through Qt's translation and has its English.

Vietnamese is the source language (the strings in the code); English comes from
resources/translations/counter_app_en.ts, compiled by resources/translations/build.py.
"""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "counter_app" / "ui"
TS = ROOT / "resources" / "translations" / "counter_app_en.ts"
QM = TS.with_suffix(".qm")


def _translations() -> dict[tuple[str, str], tuple[str, str | None]]:
    found = {}
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [f.text or "" for f in translation.iter("numerusform")]
            if forms:  # a count: every form must be there ("1 job", "2 jobs")
                text = "" if not all(f.strip() for f in forms) else forms[-1]
            else:
                text = translation.text or ""
            found[(name, message.findtext("source"))] = (text, translation.get("type"))
    return found


def _calls() -> list[tuple[str, str, str, int]]:
    """(file, context, source, line) of every tr()/translate() call in counter_app/ui."""
    calls = []
    for path in sorted(UI.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in [None, *[n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]]:
            body = tree if cls is None else cls
            for node in ast.walk(body):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                    continue
                name = node.func.attr
                if name == "tr" and cls is not None:
                    if _owner(tree, node) is not cls:
                        continue
                    arg = node.args[0] if node.args else None
                    context = cls.name
                elif name == "translate" and cls is None and len(node.args) >= 2:
                    context = getattr(node.args[0], "value", None)
                    arg = node.args[1]
                else:
                    continue
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                calls.append((path.name, context, arg.value if literal else None, node.lineno))
    return calls


def _owner(tree: ast.AST, call: ast.Call) -> ast.ClassDef | None:
    owner = None
    for node in ast.walk(tree):
        inside = isinstance(node, ast.ClassDef) and any(n is call for n in ast.walk(node))
        if inside and (owner is None or any(n is node for n in ast.walk(owner))):
            owner = node
    return owner


def test_every_ui_string_is_a_literal_with_an_english_translation() -> None:
    translations = _translations()
    calls = _calls()
    assert len(calls) > 250
    problems = []
    for file, context, source, line in calls:
        if source is None:
            problems.append(f"{file}:{line}: tr() of a non-literal: lupdate cannot see it")
            continue
        text, kind = translations.get((context, source), ("", "missing"))
        if kind in ("missing", "unfinished", "vanished", "obsolete") or not text.strip():
            problems.append(f"{file}:{line}: [{context}] {source!r} has no English ({kind})")
        elif source.count("{") != text.count("{"):
            problems.append(f"{file}:{line}: [{context}] placeholders differ: {text!r}")
    assert not problems, "\n".join(problems)


def test_no_ui_string_escapes_translation() -> None:
    """Labels, buttons and titles are built from tr(): no bare Vietnamese literal passed
    straight to a widget (data from the catalogue or the core is not a literal)."""
    setters = {"setText", "setWindowTitle", "setPlaceholderText", "setToolTip", "addItem",
               "QLabel", "QPushButton", "QCheckBox", "QGroupBox", "button", "addTab"}  # fmt: skip
    problems = []
    for path in sorted(UI.glob("*.py")):
        if path.name == "screenshots.py":  # types sample input into the fields, like a clerk
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in setters:
                continue
            for arg in node.args[:1]:
                if (isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                        and any(ch.isalpha() for ch in arg.value)
                        and arg.value not in ("Tiếng Việt", "English", "H")):  # fmt: skip
                    problems.append(f"{path.name}:{node.lineno}: {arg.value!r}")
    assert not problems, "untranslated literals:\n" + "\n".join(problems)


def test_compiled_english_loads_and_translates(qapp) -> None:
    from PySide6.QtCore import QCoreApplication

    from counter_app.ui.i18n import install_language

    assert QM.is_file() and QM.stat().st_mtime >= TS.stat().st_mtime - 1
    try:
        assert install_language("en")
        assert QCoreApplication.translate("CounterView", "Gọi số tiếp theo") == "Call next"
    finally:
        install_language("vi")
    assert QCoreApplication.translate("CounterView", "Gọi số tiếp theo") == "Gọi số tiếp theo"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_counter_window_in_each_language(qtbot, qapp, store, clock, station, lang) -> None:
    from counter_app.core.roles import Actor, Role
    from counter_app.ui.counter import CounterWidget
    from counter_app.ui.i18n import install_language
    from counter_app.ui.session import Session

    install_language(lang)
    try:
        widget = CounterWidget(Session(store, clock=clock, actor=Actor("c", Role.CLERK)))
        qtbot.addWidget(widget)
        expected = {"vi": "Gọi số tiếp theo", "en": "Call next"}[lang]
        assert widget.view.call_next.text().startswith(expected)
    finally:
        install_language("vi")
