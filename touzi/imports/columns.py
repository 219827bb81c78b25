"""The columns of the two templates, with the header spellings real sheets use."""

from __future__ import annotations

from touzi.lib.xlsx import Column
from touzi.projects.choices import FundingSource

REPORT_COLUMNS = [
    Column("code", ("项目代码", "项目编码", "代码", "统一项目代码")),
    Column("name", ("项目名称", "名称"), required=False),
    Column("period", ("报告期", "报告期(YYYY-MM)", "月份", "填报月份", "报告月份")),
    Column("amount", ("本月完成投资", "本月完成投资(万元)", "当月完成投资", "本月投资", "完成投资")),
    Column("progress", ("形象进度", "工程形象进度", "项目进展"), required=False),
    Column("problems", ("存在问题", "问题", "存在的问题", "困难和问题"), required=False),
]

FUNDING_HEADERS = {
    FundingSource.CENTRAL_BUDGET: ("中央预算内投资", "中央预算内"),
    FundingSource.SPECIAL_BONDS: ("专项债券", "地方政府专项债券", "专项债"),
    FundingSource.GENERAL_BONDS: ("一般债券", "地方政府一般债券"),
    FundingSource.FISCAL: ("财政资金",),
    FundingSource.BANK_LOANS: ("银行贷款",),
    FundingSource.SELF_RAISED: ("企业自筹", "自筹资金", "自筹"),
    FundingSource.SOCIAL_CAPITAL: ("社会资本", "社会资本(PPP)", "PPP"),
    FundingSource.FOREIGN: ("外资", "利用外资"),
    FundingSource.REITS: ("REITs", "基础设施REITs"),
}

PROJECT_COLUMNS = [
    Column("code", ("项目代码", "项目编码", "统一项目代码"), required=False),
    Column("name", ("项目名称", "名称")),
    Column("domain", ("所属领域", "领域", "行业领域")),
    Column("collections", ("专项归属", "专项", "所属专项"), required=False),
    Column("county", ("县区", "所在县区", "县(区)")),
    Column("park", ("园区", "所在园区"), required=False),
    Column("owner", ("项目业主", "业主单位", "建设单位")),
    Column("lead_unit", ("牵头单位", "牵头推进单位", "责任单位"), required=False),
    Column("leader", ("责任市领导", "联系市领导", "市领导"), required=False),
    Column("total_investment", ("总投资", "总投资(万元)", "计划总投资")),
    *[Column(f"funding_{source.value}", (f"{headers[0]}(万元)", *headers), required=False)
      for source, headers in FUNDING_HEADERS.items()],
    Column("planned_start", ("计划开工", "计划开工时间", "计划开工年月"), required=False),
    Column("planned_completion", ("计划竣工", "计划竣工时间", "计划竣工年月"), required=False),
    Column("stage", ("项目阶段", "建设阶段", "阶段"), required=False),
    Column("is_government", ("政府投资项目", "政府投资"), required=False),
    Column("fiscal_contribution", ("财政出资", "财政出资(万元)", "财政资金出资"), required=False),
    Column("is_real_estate", ("房地产项目", "是否房地产"), required=False),
    Column("industry", ("行业代码", "国民经济行业", "行业(GB/T 4754)"), required=False),
    Column("occupies_farmland", ("占用耕地", "是否占用耕地"), required=False),
    Column("farmland_plan", ("耕地占补平衡方案",), required=False),
    Column("description", ("建设内容", "建设规模及内容", "主要建设内容"), required=False),
]


def canonical(columns: list[Column]) -> list[str]:
    return [c.headers[0] for c in columns]
