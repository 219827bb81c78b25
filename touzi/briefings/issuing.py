"""How a plan issues its monthly 通报: the plan file's `briefing:` section with its defaults.

The 版头 (masthead and number), the 主送 and 版记 (抄送, 印发机关), the standing 下一步工作要求 and the
words that depend on the region's level (全市 · 各县区 · 市直, or 全省 · 各市 · 省直) all come from the
plan, never from the code; a plan file written before the section existed gets the defaults below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from touzi.monitoring.sets import headline_target
from touzi.plans.choices import GroupKind
from touzi.plans.models import Plan

__all__ = ["LEVEL_WORDS", "Issuing", "LevelWords", "draft_number", "issuer_of", "issuing", "number_for"]

DRAFT_MARK = "〔草稿〕"


@dataclass(frozen=True)
class LevelWords:
    whole: str  # 全市: the region as a whole
    parts: str  # 各县区: its subdivisions
    direct: str  # 市直: the region's own departments
    government: str  # 人民政府 of the subdivisions, for the default 主送


LEVEL_WORDS = {
    "province": LevelWords("全省", "各市", "省直", "各市人民政府"),
    "city": LevelWords("全市", "各县区", "市直", "各县区人民政府"),
    "county": LevelWords("全县", "各乡镇", "县直", "各乡镇人民政府"),
}


@dataclass(frozen=True)
class Issuing:
    issuer: str  # 发文机关署名
    masthead: str  # 发文机关标志
    number_pattern: str  # with {year} and {seq}
    recipients: tuple[str, ...]
    copy_to: tuple[str, ...]
    printed_by: str
    requirements: tuple[tuple[str, str], ...]  # (heading, text)
    words: LevelWords
    term: str = "重大项目"  # what the plan calls its listed projects (重大项目, 重点项目)

    @property
    def recipients_line(self) -> str:
        """主送机关 as printed: names separated by full-width commas, then a full-width colon."""
        return "，".join(self.recipients) + "：" if self.recipients else ""


def issuer_of(plan: Plan) -> str:
    """The leadership group office's name with the region's in front (市投资工作领导小组办公室 → 北海市…)."""
    office = plan.work_groups.filter(kind=GroupKind.OFFICE).first()
    name = office.name if office else "投资工作领导小组办公室"
    return name if name.startswith(plan.region_name) else plan.region_name + name.removeprefix("市")


def _default_pattern(plan: Plan) -> str:
    return f"{plan.region_name[:2]}{settings.BRIEFING_ISSUER_SHORT}〔{{year}}〕{{seq}}号"


def issuing(plan: Plan) -> Issuing:
    spec = plan.briefing or {}
    defaults = LEVEL_WORDS.get(plan.level, LEVEL_WORDS["city"])
    parts = spec.get("parts") or defaults.parts
    words = LevelWords(whole=spec.get("whole") or defaults.whole, parts=parts,
                       direct=spec.get("direct") or defaults.direct,
                       government=f"{parts}人民政府" if spec.get("parts") else defaults.government)
    issuer = spec.get("issuer") or issuer_of(plan)
    recipients = spec.get("recipients") or [words.government, f"{words.direct}各有关单位"]
    return Issuing(
        issuer=issuer,
        masthead=spec.get("masthead") or f"{issuer}文件",
        number_pattern=spec.get("number") or _default_pattern(plan),
        recipients=tuple(recipients),
        copy_to=tuple(spec.get("copy_to") or ()),
        printed_by=spec.get("printed_by") or issuer,
        requirements=tuple((r["heading"], r["text"]) for r in spec.get("requirements") or ()),
        words=words,
        term=spec.get("term") or term_of(plan),
    )


def term_of(plan: Plan) -> str:
    """重点项目 when the plan's list is called so (年度重点项目清单), else 重大项目."""
    target = headline_target(plan, plan.end_year) or headline_target(plan, plan.start_year)
    name = target.measure_collection.name if target is not None and target.measure_collection is not None else ""
    return "重点项目" if "重点项目" in name else "重大项目"


def number_for(pattern: str, month: dt.date, version: int = 1) -> str:
    """The 发文字号 of a published month: 北投办〔2023〕6号; a corrected version says which it is."""
    number = pattern.format(year=month.year, seq=month.month)
    return number + (f"（第{version}版）" if version > 1 else "")


def draft_number(pattern: str) -> str:
    """What a draft shows where the number will be: the organ's prefix and 〔草稿〕 (北投办〔草稿〕)."""
    prefix = pattern.split("〔", 1)[0] if "〔" in pattern else ""
    if "{" in prefix:  # a number such as 第{seq}期 has no prefix to keep
        prefix = ""
    return prefix + DRAFT_MARK
