"""Primary and secondary suppression: no count 1-4 shown, no hidden cell recoverable from a total."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cscperf.digest.suppression import Published, is_small, publish_rate, publish_table


@pytest.mark.parametrize("count, small", [(0, False), (0.5, True), (1, True), (4, True), (4.9, True), (5, False), (None, False)])
def test_small_means_above_zero_and_below_five(count, small):
    assert is_small(count) is small


def test_one_small_cell_takes_the_next_smallest_with_it():
    assert publish_table({"error": 43, "query": 21, "integrity": 2}) == ({"error": 43, "query": "c", "integrity": "c"}, 66)


def test_two_small_cells_need_nothing_more():
    assert publish_table({"a": 3, "b": 2, "c": 40}) == ({"a": "c", "b": "c", "c": 40}, 45)


def test_no_other_non_zero_cell_hides_the_total():
    assert publish_table({"a": 3, "b": 0}) == ({"a": "c", "b": 0}, "c")


@pytest.mark.parametrize("num, den, value, unit, expected", [
    (24, 126, 19.0, "percent", Published(24, 126, 19.0)),
    (3, 40, 7.5, "percent", Published("c", 40, "c")),        # small numerator
    (10, 12, 83.3, "percent", Published("c", 12, "c")),       # 2 missed: the complement is small
    (12, 12, 100.0, "percent", Published(12, 12, 100.0)),     # complement 0 is not small
    (2, 3, 66.7, "percent", Published("c", "c", "c")),        # small denominator: everything
    (0, 50, 0.0, "percent", Published(0, 50, 0.0)),
    (3, 42000, 0.7, "rate_10k", Published("c", 42000, "c")),
    (123, 42000, 29.3, "rate_10k", Published(123, 42000, 29.3)),
    (None, None, 12.2, "number", Published(None, None, 12.2)),
])
def test_publish_rate(num, den, value, unit, expected):
    assert publish_rate(num, den, value, unit) == expected


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(min_value=0, max_value=60), min_size=1, max_size=8))
def test_no_hidden_cell_can_be_recovered(cells):
    shown, total = publish_table(cells)
    hidden = [k for k, v in shown.items() if v == "c"]
    assert all(v == "c" or not is_small(v) for v in shown.values())
    if total != "c":
        assert total == sum(cells.values())
        assert len(hidden) != 1  # one hidden cell = total minus the others
        if hidden:
            assert sum(cells[k] for k in hidden) >= 2  # several hidden cells, each at least 1


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=500))
def test_published_rate_never_reveals_a_small_count(a, b):
    num, den = min(a, b), max(a, b)
    p = publish_rate(num, den, (num / den * 100) if den else None, "percent")
    for part in (p.numerator, p.denominator):
        assert part == "c" or part is None or not is_small(part)
    if isinstance(p.numerator, int) and isinstance(p.denominator, int):
        assert not is_small(p.denominator - p.numerator)
    if p.numerator == "c" and p.value is not None:
        assert p.value == "c"
