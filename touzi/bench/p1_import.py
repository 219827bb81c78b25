"""P1 import: one monthly-report workbook read, checked and written, beside python-calamine reading it.

    python -m touzi.bench.p1_import --size province [--database-url postgres://…/touzi_bench] [--runs N]

    from touzi.bench.p1_import import run
    run("province", None)     # -> list of figures (dicts), SQLite in a temporary folder
    run("province", "postgres://postgres@127.0.0.1:5432/touzi_bench")   # PostgreSQL

A fresh ledger (size city = 2,000 projects, province = 20,000; 35 months of accepted reports written with
INSERT … SELECT, no model instances) and one workbook with a row per project for the 36th month. Then,
on the same file, one after the other:

- P1, the product where it runs: in a child process that has loaded Django and the import modules and
  checked a 20-row file (untimed, as a web or Celery worker that has served before), the service the web
  import calls (`imports.services.write`: read, checks, write of the reports and their audit records, one
  transaction), timed inside that process (wall and CPU);
- its floor: in the same kind of process, python-calamine reading the file plus the same rows inserted
  with `touzi.lib.bulk.insert_rows` (COPY on PostgreSQL, executemany on SQLite), committed, nothing else;
  ratio = P1 ÷ floor, goal ≤ 3×;
- P1-cold: `touzi import reports FILE` in a fresh child process (Django start-up included), its wall
  time and peak RSS (os.wait4 of that child), beside a child process that only reads every row with
  python-calamine; the cold import and the floor each run on a copy of the ledger (SQLite backup API /
  CREATE DATABASE … TEMPLATE), so all three write the same month onto the same ledger; `touzi audit
  verify` runs after the warm and the cold import (untimed) and must pass;
- the analyst's alternative: pandas.read_excel(engine="calamine") of the same workbook, joined to the
  project list the analyst would have (a CSV export: code, domain, county), grouped by domain and by
  county — against Touzi's import plus the same month's figures by domain and county from the
  product's own `touzi.monitoring.ledger.ledger_sums` (imported reports count once the statistics
  bureau accepts them: one UPDATE, untimed, stands in for that review). Both results are compared.

For province, the peak memory of importing a 200,000-row file (200,000 projects, no history) as well.
PostgreSQL databases are created next to the one the URL names (<name>_p1_<size>, its copies
<name>_p1_<size>_cold and _floor, dropped after the run, and <name>_p1_mem) and dropped first when they exist; the URL's own database is never touched. Each figure is one dict of the
runner's shape. Django runs only in child processes, so `run` can be called from any process.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from touzi.bench import touzi_command

# `touzi` by this interpreter: the same installation in a checkout and from a wheel.
TOUZI = touzi_command()
PROJECTS = {"city": 2_000, "province": 20_000}
MONTHS = 36  # 35 in the ledger, the 36th imported
MEMORY_ROWS = 200_000
NOW = "2024-01-15 00:00:00+00:00"
GOAL_SECONDS, GOAL_TIMES, GOAL_MB = 10.0, 3.0, 500.0
HEADER = ["项目代码", "项目名称", "报告期", "本月完成投资(万元)", "形象进度", "存在问题"]

READ_ONLY = """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
rows = sum(1 for _ in book.get_sheet_by_index(0).iter_rows())
print(rows)
"""


# ---------------------------------------------------------------------------
# Databases (no Django: the URL's server, databases of our own)
# ---------------------------------------------------------------------------


def _pg_url(url: str, suffix: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + suffix
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _fresh_database(url: str, data_dir: Path) -> None:
    """Drop and create the PostgreSQL database the URL names; without a URL, remove the SQLite file."""
    if not url:
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"touzi.sqlite3{suffix}").unlink(missing_ok=True)
        return
    from urllib.parse import unquote, urlsplit

    import psycopg

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    user, password = unquote(parts.username or "") or None, unquote(parts.password or "") or None
    with psycopg.connect(dbname="postgres", autocommit=True, user=user, password=password, host=parts.hostname,
                         port=parts.port) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _env(url: str, data_dir: Path) -> dict[str, str]:
    """The child's environment: PostgreSQL by URL, or SQLite as the product runs it by default (no URL:
    DATA_DIR/touzi.sqlite3 with WAL and synchronous=NORMAL, as touzi/settings.py configures it)."""
    env = {**os.environ, "TOUZI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "touzi.settings",
           "TOUZI_DB_CONN_MAX_AGE": "0"}
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    return env


def _timed_child(args: list[str], env: dict[str, str], workdir: Path) -> tuple[float, float, int, str, float]:
    """(wall seconds, peak RSS in MB, exit code, output, CPU seconds) of one child process, by os.wait4."""
    out_path = workdir / f"child-{time.monotonic_ns()}.out"
    with open(out_path, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = out_path.read_text(errors="replace")
    out_path.unlink()
    return wall, usage.ru_maxrss / 1024, proc.returncode, text, usage.ru_utime + usage.ru_stime


# In a process that serves (a web worker, a Celery worker) Django is loaded and the import modules are
# imported once; this child does that untimed, then times the service the web import calls on the file.
WARM = """
import json, os, resource, sys, time
import django
django.setup()
from django.db import connection
from touzi.audit.choices import Source
from touzi.audit.context import audit_context
from touzi.core.actor import System
from touzi.imports import services
from touzi.imports.choices import ImportKind
path = sys.argv[1]
with open(path, "rb") as handle:
    content = handle.read()
