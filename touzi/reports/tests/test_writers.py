"""Reports and adjustments are written by reports.services and reports.bulk only, which keep CountedYear."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import touzi

ROOT = Path(touzi.__file__).parent
# A write of a report or an adjustment outside their services: ORM writes, or raw inserts through lib.bulk.
WRITE = re.compile(r"\b(MonthlyReport|Adjustment)\.objects\.(create|bulk_create|bulk_update|update_or_create|"
                   r"get_or_create)\(|insert_rows\((MonthlyReport|Adjustment)\b")
WRITERS = {"reports/services.py", "reports/bulk.py"}
# The benchmark's floor of an import (docs/performance.md, P1): the same rows inserted with nothing else, on a
# throwaway copy of a generated ledger, to measure what the services add. Not product code that serves anyone.
BENCH_FLOOR = {"bench/p1_import.py"}


def test_no_product_module_writes_reports_behind_the_services() -> None:
    found = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if ("/tests/" in f"/{rel}" or rel in WRITERS | BENCH_FLOOR or rel.endswith("conftest.py")
                or "/migrations/" in rel):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITE.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert found == []


def test_the_models_hold_no_hidden_counted_writes() -> None:
    """No save override, custom queryset or signal keeps CountedYear: the services call counted.refresh."""
    tree = ast.parse((ROOT / "reports" / "models.py").read_text(encoding="utf-8"))
    methods = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    calls = {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
             for node in ast.walk(tree) if isinstance(node, ast.Call)}
    bases = {ast.unparse(base) for node in ast.walk(tree) if isinstance(node, ast.ClassDef) for base in node.bases}
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "save" not in methods and "delete" not in methods  # no save override (docstrings may name them)
    assert "refresh" not in calls and "touzi.reports.counted" not in imported
    assert not any("QuerySet" in base for base in bases)  # no custom queryset with hooks
    assert "post_delete" not in (ROOT / "reports" / "apps.py").read_text(encoding="utf-8")
