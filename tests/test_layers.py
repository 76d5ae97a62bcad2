"""The library's folders are layers, and imports only go down them.

    core -> rules -> engine -> analysis -> io -> render -> cli, ui

A rule lives once in ``rules``; the engine orders the rules; analysis asks questions of the
engine; io and render move computed data in and out; only ``cli`` and ``ui`` face a person.
A module may import its own layer or any layer below, never one above, and the modules never
import each other in a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

TEL = Path(__file__).resolve().parents[1] / "tel"
LAYERS = ("core", "rules", "engine", "analysis", "io", "render", "cli", "ui")
RANK = {name: i for i, name in enumerate(LAYERS)}


def _module_of(path: Path) -> str:
    parts = path.relative_to(TEL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "tel" or len(parts) < 2:
        return None
    return "cli" if parts[1] in ("cli", "__main__") else parts[1]


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(TEL.rglob("*.py")):
        module = _module_of(path)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        graph[module] = {m for m in found if m.startswith("tel.") and _is_module(m)}
    return graph


def _is_module(name: str) -> bool:
    rel = Path(*name.split(".")[1:])
    return (TEL / rel).with_suffix(".py").exists() or (TEL / rel / "__init__.py").exists()


def test_every_module_of_tel_sits_in_a_layer() -> None:
    loose = [m for m in _imports() if m != "tel" and _layer(m) not in RANK]
    assert loose == []


def test_imports_only_go_down_the_layers() -> None:
    upward = [
        f"{module} imports {target}"
        for module, targets in _imports().items()
        if module != "tel"
        for target in targets
        if RANK[_layer(target) or "core"] > RANK[_layer(module) or "core"]
    ]
    assert upward == []


def test_no_module_imports_itself_through_a_circle() -> None:
    graph = _imports()
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    circles: list[str] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue  # a package __init__ with nothing in it
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*path[path.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert circles == []
