"""The product package runs without pytest: only test modules (under tests/, conftest.py) may import it."""

from __future__ import annotations

import ast
from pathlib import Path

import touzi

PACKAGE = Path(touzi.__file__).resolve().parent


def is_test_module(path: Path) -> bool:
    return path.name == "conftest.py" or "tests" in path.relative_to(PACKAGE).parts


def imports_pytest(path: Path) -> list[int]:
    """The lines of `import pytest…` / `from pytest… import`, wherever they are (inside functions too)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name == "pytest" or name.startswith(("pytest.", "_pytest", "pytest_")) for name in names):
            lines.append(node.lineno)
    return lines


def test_no_product_module_imports_pytest() -> None:
    offenders = {str(path.relative_to(PACKAGE)): lines for path in sorted(PACKAGE.rglob("*.py"))
                 if "migrations" not in path.parts and not is_test_module(path)
                 and (lines := imports_pytest(path))}
    assert offenders == {}


def test_the_scan_finds_an_import_of_pytest_inside_a_function(tmp_path) -> None:
    module = tmp_path / "helper.py"
    module.write_text("def skip():\n    from pytest import skip\n    import os, pytest\n", encoding="utf-8")
    assert imports_pytest(module) == [2, 3]


def test_the_helpers_of_tests_and_benchmarks_live_outside_conftest() -> None:
    assert not is_test_module(PACKAGE / "testing.py")
    assert imports_pytest(PACKAGE / "testing.py") == []
    assert imports_pytest(PACKAGE / "testing_browser.py") == []
