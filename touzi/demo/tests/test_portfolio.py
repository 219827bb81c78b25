"""The demo portfolio: every project the plan names, sums near the targets, a ledger that keeps its rules."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Count, DecimalField, F, Max, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from touzi.audit.models import AuditRecord
from touzi.demo.catalog import COUNTY_CODES, DATA_DIR, DOMAIN_GOALS, MAJOR_TARGETS, SEEDS, YI
from touzi.demo.planner import plan_portfolio
from touzi.demo.portfolio import ensure_demo_portfolio, portfolio_totals
from touzi.demo.shape import derive_seasonal_shape, seasonal_shape
from touzi.plans.models import Target
from touzi.projects.codes import PROJECT_CODE_RE, industry_divisions
from touzi.projects.models import AnnualPlan, FundingLine, KeyApproval, Membership, Project
from touzi.reports.choices import ReportStatus
from touzi.reports.models import Adjustment, MonthLock, MonthlyReport
from touzi.testing import load_file
from touzi.units.models import Unit

SIZE = 300
MONEY = DecimalField(max_digits=20, decimal_places=4)
ZERO = Value(Decimal(0), output_field=MONEY)


@pytest.fixture(scope="class")
def portfolio(django_db_setup, django_db_blocker):
    """One small portfolio for the whole class, rolled back at its end (each test runs in a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_file(settings.DEFAULT_PLAN_FILE)
        yield ensure_demo_portfolio(size=SIZE)
        transaction.set_rollback(True)


def _row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Project, Unit, Membership, FundingLine, KeyApproval, AnnualPlan, MonthlyReport,
                          Adjustment, MonthLock, AuditRecord)}


# --- the seasonal shape ----------------------------------------------------------------------------

def test_the_shipped_seasonal_shape_is_the_national_series_averaged() -> None:
    with (DATA_DIR / "china_fai_monthly_2011_2018.csv").open(encoding="utf-8") as handle:
        derived = derive_seasonal_shape(csv.DictReader(handle))
    shipped = seasonal_shape()
    assert sorted(shipped) == list(range(2, 13))  # 1—2月 is one share, reported in February
    assert sum(shipped.values()) == pytest.approx(1)
    for month, share in derived.items():
        assert shipped[month] == pytest.approx(share, abs=1e-5)
    # Slow first quarter; the national peak is the half-year push in June.
    assert shipped[2] / 2 < shipped[3] < shipped[6]
    assert max(shipped, key=shipped.get) == 6


def test_the_plan_is_deterministic_and_scales_to_the_targets_at_any_size() -> None:
    first, second = plan_portfolio(size=SIZE, seed=7), plan_portfolio(size=SIZE, seed=7)
    assert [(p.name, p.code, p.total, sorted(p.amounts.items())) for p in first.projects] == \
           [(p.name, p.code, p.total, sorted(p.amounts.items())) for p in second.projects]
    assert [p.name for p in plan_portfolio(size=SIZE, seed=8).projects] != [p.name for p in first.projects]
    for size in (SIZE, 2000):
        draft = plan_portfolio(size=size)
        assert len(draft.projects) == size
        for year, target in MAJOR_TARGETS.items():
            listed = sum(p.counted(year) for p in draft.projects if year in p.major_years) / YI
            assert listed == pytest.approx(target, rel=0.10)
        for domain, (goal, outcome) in DOMAIN_GOALS.items():
            total = sum(p.counted() for p in draft.projects if p.domain == domain) / YI
            assert total == pytest.approx(goal * outcome, rel=0.01), domain


def test_the_targets_are_the_plans(beihai_plan) -> None:
    values = dict(Target.objects.filter(plan=beihai_plan).values_list("key", "value"))
    for year, target in MAJOR_TARGETS.items():
        assert values[f"major-{year}"] == target
    for domain, (goal, _outcome) in DOMAIN_GOALS.items():
        assert values[f"{domain}-total"] == goal
    transport = ("railway", "highway", "waterway", "aviation")
    assert values["transport-total"] == sum(DOMAIN_GOALS[k][0] for k in transport)
    assert dict(Unit.objects.filter(key__in=COUNTY_CODES).values_list("key", "division_code")) == COUNTY_CODES


