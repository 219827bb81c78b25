"""The plan file's `assessment:` section (docs/plan-format.md): one scheme per set of years.

```yaml
assessment:
  - key: counties
    name: 县区重大项目建设考核
    years: [2021, 2022, 2023]
    units: ["@counties", industry]
    indicators:
      - {key: attainment, source: attainment, weight: 40, rule: linear, low: 60, high: 100}
      - {key: approvals, source: approvals_on_time, weight: 20, rule: pass, threshold: 90}
      - {key: promotion, source: promotion_honoured, weight: 20, rule: rank, step: 10}
    bonus:
      cap: 5
      rules: [{indicator: attainment, above: 100, per: 5, points: 1, cap: 3}]
    deductions:
      cap: 10
      rules: [{source: supervision_overdue, points: 1, cap: 5}]
```
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from touzi.assessment.choices import DeductionSource, Rule, Source

Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)]
Ref = Annotated[str, Field(pattern=r"^@?[a-z0-9][a-z0-9.-]*$", max_length=65)]
Points = Annotated[Decimal, Field(ge=0, le=1000, decimal_places=2)]


def _exact(value: object) -> object:
    return str(value) if isinstance(value, float) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _floats_exact(cls, value: object) -> object:
        # YAML floats through their text: 0.5 stays 0.5.
        return _exact(value)


class IndicatorSpec(_Strict):
    key: Key
    name: str = ""  # default: the source's name
    source: Source
    weight: Points
    rule: Rule
    low: Decimal | None = None  # linear: raw at or below → 0 (above it when lower is better)
    high: Decimal | None = None  # linear: raw at or above → 100
    threshold: Decimal | None = None  # pass: raw at or above → 100, else 0
    step: Points | None = None  # rank: 100 for the first, step less for each place below
    floor: Points = Decimal(0)  # rank: the least a measured unit scores
    lower_is_better: bool = False  # rank and pass
    when_empty: Literal["full", "zero"] = "full"  # no record to judge (no approval due): full marks or none

    @model_validator(mode="after")
    def _rule_fields(self) -> IndicatorSpec:
        if self.rule == Rule.LINEAR and (self.low is None or self.high is None or self.low == self.high):
            raise ValueError(f"指标 {self.key}: 区间线性(linear)需要不同的 low 和 high")
        if self.rule == Rule.PASS and self.threshold is None:
            raise ValueError(f"指标 {self.key}: 达标制(pass)需要 threshold")
        if self.rule == Rule.RANK and self.step is None:
            raise ValueError(f"指标 {self.key}: 按名次(rank)需要 step")
        return self


class BonusRule(_Strict):
    indicator: Key
    above: Decimal  # raw above this earns points
    per: Decimal | None = None  # points for each full `per` above; None: `points` once
    points: Points
    cap: Points | None = None


class Bonus(_Strict):
    cap: Points | None = None
    rules: list[BonusRule] = []


class DeductionRule(_Strict):
    source: DeductionSource
    points: Points  # per record
    cap: Points | None = None


class Deductions(_Strict):
    cap: Points | None = None
    rules: list[DeductionRule] = []


class PppRewards(_Strict):
    """The plan's PPP performance rewards (每个获得自治区奖励的县区奖励40万元 …): amounts per commended county."""

    fiscal: Decimal = Decimal(0)  # 万元
    bond_quota: Decimal = Decimal(0)  # 万元 of special-bond quota
    quote: str = ""
    # The region's list of commended counties (自治区PPP工作绩效考评通报表扬), by year: unit keys.
    commended: dict[Annotated[int, Field(ge=1990, le=2100)], list[str]] = {}


class SchemeSpec(_Strict):
    key: Key
    name: str
    years: list[Annotated[int, Field(ge=1990, le=2100)]]
    units: list[Ref]
    indicators: list[IndicatorSpec]
    bonus: Bonus = Bonus()
    deductions: Deductions = Deductions()
    ppp_rewards: PppRewards | None = None
    quote: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> SchemeSpec:
        keys = [i.key for i in self.indicators]
        if len(keys) != len(set(keys)):
            raise ValueError(f"考核方案 {self.key}: 指标标识重复")
        total = sum((i.weight for i in self.indicators), Decimal(0))
        if total != 100:
            raise ValueError(f"考核方案 {self.key}: 指标权重之和应为 100,现为 {total}")
        for rule in self.bonus.rules:
            if rule.indicator not in keys:
                raise ValueError(f"考核方案 {self.key}: 加分规则引用了未知指标 {rule.indicator!r}")
        return self


def parse_section(value: Any) -> list[SchemeSpec]:
    """The section as schemes; raises pydantic's ValidationError."""
    if not isinstance(value, list):
        raise ValueError("assessment 应为考核方案的列表")
    return [SchemeSpec.model_validate(item) for item in value]


def check_section(value: Any, spec: Any, units: set[str]) -> list[tuple[tuple[Any, ...], str]]:
    """Problems of the section, each with its place inside it (touzi.plans.sections)."""
    if not isinstance(value, list):
        return [((), "assessment 应为考核方案的列表")]
    problems: list[tuple[tuple[Any, ...], str]] = []
    groups = {g.key for g in spec.unit_groups}
    seen: set[str] = set()
    for index, item in enumerate(value):
        try:
            scheme = SchemeSpec.model_validate(item)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(p) for p in error["loc"])
                message = error["msg"].removeprefix("Value error, ")
                problems.append(((index, *error["loc"]), f"assessment.{index}.{where}: {message}"
                                 if where else f"assessment.{index}: {message}"))
            continue
        if scheme.key in seen:
            problems.append(((index, "key"), f"考核方案标识 {scheme.key!r} 重复"))
        seen.add(scheme.key)
        for j, ref in enumerate(scheme.units):
            known = ref[1:] in groups if ref.startswith("@") else ref in units
            if not known:
                problems.append(((index, "units", j), f"未知的单位 {ref!r}"))
        if scheme.ppp_rewards is not None:
            for year, keys in scheme.ppp_rewards.commended.items():
                for j, key in enumerate(keys):
                    if key not in units:
                        problems.append(((index, "ppp_rewards", "commended", year, j), f"未知的单位 {key!r}"))
        for year in scheme.years:
            if not spec.plan.start_year <= year <= spec.plan.end_year:
                problems.append(((index, "years"), f"考核年度 {year} 不在方案期内"))
    return problems