actor = System("command: touzi import")
# A process that serves has served before: one small file checked (nothing written) starts the parsing
# sandbox's server and the database connection, untimed.
with open(sys.argv[2], "rb") as handle, audit_context(Source.IMPORT):
    assert services.check(ImportKind.REPORTS, handle.read(), actor).ok
cpu, wall = time.process_time(), time.perf_counter()
with audit_context(Source.IMPORT):
    checked = services.write(ImportKind.REPORTS, content, actor, file_name=os.path.basename(path))
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"seconds": wall, "cpu": cpu, "ok": checked.ok, "counts": dict(checked.counts),
                  "errors": [e.as_dict() for e in checked.errors[:5]],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, default=str))
"""

# The floor of the same work: read every row with python-calamine and insert the same rows (the columns an
# imported report has) with the product's bulk path (COPY on PostgreSQL, executemany on SQLite) in one
# transaction; nothing else (no checks, no audit). Django loaded and the code → id map built untimed.
FLOOR = """
import datetime as dt, json, resource, sys, time
from decimal import Decimal
import django
django.setup()
from django.db import connection, transaction
from django.utils import timezone
from python_calamine import CalamineWorkbook
from touzi.lib.bulk import db_value, insert_rows
from touzi.projects.models import Project
from touzi.reports.models import MonthlyReport
ids = dict(Project.objects.values_list("code", "id"))
names = ("project", "month", "amount", "progress", "problems", "status", "flags", "return_reason", "submitted_at",
         "submitted_by", "reviewed_at", "reviewed_by", "version", "created_at", "updated_at")
