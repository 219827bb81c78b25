"""The pipeline's rules as data (data/pipeline.yaml): the maturity criteria and weights, the 前期工作 milestones
by project type, the months after a start within which a project must be 入库. Read once, cached."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import get_language

RULES_FILE = Path(__file__).parent / "data" / "pipeline.yaml"
LEVELS = (0, 1, 2)  # 未开展 / 部分完成 / 已完成


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    name_en: str
    weight: int

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name


@dataclass(frozen=True)
class MilestoneKind:
    key: str
    name: str
    name_en: str
    before_start: bool
    months_before: int
    unit: str

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name


@dataclass(frozen=True)
class Rules:
    criteria: tuple[Criterion, ...]
    accept_at: Decimal
    watch_at: Decimal
    register_within_months: int
    county_fund_target: str
    milestones: dict[str, tuple[MilestoneKind, ...]]


def _parse(raw: dict[str, Any]) -> Rules:
    maturity = raw["maturity"]
    criteria = tuple(Criterion(c["key"], c["name"], c.get("name_en", ""), int(c["weight"]))
                     for c in maturity["criteria"])
    if not criteria or any(c.weight <= 0 for c in criteria):
        raise ValueError("maturity criteria need positive weights")
    milestones = {kind: tuple(MilestoneKind(m["key"], m["name"], m.get("name_en", ""), bool(m["before_start"]),
                                            int(m.get("months_before", 0)), m.get("unit") or "")
                              for m in items)
                  for kind, items in raw["milestones"].items()}
    return Rules(criteria, Decimal(str(maturity["accept_at"])), Decimal(str(maturity["watch_at"])),
                 int(raw["register_within_months"]), str(raw.get("county_fund_target", "")), milestones)


@cache
def rules() -> Rules:
    return _parse(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")))


def maturity_score(ratings: dict[str, int], criteria: tuple[Criterion, ...] | None = None) -> Decimal:
    """成熟度 0–100: 100 × Σ(weight × rating) ÷ (2 × Σ weight); a criterion not rated counts 0."""
    criteria = criteria if criteria is not None else rules().criteria
    total = sum(c.weight for c in criteria)
    earned = sum(c.weight * int(ratings.get(c.key, 0)) for c in criteria)
    return (Decimal(100 * earned) / Decimal(2 * total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def suggestion(score: Decimal) -> str:
    """The outcome the score suggests (the office decides)."""
    from touzi.pipeline.choices import ConceptStatus

    found = rules()
    if score >= found.accept_at:
        return ConceptStatus.ACCEPTED
    return ConceptStatus.WATCH if score >= found.watch_at else ConceptStatus.RETURNED


def project_type(is_government: bool) -> str:
    return "government" if is_government else "enterprise"
