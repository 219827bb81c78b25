"""Generated data sets for the benchmarks: city, province and nation, deterministic, written in bulk.

    python -m touzi.bench.data --size province [--database-url URL]

    from touzi.bench.data import SIZES, ensure, setup
    setup(url); info = ensure("province")   # generates once, then finds the marker and skips

A data set is: migrate, the Beihai plan, extra counties and bureaus for the larger sizes, owners,
projects spread over every leaf domain, county, lead unit and collection (about 1 % ≥ 10 亿元),
memberships, annual plans, funding lines and key approvals (so the five clarities mostly hold),
a few factor issues, accepted monthly reports for every month of the set and a few adjustments.
Projects and their side tables are written with COPY on PostgreSQL and executemany on SQLite; the
reports with one INSERT … SELECT per month (no model instances anywhere). A marker table
(`touzi_bench_dataset`) records the size, so a later run on the same database reuses it.
Without --database-url the data set goes to var/bench/<size>.sqlite3.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from touzi.bench import work_dir

MARKER = "touzi_bench_dataset"
NOW = "2023-07-15 00:00:00+00:00"


@dataclass(frozen=True)
class Size:
    name: str
    projects: int
    first_month: dt.date  # the first calendar month with reports
    months: int  # calendar months (January is reported with February where the plan combines them)
    briefing_month: dt.date  # the month the analysis benchmarks brief
    counties: int  # counties in all (the plan's own, then generated ones)
    bureaus: int  # lead units in all
    postgres_only: bool = False


SIZES = {
    "city": Size("city", 2_000, dt.date(2021, 1, 1), 36, dt.date(2023, 6, 1), 0, 0),
    "province": Size("province", 20_000, dt.date(2021, 1, 1), 36, dt.date(2023, 6, 1), 100, 120),
    "nation": Size("nation", 1_000_000, dt.date(2022, 7, 1), 12, dt.date(2023, 6, 1), 2_800, 600,
                   postgres_only=True),
}


def default_url(size: str) -> str:
    folder = work_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'{size}.sqlite3'}"


def setup(database_url: str | None = None) -> None:
    """Configure Django on `database_url` (once per process; another URL later needs another process)."""
    from django.conf import settings

    if settings.configured and "django.contrib.auth" in getattr(settings, "INSTALLED_APPS", []):
        from django.apps import apps

        if apps.ready:
            if database_url and _url_name(database_url) != str(settings.DATABASES["default"]["NAME"]):
                raise RuntimeError("Django is already set up on another database: use a new process")
            return
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touzi.settings")
    import django

    django.setup()


def _url_name(url: str) -> str:
    from touzi.lib.env import database_from_url

    return str(database_from_url(url)["NAME"])


def create_database(database_url: str) -> None:
    """Create a PostgreSQL database named by the URL when it does not exist yet (SQLite creates its file)."""
    from touzi.lib.env import database_from_url

    db = database_from_url(database_url)
    if "postgresql" not in db["ENGINE"]:
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    def connect(dbname: str, *, autocommit: bool = False) -> psycopg.Connection:
        return psycopg.connect(dbname=dbname, autocommit=autocommit, user=db["USER"] or None,
                               password=db["PASSWORD"] or None, host=db["HOST"] or None, port=db["PORT"] or None)

    try:
        connect(db["NAME"]).close()
    except psycopg.OperationalError:
        with connect("postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def months_of(size: Size) -> list[dt.date]:
    """The reporting months of the set: January is folded into February where the plan combines them."""
    from touzi.reports.rules import combines_jan_feb

    out, month = [], size.first_month
    for _ in range(size.months):
        if not (month.month == 1 and combines_jan_feb(month.year)):
            out.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    return out


def present(size: str) -> bool:
    from django.db import connection

    with connection.cursor() as cur:
        if MARKER not in connection.introspection.table_names(cur):
            return False
        cur.execute(f"SELECT count(*) FROM {MARKER} WHERE size = %s", [size])
        return cur.fetchone()[0] > 0


def ensure(size: str, *, verbose: bool = False) -> dict[str, Any]:
    """Generate `size` into the configured database unless it is there already; what it holds."""
    from django.db import connection

    spec = SIZES[size]
    if spec.postgres_only and connection.vendor != "postgresql":
        raise RuntimeError(f"the {size} data set is for PostgreSQL only")
    started = time.perf_counter()
    generated = False
    if present(size):  # an existing data set gets the schema's latest indexes
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        if connection.vendor == "postgresql":
            # A migration that rewrote rows (the clarity flags' fill) leaves dead tuples and clears the visibility
            # map: vacuum, as a generated set is, so index-only scans stay index-only (quick when nothing changed).
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE")
    else:
        _generate(spec, verbose)
        generated = True
    return {"size": size, "projects": spec.projects, "generated": generated,
            "seconds": round(time.perf_counter() - started, 1), "briefing_month": spec.briefing_month,
            "months": len(months_of(spec))}


def _say(verbose: bool, text: str, started: float) -> None:
    if verbose:
        print(f"[{time.perf_counter() - started:7.1f} s] {text}", file=sys.stderr, flush=True)


def _write(model: Any, columns: list[str], rows: Any) -> None:
    """Bulk-insert tuples through the product's own path (COPY on PostgreSQL, executemany on SQLite)."""
    from touzi.lib.bulk import insert_rows

    insert_rows(model, columns, rows)