# --- the portfolio in the database -----------------------------------------------------------------

@pytest.mark.django_db
class TestThePortfolio:
    """A 300-project portfolio: the targets scale with any size, so its sums are checked too."""

    def test_running_it_again_creates_nothing(self, portfolio) -> None:
        assert portfolio.created and portfolio.projects == SIZE
        before = _row_counts()
        again = ensure_demo_portfolio(size=SIZE)
        assert not again.created
        assert _row_counts() == before
        assert again.counts() == portfolio.counts()
        assert not Project.objects.filter(is_demo=False).exists()
        assert AuditRecord.objects.filter(object_type="core.demo_portfolio").count() == 1

    def test_every_project_the_plan_names_is_there_in_its_domain(self, portfolio) -> None:
        named = Project.objects.filter(name__in=[s.name for s in SEEDS])
        found = dict(named.values_list("name", "domain__key"))
        assert found == {seed.name: seed.domain for seed in SEEDS}
        spot = {
            "玖龙纸业(北海)林浆纸一体化项目": "industry", "四川能投川桂绿色化工产业园": "industry",
            "北海市福成产业园(一期)标准厂房项目": "industry", "合浦至湛江铁路": "railway", "向海大道": "highway",
            "铁山港30万吨进港航道及码头项目": "waterway", "北海邮轮母港": "waterway", "北海北部湾国际机场": "aviation",
            "神华国华广投北海电厂": "energy", "北海液化天然气(LNG)接收站三期工程": "energy",
            "北海市第十五中学": "education", "铁山港区人民医院新院区": "health", "东郡足球公园": "fitness",
            "《印象·1876》历史文化景区": "tourism", "银海区社会老年服务中心": "civil-affairs",
            "红树林现代金融产业城": "services", "壮美广西·北海政务云": "new-infra",
        }
        assert {name: found[name] for name in spot} == spot
        airport = Project.objects.get(name="北海北部湾国际机场")
        assert airport.owner.key == "airport"
        assert Project.objects.get(name="玖龙纸业(北海)林浆纸一体化项目").total_investment >= 100 * YI

    def test_the_library_spreads_over_domains_counties_and_parks(self, portfolio) -> None:
        demo = Project.objects.filter(is_demo=True)
        assert set(demo.values_list("domain__key", flat=True)) == set(DOMAIN_GOALS)
        assert set(demo.values_list("county__key", flat=True)) == set(COUNTY_CODES)
        assert demo.filter(park__isnull=False).values("park").distinct().count() >= 4
        stages = {"reserve", "preliminary", "new_start", "continuing", "completed"}
        assert set(demo.values_list("stage", flat=True)) >= stages
        owners = demo.filter(owner__kind="enterprise").values("owner").distinct().count()
        assert demo.filter(owner__key__startswith="demo-owner-").count() > owners  # firms build several
        # Codes: valid, in the project's county, with an industry division; reserve projects may lack one.
        rows = demo.values_list("code", "county__division_code", "industry", "stage")
        for code, division, industry, stage in rows:
            if code is None:
                assert stage == "reserve"
                continue
            match = PROJECT_CODE_RE.match(code)
            assert match and match["region"] == division
            assert industry in industry_divisions()
        assert 0 < demo.filter(code__isnull=True).count() <= 0.05 * SIZE
        assert 0 < demo.filter(is_real_estate=True).count() <= 0.05 * SIZE

    def test_reserve_and_preliminary_projects_have_no_reports_and_dates_fit_stages(self, portfolio) -> None:
        not_started = ["reserve", "preliminary", "cancelled"]
        assert not MonthlyReport.objects.filter(project__stage__in=not_started).exists()
        finished = Project.objects.filter(stage__in=["completed", "in_operation"])
        assert not finished.filter(actual_completion__isnull=True).exists()
        under_way = Project.objects.filter(stage__in=["new_start", "continuing"])
        assert not under_way.filter(actual_start__isnull=True).exists()
        assert not Project.objects.filter(stage="new_start", actual_start__lt=dt.date(2023, 1, 1)).exists()
        assert not Project.objects.filter(stage="continuing", actual_start__gte=dt.date(2023, 1, 1)).exists()
        first = MonthlyReport.objects.filter(project=OuterRef("pk")).order_by("month").values("month")[:1]
        early = (Project.objects.filter(actual_start__gte=dt.date(2021, 3, 1)).annotate(first=Subquery(first))
                 .values_list("first", "actual_start"))
        assert all(first >= start.replace(day=1) for first, start in early if first)

    def test_no_project_reports_more_than_its_total_investment(self, portfolio) -> None:
        reported = (MonthlyReport.objects.filter(project=OuterRef("pk")).order_by().values("project")
                    .annotate(s=Sum("amount")).values("s"))
        adjusted = (Adjustment.objects.filter(project=OuterRef("pk")).order_by().values("project")
                    .annotate(s=Sum("delta")).values("s"))
        over = Project.objects.annotate(
            reported=Coalesce(Subquery(reported, output_field=MONEY), ZERO, output_field=MONEY)
            + Coalesce(Subquery(adjusted, output_field=MONEY), ZERO, output_field=MONEY),
        ).filter(reported__gt=F("total_investment"))
        assert not over.exists()
        assert MonthlyReport.objects.exists()

    def test_there_are_no_january_reports_and_the_months_are_2021_02_to_2023_12(self, portfolio) -> None:
        assert not MonthlyReport.objects.filter(month__month=1).exists()
        months = MonthlyReport.objects.aggregate(lo=Min("month"), hi=Max("month"))
        assert (months["lo"], months["hi"]) == (dt.date(2021, 2, 1), dt.date(2023, 12, 1))

    def test_the_sums_land_near_the_targets(self, portfolio) -> None:
        totals = portfolio_totals()
        for year, target in MAJOR_TARGETS.items():
            assert totals["major"][year] == pytest.approx(target, rel=0.15), year
        for domain, (goal, outcome) in DOMAIN_GOALS.items():
            assert totals["domains"][domain] == pytest.approx(goal * outcome, rel=0.05), domain
        # Some domains above their targets, some below.
        ratios = [totals["domains"][d] / target for d, (target, _o) in DOMAIN_GOALS.items()]
        assert any(r > 1.04 for r in ratios) and any(r < 0.96 for r in ratios)
        listed = Membership.objects.filter(collection__key="major-list")
        assert set(listed.values_list("year", flat=True)) == {2021, 2022, 2023}
        assert all(listed.filter(year=y).count() >= 30 for y in MAJOR_TARGETS)

    def test_monthly_totals_follow_the_seasonal_shape(self, portfolio) -> None:
        shape = seasonal_shape()
        rows = (MonthlyReport.objects.annotate(y=ExtractYear("month"), m=ExtractMonth("month"))
                .values("y", "m").annotate(s=Sum("amount")).order_by())
        by_year: dict[int, dict[int, Decimal]] = {}
        for row in rows:
            by_year.setdefault(row["y"], {})[row["m"]] = row["s"]
        for year, months in by_year.items():
            whole = sum(months.values())
            shares = {m: float(v / whole) for m, v in months.items()}
            assert min(shares, key=shares.get) == 2  # 1—2月, although it covers two months
            assert shares[6] > shares[5] and shares[6] > shares[7]  # the half-year push
            for month, share in shares.items():
                assert share == pytest.approx(shape[month], abs=0.03), (year, month)

    def test_months_up_to_november_2023_are_accepted_and_locked_and_december_is_open(self, portfolio) -> None:
        locked = set(MonthLock.objects.values_list("month", flat=True))
        expected = {dt.date(y, m, 1) for y in (2021, 2022, 2023) for m in range(2, 13)}
        expected.remove(dt.date(2023, 12, 1))
        assert locked == expected
        earlier = MonthlyReport.objects.filter(month__lt=dt.date(2023, 12, 1))
        assert not earlier.exclude(status=ReportStatus.ACCEPTED).exists()
        assert not earlier.filter(reviewed_at__isnull=True).exists()
        assert not earlier.filter(submitted_at__isnull=True).exists()
        december = MonthlyReport.objects.filter(month=dt.date(2023, 12, 1))
        statuses = dict(december.values_list("status").annotate(n=Count("id")).order_by())
        assert statuses.get(ReportStatus.SUBMITTED, 0) > 0 and statuses.get(ReportStatus.RETURNED, 0) > 0
        assert statuses[ReportStatus.ACCEPTED] > 0.7 * december.count()
        assert not december.filter(status=ReportStatus.RETURNED, return_reason="").exists()
        assert not december.filter(status=ReportStatus.SUBMITTED, reviewed_at__isnull=False).exists()
        # Some projects under way in December have not reported at all.
        active = Project.objects.filter(reports__month=dt.date(2023, 11, 1),
                                        stage__in=["new_start", "continuing"])
        assert active.exclude(reports__month=dt.date(2023, 12, 1)).exists()

    def test_history_shows_late_reports_returns_corrections_and_adjustments(self, portfolio) -> None:
        reports = MonthlyReport.objects.count()
        late = sum("late" in flags for flags in MonthlyReport.objects.values_list("flags", flat=True))
        assert 0.02 * reports < late < 0.09 * reports
        returns = AuditRecord.objects.filter(object_type="reports.monthlyreport", after__status="returned")
        assert returns.count() > 0.005 * reports
        record = returns.first()
        assert record.subject.startswith("project:") and record.message
        assert record.before["status"] == "submitted"
        adjustments = Adjustment.objects.all()
        assert 10 <= adjustments.count() <= 20
        assert not adjustments.filter(reason="").exists()
        assert not adjustments.exclude(month__in=MonthLock.objects.values("month")).exists()

    def test_the_2023_06_briefings_tables_of_one_set_add_up_to_its_headline(self, portfolio) -> None:
        """The headline, the county, lead-unit and domain tables are one set (the year's list) and agree to the
        cent; the 10 亿元 table is the list's projects above the threshold, so it sums to at most the headline."""
        from touzi.briefings.build import build_content
        from touzi.core.actor import System
        from touzi.monitoring.dashboard import build
        from touzi.plans.models import Plan

        june = dt.date(2023, 6, 1)
        board = build(System("test"), Plan.objects.get(key=settings.DEFAULT_PLAN_KEY), june)
        content = build_content(board, System("test"))
        tables = {t.key: t for t in content.annex}
        headline = board.headline.figure.value  # 亿元, exact
        shown = headline.quantize(Decimal("0.01"))
        assert board.totals["list"].ytd == headline * YI
        for key, ytd in (("counties", 3), ("lead_units", 3), ("domain_breakdown", 2)):
            total = tables[key].rows[-1]
            assert "合计" in total and total[ytd] == shown, key
        for dimension in ("county", "lead_unit", "domain"):
            assert sum((r.ytd for r in board.breakdowns[dimension]), Decimal(0)) == headline * YI, dimension
        overview = {row[0]: row[1] for row in tables["overview"].rows}
        assert overview["累计完成投资"] == shown
        big = tables["big_projects"].rows
        assert 0 < len(big) and sum((Decimal(r[4]) for r in big), Decimal(0)) <= shown + Decimal("0.01") * len(big)
        assert f"累计完成投资{shown}亿元" in content.sections[0].paragraphs[0]

    def test_five_clarities_funding_and_fiscal_money(self, portfolio) -> None:
        from touzi.projects.selectors import with_clarities

        planned = Project.objects.filter(is_demo=True, is_real_estate=False, annual_plans__year=2023)
        demo = with_clarities(planned, 2023)
        unclear = demo.exclude(clear_funding=True, clear_farmland=True, clear_approvals=True,
                               clear_progress=True, clear_investment=True).count()
        assert 0.08 * demo.count() < unclear < 0.3 * demo.count()
        gov = Project.objects.filter(is_government=True)
        share = gov.filter(fiscal_contribution__gte=1000).count() / gov.count()
        assert 0.25 < share < 0.4
        assert not gov.filter(fiscal_contribution__lte=0).exists()
        assert FundingLine.objects.filter(source="fiscal").exists()
        plans = AnnualPlan.objects.values_list("category", flat=True).distinct()
        assert set(plans) == {"new_start", "continuing", "preliminary"}
        assert Membership.objects.filter(collection__key="wuwang").exists()
        for key in ("shuangbai", "sanqi", "region-coordinated", "gov-invest"):
            assert Membership.objects.filter(collection__key=key, year__isnull=True).exists(), key


