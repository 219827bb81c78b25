"""Benchmark: import one monthly-report workbook into a province-sized ledger (now a thin CLI over P1).

    python -m touzi.bench.import_reports [--size city|province] [--database-url URL] [--runs N]

Kept for the commands in older notes; the benchmark itself is touzi/bench/p1_import.py (see its docstring
and docs/performance.md). Prints the same table as `touzi/bench/p1_import.py`.
"""

from __future__ import annotations

from touzi.bench.p1_import import main

if __name__ == "__main__":
    main()
