"""The arithmetic of an assessment, pure: raw values in, scores out (no database; tests drive it directly).

- A part's score s (0–100, to 0.01, half up): `linear` maps [low, high] onto [0, 100] (clamped; low > high
  means lower is better); `pass` gives 100 when raw ≥ threshold (≤ when lower is better), else 0; `rank`
  gives 100 to the first, `step` less for each place below (competition ranking: tied units share the place
  and the next place is skipped), never below `floor`. A unit with nothing to judge (raw None) scores 100 or
  0 as the scheme's `when_empty` says.
- Bonus (加分): per rule, `points` for each full `per` the raw value is above `above` (or `points` once when
  no `per`), capped by the rule's cap; the rules' sum capped by the scheme's cap.
- Deduction (扣分): per rule, `points` per record counted, capped by the rule's cap; the sum capped likewise.
- Manual adjustments (人工调整) are added to the bonus (positive) or the deduction (negative) outside the caps.
- The unit's score = Σ weight × s / 100 + bonus − deduction, rounded once to 0.01 (half up): the identity holds
  to 0.01 on the printed numbers. Ranks follow scores, ties share a rank (1, 1, 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from touzi.assessment.choices import Rule
from touzi.assessment.schema import BonusRule, Deductions, IndicatorSpec, SchemeSpec

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def competition_ranks(values: Mapping[Any, Decimal | None], *, descending: bool = True) -> dict[Any, int]:
    """Rank 1 for the best; equal values share a rank and the next rank skips (1, 1, 3). None is not ranked."""
    measured = [(k, v) for k, v in values.items() if v is not None]
    ranks: dict[Any, int] = {}
    for key, value in measured:
        better = sum(1 for _, other in measured if (other > value if descending else other < value))
        ranks[key] = better + 1
    return ranks


def linear(raw: Decimal, low: Decimal, high: Decimal) -> Decimal:
    share = (raw - low) / (high - low)
    return cents(min(max(share, ZERO), Decimal(1)) * HUNDRED)


def passed(raw: Decimal, threshold: Decimal, *, lower_is_better: bool = False) -> Decimal:
    ok = raw <= threshold if lower_is_better else raw >= threshold
    return HUNDRED if ok else ZERO


def by_rank(rank: int, step: Decimal, floor: Decimal = ZERO) -> Decimal:
    return cents(max(HUNDRED - step * (rank - 1), floor))


def part_scores(indicator: IndicatorSpec, raws: Mapping[Any, Decimal | None]) -> dict[Any, Decimal]:
    """The indicator's score of every unit, from every unit's raw value (ranks need them all)."""
    empty = HUNDRED if indicator.when_empty == "full" else ZERO
    out: dict[Any, Decimal] = {}
    ranks = (competition_ranks(raws, descending=not indicator.lower_is_better)
             if indicator.rule == Rule.RANK else {})
    for unit, raw in raws.items():
        if raw is None:
            out[unit] = empty
        elif indicator.rule == Rule.LINEAR:
            assert indicator.low is not None and indicator.high is not None
            out[unit] = linear(raw, indicator.low, indicator.high)
        elif indicator.rule == Rule.PASS:
            assert indicator.threshold is not None
            out[unit] = passed(raw, indicator.threshold, lower_is_better=indicator.lower_is_better)
        else:
            assert indicator.step is not None
            out[unit] = by_rank(ranks[unit], indicator.step, indicator.floor)
    return out


def capped(value: Decimal, cap: Decimal | None) -> Decimal:
    return value if cap is None else min(value, cap)


def bonus_points(rule: BonusRule, raw: Decimal | None) -> Decimal:
    if raw is None or raw <= rule.above:
        return ZERO
    times = ((raw - rule.above) / rule.per).to_integral_value(rounding=ROUND_FLOOR) if rule.per else Decimal(1)
    return cents(capped(times * rule.points, rule.cap))


def deduction_points(deductions: Deductions, counts: Mapping[str, int]) -> list[tuple[str, int, Decimal]]:
    """(source, records, points) of each rule before the scheme's cap."""
    return [(str(rule.source), counts.get(str(rule.source), 0),
             cents(capped(rule.points * counts.get(str(rule.source), 0), rule.cap))) for rule in deductions.rules]


@dataclass
class Part:
    indicator: str
    weight: Decimal
    raw: Decimal | None
    score: Decimal
    note: str = ""

    @property
    def points(self) -> Decimal:
        return self.weight * self.score / HUNDRED


@dataclass
class UnitScore:
    unit: Any
    parts: list[Part]
    bonus: Decimal = ZERO
    deduction: Decimal = ZERO
    bonus_items: list[dict[str, Any]] = field(default_factory=list)
    deduction_items: list[dict[str, Any]] = field(default_factory=list)
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    rank: int = 0

    @property
    def score(self) -> Decimal:
        return cents(sum((p.points for p in self.parts), ZERO) + self.bonus - self.deduction)


def score_units(scheme: SchemeSpec, units: Sequence[Any], raws: Mapping[str, Mapping[Any, Decimal | None]],
                counts: Mapping[Any, Mapping[str, int]] | None = None,
                adjustments: Mapping[Any, Iterable[tuple[Decimal, str]]] | None = None) -> list[UnitScore]:
    """Score every unit: `raws[indicator key][unit]`, `counts[unit][deduction source]`, `adjustments[unit]` as
    (signed points, reason). Returns them best first, ranked."""
    counts, adjustments = counts or {}, adjustments or {}
    parts = {ind.key: part_scores(ind, {u: raws.get(ind.key, {}).get(u) for u in units})
             for ind in scheme.indicators}
    results = []
    for unit in units:
        result = UnitScore(unit, [Part(ind.key, ind.weight, raws.get(ind.key, {}).get(unit), parts[ind.key][unit])
                                  for ind in scheme.indicators])
        for rule in scheme.bonus.rules:
            points = bonus_points(rule, raws.get(rule.indicator, {}).get(unit))
            if points:
                result.bonus_items.append({"indicator": rule.indicator, "points": points})
        bonus = capped(sum((i["points"] for i in result.bonus_items), ZERO), scheme.bonus.cap)
        for source, records, points in deduction_points(scheme.deductions, counts.get(unit, {})):
            if records:
                result.deduction_items.append({"source": source, "records": records, "points": points})
        deduction = capped(sum((i["points"] for i in result.deduction_items), ZERO), scheme.deductions.cap)
        for points, reason in adjustments.get(unit, ()):
            result.adjustments.append({"points": cents(points), "reason": reason})
            if points >= 0:
                bonus += points
            else:
                deduction -= points
        result.bonus, result.deduction = cents(bonus), cents(deduction)
        results.append(result)
    ranks = competition_ranks({r.unit: r.score for r in results})
    for result in results:
        result.rank = ranks[result.unit]
    return sorted(results, key=lambda r: (r.rank, str(r.unit)))
