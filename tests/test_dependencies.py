"""What the program imports is what pyproject.toml declares, each with a tested range."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OURS = {"counter_app", "printers", "sync", "resources", "bench", "tests", "conftest"}
PLATFORM_ONLY = {"msvcrt", "fcntl", "winreg"}  # standard library of one platform


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imports(packages: tuple[str, ...]) -> set[str]:
    found = set()
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found - OURS - set(sys.stdlib_module_names) - PLATFORM_ONLY


def test_every_third_party_import_of_the_program_is_a_declared_dependency():
    declared = {_name(r) for r in _project()["dependencies"]}
    owners = packages_distributions()
    missing = {}
    for module in _imports(("counter_app", "printers", "sync", "bench", "resources")):
        names = {n.lower().replace("_", "-") for n in owners.get(module, [module])}
        if not names & declared:
            missing[module] = sorted(names)
    assert missing == {}, f"imported but not declared in pyproject.toml: {missing}"


def test_every_test_import_is_declared_by_the_program_or_its_test_extra():
    project = _project()
    declared = {_name(r) for r in project["dependencies"]}
    # the packaging tests need the package extra, which CI installs with the test extra
    declared |= {_name(r) for r in project["optional-dependencies"]["test"]}
    declared |= {_name(r) for r in project["optional-dependencies"]["package"]}
    owners = packages_distributions()
    missing = {}
    for module in _imports(("tests",)):
        names = {n.lower().replace("_", "-") for n in owners.get(module, [module])}
        if not names & declared:
            missing[module] = sorted(names)
    assert missing == {}, f"tests import undeclared packages: {missing}"


def test_every_dependency_has_a_tested_upper_bound():
    project = _project()
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        assert "<" in requirement.split(";")[0], f"no upper bound: {requirement}"


def test_printer_transports_come_with_the_program_on_each_platform():
    requirements = " ".join(_project()["dependencies"])
    assert "python-escpos[usb,serial]" in requirements
    assert re.search(r"python-escpos\[win32\][^\"]*platform_system == 'Windows'", requirements)
