from datetime import date

import pytest

from cscperf.core.errors import CscperfError
from cscperf.indicators.periods import PERIOD_TYPES, Month, month_range, window


@pytest.mark.parametrize("period, month, expected", [
    ("in_month", "2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
    ("snapshot_month_end", "2025-02", (date(2025, 2, 1), date(2025, 2, 28))),
    ("rolling_12_months", "2025-03", (date(2024, 4, 1), date(2025, 3, 31))),
    ("rolling_12_months", "2025-01", (date(2024, 2, 1), date(2025, 1, 31))),
    ("financial_ytd", "2025-03", (date(2024, 4, 1), date(2025, 3, 31))),
    ("financial_ytd", "2025-04", (date(2025, 4, 1), date(2025, 4, 30))),
    ("financial_ytd", "2024-12", (date(2024, 4, 1), date(2024, 12, 31))),
    ("rolling_3_years", "2025-03", (date(2022, 4, 1), date(2025, 3, 31))),
    ("quarter_to_date", "2025-02", (date(2025, 1, 1), date(2025, 2, 28))),
    ("quarter_to_date", "2025-12", (date(2025, 10, 1), date(2025, 12, 31))),
])
def test_windows(period, month, expected):
    assert window(period, Month.parse(month)) == expected


def test_every_period_type_ends_on_the_month_end():
    for period in PERIOD_TYPES:
        for m in month_range(Month.parse("2023-01"), Month.parse("2024-12")):
            start, end = window(period, m)
            assert end == m.end and start <= m.start


def test_month_parsing_and_ranges():
    assert [str(m) for m in month_range(Month.parse("2024-11"), Month.parse("2025-02"))] == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert Month.parse("2024-12").shift(1) == Month(2025, 1)
    for bad in ("2024-13", "24-01", "2024/01", ""):
        with pytest.raises(CscperfError):
            Month.parse(bad)
    with pytest.raises(CscperfError):
        month_range(Month.parse("2025-02"), Month.parse("2025-01"))
    with pytest.raises(CscperfError):
        window("weekly", Month.parse("2025-01"))
