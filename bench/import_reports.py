"""Benchmark: import one monthly-report workbook into a province-sized ledger (now a thin CLI over P1).

    .venv/bin/python bench/import_reports.py [--size city|province] [--database-url URL] [--runs N]

Kept for the commands in older notes; the benchmark itself is bench/p1_import.py (see its docstring
and docs/performance.md). Prints the same table as `bench/p1_import.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from p1_import import main

if __name__ == "__main__":
    main()
