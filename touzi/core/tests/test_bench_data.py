"""The benchmarks' data generator writes every column the schema requires: a tiny set generated on the test
database (the bench commands themselves are measurements, not tests; this keeps them runnable)."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_tiny_data_set_generates_with_its_reports_and_consistent_clarity_flags() -> None:
    from touzi.bench.data import Size, _generate
    from touzi.projects.clarities import stale_clarities
    from touzi.projects.models import Project
    from touzi.reports.models import MonthlyReport

    _generate(Size("tiny", 40, dt.date(2023, 1, 1), 6, dt.date(2023, 6, 1), 3, 3), False)
    assert Project.objects.filter(code__startswith="BT").count() == 40
    assert MonthlyReport.objects.exists()
    assert stale_clarities() == (0, [])  # the stored flags agree with the funding lines and approvals written


def test_the_import_benchmark_ledger_generates() -> None:
    from touzi.bench.p1_import import generate
    from touzi.reports.models import MonthlyReport

    month = generate(30, 3)
    assert MonthlyReport.objects.filter(project__name__startswith="基准项目").count() == 90
    assert month == dt.date(2021, 5, 1)  # the month after the ledger's last (2021-02 … 2021-04)
