"""P3 nation: every figure of one month's briefing at national scale (1,000,000 projects × 12 months).

    python -m touzi.bench.p3_nation --database-url postgres://postgres@127.0.0.1:5432/touzi_bench_nation

PostgreSQL only (the data set is about 11 M monthly reports). The same measurement as P2 (the
product's own briefing figures as the plan office, warm and cold) with DuckDB on the same rows as
the reference; the goal is ≤ 15 s. For any other size, or on SQLite, it returns no figures.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from touzi.bench.data import create_database, ensure, setup
from touzi.bench.p2_analysis import measure


def run(size: str, database_url: str | None) -> list[dict[str, Any]]:
    if size != "nation" or database_url is None or not database_url.startswith("postgres"):
        return []
    create_database(database_url)
    setup(database_url)
    ensure("nation", verbose=True)
    return measure("nation", figure_id="P3", runs=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    print(json.dumps(run("nation", args.database_url), ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