def _units(prefix: str, kind: str, count: int, name: str, *, division: bool = False) -> list[int]:
    from touzi.units.models import Unit

    if count <= 0:
        return []
    # Generated counties lie inside the plan's region (Beihai, 4505xx: a plan covers the projects of its region),
    # on codes no real Beihai county has (450590 … 450599; the code is not unique).
    rows = ((f"{prefix}-{i}", f"{name}{i}", "", "", kind, f"45059{i % 10}" if division else "", "", None, "[]", 1)
            for i in range(count))
    _write(Unit, ["key", "name", "short_name", "name_en", "kind", "division_code", "region_code", "parent_id",
                  "aliases", "version"], rows)
    return list(Unit.objects.filter(key__startswith=f"{prefix}-").order_by("id").values_list("id", flat=True))


def _generate(spec: Size, verbose: bool) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from touzi.plans.models import Collection, Domain, Plan
    from touzi.projects.clarities import refresh_clarities
    from touzi.projects.models import AnnualPlan, FactorIssue, FundingLine, KeyApproval, Membership, Project
    from touzi.reports.counted import refresh as refresh_counted
    from touzi.reports.models import Adjustment, MonthlyReport
    from touzi.testing import load_file
    from touzi.units.choices import UnitKind
    from touzi.units.models import Unit

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if Project.objects.exists():
        raise RuntimeError("the database already holds projects but no benchmark marker: give a fresh database")
    _say(verbose, "migrated", t0)
    if not Plan.objects.exists():
        load_file(settings.DEFAULT_PLAN_FILE)
    _say(verbose, "plan loaded", t0)
    rng = random.Random(20230601)
    pg = connection.vendor == "postgresql"
    if pg:
        with connection.cursor() as cur:
            # Generated rows are consistent by construction: skip the per-row foreign-key triggers and the
            # commit flushes (superuser; this session only).
            cur.execute("SET session_replication_role = replica")
            cur.execute("SET synchronous_commit = off")
    with transaction.atomic():
        counties = list(Unit.objects.filter(kind=UnitKind.COUNTY).order_by("id").values_list("id", flat=True))
        counties += _units("bench-county", UnitKind.COUNTY, spec.counties - len(counties), "基准县", division=True)
        bureaus = list(Unit.objects.filter(kind=UnitKind.BUREAU).order_by("id").values_list("id", flat=True))
        bureaus += _units("bench-bureau", UnitKind.BUREAU, spec.bureaus - len(bureaus), "基准局")
        owners = _units("bench-owner", UnitKind.ENTERPRISE, max(spec.projects // 20, 50), "基准业主")
        domains = list(Domain.objects.filter(children__isnull=True).order_by("id").values_list("id", flat=True))
        collections = list(Collection.objects.order_by("id").values_list("id", flat=True))
    _say(verbose, f"units: {len(counties)} counties, {len(bureaus)} bureaus, {len(owners)} owners", t0)

    months = months_of(spec)
    month = spec.briefing_month
    years = sorted({m.year for m in months})
    n = spec.projects
    stages: list[str] = []
    totals: list[int] = []
    for i in range(n):
        r = i % 20
        stages.append("reserve" if r == 0 else "preliminary" if r == 1 else "completed" if r == 2
                      else "new_start" if r in (3, 4) else "continuing")
        tier = rng.random()
        if tier < 0.012:
            totals.append(rng.randint(100_000, 2_000_000))  # ≥ 10 亿元
        elif tier < 0.12:
            totals.append(rng.randint(20_000, 99_999))
        else:
            totals.append(rng.randint(1_000, 19_999))

    def projects() -> Any:
        for i in range(n):
            stage = stages[i]
            county = counties[i % len(counties)]
            planned_start = dt.date(month.year + (1 if i % 40 < 20 else -1), 1 + i % 12, 1)
            completion = dt.date(month.year - 1, 1 + i % 12, 1) if i % 41 == 0 else dt.date(month.year + 2, 12, 1)
            under_way = stage in ("new_start", "continuing", "completed")
            yield (i + 1, f"B{spec.name[0].upper()}{i:09d}", f"基准项目{i}", domains[(i * 7) % len(domains)],
                   county, None, owners[i % len(owners)], bureaus[(i // 3) % len(bureaus)] if i % 9 else None, "",
                   totals[i], planned_start, completion, dt.date(years[0], 1, 1) if under_way else None, None,
                   stage, i % 4 == 0, 0, i % 23 == 0, "", False, "", "", False, 1, NOW, NOW, False, False)

    with transaction.atomic():
        _write(Project,
               ["id", "code", "name", "domain_id", "county_id", "park_id", "owner_id", "lead_unit_id", "leader",
                "total_investment", "planned_start", "planned_completion", "actual_start", "actual_completion",
                "stage", "is_government", "fiscal_contribution", "is_real_estate", "industry", "occupies_farmland",
                "farmland_plan", "description", "is_demo", "version", "created_at", "updated_at",
                "has_clear_funding", "has_clear_approvals"], projects())  # the flags: refreshed below
        if pg:
            with connection.cursor() as cur:
                cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Project._meta.db_table, n])
    _say(verbose, f"{n:,} projects", t0)

    with transaction.atomic():
        _write(Membership, ["project_id", "collection_id", "year"],
               ((i + 1, collections[(i // 3) % len(collections)], None) for i in range(n) if i % 3 == 0))
        _write(Membership, ["project_id", "collection_id", "year"],
               ((i + 1, collections[(i // 7 + 1) % len(collections)], month.year) for i in range(n)
                if i % 7 == 0 and (i // 7 + 1) % len(collections) != (i // 3) % len(collections)))
        # Annual plans: 12–32 % of the total each year, so a few percent of projects run behind their plan.
        _write(AnnualPlan,
               ["project_id", "year", "planned_investment", "planned_start", "planned_completion", "progress_target",
                "category", "version"],
               ((i + 1, year, totals[i] * (12 + (i * 13 + year) % 21) // 100, None, None, "按计划推进",
                 stages[i], 1) for i in range(n) for year in years))
        _write(FundingLine, ["project_id", "source", "amount"],
               ((i + 1, "fiscal" if i % 4 == 0 else "bank_loans", totals[i]) for i in range(n) if i % 50))
        _write(KeyApproval, ["project_id", "item", "deadline", "done_on"],
               ((i + 1, "project", dt.date(years[0], 6, 1), dt.date(years[0], 5, 1) if i % 2 else None)
                for i in range(n) if i % 60))
        _write(FactorIssue,
               ["project_id", "kind", "description", "owed_by_id", "due", "raised_at", "raised_by_id",
                "resolved_at", "resolution"],
               ((i + 1, "land", f"基准要素问题{i}", bureaus[i % len(bureaus)], dt.date(month.year, 3, 1), NOW.replace(
                   "2023-07-15", f"{month.year}-01-15"), None, None, "") for i in range(n) if i % 200 == 5))
    _say(verbose, "memberships, annual plans, funding, approvals, issues", t0)

    report = MonthlyReport._meta.db_table
    project = Project._meta.db_table
    for k, when in enumerate(months):
        # 1–4 % of the total a month; 1 % of projects miss the briefing month (report-missing warnings).
        skip = " AND p.id %% 97 <> 0" if when == month else ""
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {report} (project_id, month, amount, progress, problems, status, flags, return_reason,"
                f" version, created_at, updated_at) SELECT p.id, %s, CAST(p.total_investment * (10 + (p.id * 7 + {k})"
                f" %% 31) / 1000 AS INTEGER), '', '', 'accepted', '[]', '', 1, %s, %s FROM {project} p"
                f" WHERE p.stage IN ('new_start', 'continuing', 'completed'){skip}",
                [when, NOW, NOW])
        _say(verbose, f"reports {when:%Y-%m}", t0)
    with transaction.atomic():
        _write(Adjustment, ["project_id", "month", "delta", "reason", "created_at", "created_by_id"],
               ((i + 1, months[(i // 1000) % len(months)], (i % 7 - 3) * 10, "基准调整", NOW, None)
                for i in range(n) if i % 1000 == 2))
        # The counted years (one row per project and year) from the rows just written, as the product keeps them.
        refresh_counted()
        # The stored five-clarities flags from the funding lines and key approvals just written.
        refresh_clarities()
        with connection.cursor() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (size varchar(16) PRIMARY KEY, created_at varchar(32))")
            cur.execute(f"INSERT INTO {MARKER} (size, created_at) VALUES (%s, %s)",
                        [spec.name, dt.datetime.now(dt.UTC).isoformat()])
    with connection.cursor() as cur:
        # VACUUM too on PostgreSQL: the visibility map lets range reads be index-only scans.
        cur.execute("VACUUM ANALYZE" if pg else "ANALYZE")
    _say(verbose, "adjustments, marker, analyze", t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="city")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    url = args.database_url or default_url(args.size)
    create_database(url)
    setup(url)
    info = ensure(args.size, verbose=True)
    print(info)


if __name__ == "__main__":
    main()
