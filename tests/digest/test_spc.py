"""XmR chart and Making Data Count rules: each rule has a series that triggers exactly that rule;
hypothesis checks properties every chart must have."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cscperf.digest.spc import assurance_icon, limits_of, variation_icon, xmr

BASE = [10, 12] * 8  # mean 11, mean MR 2: limits 11 ± 5.32, 2-sigma lines 11 ± 3.546

RULE_SERIES = {
    "outside_limits": (BASE[:8] + [19] + BASE[8:], "high", (8,)),
    "shift": ([10, 12, 10, 12, 10, 12, 11.6, 12, 11.6, 12, 11.6, 12, 11.6, 10, 12, 10, 12, 10, 12, 10], "high",
              (5, 6, 7, 8, 9, 10, 11, 12)),
    "trend": ([10, 12, 10, 12, 10, 12, 10, 9.6, 10, 10.4, 10.8, 11.2, 11.6, 10, 12, 10, 12, 10, 12], "high",
              (7, 8, 9, 10, 11, 12)),
    "two_of_three": ([10, 12, 10, 12, 10, 12, 10, 12, 16.5, 11, 16.5, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10], "high",
                     (8, 10)),
}


def test_limits_hand_computed():
    lim = limits_of(BASE)
    assert lim.mean == 11 and lim.mr_mean == 2
    assert lim.ucl == pytest.approx(11 + 2.66 * 2) and lim.lcl == pytest.approx(11 - 5.32)
    assert lim.upper_2s == pytest.approx(11 + 2 * 2 / 1.128)


def test_the_base_series_has_no_signal():
    assert xmr(BASE).signals == ()


@pytest.mark.parametrize("rule", sorted(RULE_SERIES))
def test_each_rule_has_a_series_that_triggers_exactly_it(rule):
    series, side, points = RULE_SERIES[rule]
    chart = xmr(series)
    assert [(s.rule, s.side, s.points) for s in chart.signals] == [(rule, side, points)]


@pytest.mark.parametrize("rule", sorted(RULE_SERIES))
def test_mirrored_series_triggers_the_same_rule_low(rule):
    series, _, points = RULE_SERIES[rule]
    chart = xmr([-v for v in series])
    assert [(s.rule, s.side, s.points) for s in chart.signals] == [(rule, "low", points)]


def test_runs_of_six_and_five_do_not_trigger_shift_and_trend():
    shift6 = [10, 12, 10, 12, 10, 11.6, 12, 11.6, 12, 11.6, 10, 12, 10, 12, 10, 12]
    assert not any(s.rule == "shift" for s in xmr(shift6).signals)
    trend5 = [10, 12, 10, 12, 10, 9.6, 10, 10.4, 10.8, 11.2, 10, 12, 10, 12]
    assert not any(s.rule == "trend" for s in xmr(trend5).signals)


def test_baseline_limits_apply_to_the_whole_series():
    series = BASE + [30, 30, 30]
    whole, based = xmr(series), xmr(series, baseline=slice(0, len(BASE)))
    assert based.limits == limits_of(BASE)
    assert whole.limits != based.limits
    assert {s.rule for s in based.signals if 17 in s.points} >= {"outside_limits"}


def test_missing_months_are_dropped_and_short_series_have_no_chart():
    assert xmr([None, 5.0]) is None and xmr([]) is None
    assert xmr([1.0, None, 3.0]).values == (1.0, 3.0)


@pytest.mark.parametrize("polarity, expected", [("up", "improving_high"), ("down", "concerning_high"), ("none", "neither_high")])
def test_variation_icon_follows_polarity(polarity, expected):
    series = BASE + [19]  # latest point above the upper limit
    assert variation_icon(xmr(series), polarity) == expected


def test_variation_icon_common_cause_when_latest_point_has_no_signal():
    series = BASE[:8] + [19] + BASE[8:]  # the signal is in the past
    assert variation_icon(xmr(series), "up") == "common_cause"
    assert variation_icon(None, "up") is None


@pytest.mark.parametrize("target, polarity, expected", [
    (5.0, "up", "consistently_met"),      # below the lower limit 5.68
    (5.7, "up", "hit_and_miss"),         # just inside the limits
    (17.0, "up", "consistently_missed"),  # above the upper limit 16.32
    (17.0, "down", "consistently_met"),
    (11.0, "down", "hit_and_miss"),
    (5.0, "down", "consistently_missed"),
    (None, "up", None),
    (11.0, "none", None),
])
def test_assurance_icon(target, polarity, expected):
    assert assurance_icon(xmr(BASE), target, polarity) == expected


values = st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(min_value=2, max_value=40))
def test_constant_series_has_no_signals(value, n):
    chart = xmr([value] * n)
    assert chart.signals == () and chart.limits.ucl == chart.limits.lcl == pytest.approx(value)


@settings(max_examples=200, deadline=None)
@given(values)
def test_limits_are_symmetric_and_ordered(series):
    lim = xmr(series).limits
    assert lim.ucl - lim.mean == pytest.approx(lim.mean - lim.lcl, rel=1e-9, abs=1e-6)
    assert lim.lcl <= lim.lower_2s <= lim.mean <= lim.upper_2s <= lim.ucl


@settings(max_examples=200, deadline=None)
@given(values)
def test_negating_a_series_mirrors_every_signal(series):
    up, down = xmr(series), xmr([-v for v in series])
    flip = {"high": "low", "low": "high"}
    assert sorted((s.rule, flip[s.side], s.points) for s in up.signals) == sorted((s.rule, s.side, s.points) for s in down.signals)


@settings(max_examples=200, deadline=None)
@given(values)
def test_every_signal_point_is_in_the_series(series):
    chart = xmr(series)
    for s in chart.signals:
        assert s.points and all(0 <= p < len(series) for p in s.points)
        if s.rule == "outside_limits":
            v = chart.values[s.points[0]]
            assert v > chart.limits.ucl if s.side == "high" else v < chart.limits.lcl