connection.ensure_connection()
cpu, wall = time.process_time(), time.perf_counter()
stamp = db_value(MonthlyReport, "submitted_at", timezone.now())
months = {}
def month(text):
    if text not in months:
        year, mo = str(text).split("-")[:2]
        months[text] = db_value(MonthlyReport, "month", dt.date(int(year), int(mo), 1))
    return months[text]
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).iter_rows()
next(rows)
with transaction.atomic():
    written = insert_rows(MonthlyReport, names, (
        (ids[code], month(period), Decimal(repr(amount)), progress, problems, "submitted", "[]", "", stamp, None,
         None, None, 1, stamp, stamp) for code, _, period, amount, progress, problems in rows))
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"seconds": wall, "cpu": cpu, "rows": written}))
"""


def _in_process(script: str, args: list[Path], env: dict[str, str], workdir: Path) -> dict[str, Any]:
    """Run WARM or FLOOR in a child; its own timing of the work (after its untimed start-up)."""
    _, _, code, out, _ = _timed_child([sys.executable, "-c", script, *map(str, args)], env, workdir)
    if code:
        raise RuntimeError(f"in-process child failed ({code}): {out[-3000:]}")
    return json.loads(out.strip().splitlines()[-1])


def _copy_database(url: str, data_dir: Path, copy_url: str, copy_dir: Path) -> None:
    """A copy of the ledger, so the cold, warm and floor runs each write the same month onto the same ledger."""
    if not url:
        import sqlite3

        copy_dir.mkdir(parents=True, exist_ok=True)
        source, target = sqlite3.connect(data_dir / "touzi.sqlite3"), sqlite3.connect(copy_dir / "touzi.sqlite3")
        with target:
            source.backup(target)
        source.close()
        target.close()
        return
    from urllib.parse import unquote, urlsplit

    import psycopg

    parts, copy = urlsplit(url), urlsplit(copy_url)
    name, copy_name = unquote(parts.path.lstrip("/")), unquote(copy.path.lstrip("/"))
    user, password = unquote(parts.username or "") or None, unquote(parts.password or "") or None
    with psycopg.connect(dbname="postgres", autocommit=True, user=user, password=password, host=parts.hostname,
                         port=parts.port) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{copy_name}" TEMPLATE "{name}"')


def _drop_database(url: str) -> None:
    if not url:
        return
    from urllib.parse import unquote, urlsplit

    import psycopg

    parts = urlsplit(url)
    user, password = unquote(parts.username or "") or None, unquote(parts.password or "") or None
    with psycopg.connect(dbname="postgres", autocommit=True, user=user, password=password, host=parts.hostname,
                         port=parts.port) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{unquote(parts.path.lstrip("/"))}" WITH (FORCE)')


# ---------------------------------------------------------------------------
# Inside the worker: Django on the benchmark's own database
# ---------------------------------------------------------------------------


def _setup_django(url: str, data_dir: Path) -> None:
    os.environ.update(_env(url, data_dir))
    if not url:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _next_reporting_month(month: dt.date) -> dt.date:
    """The next month with a report of its own: January is reported with February (1—2月)."""
    following = (month.replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    return following.replace(month=2) if following.month == 1 else following


def _write(model: Any, columns: list[str], rows: Any) -> None:
    """Bulk-insert tuples through the product's own path (COPY on PostgreSQL, executemany on SQLite)."""
    from touzi.lib.bulk import insert_rows

    insert_rows(model, columns, rows)


def generate(projects: int, history: int) -> dt.date:
    """Migrate, load the plan, write `projects` continuing projects and `history` months of accepted reports.

    Returns the month to import (the one after the ledger's last).
    """
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from touzi.plans.models import Domain
    from touzi.projects.models import Project
    from touzi.reports.counted import refresh as refresh_counted
    from touzi.reports.models import MonthlyReport
    from touzi.testing import load_file
    from touzi.units.choices import UnitKind
    from touzi.units.models import Unit

    call_command("migrate", verbosity=0, interactive=False)
    load_file(settings.DEFAULT_PLAN_FILE)
    counties = list(Unit.objects.filter(kind=UnitKind.COUNTY).order_by("id").values_list("id", "division_code"))
    domains = list(Domain.objects.filter(children__isnull=True).order_by("id").values_list("id", flat=True))
    owners = min(2000, max(projects // 10, 1))
    with transaction.atomic():
        _write(Unit, ["key", "name", "short_name", "name_en", "kind", "division_code", "region_code",
                      "parent_id", "aliases", "version"],
               ((f"bench-owner-{i}", f"基准测试业主{i}", "", "", UnitKind.ENTERPRISE, "", "", None, "[]", 1)
                for i in range(owners)))
    owner_ids = list(Unit.objects.filter(key__startswith="bench-owner-").order_by("id").values_list("id", flat=True))
    first = Project.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def rows() -> Any:
        for i in range(projects):
            county, division = counties[i % len(counties)]
            total = 5_000 + (i * 7919) % 495_000
            yield (first + i + 1, f"2021-{division}-00-01-{i:06d}", f"基准项目{i}", domains[i % len(domains)], county,
                   None, owner_ids[i % len(owner_ids)], None, "", total, None, None, dt.date(2021, 1, 1), None,
                   "continuing", False, 0, False, "", False, "", "", False, 1, NOW, NOW, False, False)

    with transaction.atomic():
        _write(Project,
               ["id", "code", "name", "domain_id", "county_id", "park_id", "owner_id", "lead_unit_id", "leader",
                "total_investment", "planned_start", "planned_completion", "actual_start", "actual_completion",
                "stage", "is_government", "fiscal_contribution", "is_real_estate", "industry", "occupies_farmland",
                "farmland_plan", "description", "is_demo", "version", "created_at", "updated_at",
                # no funding lines nor key approvals are generated: both clarity flags are false, as stored
                "has_clear_funding", "has_clear_approvals"], rows())
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                            [Project._meta.db_table, first + projects])
    month = dt.date(2021, 2, 1)
    report, project = MonthlyReport._meta.db_table, Project._meta.db_table
    for _ in range(history):
        with transaction.atomic(), connection.cursor() as cur:
            # 1 % of the total a month, as the earlier benchmark: 35 months stay far below the cap.
            cur.execute(
                f"INSERT INTO {report} (project_id, month, amount, progress, problems, status, flags, return_reason,"
                f" version, created_at, updated_at) SELECT p.id, %s, p.total_investment / 100, '', '', 'accepted',"
                f" '[]', '', 1, %s, %s FROM {project} p WHERE p.id > %s", [month, NOW, NOW, first])
        month = _next_reporting_month(month)
    refresh_counted()  # the counted years of the ledger just written, as the product keeps them
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return month


def write_workbook(path: Path, month: dt.date, limit: int | None = None) -> int:
    """One row per project for `month` (the first `limit` projects), as the template has it."""
    from openpyxl import Workbook

    from touzi.projects.models import Project

    book = Workbook(write_only=True)
    sheet = book.create_sheet("月报")
    sheet.append(HEADER)
    count = 0
    rows = Project.objects.order_by("id").values_list("code", "name", "total_investment")[:limit]
    for code, name, total in rows.iterator(chunk_size=5000):
        sheet.append([code, name, f"{month:%Y-%m}", float(Decimal(total) / 80), "按计划推进", ""])
        count += 1
    book.save(path)
    return count


def export_project_list(path: Path) -> None:
    """The project list an analyst downloads: code, top-level domain, county (names, as an export has them)."""
    from touzi.projects.models import Project

    rows = Project.objects.order_by("id").values_list("code", "domain__parent__name", "domain__name", "county__name")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["项目代码", "所属领域", "县区"])
        for code, parent, domain, county in rows.iterator(chunk_size=5000):
            out.writerow([code, parent or domain, county])