@pytest.mark.django_db
def test_touzi_demo_builds_the_full_portfolio_once() -> None:
    """`touzi demo` (ensure_demo) makes the 2000-project portfolio after the accounts, and only once."""
    from touzi.accounts.models import User
    from touzi.demo.services import ensure_demo
    from touzi.projects.selectors import visible_projects

    ensure_demo()
    # The 2000 of the portfolio, and beside them the reserve projects the pipeline's demo accepted from concepts
    # and the exempted office building of the disclosure demo, each made by its own app's seed.
    from touzi.disclosure.models import OfficeExemption
    from touzi.pipeline.models import Concept

    later = (Concept.objects.filter(is_demo=True, project__isnull=False).count()
             + OfficeExemption.objects.filter(project__isnull=False).count())
    assert 0 < later < 20
    assert Project.objects.filter(is_demo=True, county__division_code__startswith="4505").count() == 2000 + later
    # Beside it, the example province's 钦州 portfolio, ranked with Beihai in the province's plan.
    assert Project.objects.filter(is_demo=True, county__division_code__startswith="4507").count() == 60
    from touzi.core.actor import System
    from touzi.monitoring.dashboard import build
    from touzi.plans.models import Plan

    province = build(System("test"), Plan.objects.get(key="guangxi-2021-2023"), dt.date(2023, 6, 1), with_alerts=False)
    assert {r.label for r in province.breakdowns["city"]} == {"北海市", "钦州市"}
    totals = portfolio_totals()
    for year, target in MAJOR_TARGETS.items():
        assert totals["major"][year] == pytest.approx(target, rel=0.10), year
        assert 100 <= Membership.objects.filter(collection__key="major-list", year=year).count() <= 400
    for domain, (goal, outcome) in DOMAIN_GOALS.items():
        assert totals["domains"][domain] == pytest.approx(goal * outcome, rel=0.03), domain
    owner = User.objects.get(username="owner")
    assert visible_projects(owner).filter(name="北海北部湾国际机场", domain__key="aviation").exists()
    # The supervision and briefing pages have something to show: a task in each state, answered by the demo
    # account of its unit; November's briefing 印发 with its number, December's a draft.
    from touzi.briefings.models import BriefingRecord
    from touzi.supervision.models import SupervisionTask

    tasks = SupervisionTask.objects.all()
    assert sorted(tasks.values_list("status", flat=True)) == ["closed", "issued", "rectified", "rectifying",
                                                               "returned"]
    assert all(t.warning_key.endswith(":2023-12") and t.project_id for t in tasks)
    assert {t.responsible_unit_id for t in tasks} <= set(User.objects.filter(
        username__in=("bureau", "county", "county2", "owner")).values_list("unit_id", flat=True))
    briefings = dict(BriefingRecord.objects.values_list("month", "status"))
    assert briefings == {dt.date(2023, 11, 1): "published", dt.date(2023, 12, 1): "draft"}
    assert BriefingRecord.objects.get(status="published").number
    # The import page has a refused workbook to show, with a line for each mistake and nothing written.
    from touzi.imports.models import ImportBatch

    batch = ImportBatch.objects.get(original_name="合浦县2023年12月月报.xlsx")
    assert batch.status == "refused" and batch.uploaded_by == User.objects.get(username="county")
    assert {e["message"]["code"] for e in batch.errors} == {
        "reports.amount_negative", "imports.unknown_code", "imports.period", "imports.not_yours"}
    assert batch.summary["errors"] == 4 and batch.committed_at is None
    before = _row_counts()
    ensure_demo()
    assert _row_counts() == before
