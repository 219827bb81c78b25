"""The arithmetic of the assessment on hand-made raw values: each rule, ties, caps, deductions, adjustments."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from touzi.assessment.schema import SchemeSpec
from touzi.assessment.scoring import by_rank, competition_ranks, linear, part_scores, passed, score_units


def scheme(indicators: list[dict[str, Any]], **extra: Any) -> SchemeSpec:
    return SchemeSpec.model_validate({"key": "s", "name": "考核", "years": [2022], "units": ["a"],
                                      "indicators": indicators, **extra})


def ind(key: str, weight: Any, rule: str = "linear", **kw: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {"linear": {"low": 60, "high": 100}, "pass": {"threshold": 90},
                                "rank": {"step": 10}}[rule]
    return {"key": key, "source": "attainment", "weight": weight, "rule": rule, **defaults, **kw}


def test_linear_maps_the_interval_onto_0_to_100_and_clamps() -> None:
    assert linear(D(60), D(60), D(100)) == 0
    assert linear(D(80), D(60), D(100)) == 50
    assert linear(D(130), D(60), D(100)) == 100
    assert linear(D(10), D(60), D(100)) == 0
    assert linear(D("73.333"), D(60), D(100)) == D("33.33")  # to 0.01, half up
    assert linear(D(5), D(10), D(0)) == 50  # low above high: lower is better


def test_pass_is_all_or_nothing() -> None:
    assert passed(D(90), D(90)) == 100
    assert passed(D("89.99"), D(90)) == 0
    assert passed(D(3), D(5), lower_is_better=True) == 100


def test_rank_scores_step_down_from_100_to_the_floor() -> None:
    assert by_rank(1, D(10)) == 100
    assert by_rank(3, D(10)) == 80
    assert by_rank(20, D(10), D(60)) == 60


def test_ties_share_a_rank_and_the_next_is_skipped() -> None:
    ranks = competition_ranks({"a": D(90), "b": D(95), "c": D(90), "d": D(80), "e": None})
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}
    spec = scheme([ind("x", 100, "rank", step=10)])
    scores = part_scores(spec.indicators[0], {"a": D(90), "b": D(95), "c": D(90), "d": D(80)})
    assert scores == {"b": 100, "a": 90, "c": 90, "d": 70}


def test_nothing_to_judge_scores_full_or_zero_as_the_scheme_says() -> None:
    full = scheme([ind("x", 100)]).indicators[0]
    zero = scheme([ind("x", 100, when_empty="zero")]).indicators[0]
    assert part_scores(full, {"a": None}) == {"a": 100}
    assert part_scores(zero, {"a": None}) == {"a": 0}


def test_the_total_is_the_weighted_parts_plus_bonus_less_deduction() -> None:
    spec = scheme([ind("x", 60), ind("y", 40, "pass")])
    [a] = score_units(spec, ["a"], {"x": {"a": D(80)}, "y": {"a": D(95)}})
    assert [(p.indicator, p.score) for p in a.parts] == [("x", 50), ("y", 100)]
    assert a.score == D(70)  # 60 × 50 / 100 + 40 × 100 / 100


def test_bonus_counts_each_full_step_above_and_is_capped_per_rule_and_overall() -> None:
    spec = scheme([ind("x", 50), ind("y", 50)], bonus={"cap": 4, "rules": [
        {"indicator": "x", "above": 100, "per": 5, "points": 1, "cap": 3},
        {"indicator": "y", "above": 100, "points": 2}]})
    raws = {"x": {"a": D(112), "b": D(140), "c": D(100)}, "y": {"a": D(99), "b": D(101), "c": D(120)}}
    found = {r.unit: r for r in score_units(spec, ["a", "b", "c"], raws)}
    assert found["a"].bonus == 2  # two full steps of 5 above 100
    assert [i["points"] for i in found["b"].bonus_items] == [3, 2]  # 8 steps capped at 3, plus 2 …
    assert found["b"].bonus == 4  # … capped at 4 overall
    assert found["c"].bonus == 2  # x at 100 is not above


def test_deductions_count_records_and_are_capped_per_rule_and_overall() -> None:
    spec = scheme([ind("x", 100)], deductions={"cap": 3, "rules": [
        {"source": "supervision_overdue", "points": 1, "cap": 2},
        {"source": "corrections_after_lock", "points": 0.5}]})
    counts = {"a": {"supervision_overdue": 1, "corrections_after_lock": 1},
              "b": {"supervision_overdue": 5, "corrections_after_lock": 4}}
    found = {r.unit: r for r in score_units(spec, ["a", "b"], {"x": {"a": D(100), "b": D(100)}}, counts)}
    assert found["a"].deduction == D("1.5")
    assert [i["points"] for i in found["b"].deduction_items] == [2, 2]
    assert found["b"].deduction == 3
    assert found["b"].score == 97 and found["a"].rank == 1 and found["b"].rank == 2


def test_manual_adjustments_are_shown_apart_and_lie_outside_the_caps() -> None:
    spec = scheme([ind("x", 100)], bonus={"cap": 1, "rules": [{"indicator": "x", "above": 90, "points": 1}]})
    adjustments = {"a": [(D(2), "获自治区表彰")], "b": [(D("-1.5"), "虚报数据")]}
    found = {r.unit: r for r in score_units(spec, ["a", "b"], {"x": {"a": D(100), "b": D(100)}},
                                            adjustments=adjustments)}
    assert found["a"].bonus == 3 and found["a"].adjustments == [{"points": D(2), "reason": "获自治区表彰"}]
    assert found["b"].deduction == D("1.5") and found["b"].score == D("99.5")


def test_equal_totals_share_a_rank() -> None:
    spec = scheme([ind("x", 100)])
    found = score_units(spec, ["a", "b", "c"], {"x": {"a": D(80), "b": D(80), "c": D(70)}})
    assert [(r.unit, r.rank) for r in found] == [("a", 1), ("b", 1), ("c", 3)]


weights = st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=5).filter(lambda w: sum(w) <= 100)
raw = st.one_of(st.none(), st.decimals(min_value=0, max_value=200, places=2))


@settings(max_examples=50, deadline=None)
@given(weights=weights, rules=st.lists(st.sampled_from(["linear", "pass", "rank"]), min_size=5, max_size=5),
       raws=st.lists(st.lists(raw, min_size=5, max_size=5), min_size=4, max_size=4),
       deductions=st.lists(st.integers(min_value=0, max_value=6), min_size=4, max_size=4),
       bonus_cap=st.decimals(min_value=0, max_value=10, places=1))
def test_the_printed_numbers_add_up_and_ranks_follow_scores(weights, rules, raws, deductions, bonus_cap) -> None:
    weights = [*weights[:-1], weights[-1] + 100 - sum(weights)]  # the scheme's weights add up to 100
    indicators = [ind(f"i{n}", w, rules[n]) for n, w in enumerate(weights)]
    spec = scheme(indicators, bonus={"cap": str(bonus_cap), "rules": [
        {"indicator": "i0", "above": 100, "per": 7, "points": 1.5, "cap": 4}]},
        deductions={"cap": 5, "rules": [{"source": "supervision_overdue", "points": 0.7, "cap": 3}]})
    units = ["a", "b", "c", "d"]
    table = {f"i{n}": {u: raws[k][n] for k, u in enumerate(units)} for n in range(len(weights))}
    counts = {u: {"supervision_overdue": deductions[k]} for k, u in enumerate(units)}
    results = score_units(spec, units, table, counts)
    for r in results:
        printed: dict[str, Any] = {"score": float(r.score), "bonus": float(r.bonus), "deduction": float(r.deduction),
                   "parts": [(float(p.weight), float(p.score)) for p in r.parts]}
        total = sum(D(str(w)) * D(str(s)) / 100 for w, s in printed["parts"]) + D(str(printed["bonus"])) \
            - D(str(printed["deduction"]))
        assert abs(total - D(str(printed["score"]))) <= D("0.005")
        assert 0 <= r.bonus <= bonus_cap and 0 <= r.deduction <= 3
        assert all(0 <= p.score <= 100 for p in r.parts)
    for r in results:
        assert r.rank == 1 + sum(1 for o in results if o.score > r.score)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
