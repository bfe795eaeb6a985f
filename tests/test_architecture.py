"""Tests of the package layout (STYLE.md §1): no import cycle among pipeline/ modules, no oversized module.

The import graph is read from the AST of every module, imports inside functions included, so a
lazy import cannot hide a cycle. Only edges between ketluan modules count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
MAX_LINES = 650


def module_name(path: Path) -> str:
    """ "pipeline/engine/local.py" -> "ketluan.engine.local"; a package's __init__ is the package."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["ketluan", *parts])


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(current: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of a relative import `from ..x import y` seen in module `current`."""
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def import_graph() -> dict[str, set[str]]:
    """Module -> the ketluan modules it imports (anywhere in its body)."""
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = (
                    _resolve(name, is_package, node.level, node.module) if node.level else (node.module or "")
                )
                # `from . import nlp` names a module; `from .config import Settings` names an attribute
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
            for target in targets:
                while target and target not in known:  # "ketluan.extract.ocr.x" -> nearest module
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as [a, b, ..., a], or [] when the graph has none (iterative DFS)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(graph):
        if state.get(root):
            continue
        path = [root]
        stack = [iter(sorted(graph[root]))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph.get(nxt, ()))))
    return []


# fmt: off
@pytest.mark.parametrize("graph, cycle", [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
    ({"api": {"analyze"}, "analyze": {"report"}, "report": {"analyze"}}, ["analyze", "report", "analyze"]),
])
# fmt: on
def test_architecture_find_cycle_finds_a_cycle(graph: dict[str, set[str]], cycle: list[str]) -> None:
    assert find_cycle(graph) == cycle


# fmt: off
@pytest.mark.parametrize("module, imported", [
    ("ketluan.api", "ketluan.chain"),
    ("ketluan.chain", "ketluan.actors"),      # imported inside a function: still an edge
    ("ketluan.engine.ray", "ketluan.engine.local"),
    ("ketluan.engine.local", "ketluan.nlp"),  # `from .. import actors, nlp` inside init_worker
])
# fmt: on
def test_architecture_graph_sees_every_import(module: str, imported: str) -> None:
    assert imported in import_graph()[module]


def test_architecture_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle == [], "import cycle: " + " -> ".join(cycle)


# fmt: off
@pytest.mark.parametrize("leaf", ["ketluan.errors", "ketluan.text.periods", "ketluan.text.dates",
                                  "ketluan.text.orthography", "ketluan.text.canonical", "ketluan.text.legacy",
                                  "ketluan.text.markup"])
# fmt: on
def test_architecture_leaf_modules_import_no_stage(leaf: str) -> None:
    """errors and text/ import no stage: only config, errors, records and other text/ modules."""
    stages = {m for m in import_graph()[leaf] if not m.startswith("ketluan.text")}
    assert stages <= {"ketluan.config", "ketluan.errors", "ketluan.records", "ketluan.text"}


def test_architecture_no_module_over_the_line_limit() -> None:
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    assert {n: s for n, s in sizes.items() if s > MAX_LINES} == {}
