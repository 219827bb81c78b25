"""The monthly briefing: its figures are the dashboard's; publishing freezes them; corrections are new versions."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from touzi.briefings.freeze import from_json
from touzi.briefings.models import BriefingRecord
from touzi.briefings.services import generate, publish
from touzi.conftest import client_for
from touzi.lib.errors import BusinessError, Forbidden
from touzi.monitoring.dashboard import build
from touzi.plans.models import Collection
from touzi.projects.models import AnnualPlan, Membership
from touzi.reports.models import MonthlyReport

pytestmark = pytest.mark.django_db
JUNE = dt.date(2021, 6, 1)


@pytest.fixture
def ledger(projects):
    major = Collection.objects.get(key="major-list")
    for p in projects.values():
        Membership.objects.create(project=p, collection=major, year=2021)
        AnnualPlan.objects.create(project=p, year=2021, planned_investment=Decimal("6000"))
        for month in (2, 4, 6):
            MonthlyReport.objects.create(
                project=p, month=dt.date(2021, month, 1), amount=Decimal("500"), status="accepted"
            )
    return projects


def _table(content, key):
    return next(t for t in content.tables() if t.key == key)


def test_the_briefing_reads_in_the_order_of_a_tongbao(ledger, olive, mini_plan) -> None:
    content = from_json(generate(mini_plan, JUNE, acting_user=olive).content)
    assert content.title == "关于2021年1—6月全市重大项目建设情况的通报"
    assert [s.heading for s in content.sections] == [
        "全市重大项目投资完成情况",
        "重点领域投资完成情况",
        "各县区(园区)投资完成情况",
        "10亿元以上项目进展情况",
        "专项项目推进情况",
        "未按计划推进的项目",
        "督办事项落实情况",
        "投融资和招商引资指标",
    ]
    overall = content.sections[0].paragraphs[0]
    # The plan's target and the listed projects' own annual plans are two figures, each named.
    assert overall.startswith(
        "2021年年度重大项目清单共3个项目,总投资17.80亿元,项目年度投资计划合计1.80亿元。"
        "1—6月,年度重大项目清单项目累计完成投资0.45亿元,完成年度目标500亿元的0.09%,低于序时进度49.91个百分点,"
        "完成项目年度投资计划的25.00%"
    )


def test_every_number_equals_the_dashboards(ledger, olive, mini_plan) -> None:
    content = from_json(generate(mini_plan, JUNE, acting_user=olive).content)
    board = build(olive, mini_plan, JUNE)
    counties = _table(content, "counties")
    *ranked, total = counties.rows
    for row, expected in zip(ranked, board.breakdowns["county"], strict=True):
        assert row[1] == expected.label and row[0] == expected.rank
        assert row[2] == (expected.ytd / 10000).quantize(Decimal("0.01"))
        assert row[4] == expected.completion
    assert total[1] == "合计" and total[2] == (board.totals["list"].ytd / 10000).quantize(Decimal("0.01"))
    domains = {r[0]: r for r in _table(content, "domains").rows}
    for figure in board.figures:
        if figure.target.name in domains:
            assert domains[figure.target.name][3] == figure.attainment


def test_projects_above_the_threshold_are_listed(ledger, olive, mini_plan) -> None:
    from touzi.plans.models import Target

    Target.objects.create(
        plan=mini_plan,
        key="briefing-threshold",
        area="governance",
        name="通报门槛",
        scope_kind="overall",
        metric="threshold",
        period_kind="range",
        period_start=2021,
        period_end=2023,
        comparator=">=",
        value=Decimal("10"),
        unit_of_measure="亿元",
        measure_source="rule",
        quote="10亿元以上项目",
    )
    rows = _table(from_json(generate(mini_plan, JUNE, acting_user=olive).content), "big_projects").rows
    assert [r[0] for r in rows] == ["乙区铁路专用线"]  # 12 亿元; the others are below 10 亿元


def test_publishing_freezes_the_figures_and_a_correction_says_what_changed(ledger, olive, mini_plan) -> None:
    first = publish(generate(mini_plan, JUNE, acting_user=olive), acting_user=olive)
    first.refresh_from_db()
    frozen = first.content
    MonthlyReport.objects.filter(project=ledger["plant"], month=JUNE).update(amount=Decimal("900"))
    first.refresh_from_db()
    assert first.content == frozen  # the published version keeps its numbers
    with pytest.raises(BusinessError):
        publish(first, acting_user=olive)
    second = generate(mini_plan, JUNE, acting_user=olive)
    assert second.version == 2 and second.status == "draft"
    assert "表3「甲县」本年累计完成(亿元):0.30 → 0.34" in second.change_note
    assert from_json(second.content).change_note == second.change_note


def test_only_the_office_generates_and_publishes(ledger, aaron, olive, mini_plan) -> None:
    with pytest.raises(Forbidden):
        generate(mini_plan, JUNE, acting_user=aaron)
    draft = generate(mini_plan, JUNE, acting_user=olive)
    with pytest.raises(Forbidden):
        publish(draft, acting_user=aaron)


def test_drafts_are_the_offices_and_published_briefings_everyones(ledger, olive, aaron, mini_plan) -> None:
    draft = generate(mini_plan, JUNE, acting_user=olive)
    assert client_for(aaron).get(reverse("briefing-detail", args=[draft.pk])).status_code == 404
    publish(draft, acting_user=olive)
    assert client_for(aaron).get(reverse("briefing-detail", args=[draft.pk])).status_code == 200
    assert client_for(None).get(reverse("briefing-detail", args=[draft.pk])).status_code == 302
    assert client_for(aaron).post(reverse("briefing-generate"), {"month": "2021-06"}).status_code == 403


def test_the_documents_carry_the_same_numbers(ledger, olive, mini_plan) -> None:
    import docx
    from openpyxl import load_workbook

    item = generate(mini_plan, JUNE, acting_user=olive)
    client = client_for(olive)
    word = docx.Document(io.BytesIO(client.get(reverse("briefing-file", args=[item.pk, "docx"])).content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "年度重大项目清单项目累计完成投资0.45亿元" in text
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    content = from_json(item.content)
    for row in _table(content, "counties").rows:
        assert row[1] in cells
    book = load_workbook(io.BytesIO(client.get(reverse("briefing-file", args=[item.pk, "xlsx"])).content))
    values = {c.value for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value is not None}
    for row in _table(content, "counties").rows:
        assert row[1] in values and float(row[2]) in {float(v) for v in values if isinstance(v, int | float)}


def test_the_command_writes_three_files_and_renders_a_published_version_unchanged(
    ledger, olive, mini_plan, tmp_path
) -> None:
    out = io.StringIO()
    call_command(
        "briefing", "2021-06", "--plan", "mini", "--out", str(tmp_path), "--publish", "--no-pdf", stdout=out
    )
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["briefing-2021-06-v1.docx", "briefing-2021-06-v1.xlsx"]
    before = (tmp_path / "briefing-2021-06-v1.xlsx").read_bytes()
    MonthlyReport.objects.update(amount=Decimal("700"))
    call_command(
        "briefing",
        "2021-06",
        "--plan",
        "mini",
        "--out",
        str(tmp_path / "again"),
        "--no-pdf",
        stdout=io.StringIO(),
    )
    from openpyxl import load_workbook

    def values(data: bytes) -> list:
        book = load_workbook(io.BytesIO(data))
        return [c.value for ws in book.worksheets for r in ws.iter_rows() for c in r]

    assert values((tmp_path / "again" / "briefing-2021-06-v1.xlsx").read_bytes()) == values(before)
    assert BriefingRecord.objects.count() == 1
