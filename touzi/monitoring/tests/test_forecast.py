"""Year-end forecast, its backtest and `touzi forecast backtest`. Pure computation: no database."""

from __future__ import annotations

import itertools
import json
import math
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from touzi.monitoring.backtest import backtest, load_series
from touzi.monitoring.forecast import (
    CHOSEN_METHOD,
    DEFAULT_LOG_SD,
    DEFAULT_SHARES,
    FALLBACK_METHOD,
    METHODS,
    Z_90,
    Forecast,
    forecast_year_end,
    t_90,
)
from touzi.monitoring.synthetic import fixed_shape as synthetic

NATIONAL = Path(__file__).resolve().parent.parent / "data" / "china_fai_monthly_2011_2018.csv"
HEADER = "year,month,ytd_value_100m_yuan\n"


def stable(years: int = 6) -> dict:
    """A perfectly stable shape; totals are powers of two times 1000 so every share is exactly the same float."""
    return {2010 + i: {m: 1000.0 * 2**i * s for m, s in DEFAULT_SHARES.items()} for i in range(years)}


@pytest.fixture(scope="module")
def national() -> dict:
    return load_series(NATIONAL)


@pytest.fixture(scope="module")
def national_result(national) -> dict:
    return backtest(national)


# --- The forecaster on known shapes ----------------------------------------------------------------

def test_synthetic_series_is_forecast_closely_with_a_calibrated_interval():
    result = backtest(synthetic())
    month_11 = next(row for row in result["per_month"] if row["month"] == 11)
    assert month_11["mape"] < 2.0
    assert 0.6 <= result["overall"]["coverage_80"] <= 1.0
    assert result["overall"]["method"] == CHOSEN_METHOD
    assert result["overall"]["n"] == 7 * 10  # years 2013..2019, months 2..11


def _mean_coverage(break_probability: float) -> float:
    coverages = [backtest(synthetic(seed=seed), break_probability=break_probability,
                          with_candidates=False)["overall"]["coverage_80"] for seed in range(12)]
    return sum(coverages) / len(coverages)


def test_interval_coverage_over_many_synthetic_series_is_about_80_percent_before_the_break_widening():
    # A fixed shape never breaks: the out-of-sample errors alone give a calibrated interval, and the
    # widening for breaks that never come can only make it wider, but not by much (it widens by the
    # largest move of the whole shape, which noise on single months hardly moves).
    calm = _mean_coverage(0.0)
    assert 0.75 <= calm <= 0.9
    assert calm <= _mean_coverage(0.2) <= 0.95


def test_probability_is_one_half_at_the_point_and_decreases_with_the_target():
    series = synthetic()
    history = {y: v for y, v in series.items() if y < 2019}
    f = forecast_year_end(history, 2019, 6, series[2019][6])
    assert f.probability_at_least(f.point) == pytest.approx(0.5, abs=0.1)
    assert f.probability_at_least(f.low) == pytest.approx(0.9, abs=1e-9)
    assert f.probability_at_least(f.high) == pytest.approx(0.1, abs=1e-9)
    targets = [f.point * (0.8 + 0.01 * i) for i in range(41)]
    probabilities = [f.probability_at_least(t) for t in targets]
    assert all(a >= b for a, b in itertools.pairwise(probabilities))
    assert probabilities[0] > 0.99 and probabilities[-1] < 0.01
    assert f.probability_at_least(f.observed) == 1.0  # already done
    assert f.probability_at_least(0) == 1.0


def test_perfectly_stable_shape_gives_observed_over_share_exactly():
    history = stable()
    for month in range(2, 12):
        observed = 12345.0 * DEFAULT_SHARES[month]
        f = forecast_year_end(history, 2016, month, observed)
        assert f.method == CHOSEN_METHOD
        assert f.share == DEFAULT_SHARES[month]
        assert f.point == observed / DEFAULT_SHARES[month]
        assert f.low == f.high == f.point  # no movement seen, no spread
        assert f.probability_at_least(f.point) == 1.0
        assert f.probability_at_least(f.point * 1.0001) == 0.0


