"""A briefing built by hand, with every part the renderer knows, for the rendering tests (no database)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from touzi.briefings.content import Briefing, Chart, Section, Table

TITLE = "关于2023年1—6月全市重大项目建设情况的通报"
SEGMENTS = ["关于", "2023年1—6月", "全市重大项目", "建设情况的通报"]
ISSUER = "北海市投资工作领导小组办公室"
MASTHEAD = "北海市投资工作领导小组办公室文件"
NUMBER = "北投办〔2023〕6号"
COPY_TO = ["市委办公室", "市人大常委会办公室", "市人民政府办公室", "市政协办公室"]
BIG = Decimal("1234567.891")


def county_table() -> Table:
    return Table(
        title="表1 各县区投资完成情况（1—6月）",
        headers=["排名", "县区", "年度计划（亿元）", "累计完成（亿元）", "完成率（%）", "与序时进度差距（百分点）", "预警"],
        rows=[
            [1, "海城区", Decimal("245.60"), BIG, Decimal("52.34"), Decimal("2.34"), "绿色"],
            [2, "银海区", Decimal("198.10"), Decimal("95.28"), Decimal("48.06"), Decimal("-1.94"), "绿色"],
            [3, "铁山港区", Decimal("310.00"), None, None, None, None],
        ],
        note="序时进度50.0%。",
        key="counties",
    )


def sample(version: int = 1) -> Briefing:
    counties = county_table()
    lagging = Table(
        title="附表2 未按计划推进的项目（1—6月）",
        headers=["项目名称", "责任单位", "完成投资(亿元)", "备注"],
        rows=[
            ["北海港铁山港西港区北暮作业区南4号5号泊位", "铁山港区", Decimal("3.5"), "=SUM(A1)"],
            ["银海区滨海大道改造", "银海区", Decimal("-1.25"), "+86 0779"],
        ],
        note="单位:亿元",
        key="lagging",
        sheet="附表2 未按计划推进的项目",
    )
    chart = Chart(
        title="图1 各县区重大项目投资完成率",
        labels=["海城区", "银海区", "铁山港区", "合浦县"],
        series=[("完成率", [52.3, 48.1, None, 61.0]), ("上年同期", [50.0, 45.0, 40.0, 58.5])],
        unit="%",
        reference=("序时进度", 50.0),
    )
    sections = [
        Section(
            heading="总体情况",
            paragraphs=["1—6月,全市重大项目完成投资1234567.89亿元,完成年度计划的50.6%,超序时进度0.6个百分点。"],
            charts=[chart],
            children=[
                Section(
                    heading="各县区",
                    run_in=True,
                    paragraphs=["海城区完成率高于序时进度,银海区低于序时进度1.9个百分点。"],
                    tables=[counties],
                    children=[Section(heading="海城区", run_in=True, paragraphs=["海城区完成投资进度较快。"])],
                ),
                Section(heading="分领域情况", paragraphs=["产业项目完成投资占比过半。"]),
            ],
        ),
        Section(heading="存在问题", paragraphs=["部分项目前期工作推进缓慢。", "个别县区入库项目不足。"]),
        Section(heading="下一步工作", paragraphs=["各县区要对照年度目标,倒排工期,确保完成全年任务。"]),
    ]
    return Briefing(
        title=TITLE,
        title_segments=SEGMENTS,
        number=NUMBER,
        recipients="各县区人民政府，市直各有关单位：",
        opening=["现将2023年1—6月全市重大项目建设情况通报如下："],
        sections=sections,
        issuer=ISSUER,
        date=datetime.date(2023, 7, 10),
        annex_note="附件：2023年1—6月全市重大项目建设情况统计表",
        version=version,
        change_note="附表2铁山港区完成投资更正为待核实。\n合计数相应调整。" if version > 1 else "",
        masthead=MASTHEAD,
        closing="特此通报。",
        copy_to=COPY_TO,
        printed_by=ISSUER,
        printed_on=datetime.date(2023, 7, 11),
        annex=[counties, lagging],
    )
