"""The counted years (CountedYear) always equal their sources, whichever way reports and adjustments change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from touzi.core.actor import System
from touzi.lib.errors import BusinessError, Forbidden
from touzi.reports.bulk import Submission, load_ledger, submit_many
from touzi.reports.counted import differences, range_sum, refresh
from touzi.reports.models import Adjustment, CountedYear, MonthlyReport
from touzi.reports.services import accept_report, adjust, lock_month, report_month, return_report
from touzi.testing import new_project

pytestmark = pytest.mark.django_db
SYSTEM = System("test")


def _row(project, year: int) -> list[D]:
    return list(CountedYear.objects.filter(project=project, year=year).values_list(
        *[f"ytd{i}" for i in range(1, 13)]).get())


def test_accepting_returning_and_adjusting_rewrite_the_year_to_date_columns(owners, mini_plan, oscar, stan) -> None:
    p = new_project("甲", county="county-a", owner="owner-a", code="2023-450521-26-03-000401")
    report = report_month(p, dt.date(2023, 3, 1), D("100"), actor=oscar)
    # Submitted only: nothing counts yet.
    assert not CountedYear.objects.filter(project=p).exists()
    accept_report(report, actor=stan)
    assert _row(p, 2023) == [D(0), D(0)] + [D(100)] * 10
    lock_month(dt.date(2023, 3, 1), actor=stan)
    adjust(p, dt.date(2023, 3, 1), D("-30"), "核减", actor=oscar)
    assert _row(p, 2023) == [D(0), D(0)] + [D(70)] * 10
    assert differences() == []


def test_a_returned_report_stops_counting(owners, mini_plan, oscar, stan) -> None:
    p = new_project("乙", county="county-a", owner="owner-a", code="2023-450521-26-03-000402")
    first = report_month(p, dt.date(2023, 4, 1), D("80"), actor=oscar)
    accept_report(first, actor=stan)
    second = report_month(p, dt.date(2023, 5, 1), D("20"), actor=oscar)
    return_report(second, "请补充佐证", actor=stan)
    assert _row(p, 2023)[4] == D(80)
    assert differences() == []


def test_the_bulk_paths_keep_the_years_in_step(owners, mini_plan, stan) -> None:
    p = new_project("丙", county="county-a", owner="owner-a", code="2023-450521-26-03-000403")
    load_ledger([MonthlyReport(project=p, month=dt.date(2022, m, 1), amount=D(m), status="accepted")
                 for m in range(2, 13)], [Adjustment(project=p, month=dt.date(2022, 3, 1), delta=D("-1"), reason="核减")],
                actor=SYSTEM)
    assert _row(p, 2022)[11] == sum(D(m) for m in range(2, 13)) - 1
    # New submissions count nothing until accepted; a correction of a returned report is refreshed at once.
    submit_many([Submission(project_id=p.pk, month=dt.date(2023, m, 1), amount=D(10)) for m in range(2, 5)],
                actor=SYSTEM)
    assert not CountedYear.objects.filter(project=p, year=2023).exists()
    march = MonthlyReport.objects.get(project=p, month=dt.date(2023, 3, 1))
    accept_report(march, actor=stan)
    assert _row(p, 2023)[11] == D(10)
    april = MonthlyReport.objects.get(project=p, month=dt.date(2023, 4, 1))
    return_report(april, "请补充佐证", actor=stan)
    submit_many([Submission(project_id=p.pk, month=april.month, amount=D(25), existing_id=april.pk)], actor=SYSTEM)
    accept_report(MonthlyReport.objects.get(pk=april.pk), actor=stan)
    assert _row(p, 2023)[11] == D(35)
    assert differences() == []


def test_a_user_cannot_load_a_ledger_behind_the_service_acts(owners, mini_plan, oscar) -> None:
    p = new_project("丙", county="county-a", owner="owner-a", code="2023-450521-26-03-000406")
    with pytest.raises(Forbidden):
        load_ledger([MonthlyReport(project=p, month=dt.date(2022, 2, 1), amount=D(1), status="accepted")],
                    actor=oscar)
    assert not MonthlyReport.objects.filter(project=p).exists()


def test_a_failed_act_leaves_the_years_as_they_were(owners, mini_plan, oscar, stan) -> None:
    p = new_project("丁", county="county-a", owner="owner-a", code="2023-450521-26-03-000404")
    accept_report(report_month(p, dt.date(2023, 2, 1), D("10"), actor=oscar), actor=stan)
    with pytest.raises(RuntimeError), transaction.atomic():
        accept_report(report_month(p, dt.date(2023, 3, 1), D("90"), actor=oscar), actor=stan)
        raise RuntimeError("the rest of the business act failed")
    assert _row(p, 2023)[11] == D(10)
    assert differences() == []


def test_range_sum_reads_any_range_from_the_year_to_date_columns(owners, mini_plan) -> None:
    p = new_project("戊", county="county-a", owner="owner-a", code="2023-450521-26-03-000405")
    for year in (2021, 2022, 2023):
        for month in range(2, 13):
            MonthlyReport.objects.create(project=p, month=dt.date(year, month, 1), amount=D(year - 2020) * month,
                                         status="accepted")
    Adjustment.objects.create(project=p, month=dt.date(2022, 3, 1), delta=D("0.5"), reason="调增")
    refresh([p.pk])  # written here behind the service acts, to test the reader alone

    def direct(start: dt.date | None, end: dt.date) -> D:
        rows = MonthlyReport.objects.filter(project=p, month__lte=end)
        adjustments = Adjustment.objects.filter(project=p, month__lte=end)
        if start:
            rows, adjustments = rows.filter(month__gte=start), adjustments.filter(month__gte=start)
        return sum((r.amount for r in rows), D(0)) + sum((a.delta for a in adjustments), D(0))

    from django.db.models import Sum

    for start, end in ((dt.date(2022, 3, 1), dt.date(2022, 3, 1)), (dt.date(2021, 5, 1), dt.date(2023, 6, 1)),
                       (dt.date(2023, 1, 1), dt.date(2023, 12, 1)), (None, dt.date(2022, 7, 1)),
                       (dt.date(2022, 4, 1), dt.date(2023, 2, 1))):
        got = CountedYear.objects.filter(project=p).aggregate(t=Sum(range_sum(start, end)))["t"]
        assert got == direct(start, end), (start, end)


MONTH = st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2023, 12, 31)).map(lambda d: d.replace(day=1))
AMOUNT = st.decimals(min_value=0, max_value=1000, places=4)
WHO = st.integers(0, 1)
OPS = st.lists(st.one_of(
    st.tuples(st.just("report"), WHO, MONTH, AMOUNT, st.booleans()),
    st.tuples(st.just("accept"), WHO, MONTH),
    st.tuples(st.just("return"), WHO, MONTH),
    st.tuples(st.just("lock"), WHO, MONTH),
    st.tuples(st.just("adjust"), WHO, MONTH, st.decimals(min_value=-1000, max_value=1000, places=4)),
    st.tuples(st.just("bulk"), WHO, st.lists(st.tuples(MONTH, AMOUNT), max_size=4)),
), max_size=25)


def _apply(op: tuple, project) -> None:
    """One act through the service layer (a refused act changes nothing, which the property covers too)."""
    kind, report = op[0], None
    if kind in ("accept", "return"):
        report = MonthlyReport.objects.filter(project=project, month=op[2]).first()
        if report is None:
            return
    try:
        if kind == "report":
            report_month(project, op[2], op[3], actor=SYSTEM, submit=op[4])
        elif kind == "accept":
            accept_report(report, actor=SYSTEM)
        elif kind == "return":
            return_report(report, "退回", actor=SYSTEM)
        elif kind == "lock":
            lock_month(op[2], actor=SYSTEM)
        elif kind == "adjust":
            adjust(project, op[2], op[3], "调整", actor=SYSTEM)
        else:
            taken = set(MonthlyReport.objects.filter(project=project).values_list("month", flat=True))
            months = {m: a for m, a in op[2] if m not in taken}
            submit_many([Submission(project_id=project.pk, month=m, amount=a) for m, a in months.items()],
                        actor=SYSTEM)
    except BusinessError:
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_any_sequence_of_acts_leaves_the_years_equal_to_a_recomputation(owners, mini_plan, ops) -> None:
    with transaction.atomic():
        projects = [new_project(f"随机{i}", county="county-a", owner="owner-a",
                                code=f"2023-450521-26-03-{900000 + i:06d}") for i in range(2)]
        for op in ops:
            _apply(op, projects[op[1]])
        assert differences([p.pk for p in projects]) == []
        # A full rebuild writes the same rows.
        before = set(CountedYear.objects.values_list("project_id", "year", "ytd12"))
        refresh()
        assert set(CountedYear.objects.values_list("project_id", "year", "ytd12")) == before
        transaction.set_rollback(True)
