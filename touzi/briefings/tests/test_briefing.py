"""The monthly briefing: its figures are the dashboard's; publishing freezes them; corrections are new versions."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from touzi.briefings.freeze import from_json
from touzi.briefings.models import BriefingRecord
from touzi.briefings.services import generate, publish
from touzi.core.actor import System
from touzi.lib.errors import BusinessError, Forbidden
from touzi.monitoring.dashboard import build
from touzi.plans.models import Collection
from touzi.projects.models import AnnualPlan, Membership
from touzi.reports.bulk import load_ledger
from touzi.reports.counted import refresh
from touzi.reports.models import MonthlyReport
from touzi.testing import client_for

pytestmark = pytest.mark.django_db
JUNE = dt.date(2021, 6, 1)


@pytest.fixture
def ledger(projects):
    major = Collection.objects.get(key="major-list")
    for p in projects.values():
        Membership.objects.create(project=p, collection=major, year=2021)
        AnnualPlan.objects.create(project=p, year=2021, planned_investment=Decimal("6000"))
        for month in (2, 4, 6):
            load_ledger([MonthlyReport(
                project=p, month=dt.date(2021, month, 1), amount=Decimal("500"), status="accepted"
            )], actor=System("test"))
    return projects


def _table(content, key):
    return next(t for t in content.annex_tables() if t.key == key)


def _text(content) -> str:
    return "\n".join(p for top in content.sections for s in top.walk() for p in s.paragraphs)


def test_the_briefing_reads_in_the_order_of_a_tongbao(ledger, olive, mini_plan) -> None:
    content = from_json(generate(mini_plan, JUNE, actor=olive).content)
    assert content.title == "关于2021年1—6月全市重大项目建设情况的通报"
    assert [s.heading for s in content.sections] == [
        "总体情况", "各县区、园区和牵头单位推进情况", "重点领域和重大项目推进情况", "存在问题", "下一步工作要求"]
    assert content.sections[0].paragraphs[0] == (
        "列入2021年年度重大项目清单的项目共3个，总投资17.80亿元，项目年度投资计划合计1.80亿元。"
        "1—6月累计完成投资0.45亿元，完成年度目标500亿元的0.1%，低于序时进度49.9个百分点（序时进度50.0%）。")
    assert content.closing == "特此通报。"
    # The annex holds every table in full, numbered in order; the body tables are short ones.
    assert [t.title.split(" ")[0] for t in content.annex] == [f"附表{n}" for n in range(1, len(content.annex) + 1)]


def test_laggards_are_named_with_their_gap_and_level(ledger, olive, mini_plan) -> None:
    content = from_json(generate(mini_plan, JUNE, actor=olive).content)
    text = _text(content)
    assert "甲县（低于序时进度25.0个百分点）" in text and "红色预警2个" in text
    counties = _table(content, "counties")
    assert counties.rows[0][1:] == ["甲县", Decimal("1.20"), Decimal("0.30"), Decimal("25.00"), Decimal("-25.00"),
                                    Decimal("0.00"), None, "红色"]
    assert "甲县、乙区2个县区，甲县园区1个园区，市工业和信息化局、市发展改革委2个牵头单位投资完成率低于序时进度较多" in text
    parks = _table(content, "parks")
    assert [row[1] for row in parks.rows] == ["甲县园区"]


def test_the_prose_has_no_clauses_about_nothing_and_every_section_says_something(ledger, olive, mini_plan) -> None:
    content = from_json(generate(mini_plan, JUNE, actor=olive).content)
    text = _text(content)
    assert not re.search(r"(?<![0-9.])0个|0项(?!目)", text), text  # 计划开工未开工的0个 and the like
    assert "见表" not in text
    for top in content.sections:
        assert any(s.paragraphs for s in top.walk()), top.heading
    for table in content.tables():
        assert table.rows, table.title


def test_every_number_equals_the_dashboards(ledger, olive, mini_plan) -> None:
    content = from_json(generate(mini_plan, JUNE, actor=olive).content)
    board = build(olive, mini_plan, JUNE)
    counties = {row[1]: row for row in _table(content, "counties").rows}
    for expected in board.breakdowns["county"]:
        row = counties[expected.label]
        assert row[3] == (expected.ytd / 10000).quantize(Decimal("0.01"))
        assert row[4] == expected.completion
        assert row[5] == expected.completion - Decimal("50.00")
    domains = {r[0]: r for r in _table(content, "domains").rows}
    for figure in board.figures:
        if figure.target.name in domains:
            assert domains[figure.target.name][3] == figure.attainment
    overview = {r[0]: r[1] for r in _table(content, "overview").rows}
    headline = board.headline.figure
    assert overview["完成年度目标"] == headline.attainment and overview["与序时进度差距"] == headline.gap


def test_the_prose_quotes_the_annex_tables(ledger, olive, mini_plan) -> None:
    content = from_json(generate(mini_plan, JUNE, actor=olive).content)
    text = _text(content)
    overview = {r[0]: r[1] for r in _table(content, "overview").rows}
    assert f"完成年度目标500亿元的{overview['完成年度目标'].quantize(Decimal('0.1'))}%" in text
    assert f"低于序时进度{abs(overview['与序时进度差距']).quantize(Decimal('0.1'))}个百分点" in text
    body = {r[1]: r for t in content.tables() if t.headers[:2] == ["排名", "县区"] for r in t.rows}
    assert body == {r[1]: [*r[:6], *r[7:]] for r in _table(content, "counties").rows}


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
    content = from_json(generate(mini_plan, JUNE, actor=olive).content)
    rows = _table(content, "big_projects").rows
    assert [r[0] for r in rows] == ["乙区铁路专用线"]  # 12 亿元; the others are below 10 亿元
    assert "全市总投资10亿元以上项目1个，总投资12.00亿元" in _text(content)


def test_publishing_freezes_the_figures_and_a_correction_says_what_changed(ledger, olive, mini_plan) -> None:
    first = publish(generate(mini_plan, JUNE, actor=olive), actor=olive)
    first.refresh_from_db()
    frozen = first.content
    MonthlyReport.objects.filter(project=ledger["plant"], month=JUNE).update(amount=Decimal("900"))
    refresh(MonthlyReport.objects.filter(project=ledger["plant"], month=JUNE).values_list("project_id", flat=True))  # behind the acts
    first.refresh_from_db()
    assert first.content == frozen  # the published version keeps its numbers
    with pytest.raises(BusinessError):
        publish(first, actor=olive)
    second = generate(mini_plan, JUNE, actor=olive)
    assert second.version == 2 and second.status == "draft"
    assert "附表2「甲县」累计完成（亿元）：0.30 → 0.34" in second.change_note
    assert "附表2「甲县」完成率（%）：25.0 → 28.3" in second.change_note
    assert from_json(second.content).change_note == second.change_note


def test_only_the_office_generates_and_publishes(ledger, aaron, olive, mini_plan) -> None:
    with pytest.raises(Forbidden):
        generate(mini_plan, JUNE, actor=aaron)
    draft = generate(mini_plan, JUNE, actor=olive)
    with pytest.raises(Forbidden):
        publish(draft, actor=aaron)


def test_drafts_are_the_offices_and_published_briefings_everyones(ledger, olive, aaron, mini_plan) -> None:
    draft = generate(mini_plan, JUNE, actor=olive)
    assert client_for(aaron).get(reverse("briefing-detail", args=[draft.pk])).status_code == 404
    publish(draft, actor=olive)
    assert client_for(aaron).get(reverse("briefing-detail", args=[draft.pk])).status_code == 200
    assert client_for(None).get(reverse("briefing-detail", args=[draft.pk])).status_code == 302
    assert client_for(aaron).post(reverse("briefing-generate"), {"month": "2021-06"}).status_code == 403


def test_the_documents_carry_the_same_numbers(ledger, olive, mini_plan) -> None:
    import docx
    from openpyxl import load_workbook

    item = generate(mini_plan, JUNE, actor=olive)
    client = client_for(olive)
    word = docx.Document(io.BytesIO(client.get(reverse("briefing-file", args=[item.pk, "docx"])).content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "1—6月累计完成投资0.45亿元" in text
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


def test_an_english_speaking_office_still_gets_a_chinese_document(ledger, olive, mini_plan) -> None:
    from django.utils import translation

    with translation.override("en"):
        content = from_json(generate(mini_plan, JUNE, actor=olive).content)
    lagging = _table(content, "lagging")
    assert {row[0] for row in lagging.rows} == {"投资进度滞后于年度计划"}
    assert "County A" not in str(content.annex) and "甲县" in str(content.annex)


def test_the_page_shows_the_masthead_and_every_numbered_part(ledger, olive, mini_plan) -> None:
    item = generate(mini_plan, JUNE, actor=olive)
    page = client_for(olive).get(reverse("briefing-detail", args=[item.pk])).content.decode()
    assert "测试市领导小组办公室文件" in page and "特此通报。" in page
    for heading in ("一、总体情况", "（一）各县区", "五、下一步工作要求"):
        assert heading in page
