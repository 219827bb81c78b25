"""Benchmark: import one monthly-report workbook into a province-sized ledger.

    .venv/bin/python bench/import_reports.py [--projects 20000] [--months 36] [--database-url URL]

Builds a fresh database (a temporary SQLite file unless --database-url names a PostgreSQL), loads the
Beihai plan, generates --projects projects with --months - 1 months of accepted reports, writes a
workbook with one row per project for the next month, and then runs `touzi import reports FILE`
in a child process: the time of the whole import (read, check, write, audit) and the child's peak
memory. Prints a table; nothing here is a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touzi.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _generate(projects: int, months: int) -> dt.date:
    from django.core.management import call_command
    from django.db import transaction

    from touzi.conftest import load_file
    from touzi.plans.models import Domain
    from touzi.projects.models import Project
    from touzi.reports.models import MonthlyReport
    from touzi.units.choices import UnitKind
    from touzi.units.models import Unit

    call_command("migrate", verbosity=0)
    from django.conf import settings

    load_file(settings.DEFAULT_PLAN_FILE)
    rng = random.Random(7)
    counties = list(Unit.objects.filter(kind=UnitKind.COUNTY))
    domains = list(Domain.objects.filter(children__isnull=True))
    owners = Unit.objects.bulk_create(
        [Unit(key=f"bench-owner-{i}", name=f"基准测试业主{i}", kind=UnitKind.ENTERPRISE) for i in range(2000)])
    start = dt.date(2021, 2, 1)
    with transaction.atomic():
        Project.objects.bulk_create([
            Project(code=f"2021-{counties[i % 4].division_code}-00-01-{i:06d}", name=f"基准项目{i}",
                    domain=domains[i % len(domains)], county=counties[i % 4], owner=owners[i % 2000],
                    total_investment=Decimal(rng.randint(5_000, 500_000)), stage="continuing",
                    actual_start=dt.date(2021, 1, 1))
            for i in range(projects)], batch_size=5000)
    ids = list(Project.objects.values_list("id", "total_investment"))
    month = start
    for _ in range(months - 1):
        with transaction.atomic():
            MonthlyReport.objects.bulk_create([
                MonthlyReport(project_id=pid, month=month, amount=(total / 100).quantize(Decimal("0.01")),
                              status="accepted") for pid, total in ids], batch_size=5000)
        month = _next_reporting_month(month)
    return month


def _next_reporting_month(month: dt.date) -> dt.date:
    """The next month with a report of its own: January is reported with February (1—2月)."""
    following = (month.replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    return following.replace(month=2) if following.month == 1 else following


def _workbook(path: Path, month: dt.date) -> None:
    from openpyxl import Workbook

    from touzi.projects.models import Project

    book = Workbook(write_only=True)
    sheet = book.create_sheet("月报")
    sheet.append(["项目代码", "项目名称", "报告期", "本月完成投资(万元)", "形象进度", "存在问题"])
    for code, name, total in Project.objects.values_list("code", "name", "total_investment").iterator():
        sheet.append([code, name, f"{month:%Y-%m}", float(total / 80), "按计划推进", ""])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="touzi-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    _setup(url)
    t0 = time.perf_counter()
    month = _generate(args.projects, args.months)
    t1 = time.perf_counter()
    path = workdir / "reports.xlsx"
    _workbook(path, month)
    t2 = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": url, "TOUZI_DATA_DIR": str(workdir)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t3 = time.perf_counter()
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "touzi"), "import", "reports", str(path)], env=env,
                            capture_output=True, text=True, check=False)
    t4 = time.perf_counter()
    peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    from touzi.reports.models import MonthlyReport

    written = MonthlyReport.objects.filter(month=month).count()
    engine = "postgresql" if url.startswith("postgres") else "sqlite"
    print(f"{'figure':<44}{'value':>14}")
    print(f"{'database':<44}{engine:>14}")
    print(f"{'projects':<44}{args.projects:>14,}")
    print(f"{'reports already in the ledger':<44}{args.projects * (args.months - 1):>14,}")
    print(f"{'generate ledger (s)':<44}{t1 - t0:>14.1f}")
    print(f"{'write workbook (s)':<44}{t2 - t1:>14.1f}")
    print(f"{'workbook size (MB)':<44}{path.stat().st_size / 1e6:>14.2f}")
    print(f"{'import: read + check + write + audit (s)':<44}{t4 - t3:>14.2f}")
    print(f"{'import child peak RSS (MB)':<44}{peak_mb:>14.0f}")
    print(f"{'rows written':<44}{written:>14,}")
    print(f"{'import exit code':<44}{result.returncode:>14}")
    if result.returncode:
        print(result.stderr[-2000:])


if __name__ == "__main__":
    main()