def test_drifting_shape_is_followed():
    # The share of month 6 rises 2% a year (log scale): the drift method projects it one more year.
    history = {2010 + i: {6: 40.0 * math.exp(0.02 * i), 12: 100.0} for i in range(5)}
    f = forecast_year_end(history, 2015, 6, 50.0, method="drift-all")
    assert f.share == pytest.approx(0.4 * math.exp(0.02 * 5))
    assert f.point == pytest.approx(50.0 / (0.4 * math.exp(0.1)))
    naive = forecast_year_end(history, 2015, 6, 50.0, method="naive")
    assert naive.point == pytest.approx(50.0 / (0.4 * math.exp(0.08)))
    # The combination learns that the drift views were right and the level views wrong: on an exact
    # line the drift and trend views never erred, so they take all the weight.
    combo = forecast_year_end(history, 2015, 6, 50.0)
    assert combo.method == "combo"
    assert combo.share == pytest.approx(f.share, rel=1e-12)
    # With noise on the line, the combination lies between naive and drift, nearer drift.
    noisy = {y: {6: v[6] * (1 + 0.004 * (-1) ** y), 12: 100.0} for y, v in history.items()}
    shares = {m: forecast_year_end(noisy, 2015, 6, 50.0, method=m).share for m in ("naive", "combo", "drift-all")}
    assert shares["naive"] < shares["combo"] < shares["drift-all"]
    assert shares["combo"] - shares["naive"] > 0.5 * (shares["drift-all"] - shares["naive"])


def test_only_earlier_years_are_used():
    series = synthetic()
    f = forecast_year_end({y: v for y, v in series.items() if y < 2016}, 2016, 5, series[2016][5])
    assert forecast_year_end(series, 2016, 5, series[2016][5]) == f


def test_forecast_never_falls_below_what_is_observed():
    # Shares rising fast towards 1: the projected share is capped at 1, the low end at observed.
    history = {2010 + i: {11: 90.0 + 3 * i, 12: 100.0} for i in range(4)}
    f = forecast_year_end(history, 2014, 11, 500.0)
    assert f.share <= 1.0
    assert f.point >= f.observed and f.low >= f.observed
    assert f.probability_at_least(f.observed) == 1.0


@pytest.mark.parametrize(("month", "observed", "min_years", "message"), [
    (1, 10.0, 3, "month"), (12, 10.0, 3, "month"), (5, 0.0, 3, "positive"), (5, -1.0, 3, "positive"),
    (5, math.nan, 3, "positive"), (5, 10.0, 2, "min_years"),
])
def test_bad_arguments_are_refused(month, observed, min_years, message):
    with pytest.raises(ValueError, match=message):
        forecast_year_end(stable(), 2016, month, observed, min_years=min_years)


def test_t_quantiles():
    assert t_90(1) == pytest.approx(3.0777, abs=1e-4)
    assert t_90(5) == pytest.approx(1.4759, abs=1e-4)
    assert t_90(31) == pytest.approx(1.3095, abs=2e-4)
    assert t_90(1000) == pytest.approx(Z_90, abs=1e-3)
    assert all(t_90(df) > t_90(df + 1) for df in range(1, 60))


# --- Short ledgers -------------------------------------------------------------------------------

def test_fewer_than_min_years_falls_back_on_the_default_shape_with_a_wider_interval():
    series = synthetic()
    observed = series[2019][8]
    short = forecast_year_end({2017: series[2017], 2018: series[2018]}, 2019, 8, observed)
    assert short.method == FALLBACK_METHOD
    assert short.years == 2
    assert short.point == pytest.approx(observed / DEFAULT_SHARES[8])
    assert short.sigma == DEFAULT_LOG_SD[8]
    full = forecast_year_end(series, 2019, 8, observed)
    assert full.method == CHOSEN_METHOD
    assert short.high / short.low > full.high / full.low
    assert forecast_year_end({}, 2019, 2, 10.0).method == FALLBACK_METHOD
    # min_years is the caller's: with 5 required, 4 past years are not enough.
    assert forecast_year_end({y: series[y] for y in range(2015, 2019)}, 2019, 8, observed,
                             min_years=5).method == FALLBACK_METHOD


