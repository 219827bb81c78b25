"""The combination, the break-widened interval and the select-on-early, score-on-later protocol. No database."""

from __future__ import annotations

import json
import math
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from touzi.monitoring.backtest import backtest, load_series
from touzi.monitoring.forecast import (
    CHOSEN_INTERVAL,
    CHOSEN_METHOD,
    INTERVAL_RULES,
    METHODS,
    forecast_year_end,
)
from touzi.monitoring.forecast_book import COMBO_MEMBERS, ShapeBook
from touzi.monitoring.forecast_interval import Z_90, chi2_10, rule_spread, spread, t_90, tolerance_factor
from touzi.monitoring.selection import (
    break_world_factor,
    select_and_score,
    select_interval,
    select_method,
    synthetic_ratios,
)
from touzi.monitoring.synthetic import fixed_shape, level_break

NATIONAL = Path(__file__).resolve().parent.parent / "data" / "china_fai_monthly_2011_2018.csv"
BREAK_SEEDS = (1, 2, 7)


@pytest.fixture(scope="module")
def national() -> dict:
    return load_series(NATIONAL)


@pytest.fixture(scope="module")
def protocol(national) -> dict:
    return select_and_score(national, 2015)


# --- The combination -----------------------------------------------------------------------------

def test_weights_are_inverse_to_recent_squared_errors_and_sum_to_one():
    series = fixed_shape(seed=3)
    book = ShapeBook(series, 2017)
    weights = book.weights(2017)
    assert set(weights) == set(COMBO_MEMBERS)
    assert math.fsum(weights.values()) == pytest.approx(1.0)
    # By hand: the members' squared errors over the last three backtested years (2014–2016), all months.
    mse = {c: [book.error(c, y, m) ** 2 for y in (2014, 2015, 2016) for m in range(2, 12)] for c in COMBO_MEMBERS}
    inverse = {c: 1 / (sum(v) / len(v)) for c, v in mse.items()}
    assert weights == pytest.approx({c: w / sum(inverse.values()) for c, w in inverse.items()})
    # Before any member was backtested the weights are equal.
    assert ShapeBook(series, 2012).weights(2012) == dict.fromkeys(COMBO_MEMBERS, 0.25)


def test_on_a_fixed_shape_the_fixed_shape_view_weighs_most():
    for seed in BREAK_SEEDS:
        weights = ShapeBook(fixed_shape(seed=seed), 2019).weights(2019)
        assert max(weights, key=weights.get) == "mean-all"


@pytest.mark.parametrize("seed", BREAK_SEEDS)
def test_after_a_level_break_the_weight_leaves_the_fixed_shape_view(seed):
    series = level_break(seed=seed)  # December halved from 2016 on
    before, after = ShapeBook(series, 2016).weights(2016), ShapeBook(series, 2019).weights(2019)
    assert after["mean-all"] < before["mean-all"] / 2
    # Last year's share, which follows a level at once, gains on the average of the years.
    assert after["naive"] / after["mean-all"] > 1.9 * before["naive"] / before["mean-all"]
    assert max(after, key=after.get) != "mean-all"


@pytest.mark.parametrize("seed", BREAK_SEEDS)
def test_after_a_level_break_the_combination_beats_the_average_member(seed):
    result = backtest(level_break(seed=seed), after=2016)  # the years after the break year
    mape = {c["method"]: c["mape"] for c in result["candidates"]}
    assert mape["combo"] < sum(mape[c] for c in COMBO_MEMBERS) / len(COMBO_MEMBERS)
    assert mape["combo"] < mape["mean-all"] / 3


def test_the_combination_uses_nothing_from_the_future():
    series = level_break(seed=2)
    changed = {y: dict(v) for y, v in series.items()}
    changed[2017] = {m: v * 1.3 if m == 12 else v for m, v in changed[2017].items()}
    for month in range(2, 12):
        assert forecast_year_end(series, 2017, month, 10.0) == forecast_year_end(changed, 2017, month, 10.0)
    assert ShapeBook(series, 2017).weights(2017) == ShapeBook(changed, 2017).weights(2017)
    assert ShapeBook(series, 2018).weights(2018) != ShapeBook(changed, 2018).weights(2018)


# --- The interval ----------------------------------------------------------------------------------

