"""Imports point one way: no module imports, even lazily or for type hints only, a module
that imports it back, and no package (core, store, services, sync, printers, ui...) needs a
package that needs it.

Issue 20 broke four circles: the services reached sync's dialects (now a port,
services/portal_port.py, that sync implements), printers/pdf.py imported the UI's Qt process
module (now counter_app/qt_process.py), sync/pull.py imported sync/engine.py (SyncReport now
in sync/report.py), and the Settings tabs imported ui/settings.py (SettingsPage now in
ui/settings_page.py). The graph is read from the source with `ast`, imports inside functions
and under TYPE_CHECKING included: a lazy import hides a circle from Python, not from a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("counter_app", "sync", "printers", "bench", "resources")

# Circles found when the test was written and left on purpose, each with why. A circle that
# grows, or a new one, fails.
KNOWN_CIRCLES = {
    # Store opens its repositories lazily; they name Store only in type hints. Every module
    # of the store package may sit in this one circle (a new repository joins it), never a
    # module from outside the package.
    frozenset(
        f"counter_app.store.{path.stem}"
        for path in (ROOT / "counter_app" / "store").glob("*.py")
        if path.stem != "__init__"
    ),
    # Catalogue.search calls the ranking, which ranks Catalogue's procedures (the procedure
    # search is being rebuilt for issue 20; the circle goes with it).
    frozenset({"counter_app.core.catalogue", "counter_app.core.procedure_search"}),
}  # fmt: skip


def module_files(root: Path, packages: tuple[str, ...]) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, whether it is a package's __init__)."""
    found = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            is_package = parts[-1] == "__init__"
            found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Who imports whom among the given packages: at module level, inside functions and
    under TYPE_CHECKING alike. `from a import b` counts as importing `a.b` when b is a module."""
    modules = module_files(root, packages)

    def known(name: str) -> str | None:
        parts = name.split(".")
        while parts and ".".join(parts) not in modules:
            parts.pop()
        return ".".join(parts) or None

    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        here = name.split(".") if is_package else name.split(".")[:-1]
        targets = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(known(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
                targets.update(known(f"{base}.{alias.name}") or known(base) for alias in node.names)
        targets.discard(None)
        targets.discard(name)
    return graph


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def layer(module: str) -> str:
    """The package a module belongs to: counter_app's subpackages (and its top-level modules)
    each on their own, the other top-level packages whole."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "counter_app" else parts[0]


def layer_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    layers: dict[str, set[str]] = {}
    for module, targets in graph.items():
        layers.setdefault(layer(module), set()).update(
            layer(t) for t in targets if layer(t) != layer(module)
        )
    return layers


def edges_within(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    return sorted(f"{a} -> {b}" for a in component for b in graph.get(a, ()) if b in component)


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(ROOT, PACKAGES)


def test_no_module_circle_but_the_known_ones(graph):
    new = [c for c in circles(graph) if not any(frozenset(c) <= known for known in KNOWN_CIRCLES)]
    assert not new, "import circles:\n" + "\n\n".join(
        "\n".join(edges_within(graph, c)) for c in new
    )


def test_no_package_needs_a_package_that_needs_it(graph):
    layers = layer_graph(graph)
    found = circles(layers)
    detail = [
        f"{a} -> {b}: " + ", ".join(sorted(f"{m} -> {t}" for m in graph for t in graph[m]
                                           if layer(m) == a and layer(t) == b))
        for c in found for a in sorted(c) for b in sorted(layers[a]) if b in c
    ]  # fmt: skip
    assert not found, "package circles:\n" + "\n".join(detail)
    # the walk did see the layers it guards, and the edges that point the allowed way
    assert "counter_app.services" in layers["sync"]  # sync writes through the services
    assert "counter_app.qt_process" in layers["printers"]


@pytest.mark.parametrize(
    ("importers", "imported"),
    [
        ("counter_app.services", "sync"),  # the services reach the portal through their port
        ("printers", "counter_app.ui"),  # printers get Qt from counter_app.qt_process
        ("sync.pull", "sync.engine"),  # the pull half gets SyncReport from sync.report
        ("counter_app.ui.settings_", "counter_app.ui.settings"),  # tabs: ui/settings_page.py
    ],
)
def test_the_circles_of_issue_20_stay_broken(graph, importers, imported):
    """The four circles by name, so a failure says which came back."""
    back = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if module.startswith(importers)
        for target in targets
        if target == imported or target.startswith(imported + ".")
    )
    assert not back, "\n".join(back)


def test_the_walk_sees_lazy_and_type_only_imports(tmp_path):
    """Control: a circle closed only inside a function or under TYPE_CHECKING is found."""
    package = tmp_path / "planted"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from planted.b import thing\n")
    (package / "b.py").write_text("def thing():\n    from . import c\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from planted import a\n"
    )
    (package / "d.py").write_text("import planted.a\n")  # into the circle, not part of it
    planted = import_graph(tmp_path, ("planted",))
    assert circles(planted) == [{"planted.a", "planted.b", "planted.c"}]
    assert planted["planted.d"] == {"planted.a"}