def test_default_shares_are_the_national_average(national):
    for month in range(2, 13):
        shares = [values[month] / values[12] for values in national.values()]
        assert DEFAULT_SHARES[month] == pytest.approx(sum(shares) / len(shares), abs=5e-5)
    assert all(DEFAULT_SHARES[m] < DEFAULT_SHARES[m + 1] for m in range(2, 12))
    assert all(DEFAULT_LOG_SD[m] >= DEFAULT_LOG_SD[m + 1] for m in range(2, 11))


# --- The national series --------------------------------------------------------------------------

def test_national_series_beats_the_naive_forecast(national_result):
    overall = national_result["overall"]
    assert overall["years"] == [2014, 2015, 2016, 2017, 2018]
    assert overall["n"] == 50
    assert overall["method"] == CHOSEN_METHOD == "combo"
    assert overall["mape"] == pytest.approx(1.93, abs=0.01)
    assert overall["naive_mape"] == pytest.approx(2.30, abs=0.01)
    assert overall["beats_naive_months"] == list(range(2, 12))
    assert overall["loses_to_naive_months"] == []


def test_national_coverage_and_the_2018_break(national_result):
    rows = national_result["forecasts"]
    assert national_result["overall"]["coverage_80"] == pytest.approx(0.78)
    # December 2018 broke the shape: every forecast of 2018 is 4–6% too high and outside its interval,
    # as wide as the break widening made it.
    in_2018 = [r for r in rows if r["year"] == 2018]
    assert all(0.04 < r["forecast"] / r["actual"] - 1 < 0.06 for r in in_2018)
    assert not any(r["low"] <= r["actual"] <= r["high"] for r in in_2018)
    before = [r for r in rows if r["year"] < 2018]
    assert sum(r["low"] <= r["actual"] <= r["high"] for r in before) / len(before) == pytest.approx(39 / 40)


def test_after_the_break_the_interval_is_wider(national):
    # The year after 2018 learns from it: its largest move and its own error enter the spread.
    before = forecast_year_end({y: v for y, v in national.items() if y < 2018}, 2018, 6, national[2018][6])
    after = forecast_year_end(national, 2019, 6, national[2018][6] * 1.05)
    assert after.sigma > 1.5 * before.sigma
    assert after.backtested == before.backtested + 1 == 6


def test_month_2_is_the_hardest(national_result):
    by_month = {row["month"]: row for row in national_result["per_month"]}
    assert by_month[2]["mape"] > by_month[11]["mape"]
    assert by_month[2]["naive_mape"] == max(row["naive_mape"] for row in by_month.values())


def test_candidates_are_reported_and_level_methods_lose(national_result):
    mape = {c["method"]: c["mape"] for c in national_result["candidates"]}
    assert set(mape) == set(METHODS)
    assert mape["drift-all"] < mape["naive"] < mape["mean-3"] < mape["mean-all"]


def test_backtest_uses_nothing_from_the_future(national):
    base = {(r["year"], r["month"]): r for r in backtest(national)["forecasts"]}
    changed = {y: dict(v) for y, v in national.items()}
    changed[2018] = {m: v * 1.5 for m, v in changed[2018].items()}  # a later year
    changed[2016][12] *= 1.2  # December of the year forecast (only the actual may change)
    changed[2016][11] *= 1.1  # a later month of that year
    after = {(r["year"], r["month"]): r for r in backtest(changed)["forecasts"]}
    for month in range(2, 12):
        assert after[2014, month] == base[2014, month]
        assert after[2015, month] == base[2015, month]
    known_then = ("observed", "forecast", "low", "high", "naive")
    for month in range(2, 11):
        assert [after[2016, month][k] for k in known_then] == [base[2016, month][k] for k in known_then]
    assert after[2016, 11]["observed"] == base[2016, 11]["observed"] * 1.1


