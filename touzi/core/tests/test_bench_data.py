"""The benchmarks' data generator writes every column the schema requires: a tiny set generated on the test
database (the bench commands themselves are measurements, not tests; this keeps them runnable), and P2's
reference agrees with the product on it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_tiny_data_set_generates_with_its_reports_and_consistent_clarity_flags(tmp_path: Path) -> None:
    from touzi.bench.data import Size, _generate
    from touzi.projects.clarities import stale_clarities
    from touzi.projects.models import Project
    from touzi.reports.models import MonthlyReport

    month = dt.date(2023, 6, 1)
    _generate(Size("tiny", 40, dt.date(2022, 1, 1), 18, month, 3, 3), False)
    assert Project.objects.filter(code__startswith="BT").count() == 40
    assert MonthlyReport.objects.filter(month__year=2022).exists() and MonthlyReport.objects.filter(month=month).exists()
    assert stale_clarities() == (0, [])  # the stored flags agree with the funding lines and approvals written
    _p2_reference_agrees(month, tmp_path)  # on the same set: generating costs more than the check


def _p2_reference_agrees(month: dt.date, folder: Path) -> None:
    """P2's DuckDB reference computes the dashboard's and the briefing's figures over the same project sets (the
    plan's region, each year's list), and its comparison notices when they are not."""
    from django.conf import settings

    from touzi.bench import p2_analysis as p2
    from touzi.monitoring.sets import threshold_wan
    from touzi.monitoring.settings import settings_for
    from touzi.plans.models import Collection, Plan
    from touzi.projects.models import Membership, Project
    from touzi.units.choices import UnitKind
    from touzi.units.models import Unit

    plan = Plan.objects.get(key=settings.DEFAULT_PLAN_KEY)
    listed = Collection.objects.get(key="major-list")  # the collection of Beihai's annual major-project target
    moved = Membership.objects.filter(collection=listed, year__isnull=True).order_by("project_id").first()
    assert moved is not None
    # A project of the list in a county outside the plan's region (南宁): no figure of Beihai's counts it.
    outside = Unit.objects.create(key="nanning-test", name="南宁测试县", kind=UnitKind.COUNTY, division_code="450102")
    Project.objects.filter(pk=moved.project_id).update(county=outside)
    # A project on last year's list only: it counts in last year's months, not in this year's.
    last_only = Project.objects.filter(stage="continuing").exclude(memberships__collection=listed).order_by("pk")[0]
    Membership.objects.create(project=last_only, collection=listed, year=2022)

    board, content = p2.product(plan, month)
    db = p2.load_duckdb(folder)

    def differences() -> list[str]:
        return p2.compare(board, content, p2.reference(db, board, plan, month, threshold_wan(plan), settings_for(plan)))

    assert differences() == []
    assert board.totals["all"].count == 39  # the region holds every generated project but the one moved out
    assert 0 < board.totals["list"].count < board.totals["all"].count
    assert board.totals["list"].previous > 0 and board.totals["list"].ytd > 0
    # The comparison is strict: the reference over other projects disagrees.
    db.execute(f"UPDATE m SET year = NULL WHERE project_id = {last_only.pk} AND year = 2022")  # on every year's list
    assert any(d.startswith(("target major-2023", "totals list")) for d in differences())
    db.execute(f"UPDATE m SET year = 2022 WHERE project_id = {last_only.pk} AND year IS NULL")
    assert differences() == []
    db.execute(f"UPDATE p SET county_id = {last_only.county_id} WHERE id = {moved.project_id}")  # back in the region
    assert any(d.startswith("totals all") for d in differences())


def test_the_import_benchmark_ledger_generates() -> None:
    from touzi.bench.p1_import import generate
    from touzi.reports.models import MonthlyReport

    month = generate(30, 3)
    assert MonthlyReport.objects.filter(project__name__startswith="基准项目").count() == 90
    assert month == dt.date(2021, 5, 1)  # the month after the ledger's last (2021-02 … 2021-04)