def pandas_alternative(workbook: Path, project_list: Path) -> tuple[float, dict[str, dict[str, Decimal]]]:
    """The analyst: read the workbook and the project list, join, group the month by domain and by county."""
    import pandas as pd

    started = time.perf_counter()
    sheet = pd.read_excel(workbook, engine="calamine", dtype={"项目代码": str})
    projects = pd.read_csv(project_list, dtype=str)
    joined = sheet.merge(projects, on="项目代码", how="left")
    amount = "本月完成投资(万元)"
    by_domain = joined.groupby("所属领域")[amount].sum()
    by_county = joined.groupby("县区")[amount].sum()
    seconds = time.perf_counter() - started
    result = {"domain": {k: Decimal(repr(v)).quantize(Decimal("0.0001")) for k, v in by_domain.items()},
              "county": {k: Decimal(repr(v)).quantize(Decimal("0.0001")) for k, v in by_county.items()}}
    return seconds, result


def touzi_figures(month: dt.date) -> dict[str, dict[str, Decimal]]:
    """The month's completed investment by top-level domain and by county, from the product's ledger sums."""
    from django.db.models import Q

    from touzi.monitoring.ledger import Slice, ledger_sums
    from touzi.plans.models import Domain
    from touzi.projects.models import Project
    from touzi.units.models import Unit

    leaf_ids = set(Project.objects.values_list("domain_id", flat=True).distinct())
    county_ids = set(Project.objects.values_list("county_id", flat=True).distinct())
    tops: dict[str, list[int]] = {}
    for domain in Domain.objects.filter(id__in=leaf_ids).select_related("parent"):
        top = domain.parent or domain
        tops.setdefault(top.name, []).append(domain.id)
    slices = {f"domain:{name}": Slice(Q(domain_id__in=ids), month, month) for name, ids in tops.items()}
    names = dict(Unit.objects.filter(id__in=county_ids).values_list("id", "name"))
    slices |= {f"county:{names[cid]}": Slice(Q(county_id=cid), month, month) for cid in county_ids}
    sums = ledger_sums(slices)
    out: dict[str, dict[str, Decimal]] = {"domain": {}, "county": {}}
    for key, value in sums.items():
        kind, name = key.split(":", 1)
        out[kind][name] = Decimal(value).quantize(Decimal("0.0001"))
    return out