def test_backtest_with_too_few_years_is_empty():
    result = backtest(stable(3))
    assert result["overall"]["n"] == 0 and result["per_month"] == [] and result["overall"]["mape"] is None


def test_result_is_json_ready(national_result):
    assert json.loads(json.dumps(national_result)) == national_result


# --- load_series -----------------------------------------------------------------------------------

def test_load_series_reads_path_text_and_extra_columns(national):
    assert sorted(national) == list(range(2011, 2019))
    assert sorted(national[2011]) == list(range(2, 13))
    assert national[2018][12] == 635636
    text = "\ufeffYear, Month ,ytd_value_100m_yuan,note\n2020,2,1.5,x\n\n2020,12,10,y\n"
    assert load_series(text) == {2020: {2: 1.5, 12: 10.0}}
    assert load_series(text.encode()) == {2020: {2: 1.5, 12: 10.0}}


@pytest.mark.parametrize(("body", "line", "words"), [
    ("2020,2,1\n2020,1,2\n", 3, "1 月"),
    ("2020,2,1\n2020,3,2\n2020,2,3\n", 4, "重复"),
    ("2020,2,-5\n", 2, "正数"),
    ("2020,2,0\n", 2, "正数"),
    ("2020,13,5\n", 2, "2–12"),
    ("2020,2,abc\n", 2, "不是数字"),
    ("2020,二月,5\n", 2, "不是整数"),
    ("2020,2\n", 2, "缺少"),
])
def test_load_series_names_the_bad_line(body, line, words):
    with pytest.raises(ValueError, match=f"第{line}行") as caught:
        load_series(HEADER + body)
    assert words in str(caught.value)


def test_load_series_names_missing_columns():
    with pytest.raises(ValueError, match=r"第1行.*ytd_value_100m_yuan"):
        load_series("year,month,value\n2020,2,5\n")
    with pytest.raises(ValueError, match="第1行"):
        load_series(b"")


def test_load_series_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_series(tmp_path / "none.csv")


# --- The command -----------------------------------------------------------------------------------

def test_command_prints_json_with_the_documented_keys():
    out = StringIO()
    call_command("forecast", "backtest", "--series", str(NATIONAL), "--format", "json", stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) >= {"overall", "per_month", "forecasts", "candidates"}
    assert set(result["overall"]) >= {"mape", "naive_mape", "coverage_80", "method", "beats_naive_months",
                                      "loses_to_naive_months"}
    assert set(result["per_month"][0]) == {"month", "n", "mape", "naive_mape", "coverage_80"}
    assert set(result["forecasts"][0]) >= {"year", "month", "observed", "forecast", "low", "high", "naive",
                                           "actual"}
    assert result["overall"]["method"] == CHOSEN_METHOD


def test_command_prints_a_text_table():
    out = StringIO()
    call_command("forecast", "backtest", "--series", str(NATIONAL), "--min-years", "4", stdout=out)
    text = out.getvalue()
    assert "1–2月" in text and "11月" in text and "combo" in text and "min_years=4" in text
    assert "drift-all" in text  # the candidates are listed too
    assert "selection" not in text


def test_command_refuses_a_bad_or_missing_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2020,1,5\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第2行"):
        call_command("forecast", "backtest", "--series", str(bad), stdout=StringIO())
    with pytest.raises(CommandError, match=r"missing\.csv"):
        call_command("forecast", "backtest", "--series", str(tmp_path / "missing.csv"), stdout=StringIO())


def test_forecast_is_a_frozen_value():
    f = Forecast(month=2, observed=1.0, point=2.0, low=1.5, high=2.5, method="x")
    with pytest.raises(AttributeError):
        f.point = 3.0
