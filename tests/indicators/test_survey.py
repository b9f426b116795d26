import math

import pytest

from cscperf.indicators.survey import two_proportion_test


def test_two_proportion_test_by_hand():
    # 60/100 against 400/1000: pooled p = 460/1100; se = sqrt(p(1-p)(1/100 + 1/1000)) = 0.0517336, z = 3.86596
    result = two_proportion_test(60, 100, 400, 1000)
    p = 460 / 1100
    assert result.z == pytest.approx(0.2 / math.sqrt(p * (1 - p) * 0.011))
    assert result.z == pytest.approx(3.86596, abs=1e-5) and result.flag == "significantly higher"
    assert two_proportion_test(400, 1000, 60, 100).flag == "significantly lower"


def test_boundary_and_degenerate_cases():
    # 55/100 against 45/100: z = 0.1 / sqrt(0.5*0.5*0.02) = 1.4142: not significant
    small = two_proportion_test(55, 100, 45, 100)
    assert small.z == pytest.approx(1.414214, abs=1e-6) and small.flag == "no significant difference"
    # 57/100 against 43/100: z = 1.9799 just past 1.96
    assert two_proportion_test(57, 100, 43, 100).flag == "significantly higher"
    assert two_proportion_test(0, 0, 5, 10).flag == "not tested"
    assert two_proportion_test(10, 10, 20, 20).flag == "no significant difference"
