"""A council's position: England, region, neighbours (mean and median), rank and quartile band by
polarity - hand-checked on a small fixture (see dfe_fixtures.py)."""

import statistics

import pytest

from cscperf.digest.benchmarks import import_files
from cscperf.digest.comparison import (
    indicator_position, neighbour_summary, period_end_year, position, rank_and_band,
)
from dfe_fixtures import write_c1, write_lait, write_sn2021, write_sn2025


@pytest.fixture
def store(engine, tmp_path):
    import_files(engine, [write_c1(tmp_path), write_lait(tmp_path), write_sn2025(tmp_path), write_sn2021(tmp_path)])
    return engine


def test_position_lower_is_better(store):
    pos = position(store, "ees.c1.rereferral_percent", "883", "down")
    y = pos.latest
    assert y.time_period == "2025" and pos.previous.time_period == "2024"
    assert (y.council.value, y.england.value, y.region.value) == (14.0, 22.6, 19.4)
    assert y.region_name == "East of England"
    assert (y.rank, y.ranked, y.band) == (5, 8, "C")
    sn = y.neighbours["2025"]
    assert sn.members == ("801", "802", "806", "807") and sn.missing == ("806",)
    assert sn.mean == pytest.approx((10 + 12 + 18) / 3) and sn.median == 12
    old = y.neighbours["2021"]
    assert old.members == ("805", "804") and (old.mean, old.median) == (17.5, 17.5)
    prev = pos.previous
    assert prev.council.value == 16.5 and (prev.rank, prev.ranked) == (2, 2)  # 801:11 is better, 802 is 'x'


def test_position_higher_is_better_and_no_polarity(store):
    up = position(store, "ees.c1.rereferral_percent", "883", "up").latest
    assert (up.rank, up.ranked, up.band) == (4, 8, "B")
    none = position(store, "ees.c1.rereferral_percent", "883", "none").latest
    assert (none.rank, none.band) == (None, None) and none.ranked == 8


def test_suppressed_council_value_shows_its_marker(store):
    pos = position(store, "CP_conf_15days", "883", "up")
    assert pos.latest.time_period == "2025"
    assert pos.latest.council.value is None and pos.latest.council.shown == "c"
    assert pos.latest.rank is None


def test_indicator_uses_the_first_mapped_measure_with_a_council_value(store):
    pos = indicator_position(store, "front_door.re_referrals", "down", "883")
    assert pos.measure_id == "ReReferral" and pos.latest.council.value == 16.0
    assert indicator_position(store, "child_protection.icpc_within_15_working_days", "up", "883").latest.council.shown == "c"
    assert indicator_position(store, "not_an_indicator", "up", "883") is None


@pytest.mark.parametrize("values, la, polarity, expected", [
    ({"a": 1, "b": 2, "c": 3, "d": 4}, "a", "up", (4, 4, "D")),
    ({"a": 1, "b": 2, "c": 3, "d": 4}, "a", "down", (1, 4, "A")),
    ({"a": 5, "b": 5, "c": 3, "d": 4}, "b", "up", (1, 4, "A")),  # ties share the better rank
    ({"a": 5, "b": 5, "c": 3, "d": 4}, "c", "up", (4, 4, "D")),
    ({str(i): i for i in range(1, 154)}, "39", "down", (39, 153, "A")),
    ({str(i): i for i in range(1, 154)}, "40", "down", (40, 153, "B")),
    ({str(i): i for i in range(1, 154)}, "116", "down", (116, 153, "D")),
    ({"a": 1}, "z", "up", (None, 1, None)),
])
def test_rank_and_band(values, la, polarity, expected):
    assert rank_and_band(values, la, polarity) == expected


def test_neighbour_mean_and_median_leave_out_missing():
    s = neighbour_summary("2025", ["a", "b", "c", "d"], {"a": 1.0, "b": 2.0, "d": 10.0})
    assert s.mean == pytest.approx(13 / 3) and s.median == 2.0 and s.missing == ("c",) and s.counted == 3
    assert statistics.median([1.0, 2.0, 10.0]) == s.median
    empty = neighbour_summary("2025", ["a"], {})
    assert (empty.mean, empty.median) == (None, None)


@pytest.mark.parametrize("period, year", [
    ("2025", 2025), ("2025 (Rev)", 2025), ("2024-25", 2025), ("2023/24", 2024), ("2014-16", 2016),
    ("2013/14-15/16", 2016), ("2016-17 (OT)", 2017), ("1999-00", 2000), ("n/a", 0),
])
def test_period_end_year(period, year):
    assert period_end_year(period) == year