def test_spread_is_the_mixture_of_calm_errors_and_the_largest_move_t_widened():
    errors = [0.01, -0.02, 0.02]
    calm = (0.0001 + 0.0004 + 0.0004) / 3
    widen = t_90(3) / 1.2815515655446004
    assert spread(errors, 0.0, break_probability=0.0) == pytest.approx(math.sqrt(calm) * widen)
    assert spread(errors, 0.05) == pytest.approx(math.sqrt(0.8 * calm + 0.2 * 0.05**2) * widen)
    assert spread(errors, 0.05) > spread(errors, 0.0)
    with pytest.raises(ValueError):
        spread([], 0.01)


@pytest.mark.parametrize("seed", BREAK_SEEDS)
def test_a_level_break_is_missed_the_year_it_comes_and_widens_the_interval_after(seed):
    series = level_break(seed=seed)
    rows = backtest(series, with_candidates=False)["forecasts"]
    inside = {y: [r["low"] <= r["actual"] <= r["high"] for r in rows if r["year"] == y] for y in range(2013, 2020)}
    # Nothing before 2016 hinted at it: most of the break year's forecasts fall outside the interval.
    assert sum(inside[2016]) <= 3
    # Afterwards the break is in the errors and in the largest move: the years after are covered.
    assert sum(sum(inside[y]) for y in (2017, 2018, 2019)) >= 27
    for month in range(2, 12):
        calm = forecast_year_end(series, 2015, month, series[2015][month])
        broken = forecast_year_end(series, 2018, month, series[2018][month])
        # Most of all late in the year, where the calm years left the least error.
        assert broken.sigma > (4 if month >= 8 else 1.5) * calm.sigma
        assert broken.high / broken.low > calm.high / calm.low


def test_the_probability_comes_from_the_same_widened_distribution():
    series = level_break(seed=7)
    f = forecast_year_end(series, 2018, 8, series[2018][8])
    assert f.probability_at_least(f.low) == pytest.approx(0.9)
    assert f.probability_at_least(f.high) == pytest.approx(0.1)
    narrower = forecast_year_end(series, 2018, 8, series[2018][8], break_probability=0.0)
    assert narrower.point == f.point and narrower.sigma < f.sigma
    target = f.point * 1.03
    assert narrower.probability_at_least(target) < f.probability_at_least(target) < 0.5


# --- The rival interval rules ----------------------------------------------------------------------

def test_chi_square_and_tolerance_factor():
    assert chi2_10(1) == pytest.approx(0.0158, abs=1e-4) and chi2_10(30) == pytest.approx(20.599, abs=0.01)
    assert chi2_10(21) == pytest.approx(13.240, abs=0.01)
    factors = [tolerance_factor(n) for n in range(1, 40)]
    assert factors == sorted(factors, reverse=True)
    # An upper bound on the quantile is wider than the t interval, most of all with few errors.
    assert all(tolerance_factor(n) > t_90(n) / Z_90 for n in range(1, 40))
    assert tolerance_factor(5) == pytest.approx(1.93, abs=0.01)
    with pytest.raises(ValueError):
        chi2_10(0)


def test_each_rule_widens_its_own_way():
    errors = [0.01, -0.02, 0.02]
    calm = (0.0001 + 0.0004 + 0.0004) / 3
    widen = t_90(3) / Z_90
    spreads = {rule: rule_spread(rule, errors, largest_move=0.02, growth_move=0.05, pool_variance=0.0009)
               for rule in INTERVAL_RULES}
    assert spreads["calm"] == pytest.approx(math.sqrt(calm) * widen)
    assert spreads["break-mix"] == pytest.approx(spread(errors, 0.02))
    assert spreads["break-growth"] == pytest.approx(math.sqrt(0.8 * calm + 0.2 * 0.05**2) * widen)
    assert spreads["pool"] == pytest.approx(math.sqrt(0.8 * 0.0009 + 0.2 * 0.02**2) * widen)
    assert spreads["tolerance"] == pytest.approx(math.sqrt(0.8 * calm + 0.2 * 0.02**2) * tolerance_factor(3))
    assert spreads["calm"] == min(spreads.values())
    # Without members (not a combination) the pool is the method's own errors.
    assert rule_spread("pool", errors, largest_move=0.02) == spreads["break-mix"]
    with pytest.raises(ValueError, match="interval rule"):
        rule_spread("wide", errors, largest_move=0.02)
    with pytest.raises(ValueError, match="interval rule"):
        forecast_year_end(fixed_shape(), 2018, 6, 100.0, interval="wide")


def test_the_pool_is_the_members_errors_plus_their_spread():
    book = ShapeBook(fixed_shape(seed=3), 2017)
    weights, month = book.weights(2017), 6
    combined = math.log(book.estimate("combo", 2017, month))
    within = sum(weights[c] * sum(e * e for e in book.errors_at(c, month)) / len(book.errors_at(c, month))
                 for c in COMBO_MEMBERS)
    between = sum(weights[c] * (math.log(book.estimate(c, 2017, month)) - combined) ** 2 for c in COMBO_MEMBERS)
    assert book.pool_variance(2017, month) == pytest.approx(within + between)
    assert between > 0


