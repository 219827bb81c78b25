"""P2 analysis: every figure of one month's briefing, by the product, against DuckDB on the same rows.

    python -m touzi.bench.p2_analysis --size province --database-url postgres://…/touzi_bench_province

The measured side is the product's own code, as the plan office (whole scope): the dashboard's
figures (`touzi.monitoring.dashboard.build`: every target's attainment, the forecasts, breakdowns by
domain, county, lead unit and collection, the warnings) and the briefing built from them
(`touzi.briefings.build.build_content`: the ≥ 10 亿元 list and the rest) — what
`touzi.briefings.services.live_content` runs. Cold is the first run in the process; warm is the
median of three runs after it.

The reference loads the same rows into DuckDB in memory first (untimed) and times only the same
aggregates: each ledger target's three sums (its window, this year's months, the same months last
year), the forecasts' monthly history, the four breakdowns (this year, last year, annual plans), the
≥ 10 亿元 list with its year-to-date and since-start totals, and the warnings (behind plan, start and
completion late, report missing, five clarities, open factor issues). Both results are compared and
the agreement goes into the figure's notes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from touzi.bench.data import SIZES, create_database, default_url, ensure, setup

GOALS = {"province": (1.0, 5.0), "city": (1.0, 5.0), "nation": (15.0, None)}
Q4 = Decimal("0.0001")

# The rows DuckDB needs, as SELECTs that read the same on SQLite and PostgreSQL.
EXPORTS = {
    "p": ("SELECT id, domain_id, county_id, lead_unit_id, total_investment, stage, planned_start, planned_completion,"
          " actual_start, CASE WHEN is_real_estate THEN 1 ELSE 0 END, CASE WHEN occupies_farmland THEN 1 ELSE 0 END,"
          " CASE WHEN farmland_plan = '' THEN 0 ELSE 1 END FROM projects_project",
          "id BIGINT, domain_id BIGINT, county_id BIGINT, lead_unit_id BIGINT, total_investment DECIMAL(20,4),"
          " stage VARCHAR, planned_start DATE, planned_completion DATE, actual_start DATE, is_real_estate INT,"
          " occupies_farmland INT, has_farmland_plan INT"),
    "r": ("SELECT project_id, month, amount, status FROM reports_monthlyreport",
          "project_id BIGINT, month DATE, amount DECIMAL(20,4), status VARCHAR"),
    "a": ("SELECT project_id, month, delta FROM reports_adjustment",
          "project_id BIGINT, month DATE, delta DECIMAL(20,4)"),
    "ap": ("SELECT project_id, year, planned_investment, CASE WHEN progress_target = '' THEN 0 ELSE 1 END"
           " FROM projects_annualplan", "project_id BIGINT, year INT, planned_investment DECIMAL(20,4),"
           " has_progress INT"),
    "m": ("SELECT project_id, collection_id, year FROM projects_membership",
          "project_id BIGINT, collection_id BIGINT, year INT"),
    "d": ("SELECT id, parent_id FROM plans_domain", "id BIGINT, parent_id BIGINT"),
    "fl": ("SELECT project_id, amount FROM projects_fundingline", "project_id BIGINT, amount DECIMAL(20,4)"),
    "ka": ("SELECT project_id, deadline, done_on FROM projects_keyapproval",
           "project_id BIGINT, deadline DATE, done_on DATE"),
    "fi": ("SELECT project_id, resolved_at, raised_at FROM projects_factorissue",
           "project_id BIGINT, resolved_at VARCHAR, raised_at VARCHAR"),
}


def _export(folder: Path) -> None:
    """Each table to CSV: COPY on PostgreSQL, a cursor on SQLite."""
    from django.db import connection

    for name, (select, _columns) in EXPORTS.items():
        path = folder / f"{name}.csv"
        with connection.cursor() as cur, path.open("w", newline="") as out:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT csv)") as copy:
                    for block in copy:
                        out.write(bytes(block).decode())
            else:
                cur.execute(select)
                writer = csv.writer(out)
                while rows := cur.fetchmany(50_000):
                    writer.writerows(rows)


def load_duckdb(folder: Path) -> Any:
    import duckdb

    _export(folder)
    db = duckdb.connect(":memory:")
    for name, (_select, columns) in EXPORTS.items():
        spec = ", ".join(f"'{c.split()[0]}': '{' '.join(c.split()[1:])}'" for c in columns.split(", ")
                         if c.strip())
        db.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{folder / name}.csv', header=false,"
                   f" columns={{{spec}}}, nullstr='')")
    # The counted ledger: accepted reports plus adjustments.
    db.execute("CREATE VIEW ledger AS SELECT project_id, month, amount FROM r WHERE status = 'accepted'"
               " UNION ALL SELECT project_id, month, delta FROM a")
    return db


# ---- the product -----------------------------------------------------------------------------------

def product(plan: Any, month: dt.date) -> tuple[Any, Any]:
    from touzi.briefings.build import build_content
    from touzi.core.actor import System
    from touzi.monitoring.dashboard import build

    board = build(System("bench"), plan, month)
    return board, build_content(board, System("bench"))


# ---- the reference ---------------------------------------------------------------------------------

def _d(value: dt.date) -> str:
    return f"DATE '{value:%Y-%m-%d}'"


def _target_specs(board: Any, plan: Any, month: dt.date,
                  members: dict[tuple, str]) -> dict[str, tuple[str, dt.date, dt.date]]:
    """The ledger slices of every ledger target, as DuckDB project filters with their month ranges.

    A collection's members (for a range of years) become a joined set named in `members`.
    """
    from touzi.monitoring.attainment import RATE_METRICS, TO_WAN, _growth_windows, domain_subtrees
    from touzi.plans.choices import MeasureSource, PeriodKind

    targets = [f.target for f in board.figures]
    subtrees = domain_subtrees({t.measure_domain_id for t in targets if t.measure_domain_id})

    def where(t: Any, years: tuple[int, int]) -> str:
        parts = ["TRUE"]
        if t.measure_domain_id:
            parts.append(f"p.domain_id IN ({', '.join(map(str, sorted(subtrees[t.measure_domain_id])))})")
        if t.measure_collection_id:
            alias = members.setdefault((t.measure_collection_id, *years), f"mk{len(members)}")
            parts.append(f"{alias}.project_id IS NOT NULL")
        if t.measure_county_id:
            parts.append(f"p.county_id = {t.measure_county_id}")
        if t.measure_unit_id:
            parts.append(f"p.lead_unit_id = {t.measure_unit_id}")
        return " AND ".join(parts)

    specs = {}
    for i, f in enumerate(board.figures):
        t = f.target
        if t.measure_source != MeasureSource.LEDGER or not f.window.started:
            continue
        if t.metric not in RATE_METRICS and t.unit_of_measure not in TO_WAN:
            continue
        same, last = _growth_windows(f.window, t, month)
        yearly = t.period_kind in (PeriodKind.YEAR, PeriodKind.EACH)
        years = (f.window.year, f.window.year) if yearly else (t.period_start, t.period_end)
        specs[f"c{i}"] = (where(t, years), f.window.start, f.window.end)
        specs[f"s{i}"] = (where(t, (same.year, same.year)), same.start, same.end)
        specs[f"p{i}"] = (where(t, (last.year, last.year)), last.start, last.end)
    return specs


def reference(db: Any, board: Any, plan: Any, month: dt.date, floor: Decimal, rules: Any) -> dict[str, Any]:
    """The same aggregates in DuckDB (the timed part of the reference)."""
    from touzi.monitoring.dashboard import HISTORY_YEARS, _annual
    from touzi.plans.choices import MeasureSource

    out: dict[str, Any] = {}
    year, start = month.year, month.replace(month=1)
    last_start, last_end = start.replace(year=year - 1), month.replace(year=year - 1)
    # 1. Targets: one pass, a filtered sum per slice (the projects' columns joined once).
    members: dict[tuple, str] = {}
    specs = _target_specs(board, plan, month, members)
    joins = "".join(
        f" LEFT JOIN (SELECT DISTINCT project_id FROM m WHERE collection_id = {c} AND (year IS NULL OR year"
        f" BETWEEN {y0} AND {y1})) {alias} ON {alias}.project_id = p.id" for (c, y0, y1), alias in members.items())
    if specs:
        sums = ", ".join(f"coalesce(sum(l.amount) FILTER (WHERE {w} AND l.month BETWEEN {_d(s)} AND {_d(e)}), 0)"
                         f" AS {k}" for k, (w, s, e) in specs.items())
        first, last = min(s for _w, s, _e in specs.values()), max(e for _w, _s, e in specs.values())
        row = db.execute(f"SELECT {sums} FROM ledger l JOIN p ON p.id = l.project_id{joins}"
                         f" WHERE l.month BETWEEN {_d(first)} AND {_d(last)}").fetchone()
        out["targets"] = {k: Decimal(v) for k, v in zip(specs, row, strict=True)}
    # 2. Forecast history and the headline: monthly totals of each annual ledger target's slice.
    annual = [f for f in board.figures if _annual(f, year) and f.target.measure_source == MeasureSource.LEDGER]
    history = {}
    for i, f in enumerate(board.figures):
        if f in annual and f"c{i}" in specs:
            where = specs[f"c{i}"][0]
            history[f.target.key] = db.execute(
                f"SELECT l.month, sum(l.amount) FROM ledger l JOIN p ON p.id = l.project_id{joins} WHERE {where}"
                f" AND l.month BETWEEN DATE '{year - HISTORY_YEARS}-01-01' AND DATE '{year}-12-01'"
                " GROUP BY l.month ORDER BY l.month").fetchall()
    out["history"] = history
    # 3. Breakdowns: this year to date, the same months last year, this year's annual plans.
    groups = {"domain": "coalesce(d.parent_id, p.domain_id)", "county": "p.county_id",
              "lead_unit": "p.lead_unit_id", "collection": "m.collection_id"}
    breakdowns = {}
    for name, key in groups.items():
        def member(y: int, name: str = name) -> str:
            # As the product reads it: a project in no collection counts under 未指定 (no key).
            return (f" LEFT JOIN m ON m.project_id = p.id WHERE (m.year IS NULL OR m.year = {y}) AND"
                    if name == "collection" else " WHERE")
        rows: dict[str, list[Decimal]] = {}
        for index, (y, s, e) in enumerate(((year, start, month), (year - 1, last_start, last_end))):
            for k, v in db.execute(
                    f"SELECT {key}, sum(l.amount) FROM ledger l JOIN p ON p.id = l.project_id"
                    f" JOIN d ON d.id = p.domain_id{member(y)} l.month BETWEEN {_d(s)} AND {_d(e)}"
                    " GROUP BY 1").fetchall():
                rows.setdefault("" if k is None else str(k), [Decimal(0)] * 3)[index] += Decimal(v)
        for k, v in db.execute(
                f"SELECT {key}, sum(ap.planned_investment) FROM ap JOIN p ON p.id = ap.project_id"
                f" JOIN d ON d.id = p.domain_id{member(year)} ap.year = {year} GROUP BY 1").fetchall():
            rows.setdefault("" if k is None else str(k), [Decimal(0)] * 3)[2] += Decimal(v or 0)
        breakdowns[name] = rows
    out["breakdowns"] = breakdowns
    # 4. The ≥ 10 亿元 list with this year's and since-start totals.
    out["big"] = db.execute(
        "WITH t AS (SELECT l.project_id, sum(l.amount) FILTER (WHERE l.month >= ?) AS ytd, sum(l.amount) AS since"
        " FROM ledger l JOIN p ON p.id = l.project_id WHERE p.total_investment >= ? AND l.month <= ?"
        " GROUP BY 1)"
        " SELECT p.id, p.total_investment, coalesce(t.ytd, 0), coalesce(t.since, 0) FROM p"
        " LEFT JOIN t ON t.project_id = p.id WHERE p.total_investment >= ? ORDER BY p.total_investment DESC, p.id",
        [start, floor, month, floor]).fetchall()
    # 5. Warnings.
    elapsed = Decimal(month.month) / Decimal(12)
    under_way = "p.stage IN ('new_start', 'continuing')"
    out["behind_plan"] = {r[0] for r in db.execute(
        f"WITH y AS (SELECT project_id, sum(amount) AS ytd FROM ledger WHERE month BETWEEN ? AND ? GROUP BY 1)"
        f" SELECT p.id FROM p JOIN ap ON ap.project_id = p.id AND ap.year = ? LEFT JOIN y ON y.project_id = p.id"
        f" WHERE {under_way} AND ap.planned_investment > 0"
        f" AND coalesce(y.ytd, 0) < ap.planned_investment * ? * ?",
        [start, month, year, elapsed, rules.project_yellow_ratio]).fetchall()}
    out["start_late"] = {r[0] for r in db.execute(
        "SELECT id FROM p WHERE stage IN ('reserve', 'preliminary') AND planned_start < ?", [month]).fetchall()}
    out["completion_late"] = {r[0] for r in db.execute(
        f"SELECT id FROM p WHERE {under_way} AND planned_completion < ?", [month]).fetchall()}
    previous = (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if previous.month == 1:
        previous = (previous - dt.timedelta(days=1)).replace(day=1)
    out["report_missing"] = {r[0] for r in db.execute(
        f"SELECT p.id FROM p WHERE {under_way} AND (p.actual_start IS NULL OR p.actual_start <= ?)"
        " AND NOT EXISTS (SELECT 1 FROM r WHERE r.project_id = p.id AND r.month = ? AND r.status <> 'draft')",
        [month, month]).fetchall()}
    out["clarities"] = {r[0] for r in db.execute(
        f"WITH f AS (SELECT project_id, sum(amount) AS total FROM fl GROUP BY 1),"
        f" k AS (SELECT project_id, bool_or(deadline IS NULL AND done_on IS NULL) AS open FROM ka GROUP BY 1),"
        f" y AS (SELECT project_id, bool_or(has_progress = 1) AS progress,"
        f" bool_or(planned_investment IS NOT NULL) AS investment FROM ap WHERE year = ? GROUP BY 1)"
        f" SELECT p.id FROM p LEFT JOIN f ON f.project_id = p.id LEFT JOIN k ON k.project_id = p.id"
        f" LEFT JOIN y ON y.project_id = p.id"
        f" WHERE p.is_real_estate = 0 AND ({under_way} OR (p.stage IN ('reserve', 'preliminary')"
        f" AND year(p.planned_start) = ?))"
        f" AND NOT (coalesce(f.total, 0) >= p.total_investment AND p.total_investment > 0"
        f" AND (p.occupies_farmland = 0 OR p.has_farmland_plan = 1) AND coalesce(y.progress, FALSE)"
        f" AND coalesce(y.investment, FALSE) AND k.project_id IS NOT NULL AND NOT k.open)",
        [year, year]).fetchall()}
    out["factors"] = db.execute("SELECT count(*) FROM fi WHERE resolved_at IS NULL").fetchone()[0]
    return out


# ---- agreement -------------------------------------------------------------------------------------

def _yi(wan: Decimal) -> Decimal:
    return (Decimal(wan) / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def compare(board: Any, content: Any, ref: dict[str, Any]) -> list[str]:
    """What differs between the product and the reference (empty: they agree)."""
    from touzi.monitoring.attainment import TO_WAN
    from touzi.plans.choices import Metric

    diffs: list[str] = []
    for i, f in enumerate(board.figures):
        if f"c{i}" not in ref.get("targets", {}):
            continue
        t = f.target
        c, s, p = (ref["targets"][f"{k}{i}"] for k in "csp")
        if t.metric == Metric.GROWTH:
            got = (f.detail.get("ytd"), f.detail.get("previous_ytd"))
            if got[0] != s or (p and got[1] != p):
                diffs.append(f"target {t.key}: {got} != {(s, p)}")
            continue
        factor = TO_WAN[t.unit_of_measure]
        for name, mine, theirs in (("value", f.value, c), ("same", f.same, s), ("previous", f.previous, p)):
            if mine is None or (mine * factor).quantize(Q4) != Decimal(theirs).quantize(Q4):
                diffs.append(f"target {t.key} {name}: {mine} × {factor} != {theirs}")
    if board.headline is not None:  # the headline's path: this year's months to date
        from touzi.monitoring.series import year_to_date
        from touzi.reports.rules import combines_jan_feb

        t, year = board.headline.figure.target, board.month.year
        monthly = {m.month: Decimal(v) for m, v in ref["history"].get(t.key, []) if m.year == year}
        theirs = {m: v for m, v in year_to_date(monthly, combine_jan_feb=combines_jan_feb(year)).items()
                  if m <= board.month.month}
        mine = {m: (v * TO_WAN[t.unit_of_measure]).quantize(Q4) for m, v in board.headline.current.items()}
        if mine != {m: v.quantize(Q4) for m, v in theirs.items()}:
            diffs.append(f"headline path: {mine} != {theirs}")
    for dimension, rows in ref["breakdowns"].items():
        mine = {r.key: [r.ytd, r.previous, r.planned] for r in board.breakdowns[dimension]}
        theirs = {k: v for k, v in rows.items()}
        if set(mine) != set(theirs):
            diffs.append(f"{dimension}: groups differ ({len(mine)} vs {len(theirs)})")
        for k in set(mine) & set(theirs):
            if [x.quantize(Q4) for x in mine[k]] != [Decimal(x).quantize(Q4) for x in theirs[k]]:
                diffs.append(f"{dimension} {k}: {mine[k]} != {theirs[k]}")
    table = next(t for t in content.annex_tables() if t.key == "big_projects")
    mine_big = [(row[3], row[4], row[5]) for row in table.rows]
    theirs_big = [(_yi(total), _yi(ytd), _yi(since)) for _id, total, ytd, since in ref["big"]]
    if mine_big != theirs_big:
        diffs.append(f"≥ 10 亿元 list: {len(mine_big)} rows vs {len(theirs_big)}, first difference "
                     f"{next(((a, b) for a, b in zip(mine_big, theirs_big, strict=False) if a != b), None)}")
    kinds = {"behind_plan": "behind_plan", "start_late": "start_late", "completion_late": "completion_late",
             "report_missing": "report_missing", "clarities": "clarities"}
    counted = board.alert_summary.kinds() if board.alert_summary is not None else {}
    for kind, name in kinds.items():
        if board.alerts_complete:  # every warning listed: the same projects
            mine_ids = {a.project_id for a in board.alerts if a.kind == kind}
            if mine_ids != ref[name]:
                diffs.append(f"warnings {kind}: {len(mine_ids)} vs {len(ref[name])}")
        elif counted.get(kind, 0) != len(ref[name]):  # counted in the database: the same number (one per project)
            diffs.append(f"warnings {kind}: {counted.get(kind, 0)} counted vs {len(ref[name])}")
    factors = (sum(1 for a in board.alerts if a.kind == "factor_open") if board.alerts_complete
               else counted.get("factor_open", 0))
    if factors != ref["factors"]:
        diffs.append(f"warnings factor_open: {factors} vs {ref['factors']}")
    return diffs


def _counts(board: Any, content: Any, ref: dict[str, Any]) -> str:
    big = next(t for t in content.annex_tables() if t.key == "big_projects")
    return (f"{len(ref.get('targets', {})) // 3} ledger targets, {len(board.figures)} targets in all, "
            + ", ".join(f"{len(board.breakdowns[d])} {d}s" for d in board.breakdowns)
            + f", {len(big.rows)} projects ≥ 10 亿元, {board.alert_total:,} warnings"
            + ("" if board.alerts_complete else f" (counted; the first {len(board.alerts)} listed)"))


# ---- the run ---------------------------------------------------------------------------------------

def _server_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (same host only; None elsewhere).

    Parallel workers are separate processes and are not counted.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(fn: Any) -> tuple[Any, float, float, float | None]:
    """fn's result, its wall time, the client's CPU time and the database backend's CPU time."""
    server = _server_cpu()
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = _server_cpu()
    return result, wall, cpu, (after - server) if server is not None and after is not None else None

