"""Run the benchmark modules and print their figures as a table or JSON.

    python -m touzi.bench.runner --size province [--database-url URL] [--only P1,P2] [--format table|json]
    python -m touzi.bench.runner --all [--nation] [--postgres postgres://postgres@127.0.0.1:5432]
    touzi bench --size province …                    (the same, as a management command)

A module is `touzi/bench/<name>.py` exposing `run(size, database_url) -> list[dict]`, one dict per figure
(id, name, value, unit, reference, reference_value, ratio, goal, met, database, notes). Each module
runs in a child process configured on its database (Django is set up once per process), so one run
can measure SQLite and PostgreSQL. A module that is not there yet is skipped with a note; one that
returns [] for a size does not apply to it. `--all` runs city and province on SQLite and PostgreSQL
(and the nation on PostgreSQL with --nation), creating the scratch databases it needs.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import sqlite3
import subprocess
import sys
from typing import Any

MODULES = {"P1": "p1_import", "P2": "p2_analysis", "P3": "p3_nation", "P4": "p4_web", "P5": "briefing",
           "MONTHEND": "p5_monthend"}  # issue 25 (province on PostgreSQL only; ~10 min with its sign-ins)
SIZES = ("city", "province", "nation")
MARK = "@@touzi-bench@@"


def _find(module: str) -> str | None:
    """The importable name of a benchmark module: touzi.bench.<name>, or <name> itself (tests), or None."""
    for name in (f"touzi.bench.{module}", module):
        try:
            if importlib.util.find_spec(name) is not None:
                return name
        except ModuleNotFoundError:
            continue
    return None


def _child(module: str, size: str, database_url: str | None) -> None:
    """In the child: set Django up on the database, run the module, print its figures after a marker."""
    from touzi.bench.data import create_database, setup

    if database_url:  # without one, the module picks its own database (e.g. var/bench/<size>.sqlite3)
        create_database(database_url)
        setup(database_url)
    found = _find(module)
    figures = importlib.import_module(found).run(size, database_url)  # type: ignore[arg-type]
    print(MARK + json.dumps(figures, ensure_ascii=False, default=str), flush=True)


def run_module(module: str, size: str, database_url: str | None) -> list[dict[str, Any]]:
    if _find(module) is None:
        return [{"id": module, "name": module, "database": _engine(database_url), "size": size, "skipped": True,
                 "met": None, "notes": f"touzi.bench.{module} is not there yet: skipped"}]
    # The child sees what this process imports (a module given by name, e.g. a test's, included).
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "touzi.bench.runner", "--child", module, "--size", size]
    if database_url:
        command += ["--database-url", database_url]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    for line in reversed(result.stdout.splitlines()):
        if line.startswith(MARK):
            figures = json.loads(line.removeprefix(MARK))
            for figure in figures:
                figure.setdefault("size", size)
                figure.setdefault("database", _engine(database_url))
            return figures
    return [{"id": module, "name": module, "database": _engine(database_url), "size": size, "met": False,
             "error": True, "notes": f"failed (exit {result.returncode}): {result.stderr.strip()[-800:]}"}]


def _engine(database_url: str | None) -> str:
    return "postgresql" if (database_url or os.environ.get("DATABASE_URL", "")).startswith("postgres") else "sqlite"


def machine(database_urls: list[str | None]) -> dict[str, Any]:
    info: dict[str, Any] = {"cores": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform(), "sqlite": sqlite3.sqlite_version}
    try:
        with open("/proc/meminfo") as f:
            kib = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        info["ram_gib"] = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        pass
    for url in database_urls:
        if url and url.startswith("postgres"):
            try:
                import psycopg

                with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=5) as conn:
                    row = conn.execute("SHOW server_version").fetchone()
                    info["postgresql"] = row[0] if row is not None else "unknown"
            except Exception as exc:  # machine info is best effort
                info["postgresql"] = f"unreachable: {exc}".strip()
            break
    try:
        info["load_average"] = os.getloadavg()
    except OSError:
        pass
    return info


def run(size: str, database_url: str | None = None, only: list[str] | None = None,
        modules: list[str] | None = None) -> list[dict[str, Any]]:
    names = modules or [MODULES[i] for i in (only or list(MODULES))]
    figures: list[dict[str, Any]] = []
    for name in names:
        figures += run_module(name, size, database_url)
    return figures


def listing() -> str:
    """One line per benchmark `touzi bench` runs: its figure id, its module and what it measures."""
    lines = []
    for figure, module in MODULES.items():
        found = _find(module)
        doc = (importlib.import_module(found).__doc__ or "").strip().splitlines() if found else []
        lines.append(f"{figure}  touzi.bench.{module}  {doc[0] if doc else '(not there)'}")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 100 else f"{value:,.0f}"
    return str(value)


def table(figures: list[dict[str, Any]]) -> str:
    head = ["id", "size", "database", "name", "value", "reference", "ratio", "goal", "met"]
    rows = []
    for f in figures:
        value = f"{_cell(f.get('value'))} {f.get('unit', '')}".strip() if "value" in f else f.get("notes", "")[:60]
        reference = (f"{_cell(f.get('reference_value'))} ({f.get('reference', '')})"
                     if f.get("reference_value") is not None else f.get("reference", "—"))
        met = {True: "yes", False: "NO", None: "—"}[f.get("met")]
        rows.append([f.get("id", ""), f.get("size", ""), f.get("database", ""), f.get("name", ""), value,
                     reference, _cell(f.get("ratio")), f.get("goal", ""), met])
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = [" | ".join(str(c).ljust(w) for c, w in zip(head, widths, strict=True)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def output(figures: list[dict[str, Any]], urls: list[str | None], fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"machine": machine(urls), "figures": figures}, ensure_ascii=False, indent=1, default=str)
    info = machine(urls)
    header = (f"machine: {info.get('cores')} cores, {info.get('ram_gib', '?')} GiB, Python {info['python']}, "
              f"SQLite {info['sqlite']}, PostgreSQL {info.get('postgresql', 'n/a')}, "
              f"load {info.get('load_average', ('?',))[0]}")
    return header + "\n" + table(figures)


def run_all(postgres: str, prefix: str, nation: bool, only: list[str] | None) -> tuple[list[dict], list[str | None]]:
    figures: list[dict[str, Any]] = []
    urls: list[str | None] = []
    for size in ("city", "province"):
        for url in (None, f"{postgres.rstrip('/')}/{prefix}_{size}"):
            urls.append(url)
            figures += run(size, url, only)
    if nation:
        url = f"{postgres.rstrip('/')}/{prefix}_nation"
        urls.append(url)
        figures += run("nation", url, only)
    return figures, urls


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="city")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--only", default="", help="comma-separated ids, e.g. P1,P2 or MONTHEND")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--all", action="store_true", help="city and province on SQLite and PostgreSQL")
    parser.add_argument("--nation", action="store_true", help="with --all: the nation on PostgreSQL too")
    parser.add_argument("--postgres", default=os.environ.get("TOUZI_BENCH_POSTGRES",
                                                             "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--prefix", default=os.environ.get("TOUZI_BENCH_DB_PREFIX", "touzi_bench"))
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.size, args.database_url or None)
        return
    only = [i.strip().upper() for i in args.only.split(",") if i.strip()] or None
    if args.all:
        figures, urls = run_all(args.postgres, args.prefix, args.nation, only)
    else:
        figures, urls = run(args.size, args.database_url or None, only), [args.database_url or None]
    print(output(figures, urls, args.format))


if __name__ == "__main__":
    main()