def _accept_month(month: dt.date) -> None:
    """Stand-in for the statistics bureau's review (untimed): the imported month becomes counted."""
    from django.db import transaction

    from touzi.reports import counted
    from touzi.reports.models import MonthlyReport

    with transaction.atomic():
        accepted = MonthlyReport.objects.filter(month=month, status="submitted")
        projects = set(accepted.values_list("project_id", flat=True))
        accepted.update(status="accepted")
        counted.refresh(projects)  # the counted years of what now counts, as the service acts keep them


def _same(a: dict[str, dict[str, Decimal]], b: dict[str, dict[str, Decimal]]) -> list[str]:
    diffs = []
    for kind in ("domain", "county"):
        for key in sorted(set(a[kind]) | set(b[kind])):
            x, y = a[kind].get(key, Decimal(0)), b[kind].get(key, Decimal(0))
            if abs(x - y) > Decimal("0.01"):
                diffs.append(f"{kind} {key}: {x} ≠ {y}")
    return diffs


def worker(size: str, url: str, workdir: Path, runs: int) -> list[dict[str, Any]]:
    """Everything that needs Django: called in a process of its own (see `run`)."""
    _fresh_database(url, workdir)
    _setup_django(url, workdir)
    from django.db import connection

    vendor = connection.vendor
    projects = PROJECTS[size]
    started = time.perf_counter()
    month = generate(projects, MONTHS - 1)
    generated = time.perf_counter() - started
    book, project_list = workdir / "reports.xlsx", workdir / "projects.csv"
    rows = write_workbook(book, month)
    warm_up = workdir / "warm-up.xlsx"
    write_workbook(warm_up, month, limit=20)
    export_project_list(project_list)
    connection.close()
    env = _env(url, workdir)
    # Copies of the ledger: the cold command and the floor each write the month onto the same ledger as the
    # warm import does (on the original, which the rest of the benchmark reads).
    cold_url, floor_url = (_pg_url(url, "_cold"), _pg_url(url, "_floor")) if url else ("", "")
    cold_dir, floor_dir = workdir / "cold", workdir / "floor"
    _copy_database(url, workdir, cold_url, cold_dir)
    _copy_database(url, workdir, floor_url, floor_dir)

    reads, read_cpus = [], []
    read_seconds, _, code, out, read_cpu = _timed_child([sys.executable, "-c", READ_ONLY, str(book)], env, workdir)
    if code:
        raise RuntimeError(f"calamine read failed: {out[-2000:]}")
    reads.append(read_seconds)
    read_cpus.append(read_cpu)
    import_seconds, peak, code, out, import_cpu = _timed_child([*TOUZI, "import", "reports", str(book)],
                                                               _env(cold_url, cold_dir), workdir)
    if code:
        raise RuntimeError(f"import failed ({code}): {out[-3000:]}")
    warm = _in_process(WARM, [book, warm_up], env, workdir)
    if not warm["ok"]:
        raise RuntimeError(f"warm import refused the file: {warm['errors']}")
    floor = _in_process(FLOOR, [book], _env(floor_url, floor_dir), workdir)
    # More runs of the reference (the import cannot be repeated on the same ledger without undoing it).
    for _ in range(runs - 1):
        again = _timed_child([sys.executable, "-c", READ_ONLY, str(book)], env, workdir)
        reads.append(again[0])
        read_cpus.append(again[4])
    load = os.getloadavg()[0]
    verify_code = _timed_child([*TOUZI, "audit", "verify"], env, workdir)[2]
    if verify_code:
        raise RuntimeError("touzi audit verify failed after the import")
    cold_verify = _timed_child([*TOUZI, "audit", "verify"], _env(cold_url, cold_dir), workdir)[2]
    if cold_verify:
        raise RuntimeError("touzi audit verify failed after the cold import")
    _drop_database(cold_url)
    _drop_database(floor_url)

    from touzi.audit.models import AuditRecord
    from touzi.reports.models import MonthlyReport

    written = MonthlyReport.objects.filter(month=month, status="submitted").count()
    audited = AuditRecord.objects.filter(object_type__in=["reports.monthlyreport", "reports.batch"]).count()

    # The analyst's alternative against the product's figures of the same month.
    analyst_runs = [pandas_alternative(book, project_list) for _ in range(max(runs, 1))]
    analyst_seconds = statistics.median(seconds for seconds, _ in analyst_runs)
    analyst = analyst_runs[0][1]
    _accept_month(month)
    figures_started = time.perf_counter()
    product = touzi_figures(month)
    figures_seconds = time.perf_counter() - figures_started
    diffs = _same(product, analyst)
    agreement = (f"agree on {len(product['domain'])} domains and {len(product['county'])} counties" if not diffs
                 else "DISAGREE: " + "; ".join(diffs[:4]))

    reference = statistics.median(reads)
    ratio = import_seconds / reference
    warm_seconds, floor_seconds = warm["seconds"], floor["seconds"]
    to_floor = warm_seconds / floor_seconds
    common = {"database": vendor, "size": size}
    machine = f"load average {load:.1f} on {os.cpu_count()} cores during the run"
    figures = [
        {"id": "P1", "name": f"import a {rows:,}-row monthly report workbook in a serving process (read, check, "
                             f"write, audit)",
         "value": round(warm_seconds, 3), "unit": "s",
         "reference": "floor: python-calamine read + the same rows inserted with COPY/executemany, nothing else",
         "reference_value": round(floor_seconds, 3), "ratio": round(to_floor, 2), "goal": "≤ 3× the floor",
         "met": to_floor <= GOAL_TIMES and verify_code == 0 and written == rows,
         "warm_seconds": round(warm_seconds, 3), "warm_cpu_seconds": round(warm["cpu"], 3),
         "floor_seconds": round(floor_seconds, 3), "floor_cpu_seconds": round(floor["cpu"], 3),
         "ratio_to_floor": round(to_floor, 2), "cpu_ratio_to_floor": round(warm["cpu"] / floor["cpu"], 2),
         "cold_seconds": round(import_seconds, 3), "cold_cpu_seconds": round(import_cpu, 3),
         "read_seconds": round(reference, 3), "cold_ratio_to_read": round(ratio, 2), "load_average": round(load, 2),
         **common,
         "notes": f"the service the web import calls (imports.services.write), timed in a child process that "
                  f"loaded Django and the import modules first (untimed), as a web or Celery worker has: "
                  f"{warm_seconds:.2f} s wall / {warm['cpu']:.2f} s CPU; floor in the same kind of process: "
                  f"{floor_seconds:.2f} s / {floor['cpu']:.2f} s CPU ({floor['rows']:,} rows); CPU ratio "
                  f"{warm['cpu'] / floor['cpu']:.1f}×; ledger of {projects:,} projects × {MONTHS - 1} months "
                  f"({projects * (MONTHS - 1):,} accepted reports, generated in {generated:.0f} s, untimed); "
                  f"{written:,} reports and {audited:,} report audit records (one per batch of 5,000) written; touzi audit verify exit "
                  f"{verify_code}; one run each (an import cannot be repeated on the same ledger); {machine}"},
        {"id": "P1-cold", "name": f"`touzi import reports` of the same {rows:,}-row workbook (Django start-up "
                                  f"included)",
         "value": round(import_seconds, 3), "unit": "s", "reference": "python-calamine read only",
         "reference_value": round(reference, 3), "ratio": round(ratio, 2), "goal": "≤ 10 s",
         "met": import_seconds <= GOAL_SECONDS and cold_verify == 0, **common,
         "notes": f"a child process on a copy of the ledger; peak RSS {peak:.0f} MB; reference = a child process "
                  f"reading every row with python-calamine (median of {len(reads)}: "
                  f"{', '.join(f'{x:.2f}' for x in reads)} s); CPU time (user+sys) import {import_cpu:.2f} s vs "
                  f"read {statistics.median(read_cpus):.2f} s = {import_cpu / statistics.median(read_cpus):.1f}×; "
                  f"touzi audit verify exit {cold_verify}; {machine}"},
        {"id": "P1-analyst", "name": f"import + the month's figures by domain and county ({rows:,} rows) vs pandas",
         "value": round(import_seconds + figures_seconds, 3), "unit": "s",
         "reference": "pandas.read_excel(engine='calamine') + CSV project list, merge, groupby domain and county",
         "reference_value": round(analyst_seconds, 3),
         "ratio": round((import_seconds + figures_seconds) / analyst_seconds, 2),
         "goal": "Touzi faster than the analyst (ratio < 1)",
         "met": import_seconds + figures_seconds < analyst_seconds and not diffs, **common,
         "notes": f"Touzi = the cold import above ({import_seconds:.2f} s, checks, audit and Django start-up "
                  f"included) + ledger_sums of the month by domain and county ({figures_seconds:.3f} s, after "
                  f"an untimed UPDATE standing in for the review); pandas in-process, median of "
                  f"{len(analyst_runs)} ({', '.join(f'{s:.2f}' for s, _ in analyst_runs)} s), no checks; "
                  f"{agreement}"},
    ]
    connection.close()
    return figures


