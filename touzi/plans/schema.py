"""The plan file format (touzi-plan/1) as typed models; docs/plan-format.md describes it for people."""

from __future__ import annotations

import re
import string
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=64)]
Ref = Annotated[str, Field(pattern=r"^@?[a-z0-9][a-z0-9.-]*$", max_length=65)]

PERIOD_RE = re.compile(r"^(?:(?P<year>\d{4})|(?P<each>each )?(?P<start>\d{4})-(?P<end>\d{4})|end (?P<at>\d{4}))$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Region(Strict):
    code: Annotated[str, Field(pattern=r"^\d{6}$")]
    name: str
    # 省 / 市 / 县: the briefing says 全省·各市, 全市·各县区 or 全县·各乡镇. Without it, the code decides
    # (GB/T 2260: xx0000 a province, xxxx00 a city, anything else a county).
    level: Literal["province", "city", "county"] | None = None


class PlanHeader(Strict):
    key: Key
    name: str
    name_en: str = ""
    region: Region
    start_year: Annotated[int, Field(ge=1990, le=2100)]
    end_year: Annotated[int, Field(ge=1990, le=2100)]
    issuer: str = ""
    source_title: str = ""
    combine_jan_feb: bool = True
    office_unit: Key


class UnitSpec(Strict):
    key: Key
    name: str
    short_name: str = ""
    name_en: str = ""
    kind: Literal["bureau", "city", "county", "park", "office", "bank", "enterprise", "other"]
    division_code: Annotated[str, Field(pattern=r"^\d{6}$")] | None = None
    # The region the unit answers for (its own division for a county; the plan's region when left out).
    region: Annotated[str, Field(pattern=r"^\d{6}$")] | None = None
    parent: Key | None = None
    aliases: list[str] = []


class UnitGroupSpec(Strict):
    key: Key
    name: str
    members: list[Key]


class DomainSpec(Strict):
    key: Key
    name: str
    name_en: str = ""
    children: list[DomainSpec] = []


class CollectionSpec(Strict):
    key: Key
    name: str
    name_en: str = ""


class GroupSpec(Strict):
    key: Key
    kind: Literal["office", "subgroup"]
    name: str
    name_en: str = ""
    host_units: list[Ref]
    domains: list[Key] = []


class TaskSpec(Strict):
    key: Annotated[str, Field(pattern=r"^[0-9a-z][0-9a-z.-]*$", max_length=32)]
    number: str
    title: str
    title_en: str = ""
    lead_units: list[Ref] = []
    cooperating_units: list[Ref] = []
    quote: str = ""


class IndicatorSpec(Strict):
    key: Key
    name: str
    name_en: str = ""
    unit: str
    reported_by: Key
    frequency: Literal["monthly", "quarterly", "annual"]


class ScopeSpec(Strict):
    kind: Literal["overall", "domain", "collection", "county", "unit"]
    key: Ref | None = None


class MeasureSpec(Strict):
    source: Literal["ledger", "indicator", "rule", "promotion", "financing"]
    domain: Key | None = None
    collection: Key | None = None
    county: Key | None = None
    unit: Key | None = None
    indicator: Key | None = None
    base_indicator: Key | None = None
    figure: Key | None = None  # source financing: which figure (touzi.financing.choices.Figure)


class TargetSpec(Strict):
    key: Key
    area: Literal["overall", "domain", "financing", "promotion", "governance"]
    name: str
    name_en: str = ""
    task: str | None = None
    scope: ScopeSpec
    metric: Literal["investment", "growth", "amount", "share", "count", "area", "threshold"]
    period: str
    comparator: Literal[">=", ">", "=", "<=", "<"]
    value: Decimal
    unit: str
    measure: MeasureSpec
    lead_units: list[Ref] | None = None
    cooperating_units: list[Ref] | None = None
    quote: str

    @field_validator("period", mode="before")
    @classmethod
    def _period_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("period")
    @classmethod
    def _period_form(cls, value: str) -> str:
        if not PERIOD_RE.match(value):
            raise ValueError("期间格式应为 2021、2021-2023、each 2021-2023 或 end 2023")
        return value

    @field_validator("value", mode="before")
    @classmethod
    def _exact_value(cls, value: object) -> object:
        # YAML floats go through their text so 0.4 stays 0.4, never 0.4000000000000000222.
        if isinstance(value, float):
            return str(value)
        return value


NUMBER_FIELDS = {"year", "seq"}


class RequirementSpec(Strict):
    """One standing requirement of 下一步工作要求: a run-in heading and its sentence(s)."""

    heading: Annotated[str, Field(min_length=1, max_length=40)]
    text: Annotated[str, Field(min_length=1, max_length=600)]


class BriefingSpec(Strict):
    """How the monthly 通报 is issued (GB/T 9704-2012 版头, 主送, 版记); every field may be left out."""

    issuer: str = ""  # 发文机关署名; default: the office group's name with the region's
    masthead: str = ""  # 发文机关标志, printed in red; default: the issuer followed by 文件
    number: str = ""  # 发文字号 or 期号, with {year} and {seq} (the month): 北投办〔{year}〕{seq}号
    recipients: list[Annotated[str, Field(min_length=1, max_length=60)]] = []  # 主送机关, in order
    copy_to: list[Annotated[str, Field(min_length=1, max_length=60)]] = []  # 抄送机关, in order
    printed_by: str = ""  # 印发机关; default: the issuer
    requirements: list[RequirementSpec] = []  # standing 下一步工作要求, printed every month
    # What the plan calls the projects on its list (重大项目, 重点项目); default: from the list's name.
    term: Annotated[str, Field(max_length=8)] = ""
    # The region's words when its level's defaults do not fit (an autonomous region says 全区 · 各市 · 区直).
    whole: Annotated[str, Field(max_length=8)] = ""  # 全市 / 全省 / 全区
    parts: Annotated[str, Field(max_length=8)] = ""  # 各县区 / 各市
    direct: Annotated[str, Field(max_length=8)] = ""  # 市直 / 省直 / 区直

    @field_validator("number")
    @classmethod
    def _number_fields(cls, value: str) -> str:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            raise ValueError(f"发文字号格式无效:{exc}") from exc
        unknown = names - NUMBER_FIELDS
        if unknown:
            raise ValueError(f"发文字号只能使用 {{year}} 和 {{seq}},不能使用 {{{', '.join(sorted(unknown))}}}")
        return value


class PlanFile(Strict):
    format: Literal["touzi-plan/1"]
    plan: PlanHeader
    units: list[UnitSpec]
    unit_groups: list[UnitGroupSpec] = []
    domains: list[DomainSpec] = []
    collections: list[CollectionSpec] = []
    groups: list[GroupSpec] = []
    tasks: list[TaskSpec] = []
    indicators: list[IndicatorSpec] = []
    targets: list[TargetSpec]
    briefing: BriefingSpec = BriefingSpec()


def parse_period(text: str) -> tuple[str, int, int]:
    """'2021' → (year, 2021, 2021); '2021-2023' → (range, …); 'each …' → each; 'end 2023' → end."""
    match = PERIOD_RE.match(text)
    if not match:
        raise ValueError(text)
    if match["year"]:
        year = int(match["year"])
        return "year", year, year
    if match["at"]:
        year = int(match["at"])
        return "end", year, year
    return ("each" if match["each"] else "range"), int(match["start"]), int(match["end"])
