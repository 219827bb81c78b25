"""P2 analysis: every figure of one month's briefing, by the product, against DuckDB on the same rows.

    python -m touzi.bench.p2_analysis --size province --database-url postgres://…/touzi_bench_province

The measured side is the product's own code, as the plan office (whole scope): the dashboard's
figures (`touzi.monitoring.dashboard.build`: every target's attainment, the forecasts, breakdowns by
domain, county, lead unit and collection, the warnings) and the briefing built from them
(`touzi.briefings.build.build_content`: the ≥ 10 亿元 list and the rest) — what
`touzi.briefings.services.live_content` runs. Cold is the first run in the process; warm is the
median of three runs after it.

The reference loads the same rows into DuckDB in memory first (untimed) and times only the same
aggregates: each ledger target's sums (its window, this year's months, the same months last year; a
年均增长 each year against the year before), the forecasts' monthly history, the breakdowns with the
sets' totals (this year, last year, annual plans), the ≥ 10 亿元 list with its year-to-date and
since-start totals, and the warnings (behind plan, start and completion late, report missing, five
clarities, open factor issues). It takes only the plan's definitions from Django and writes the
product's rules out again in its own SQL: every figure is of the plan's region (the county's division
code), breakdowns and totals of the year's list (this year's list, last year's list for last year's
months), a target over a yearly list each year over that year's list. Both results are compared and
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

GOALS = {"province": (1.0, 5.0), "city": (1.0, 5.0), "nation": (15.0, 1.5)}
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
    # The plan's region is read from the county's division code; a province's cities are its first four digits.
    "u": ("SELECT id, division_code FROM units_unit", "id BIGINT, division_code VARCHAR"),
    "c": ("SELECT collection_id, plan_id FROM plans_plan_collections", "id BIGINT, plan_id BIGINT"),
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
#
# The reference takes only the plan's definitions from Django (its targets, region code, collections and the
# briefing threshold) and computes every number in DuckDB with its own SQL. The windows, the project sets and
# the slices are written out again here from the rules the product documents (touzi.monitoring.sets,
# attainment, breakdowns, touzi.lib.regions) rather than imported, so that a mistake in the product's code
# shows up as a disagreement instead of being copied into the reference.

YEARLY = ("year", "each")  # PeriodKind.YEAR, PeriodKind.EACH
MONEY = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}  # each unit in 万元


def _d(value: dt.date) -> str:
    return f"DATE '{value:%Y-%m-%d}'"


def _back(value: dt.date) -> dt.date:
    """The same month one year earlier."""
    return value.replace(year=value.year - 1)


def _region_prefix(code: str) -> str:
    """The digits every division inside a region starts with (GB/T 2260): 450000 → 45, 450500 → 4505."""
    if code.endswith("0000"):
        return code[:2]
    return code[:4] if code.endswith("00") else code


def _window(t: Any, month: dt.date) -> tuple[dt.date, dt.date] | None:
    """The months a target counts at `month` (None before its period begins): a yearly target its year's
    (an "each year" target this year's), a range from its first year's January; never past the period."""
    if t.period_kind in YEARLY:
        year = min(max(month.year if t.period_kind == "each" else t.period_start, t.period_start), t.period_end)
        start, stop = dt.date(year, 1, 1), dt.date(year, 12, 1)
    else:
        start, stop = dt.date(t.period_start, 1, 1), dt.date(t.period_end, 12, 1)
    return None if month < start else (start, min(month, stop))


def _years_of(start: dt.date, end: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """The months start..end cut at the year ends."""
    return [(y, max(start, dt.date(y, 1, 1)), min(end, dt.date(y, 12, 1))) for y in range(start.year, end.year + 1)]


def _list_collection(targets: list[Any], year: int) -> int | None:
    """The year's list: the collection of the plan's first overall annual ledger target in money covering the
    year (None: the whole library)."""
    for t in sorted(targets, key=lambda t: (t.order, t.pk)):
        if (t.area == "overall" and t.measure_source == "ledger" and t.period_kind in YEARLY
                and t.period_start <= year <= t.period_end and t.unit_of_measure in MONEY):
            return t.measure_collection_id
    return None


def _listed(collection: int | None, year: int) -> str:
    """Whether p is on the list in `year`: a membership of that year or of every year."""
    if collection is None:
        return "TRUE"
    return (f"p.id IN (SELECT project_id FROM m WHERE collection_id = {collection}"
            f" AND (year IS NULL OR year = {year}))")


class _Slices:
    """Project filters of ledger targets; a collection's members over a range of years are a joined set."""

    def __init__(self, subtrees: dict[int, list[int]]) -> None:
        self.subtrees = subtrees
        self.members: dict[tuple[int, int, int], str] = {}

    def where(self, t: Any, years: tuple[int, int] | None) -> str:
        """t's projects (p, already of the plan's region); years None: leave the collection to the caller."""
        parts = ["TRUE"]
        if t.measure_domain_id:
            parts.append(f"p.domain_id IN ({', '.join(map(str, self.subtrees[t.measure_domain_id]))})")
        if t.measure_collection_id and years is not None:
            alias = self.members.setdefault((t.measure_collection_id, *years), f"mk{len(self.members)}")
            parts.append(f"{alias}.project_id IS NOT NULL")
        if t.measure_county_id:
            parts.append(f"p.county_id = {t.measure_county_id}")
        if t.measure_unit_id:
            parts.append(f"p.lead_unit_id = {t.measure_unit_id}")
        return " AND ".join(parts)

    def joins(self) -> str:
        return "".join(
            f" LEFT JOIN (SELECT DISTINCT project_id FROM m WHERE collection_id = {c} AND (year IS NULL OR year"
            f" BETWEEN {y0} AND {y1})) {alias} ON {alias}.project_id = p.id"
            for (c, y0, y1), alias in self.members.items())


def _target_slices(targets: list[tuple[int, Any]], month: dt.date,
                   slices: _Slices) -> dict[str, tuple[str, dt.date, dt.date]]:
    """Every ledger target's slices, keyed c{i} (its value; c{i}:{year} when each year counts its own list),
    s{i} (this year's months, unless that is the value), p{i} (the same months last year, last year's list),
    and for a 年均增长 g{i}:{year} / h{i}:{year} (each year's months and the same months of the year before)."""
    specs = {}
    for i, t in targets:
        span = _window(t, month)
        if t.measure_source != "ledger" or span is None:
            continue
        if t.metric not in ("growth", "share") and t.unit_of_measure not in MONEY:
            continue
        start, end = span
        yearly = t.period_kind in YEARLY
        if t.metric == "growth" and t.period_kind == "range":
            for year, a, b in _years_of(start, end):
                specs[f"g{i}:{year}"] = (slices.where(t, (year, year)), a, b)
                specs[f"h{i}:{year}"] = (slices.where(t, (year - 1, year - 1)), _back(a), _back(b))
            continue
        if yearly or not t.measure_collection_id:
            years = (start.year, start.year) if yearly else (t.period_start, t.period_end)
            specs[f"c{i}"] = (slices.where(t, years), start, end)
        else:  # a range over a yearly list: each year's months over that year's list
            for year, a, b in _years_of(start, end):
                specs[f"c{i}:{year}"] = (slices.where(t, (year, year)), a, b)
        same = start if yearly else end.replace(month=1)
        if not yearly:
            specs[f"s{i}"] = (slices.where(t, (end.year, end.year)), same, end)
        specs[f"p{i}"] = (slices.where(t, (end.year - 1, end.year - 1)), _back(same), _back(end))
    return specs


def _gather(sums: dict[str, Decimal]) -> dict[int, dict[str, Any]]:
    """The slices' sums per target: value, same, previous; or the years of a 年均增长 {year: (value, before)}."""
    out: dict[int, dict[str, Any]] = {}
    for key, value in sums.items():
        head, _sep, year = key.partition(":")
        kind, i = head[0], int(head[1:])
        entry = out.setdefault(i, {})
        if kind in "gh":
            entry.setdefault("years", {}).setdefault(int(year), [Decimal(0), Decimal(0)])["gh".index(kind)] = value
        elif kind == "c":
            entry["value"] = entry.get("value", Decimal(0)) + value
        else:
            entry[{"s": "same", "p": "previous"}[kind]] = value
    for entry in out.values():
        if "value" in entry:
            entry.setdefault("same", entry["value"])  # a year's target: this year's months are its value
    return out


def reference(db: Any, board: Any, plan: Any, month: dt.date, floor: Decimal, rules: Any) -> dict[str, Any]:
    """The same aggregates in DuckDB (the timed part of the reference)."""
    out: dict[str, Any] = {}
    year, start = month.year, month.replace(month=1)
    last_start, last_end, last_dec = _back(start), _back(month), dt.date(year - 1, 12, 1)
    targets = [(i, f.target) for i, f in enumerate(board.figures)]
    listed = _list_collection([t for _i, t in targets], year)
    # The plan's projects: those whose county lies in its region.
    region = _region_prefix(plan.region_code)
    db.execute("CREATE OR REPLACE TEMP VIEW pp AS SELECT p.*, u.division_code AS county_code FROM p"
               f" JOIN u ON u.id = p.county_id WHERE starts_with(u.division_code, '{region}')")
    subtrees = {root: sorted(ids) for root, ids in db.execute(
        "WITH RECURSIVE s(root, id) AS (SELECT id, id FROM d UNION ALL SELECT s.root, d.id FROM d"
        " JOIN s ON d.parent_id = s.id) SELECT root, list(id) FROM s GROUP BY root").fetchall()}
    # Each domain's top-level domain: the product's domain rows are of those.
    db.execute("CREATE OR REPLACE TEMP VIEW droot AS WITH RECURSIVE r(id, root) AS (SELECT id, id FROM d"
               " WHERE parent_id IS NULL UNION ALL SELECT d.id, r.root FROM d JOIN r ON d.parent_id = r.id)"
               " SELECT id, root FROM r")
    # 1. Targets: one pass, a filtered sum per slice (the projects' columns and the members joined once).
    slices = _Slices(subtrees)
    specs = _target_slices(targets, month, slices)
    joins = slices.joins()
    out["targets"] = {}
    if specs:
        sums = ", ".join(f"coalesce(sum(l.amount) FILTER (WHERE {w} AND l.month BETWEEN {_d(s)} AND {_d(e)}), 0)"
                         for w, s, e in specs.values())
        first, last = min(s for _w, s, _e in specs.values()), max(e for _w, _s, e in specs.values())
        row = db.execute(f"SELECT {sums} FROM ledger l JOIN pp p ON p.id = l.project_id{joins}"
                         f" WHERE l.month BETWEEN {_d(first)} AND {_d(last)}").fetchone()
        out["targets"] = _gather({k: Decimal(v) for k, v in zip(specs, row, strict=True)})
    # 2. Forecast history and the headline: the monthly totals of each annual ledger target in money of this
    # year, over HISTORY_YEARS years before it, each year's months over that year's list.
    from touzi.monitoring.dashboard import HISTORY_YEARS

    history = {}
    for _i, t in targets:
        span = _window(t, month)
        if (t.measure_source != "ledger" or t.period_kind not in YEARLY or t.unit_of_measure not in MONEY
                or span is None or span[0].year != year):
            continue
        member = "" if not t.measure_collection_id else (
            f" JOIN (SELECT DISTINCT m.project_id, r.y FROM m CROSS JOIN range({year - HISTORY_YEARS}, {year + 1})"
            f" r(y) WHERE m.collection_id = {t.measure_collection_id} AND (m.year IS NULL OR m.year = r.y)) k"
            " ON k.project_id = l.project_id AND k.y = year(l.month)")
        history[t.key] = db.execute(
            f"SELECT l.month, sum(l.amount) FROM ledger l JOIN pp p ON p.id = l.project_id{member}"
            f" WHERE {slices.where(t, None)}"
            f" AND l.month BETWEEN DATE '{year - HISTORY_YEARS}-01-01' AND DATE '{year}-12-01'"
            " GROUP BY l.month ORDER BY l.month").fetchall()
    out["history"] = history
    # 3. Breakdowns by top-level domain, county, lead unit (and a
    # province's cities) and the totals they add up to, of the year's list: this year to date and this year's
    # annual plans over this year's list, the same months of last year over last year's list; and the whole
    # library's totals. A project counts a year's months when it has a ledger row in that year (a row of later
    # months counts 0).
    dims = {"domain": "domain", "county": "county_id", "lead_unit": "lead_unit_id"}
    if plan.level == "province":
        dims = {"city": "city", **dims}
    rows = db.execute(
        f"WITH y AS (SELECT project_id,"
        f" sum(amount) FILTER (WHERE month BETWEEN {_d(start)} AND {_d(month)}) AS cur,"
        f" count(*) FILTER (WHERE month >= {_d(start)}) AS n_cur,"
        f" sum(amount) FILTER (WHERE month BETWEEN {_d(last_start)} AND {_d(last_end)}) AS prev,"
        f" count(*) FILTER (WHERE month < {_d(start)}) AS n_prev"
        f" FROM ledger WHERE month BETWEEN {_d(last_start)} AND DATE '{year}-12-01' GROUP BY 1),"
        f" x AS (SELECT p.total_investment, p.county_id, p.lead_unit_id, droot.root AS domain,"
        f" substr(p.county_code, 1, 4) AS city, {_listed(listed, year)} AS now, {_listed(listed, year - 1)} AS before,"
        f" CASE WHEN y.n_cur > 0 THEN coalesce(y.cur, 0) END AS cur,"
        f" CASE WHEN y.n_prev > 0 THEN coalesce(y.prev, 0) END AS prev, ap.planned_investment AS planned"
        f" FROM pp p LEFT JOIN droot ON droot.id = p.domain_id LEFT JOIN y ON y.project_id = p.id"
        f" LEFT JOIN ap ON ap.project_id = p.id AND ap.year = {year})"
        f" SELECT {', '.join(f'grouping({c})' for c in dims.values())}, {', '.join(dims.values())},"
        " sum(cur) FILTER (WHERE now), sum(prev) FILTER (WHERE before), sum(planned) FILTER (WHERE now),"
        " count(*) FILTER (WHERE now), sum(total_investment) FILTER (WHERE now),"
        " sum(cur), sum(prev), sum(planned), count(*), sum(total_investment)"
        f" FROM x GROUP BY GROUPING SETS ({', '.join(f'({c})' for c in dims.values())}, ())").fetchall()
    n = len(dims)
    breakdowns: dict[str, dict[str, list[Decimal]]] = {name: {} for name in dims}
    for r in rows:
        grouping, keys, values = r[:n], r[n:2 * n], r[2 * n:]
        if all(grouping):  # the grand total: the sets' totals
            out["totals"] = {"list": [values[3], *(Decimal(v or 0) for v in (values[4], *values[:3]))],
                             "all": [values[8], *(Decimal(v or 0) for v in (values[9], *values[5:8]))]}
            continue
        name = list(dims)[grouping.index(0)]
        if any(v is not None for v in values[:3]):  # a group some project of the set counts in
            k = keys[grouping.index(0)]
            breakdowns[name]["" if k is None else str(k)] = [Decimal(v or 0) for v in values[:3]]
    # Collections: each collection of the plan over its own projects of each year (a membership of the ledger
    # row's year or of every year), each project once per collection and year, as a set's members are (a project
    # may hold both memberships); collections overlap.
    of_plan = f"m.collection_id IN (SELECT id FROM c WHERE plan_id = {plan.pk})"
    collections: dict[str, list[Decimal]] = {}
    for k, cur, n_cur, prev, n_prev in db.execute(
            f"WITH k AS (SELECT DISTINCT m.project_id, m.collection_id, r.y FROM m CROSS JOIN range({year - 1},"
            f" {year + 1}) r(y) WHERE (m.year IS NULL OR m.year = r.y) AND {of_plan})"
            f" SELECT k.collection_id, sum(l.amount) FILTER (WHERE l.month BETWEEN {_d(start)} AND {_d(month)}),"
            f" count(*) FILTER (WHERE l.month >= {_d(start)}),"
            f" sum(l.amount) FILTER (WHERE l.month BETWEEN {_d(last_start)} AND {_d(last_end)}),"
            f" count(*) FILTER (WHERE l.month <= {_d(last_dec)})"
            " FROM ledger l JOIN pp p ON p.id = l.project_id JOIN k ON k.project_id = l.project_id"
            " AND k.y = year(l.month)"
            f" WHERE l.month BETWEEN {_d(last_start)} AND DATE '{year}-12-01' GROUP BY 1").fetchall():
        collections[str(k)] = [Decimal(cur or 0) if n_cur else Decimal(0), Decimal(prev or 0) if n_prev else Decimal(0),
                               Decimal(0)]
    for k, planned in db.execute(
            f"WITH k AS (SELECT DISTINCT m.project_id, m.collection_id FROM m"
            f" WHERE (m.year IS NULL OR m.year = {year}) AND {of_plan})"
            f" SELECT k.collection_id, sum(ap.planned_investment) FROM ap JOIN pp p ON p.id = ap.project_id"
            f" JOIN k ON k.project_id = ap.project_id WHERE ap.year = {year} GROUP BY 1").fetchall():
        collections.setdefault(str(k), [Decimal(0)] * 3)[2] = Decimal(planned or 0)
    breakdowns["collection"] = collections
    out["breakdowns"] = breakdowns
    # 4. The ≥ 10 亿元 list (the year's list at or above the threshold) with this year's and since-start totals.
    out["big"] = db.execute(
        "WITH b AS (SELECT p.id, p.total_investment FROM pp p"
        f" WHERE p.total_investment >= ? AND {_listed(listed, year)}),"
        " t AS (SELECT l.project_id, sum(l.amount) FILTER (WHERE l.month >= ?) AS ytd, sum(l.amount) AS since"
        " FROM ledger l JOIN b ON b.id = l.project_id WHERE l.month <= ? GROUP BY 1)"
        " SELECT b.id, b.total_investment, coalesce(t.ytd, 0), coalesce(t.since, 0) FROM b"
        " LEFT JOIN t ON t.project_id = b.id ORDER BY b.total_investment DESC, b.id",
        [floor, start, month]).fetchall()
    # 5. Warnings, on the plan's projects.
    elapsed = Decimal(month.month) / Decimal(12)
    under_way = "p.stage IN ('new_start', 'continuing')"
    out["behind_plan"] = {r[0] for r in db.execute(
        f"WITH y AS (SELECT project_id, sum(amount) AS ytd FROM ledger WHERE month BETWEEN ? AND ? GROUP BY 1)"
        f" SELECT p.id FROM pp p JOIN ap ON ap.project_id = p.id AND ap.year = ? LEFT JOIN y ON y.project_id = p.id"
        f" WHERE {under_way} AND ap.planned_investment > 0"
        f" AND coalesce(y.ytd, 0) < ap.planned_investment * ? * ?",
        [start, month, year, elapsed, rules.project_yellow_ratio]).fetchall()}
    out["start_late"] = {r[0] for r in db.execute(
        "SELECT id FROM pp p WHERE stage IN ('reserve', 'preliminary') AND planned_start < ?", [month]).fetchall()}
    out["completion_late"] = {r[0] for r in db.execute(
        f"SELECT id FROM pp p WHERE {under_way} AND planned_completion < ?", [month]).fetchall()}
    out["report_missing"] = {r[0] for r in db.execute(
        f"SELECT p.id FROM pp p WHERE {under_way} AND (p.actual_start IS NULL OR p.actual_start <= ?)"
        " AND NOT EXISTS (SELECT 1 FROM r WHERE r.project_id = p.id AND r.month = ? AND r.status <> 'draft')",
        [month, month]).fetchall()}
    out["clarities"] = {r[0] for r in db.execute(
        f"WITH f AS (SELECT project_id, sum(amount) AS total FROM fl GROUP BY 1),"
        f" k AS (SELECT project_id, bool_or(deadline IS NULL AND done_on IS NULL) AS open FROM ka GROUP BY 1),"
        f" y AS (SELECT project_id, bool_or(has_progress = 1) AS progress,"
        f" bool_or(planned_investment IS NOT NULL) AS investment FROM ap WHERE year = ? GROUP BY 1)"
        f" SELECT p.id FROM pp p LEFT JOIN f ON f.project_id = p.id LEFT JOIN k ON k.project_id = p.id"
        f" LEFT JOIN y ON y.project_id = p.id"
        f" WHERE p.is_real_estate = 0 AND ({under_way} OR (p.stage IN ('reserve', 'preliminary')"
        f" AND year(p.planned_start) = ?))"
        f" AND NOT (coalesce(f.total, 0) >= p.total_investment AND p.total_investment > 0"
        f" AND (p.occupies_farmland = 0 OR p.has_farmland_plan = 1) AND coalesce(y.progress, FALSE)"
        f" AND coalesce(y.investment, FALSE) AND k.project_id IS NOT NULL AND NOT k.open)",
        [year, year]).fetchall()}
    out["factors"] = db.execute(
        "SELECT count(*) FROM fi WHERE resolved_at IS NULL AND project_id IN (SELECT id FROM pp)").fetchone()[0]
    return out


# ---- agreement -------------------------------------------------------------------------------------

def _yi(wan: Decimal) -> Decimal:
    return (Decimal(wan) / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _q(value: Any) -> Decimal:
    return Decimal(value).quantize(Q4)


def _compare_target(f: Any, theirs: dict[str, Any]) -> list[str]:
    """One ledger target's figures against the reference's sums (万元)."""
    t = f.target
    if "years" in theirs:  # 年均增长: each year's months and the same months of the year before
        mine = {y["year"]: (y["value"], y["previous"]) for y in f.detail.get("years", [])}
        if set(mine) != set(theirs["years"]):
            return [f"target {t.key}: years {sorted(mine)} != {sorted(theirs['years'])}"]
        diffs = []
        first = min(mine) if mine else None
        for year, (value, before) in theirs["years"].items():
            got_value, got_before = mine[year]
            # Only where the ledger has no year before (the plan's first year) may the product take last year
            # from the base-year indicator instead.
            substituted = not before and year == first and t.base_indicator_id is not None
            if _q(got_value) != _q(value) or (_q(got_before) != _q(before) and not substituted):
                diffs.append(f"target {t.key} {year}: {(got_value, got_before)} != {(value, before)}")
        return diffs
    if t.metric == "growth":
        got = (f.detail.get("ytd"), f.detail.get("previous_ytd"))
        previous = theirs["previous"]
        substituted = not previous and t.base_indicator_id is not None
        if got[0] is None or _q(got[0]) != _q(theirs["same"]) or (
                not substituted and (got[1] is None or _q(got[1]) != _q(previous))):
            return [f"target {t.key}: {got} != {(theirs['same'], previous)}"]
        return []
    factor = MONEY.get(t.unit_of_measure)
    diffs = []
    for name, mine in (("value", f.value), ("same", f.same), ("previous", f.previous)):
        if factor is None:  # a share in %: no amount of money to show
            if mine is not None:
                diffs.append(f"target {t.key} {name}: {mine} for a unit that is not money")
        elif mine is None or _q(mine * factor) != _q(theirs[name]):
            diffs.append(f"target {t.key} {name}: {mine} × {factor} != {theirs[name]}")
    return diffs


def compare(board: Any, content: Any, ref: dict[str, Any]) -> list[str]:
    """What differs between the product and the reference (empty: they agree)."""
    from touzi.monitoring.series import year_to_date
    from touzi.reports.rules import combines_jan_feb

    diffs: list[str] = []
    for i, f in enumerate(board.figures):
        if i in ref["targets"]:
            diffs += _compare_target(f, ref["targets"][i])
        elif f.source == "ledger":
            diffs.append(f"target {f.target.key}: from the ledger in the product, not in the reference")
    if board.headline is not None:  # the headline's path: this year's months to date, last year's whole year
        t, year = board.headline.figure.target, board.month.year
        factor, combined = MONEY[t.unit_of_measure], combines_jan_feb(year)
        history = ref["history"].get(t.key, [])
        for name, mine, when, up_to in (("this year", board.headline.current, year, board.month.month),
                                        ("last year", board.headline.last_year, year - 1, 12)):
            monthly = {m.month: Decimal(v) for m, v in history if m.year == when}
            theirs = {m: _q(v) for m, v in year_to_date(monthly, combine_jan_feb=combined).items() if m <= up_to}
            if {m: _q(v * factor) for m, v in mine.items()} != theirs:
                diffs.append(f"headline path {name}: {mine} != {theirs}")
    if set(board.breakdowns) != set(ref["breakdowns"]):
        diffs.append(f"breakdowns: {sorted(board.breakdowns)} != {sorted(ref['breakdowns'])}")
    for dimension, rows in ref["breakdowns"].items():
        mine = {r.key: [r.ytd, r.previous, r.planned] for r in board.breakdowns.get(dimension, [])}
        if set(mine) != set(rows):
            diffs.append(f"{dimension}: groups differ ({len(mine)} vs {len(rows)}: "
                         f"{sorted(set(mine) ^ set(rows))[:5]})")
        for k in sorted(set(mine) & set(rows)):
            if [_q(x) for x in mine[k]] != [_q(x) for x in rows[k]]:
                diffs.append(f"{dimension} {k}: {mine[k]} != {rows[k]}")
    for key, theirs in ref["totals"].items():  # the sets' totals: count, total investment, ytd, previous, planned
        got = board.totals[key]
        mine = [got.count, got.total_investment, got.ytd, got.previous, got.planned]
        if [mine[0], *map(_q, mine[1:])] != [theirs[0], *map(_q, theirs[1:])]:
            diffs.append(f"totals {key}: {mine} != {theirs}")
    mine_big = [(row[3], row[4], row[5]) for row in _big_rows(content)]
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


def _big_rows(content: Any) -> list[list[Any]]:
    """The rows of the briefing's ≥ 10 亿元 table (the annex leaves out a table without rows)."""
    table = next((t for t in content.annex_tables() if t.key == "big_projects"), None)
    return [] if table is None else table.rows


def _counts(board: Any, content: Any, ref: dict[str, Any]) -> str:
    return (f"{len(ref.get('targets', {}))} ledger targets, {len(board.figures)} targets in all, "
            + ", ".join(f"{len(board.breakdowns[d])} {d}s" for d in board.breakdowns)
            + f", {len(_big_rows(content))} projects ≥ 10 亿元, {board.alert_total:,} warnings"
            + ("" if board.alerts_complete else f" (counted; the first {len(board.alerts)} listed)"))


# ---- the run ---------------------------------------------------------------------------------------

def _server_cpu() -> float | None:
    """CPU seconds used so far by the PostgreSQL server's processes (same host only; None elsewhere).

    Every backend is a child of the postmaster: the live ones' own CPU plus what the postmaster has collected
    from those that ended (cutime + cstime) counts this connection's backend, the second connection of a build
    (touzi.core.parallel, closed when its work is done) and parallel query workers alike.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    tick = os.sysconf("SC_CLK_TCK")
    try:
        postmaster = int(_stat(pid)[1])
        total = sum(int(f) for f in _stat(postmaster)[13:15])
    except (OSError, ValueError):
        return None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat(int(entry.name))
        except (OSError, ValueError):
            continue  # ended meanwhile: its CPU is in the postmaster's cutime now
        if fields[1] == str(postmaster):
            total += int(fields[11]) + int(fields[12])
    return total / tick


def _stat(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name: state, ppid, … (utime and stime at 11 and 12)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


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
    cpu_note = f"CPU of that run: {cpu:.2f} s Python" + (f" + {server:.2f} s PostgreSQL server" if server else "")

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
                  f"Python" + (f" + {cold_server:.2f} s PostgreSQL server" if cold_server else "")},
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
