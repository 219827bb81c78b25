"""Which of Touzi's packages import which: read from the source with `ast`, never by importing it.

Used by the layering test (touzi/core/tests/test_layers.py) and by scripts/import-graph, which draws
docs/images/architecture.svg. Only product modules count: tests, migrations and conftest are left out (a
test may reach anywhere). The demo (touzi/demo) is an app like the others, on top of every app it fills. An import inside a
function counts like one at the top: hiding an import in a function does not change the dependency.

Layers, bottom up: `lib` (no Django models, no app), `core` (the mechanisms: scoping, jobs, checks), then the
apps; the project modules (touzi/settings.py, urls.py, api.py, cli.py, celery.py) sit above everything.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # touzi/
BOTTOM = ("lib", "core")  # may import only themselves and what lies below them (lib below core)
# Left out of the graph: the locale folder holds no code.
EXCLUDED_PACKAGES = frozenset({"locale"})
_EXCLUDED_PARTS = frozenset({"tests", "migrations"})


def _is_product(path: Path) -> bool:
    rel = path.relative_to(PACKAGE_ROOT)
    if rel.parts[0] in EXCLUDED_PACKAGES or _EXCLUDED_PARTS & set(rel.parts):
        return False
    return not (path.name == "conftest.py" or path.name.startswith("test_"))


def packages() -> list[str]:
    """Touzi's first-level packages (apps, core, lib), in name order."""
    return sorted(p.name for p in PACKAGE_ROOT.iterdir()
                  if p.is_dir() and (p / "__init__.py").exists() and p.name not in EXCLUDED_PACKAGES)


def _type_only(tree: ast.AST) -> set[ast.AST]:
    """Import nodes under `if TYPE_CHECKING:`: a name used in annotations only, never loaded at run time, so no
    dependency (a service of a lower app may say its actor is a `User` without importing accounts)."""
    found: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                found.update(ast.walk(child))
    return found


def _imported(tree: ast.AST) -> Iterator[str]:
    skip = _type_only(tree)
    for node in ast.walk(tree):
        if node in skip:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            # `from touzi import reports` names a package through its alias
            if node.module == "touzi":
                yield from (f"touzi.{alias.name}" for alias in node.names)


def module_imports(package: str) -> Iterator[tuple[str, str]]:
    """(module path relative to touzi/, imported touzi package) for each product module of `package`."""
    for path in sorted((PACKAGE_ROOT / package).rglob("*.py")):
        if not _is_product(path):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name in _imported(tree):
            parts = name.split(".")
            if parts[0] == "touzi" and len(parts) > 1:
                yield str(path.relative_to(PACKAGE_ROOT)), parts[1]


def package_graph(names: Iterable[str] | None = None) -> dict[str, set[str]]:
    """Package → the other touzi packages its product modules import (project modules as "project")."""
    names = list(names) if names is not None else packages()
    graph: dict[str, set[str]] = {name: set() for name in names}
    for name in names:
        for _module, target in module_imports(name):
            if target == name:
                continue
            graph[name].add(target if target in names else "project")
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one package (Tarjan), each sorted: every one is a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def upward_imports(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """What the bottom layers import from above them (lib may import nothing of Touzi's; core only lib)."""
    allowed = {"lib": set(), "core": {"lib"}}
    return {name: bad for name in BOTTOM if (bad := graph.get(name, set()) - allowed[name])}


def layers(graph: dict[str, set[str]]) -> list[list[str]]:
    """The packages by height: a package's layer is one above the highest package it imports."""
    height: dict[str, int] = {}

    def level(node: str, seen: frozenset[str] = frozenset()) -> int:
        if node in height:
            return height[node]
        if node in seen:  # a cycle: draw it flat rather than loop
            return 0
        below = [level(n, seen | {node}) for n in graph.get(node, ()) if n in graph]
        height[node] = 1 + max(below, default=-1)
        return height[node]

    for node in graph:
        level(node)
    rows: dict[int, list[str]] = defaultdict(list)
    for node, h in height.items():
        rows[h].append(node)
    return [sorted(rows[h]) for h in sorted(rows)]


def dot(graph: dict[str, set[str]]) -> str:
    """The graph in graphviz's language: an edge points from the importer down to what it imports, so the
    bottom layers (lib, core) are drawn at the bottom."""
    lines = ["digraph touzi {", '  node [shape=box, fontname="Helvetica"]; edge [color="#667788"];']
    for row in layers(graph):
        members = " ".join(f'"{name}"' for name in row)
        lines.append(f"  {{ rank=same; {members} }}")
    for name in ("lib", "core"):
        if name in graph:
            lines.append(f'  "{name}" [style=filled, fillcolor="#e8eef6"];')
    for source in sorted(graph):
        for target in sorted(graph[source]):
            if target in graph:
                lines.append(f'  "{source}" -> "{target}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    graph = package_graph()
    if argv[1:2] == ["--dot"]:
        sys.stdout.write(dot(graph))
        return 0
    for row in reversed(layers(graph)):
        print("  ".join(f"{name}→{{{','.join(sorted(graph[name]))}}}" for name in row))
    problems = cycles(graph)
    for group in problems:
        print("cycle:", " ↔ ".join(group))
    for name, bad in upward_imports(graph).items():
        print(f"{name} imports from above: {', '.join(sorted(bad))}")
    return 1 if problems or upward_imports(graph) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