def memory_worker(url: str, workdir: Path) -> list[dict[str, Any]]:
    """Peak RSS of importing a 200,000-row file: 200,000 projects without history, one row each."""
    _fresh_database(url, workdir)
    _setup_django(url, workdir)
    from django.db import connection

    generate(MEMORY_ROWS, 0)
    month = dt.date(2021, 2, 1)
    book = workdir / "reports-200k.xlsx"
    rows = write_workbook(book, month)
    size_mb = book.stat().st_size / 1e6
    connection.close()
    env = _env(url, workdir)
    seconds, peak, code, out, _ = _timed_child([*TOUZI, "import", "reports", str(book)], env, workdir)
    read_seconds, read_peak, _, _, _ = _timed_child([sys.executable, "-c", READ_ONLY, str(book)], env, workdir)
    return [{"id": "P1-memory", "name": f"peak memory importing a {rows:,}-row workbook",
             "value": round(peak, 1), "unit": "MB", "reference": None, "reference_value": None, "ratio": None,
             "goal": "≤ 500 MB", "met": code == 0 and peak <= GOAL_MB, "database": connection.vendor,
             "size": "province",
             "notes": f"peak RSS of the `touzi import reports` child (os.wait4); file {size_mb:.1f} MB; import "
                      f"{seconds:.1f} s, exit {code}; python-calamine alone: {read_seconds:.1f} s, "
                      f"{read_peak:.0f} MB" + ("" if code == 0 else f"; output: {out[-500:]}")}]


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


