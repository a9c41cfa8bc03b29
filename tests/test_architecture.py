"""The package's layout holds: no import cycle, and executors never import one another.

Stages (text, passages, candidates, align, pairs, kinds, direction, families,
outlets, ...) hold every rule; the local engine, the Spark engine and the
index only orchestrate them. Every import counts, also those inside
functions, since each is a dependency a reader has to follow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dedup"
ENGINES = ("dedup.local", "dedup.spark", "dedup.index")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(name: str) -> set[str]:
    """The dedup modules ``name`` imports (a name imported from a package counts
    as its submodule when there is one)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "dedup")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "dedup":
                target = node.module
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports(name) for name in MODULES}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph``, as the nodes along it, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_walk_sees_the_imports_it_should():
    assert "dedup.pairs" in GRAPH["dedup.local.engine"]
    assert "dedup.candidates" in GRAPH["dedup.index.decide"]
    assert "dedup.kernels" in GRAPH["dedup.text"]


def test_a_cycle_is_found_where_there_is_one():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_in_the_package():
    found = cycle(GRAPH)
    assert found is None, " -> ".join(found or [])


@pytest.mark.parametrize("engine", ENGINES)
def test_an_executor_imports_no_other_executor(engine):
    for name, deps in GRAPH.items():
        if name == engine or name.startswith(engine + "."):
            others = sorted(d for d in deps if d.startswith(tuple(e for e in ENGINES if e != engine)))
            assert not others, f"{name} imports {others}"


@pytest.mark.parametrize("module", ["dedup.render_html", "dedup.diffview", "dedup.render_terminal",
                                    "dedup.render_text", "dedup.report"])
def test_renderers_import_no_engine(module):
    engines = sorted(d for d in GRAPH[module] if d.startswith(ENGINES))
    assert not engines, f"{module} imports {engines}"


def test_algorithm_code_never_asks_which_kernels_it_got():
    for name, path in MODULES.items():
        if name.startswith("dedup.kernels") or name.startswith(ENGINES):
            continue
        assert "AVAILABLE" not in path.read_text(encoding="utf-8"), name
