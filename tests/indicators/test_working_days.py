"""The calendar table the definitions count working days with agrees with cscperf.core.workdays at
the boundaries the indicators rely on (bank holidays, the 2022-2023 one-off days), on both engines."""

from datetime import date

import pytest

from cscperf.core.workdays import add_working_days, working_days_between

CASES = [
    # (start, end, working days) - same day = 0, start day not counted
    (date(2024, 12, 2), date(2025, 2, 6), 45),   # assessment fixture: Christmas, Boxing Day, New Year
    (date(2024, 12, 2), date(2025, 2, 7), 46),
    (date(2025, 4, 3), date(2025, 4, 28), 15),   # ICPC fixture: Good Friday and Easter Monday
    (date(2025, 4, 3), date(2025, 4, 29), 16),
    (date(2025, 4, 14), date(2025, 4, 30), 10),  # CP visit fixture
    (date(2022, 5, 31), date(2022, 6, 6), 2),    # 2 and 3 June 2022: Platinum Jubilee
    (date(2022, 9, 16), date(2022, 9, 20), 1),   # 19 September 2022: state funeral
    (date(2023, 5, 5), date(2023, 5, 9), 1),     # 8 May 2023: coronation
    (date(2025, 3, 31), date(2025, 3, 31), 0),
    (date(2025, 3, 28), date(2025, 3, 31), 1),   # Friday to Monday
]


@pytest.mark.parametrize("start, end, expected", CASES)
def test_calendar_table_counts_like_workdays(shared_engine, start, end, expected):
    assert working_days_between(start, end) == expected
    got = shared_engine.execute(
        "SELECT e.wd_index - s.wd_index FROM calendar s, calendar e WHERE s.day = :start AND e.day = :end",
        {"start": start, "end": end}).scalar()
    assert got == expected
    if expected:
        assert add_working_days(start, expected) == end