def measure(size: str, *, figure_id: str = "P2", runs: int = 3) -> list[dict[str, Any]]:
    """Time the product and the reference on the data set of `size` in the configured database."""
    from django.conf import settings
    from django.db import connection

    from touzi.monitoring.sets import threshold_wan
    from touzi.monitoring.settings import settings_for
    from touzi.plans.models import Plan

    spec = SIZES[size]
    month = spec.briefing_month
    plan = Plan.objects.get(key=settings.DEFAULT_PLAN_KEY)
    vendor = connection.vendor
    (board, content), cold, cold_cpu, cold_server = _timed(lambda: product(plan, month))
    warm_runs, cpus = [], []
    for _ in range(runs):
        (board, content), wall, cpu, server = _timed(lambda: product(plan, month))
        warm_runs.append(wall)
        cpus.append((cpu, server))
    warm = statistics.median(warm_runs)
    # With an even number of runs the median is between two: take the CPU of the run nearest to it.
    cpu, server = cpus[min(range(len(warm_runs)), key=lambda i: abs(warm_runs[i] - warm))]
    cpu_note = f"CPU of that run: {cpu:.2f} s Python" + (f" + {server:.2f} s PostgreSQL backend" if server else "")

    floor, rules = threshold_wan(plan), settings_for(plan)
    with tempfile.TemporaryDirectory(prefix="touzi-p2-") as folder:
        started = time.perf_counter()
        db = load_duckdb(Path(folder))
        load = time.perf_counter() - started
    reference(db, board, plan, month, floor, rules)  # untimed warm-up
    ref_runs, ref_cpus = [], []
    for _ in range(runs):
        ref, wall, ref_cpu, _server = _timed(lambda: reference(db, board, plan, month, floor, rules))
        ref_runs.append(wall)
        ref_cpus.append(ref_cpu)
    ref_time = statistics.median(ref_runs)
    db.close()
    diffs = compare(board, content, ref)
    agreement = "agree: " + _counts(board, content, ref) if not diffs else "DISAGREE: " + "; ".join(diffs[:5])
    limit, times = GOALS[size]
    ratio = warm / ref_time if ref_time else None
    met = warm <= limit and (times is None or (ratio is not None and ratio <= times)) and not diffs
    goal = f"≤ {limit:g} s" + (f" and ≤ {times:g}×" if times else "")
    name = f"one month's briefing figures ({spec.projects:,} projects, {month:%Y-%m}), warm"
    common = {"database": vendor, "size": size, "reference": "DuckDB in memory, same aggregates",
              "reference_value": round(ref_time, 4), "unit": "s", "goal": goal}
    return [
        {"id": figure_id, "name": name, "value": round(warm, 4), "ratio": round(ratio, 2) if ratio else None,
         "met": met, **common,
         "notes": f"warm median of {runs} ({', '.join(f'{x:.3f}' for x in warm_runs)} s; {cpu_note}); "
                  f"DuckDB runs {', '.join(f'{x:.3f}' for x in ref_runs)} s (CPU, all its threads: "
                  f"{statistics.median(ref_cpus):.2f} s), rows loaded into DuckDB in {load:.1f} s (untimed); "
                  f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {agreement}"},
        {"id": f"{figure_id}-cold", "name": name.replace("warm", "cold (first run in the process)"),
         "value": round(cold, 4), "ratio": round(cold / ref_time, 2) if ref_time else None,
         "met": cold <= limit, **common, "goal": f"≤ {limit:g} s (informative)",
         "notes": f"the first run in the process (Django's and the connection's caches empty); CPU {cold_cpu:.2f} s "
                  f"Python" + (f" + {cold_server:.2f} s PostgreSQL backend" if cold_server else "")},
    ]


def run(size: str, database_url: str | None) -> list[dict[str, Any]]:
    if size == "nation":
        return []  # P3 measures the nation
    url = database_url or default_url(size)
    create_database(url)
    setup(url)
    ensure(size)
    return measure(size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="province")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    print(json.dumps(run(args.size, args.database_url or None), ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
