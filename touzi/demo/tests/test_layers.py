"""The demo sits on top: no product module outside touzi/demo imports it (tests may, to build a demo)."""

from __future__ import annotations

import ast
from pathlib import Path

import touzi
from touzi.demo.catalog import DATA_DIR, SEEDS, TEMPLATES, load

PACKAGE = Path(touzi.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_product_module_below_the_demo_imports_it() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "demo" or "tests" in relative.parts or "migrations" in relative.parts:
            continue
        if any(name == "touzi.demo" or name.startswith("touzi.demo.") for name in _imports(path)):
            offenders.append(str(relative))
    assert offenders == []


def test_the_demo_data_files_are_read_from_the_package() -> None:
    assert sorted(p.name for p in DATA_DIR.glob("*.yaml")) == [
        "beihai.yaml", "generator.yaml", "named_projects.yaml", "qinzhou.yaml"]
    assert len(SEEDS) == len(load("named_projects")["named_projects"]) > 100
    assert all(templates for templates in TEMPLATES.values())
