"""The package's imports go one way: a walk of every import statement finds no cycle.

Module-level imports and the imports inside functions (the lazy ones) are both edges: a lazy
import that closes a loop still makes two modules depend on each other. Importing
``a.b.c`` also imports the packages ``a.b`` and ``a``; ``if TYPE_CHECKING:`` blocks are skipped
(they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import reconnect_signals

ROOT = Path(reconnect_signals.__file__).resolve().parent
PACKAGE = "reconnect_signals"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package modules ``path`` imports (statement by statement, type-checking blocks skipped)."""
    name = _module_name(path)
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()

    def add(target: str) -> None:
        parts = target.split(".")
        # the module itself if it exists, else its closest existing parent (a name imported from it)
        while parts and ".".join(parts) not in modules:
            parts.pop()
        if parts:
            found.add(".".join(parts))

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit(sub)
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == PACKAGE:
                        add(alias.name)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    anchor = base[: len(base) - (child.level - 1)]
                    target = ".".join(anchor + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                if target.split(".")[0] != PACKAGE:
                    continue
                add(target)
                for alias in child.names:  # from . import accessor  -> the submodule
                    if f"{target}.{alias.name}" in modules:
                        add(f"{target}.{alias.name}")
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(name)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in ROOT.rglob("*.py")}
    modules = set(files)
    graph = {}
    for name, path in files.items():
        deps = _imports(path, modules)
        # importing a.b.c runs a/__init__ and a/b/__init__ first
        for dep in list(deps):
            parts = dep.split(".")
            deps.update(".".join(parts[:i]) for i in range(1, len(parts)))
        deps.discard(name)
        # a package's own parents are not a dependency of its submodules' loop
        graph[name] = {d for d in deps if not name.startswith(d + ".")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def test_the_graph_sees_module_level_and_lazy_imports():
    graph = _graph()
    assert "reconnect_signals.schema" in graph["reconnect_signals.table"]  # module level
    assert "reconnect_signals._session_model" in graph["reconnect_signals.structure"]  # lazy
    assert "reconnect_signals.cues" in graph["reconnect_signals.table"]  # parent of cues._catalogue
    assert "reconnect_signals.errors" in graph["reconnect_signals"]


def test_no_import_cycles():
    cycles = _cycles(_graph())
    assert not cycles, "import cycles (each list is a set of modules that import each other):\n" + "\n".join(
        " <-> ".join(c) for c in cycles
    )


def test_a_cycle_is_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
