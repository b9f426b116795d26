from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cscperf.core.workdays import add_working_days, working_days_between
from cscperf.synth.days import collection_years, to_date, to_day, working_days

days = st.dates(min_value=date(2012, 1, 1), max_value=date(2030, 12, 1))


@settings(max_examples=300, deadline=None)
@given(days, st.integers(0, 80), st.integers(0, 120))
def test_vectorised_working_days_agree_with_core(start, n, span):
    wd = working_days()
    assert to_date(wd.add1(to_day(start), n)) == add_working_days(start, n)
    assert int(wd.add(to_day(start), n)) == wd.add1(to_day(start), n)
    end = start + timedelta(days=span)
    assert wd.count1(to_day(start), to_day(end)) == working_days_between(start, end)


def test_bank_holiday_and_weekend_are_skipped():
    wd = working_days()
    # Thursday 24 Dec 2026 + 1 working day: Christmas (Fri) and Boxing Day substitute (Mon 28) are holidays
    assert to_date(wd.add1(to_day(date(2026, 12, 24)), 1)) == date(2026, 12, 29)
    assert to_date(wd.next1(to_day(date(2026, 12, 26)))) == date(2026, 12, 29)


def test_collection_years_are_the_complete_years_in_the_window():
    assert collection_years(to_day(date(2020, 10, 31)), to_day(date(2026, 10, 31))) == [2021, 2022, 2023, 2024, 2025, 2026]
    assert collection_years(to_day(date(2020, 3, 1)), to_day(date(2021, 3, 30))) == [2020]