def _in_child(mode: str, size: str, url: str, runs: int) -> list[dict[str, Any]]:
    args = [sys.executable, "-m", "touzi.bench.p1_import", "--worker", mode, "--size", size, "--database-url", url,
            "--runs", str(runs)]
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"P1 {mode} worker failed: {result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(size: str, database_url: str | None, *, runs: int = 3) -> list[dict[str, Any]]:
    """The P1 figures for `size` ('city' or 'province'; 'nation' has none) on SQLite or the URL's PostgreSQL."""
    if size not in PROJECTS:
        return []
    main_url = memory_url = ""  # SQLite: the product's default database in a temporary data folder
    if database_url:
        main_url, memory_url = _pg_url(database_url, f"_p1_{size}"), _pg_url(database_url, "_p1_mem")
    figures = _in_child("import", size, main_url, runs)
    if size == "province":
        figures += _in_child("memory", size, memory_url, runs)
    return figures


def _table(figures: list[dict[str, Any]]) -> str:
    lines = [f"{'id':<11}{'db':<11}{'value':>10} {'unit':<4}{'reference':>11}{'ratio':>8}  {'met':<5} name"]
    for f in figures:
        ref = "—" if f["reference_value"] is None else f"{f['reference_value']:.3f}"
        ratio = "—" if f["ratio"] is None else f"{f['ratio']:.2f}"
        lines.append(f"{f['id']:<11}{f['database']:<11}{f['value']:>10} {f['unit']:<4}{ref:>11}{ratio:>8}  "
                     f"{'yes' if f['met'] else 'NO':<5} {f['name']}")
    for f in figures:
        lines.append(f"\n{f['id']}: reference = {f['reference']}; goal {f['goal']}\n  {f['notes']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["city", "province", "nation"], default="province")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=3, help="runs of the reference and of pandas (median)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worker", choices=["import", "memory"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        with tempfile.TemporaryDirectory(prefix="touzi-p1-work-") as folder:
            if args.worker == "import":
                figures = worker(args.size, args.database_url, Path(folder), args.runs)
            else:
                figures = memory_worker(args.database_url, Path(folder))
        print(json.dumps(figures, ensure_ascii=False, default=str))
        return
    figures = run(args.size, args.database_url or None, runs=args.runs)
    print(json.dumps(figures, ensure_ascii=False, indent=1, default=str) if args.json else _table(figures))


if __name__ == "__main__":
    main()