def test_the_largest_growth_move_is_the_largest_change_of_the_years_log_growth():
    totals = {2010: 100.0, 2011: 120.0, 2012: 138.0, 2013: 145.0}
    history = {y: {6: t * 0.43, 12: t} for y, t in totals.items()}
    growth = [math.log(120 / 100), math.log(138 / 120), math.log(145 / 138)]
    expected = max(abs(growth[1] - growth[0]), abs(growth[2] - growth[1]))
    assert ShapeBook(history, 2014).largest_growth_move() == pytest.approx(expected)
    assert ShapeBook(history, 2012).largest_growth_move() == 0.0  # one growth rate: no change yet


@pytest.mark.parametrize("rule", [r for r in INTERVAL_RULES if r != "calm"])
def test_every_break_rule_misses_a_first_level_break_and_covers_the_years_after(rule):
    for seed in BREAK_SEEDS:
        series = level_break(seed=seed)  # December halved from 2016 on
        rows = backtest(series, with_candidates=False, interval=rule)["forecasts"]
        inside = {y: sum(r["low"] <= r["actual"] <= r["high"] for r in rows if r["year"] == y) for y in range(2013, 2020)}
        assert inside[2016] <= 3  # no rule sized from calm years covers the first break
        assert inside[2017] + inside[2018] + inside[2019] >= 27
        calm = backtest(series, with_candidates=False, interval="calm")["forecasts"]
        # Once the break is in the past years, every rule is wider than the calm one.
        assert all(w["high"] - w["low"] > c["high"] - c["low"]
                   for w, c in zip(rows, calm, strict=True) if w["year"] >= 2017)


def test_the_break_world_is_sized_from_the_selection_years_alone(national):
    # Growth fell from 15.0% (2014) to 9.9% (2015): a change of 4.6% on the log scale; December's flow
    # must fall by about half for the year's total to move that much.
    assert ShapeBook(national, 2016).largest_growth_move() == pytest.approx(0.0456, abs=1e-4)
    assert break_world_factor(national, 2015) == pytest.approx(0.5221, abs=1e-4)
    changed = {y: dict(v) for y, v in national.items()}
    changed[2016] = {m: v * 0.5 for m, v in changed[2016].items()}
    assert break_world_factor(changed, 2015) == break_world_factor(national, 2015)


def test_the_interval_step_picks_the_chosen_interval_on_the_national_years_up_to_2015(national):
    intervals = select_interval(national, 2015, CHOSEN_METHOD)
    assert intervals["chosen"] == CHOSEN_INTERVAL
    by_rule = {c["interval"]: c for c in intervals["candidates"]}
    assert list(by_rule) == list(INTERVAL_RULES)
    assert not by_rule["calm"]["eligible"] and all(c["eligible"] for r, c in by_rule.items() if r != "calm")
    chosen = by_rule[CHOSEN_INTERVAL]
    assert chosen["distance"] == min(c["distance"] for c in intervals["candidates"] if c["eligible"])
    # Every world's coverage, and every rule covers less in the break world than in the fixed-shape one.
    assert chosen["selection_coverage_80"] == 0.95
    assert all(c["break_world_coverage_80"] < c["fixed_shape_coverage_80"] for c in intervals["candidates"])
    assert all(0.7 <= c["break_world_coverage_80"] <= 0.8 for c in intervals["candidates"])


# --- The protocol ------------------------------------------------------------------------------------

def test_the_rule_picks_the_chosen_method_on_the_national_years_up_to_2015(national):
    selection = select_method(national, 2015)
    assert selection["chosen"] == CHOSEN_METHOD
    assert selection["overall"]["years"] == [2014, 2015]
    scores = {c["method"]: c["score"] for c in selection["candidates"]}
    assert set(scores) == set(METHODS)
    assert scores[CHOSEN_METHOD] == min(scores.values()) < scores["naive"] == 1.0
    # drift-1 is best on the two selection years but amplifies noise on a shape that does not drift.
    by_method = {c["method"]: c for c in selection["candidates"]}
    assert by_method["drift-1"]["series_ratio"] == min(c["series_ratio"] for c in selection["candidates"])
    assert by_method["drift-1"]["synthetic_ratio"] > 1.5


def test_selection_reads_nothing_after_its_cutoff(national):
    changed = {y: dict(v) for y, v in national.items()}
    for year in (2016, 2017, 2018):
        changed[year] = {m: v * (0.5 if m == 12 else 1.7) for m, v in changed[year].items()}
    assert select_method(changed, 2015) == select_method(national, 2015)


def test_selection_needs_a_year_to_backtest(national):
    with pytest.raises(ValueError, match="2013"):
        select_method(national, 2013)


def test_synthetic_ratios_are_relative_to_naive():
    ratios = synthetic_ratios()
    assert ratios["naive"] == 1.0
    assert ratios["mean-all"] < 1 < ratios["drift-1"]


def test_scoring_years_only_are_scored_and_naive_is_beaten_at_every_month(protocol):
    overall = protocol["overall"]
    assert overall["years"] == [2016, 2017, 2018] and overall["n"] == 30 and overall["after"] == 2015
    assert overall["method"] == protocol["selection"]["chosen"] == CHOSEN_METHOD
    assert overall["beats_naive_months"] == list(range(2, 12))
    assert all(m["mape"] < m["naive_mape"] for m in protocol["per_month"])
    assert {r["year"] for r in protocol["forecasts"]} == {2016, 2017, 2018}


def test_scoring_years_coverage_is_honestly_short_of_70_percent(protocol):
    # The goal was 70–90%. 2016 and 2017 are all covered; the 2018 break is not, and nothing before
    # 2016 could have sized it: 20 of 30. The protocol is not bent to reach 21.
    assert protocol["overall"]["coverage_80"] == pytest.approx(20 / 30, abs=1e-4)
    rows = protocol["forecasts"]
    assert all(r["low"] <= r["actual"] <= r["high"] for r in rows if r["year"] < 2018)
    assert not any(r["low"] <= r["actual"] <= r["high"] for r in rows if r["year"] == 2018)
    # No rival interval rule does better on the scoring years (for the record: they were not chosen on them).
    intervals = protocol["selection"]["intervals"]
    assert intervals["chosen"] == CHOSEN_INTERVAL
    assert {c["interval"]: c["scoring_coverage_80"] for c in intervals["candidates"]} == {
        "break-mix": 0.6667, "pool": 0.6667, "break-growth": 0.6667, "tolerance": 0.6667, "calm": 0.5}


# --- The command ---------------------------------------------------------------------------------------

def test_command_selects_until_a_year_and_scores_the_later_ones_in_json():
    out = StringIO()
    call_command("forecast", "backtest", "--series", str(NATIONAL), "--select-until", "2015", "--format", "json",
                 stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) >= {"overall", "per_month", "forecasts", "candidates", "selection"}
    assert set(result["per_month"][0]) == {"month", "n", "mape", "naive_mape", "coverage_80"}
    assert set(result["forecasts"][0]) >= {"year", "month", "forecast", "low", "high", "naive", "actual"}
    assert result["overall"]["years"] == [2016, 2017, 2018]
    selection = result["selection"]
    assert selection["until"] == 2015 and selection["chosen"] == result["overall"]["method"]
    assert selection["overall"]["years"] == [2014, 2015]
    assert {c["method"] for c in selection["candidates"]} == set(METHODS)
    intervals = selection["intervals"]
    assert set(intervals) == {"rule", "band", "december_factor", "chosen", "candidates"}
    assert set(intervals["candidates"][0]) == {"interval", "selection_coverage_80", "fixed_shape_coverage_80",
                                               "break_world_coverage_80", "distance", "eligible",
                                               "scoring_coverage_80"}


def test_command_prints_selection_and_scoring_as_text():
    out = StringIO()
    call_command("forecast", "backtest", "--series", str(NATIONAL), "--select-until", "2015", stdout=out)
    text = out.getvalue()
    assert "years ≤ 2015 only" in text and "years after 2015 only" in text
    assert f"选定 chosen: {CHOSEN_METHOD}" in text
    assert "区间规则 interval rule" in text and "(参照 reference)" in text
    assert text.index("选择 selection") < text.index("评分 scoring") < text.index("2018 ")


def test_command_refuses_a_cut_with_nothing_to_select_or_score():
    with pytest.raises(CommandError, match="2012"):
        call_command("forecast", "backtest", "--series", str(NATIONAL), "--select-until", "2012", stdout=StringIO())
    with pytest.raises(CommandError, match="2018 年以后"):
        call_command("forecast", "backtest", "--series", str(NATIONAL), "--select-until", "2018", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("forecast", "backtest", "--series", str(NATIONAL), "--select-until", "2015",
                     "--method", "naive", stdout=StringIO())
