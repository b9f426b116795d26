from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cscperf.core.workdays import add_working_days, bank_holidays, calendar_rows, is_working_day, working_days_between


def test_same_day_is_zero_working_days():
    assert working_days_between(date(2024, 3, 12), date(2024, 3, 12)) == 0


def test_friday_to_monday_is_one_working_day():
    assert working_days_between(date(2024, 3, 8), date(2024, 3, 11)) == 1


def test_a_full_week_is_five():
    assert working_days_between(date(2024, 3, 4), date(2024, 3, 11)) == 5


def test_easter_2024_skips_good_friday_and_easter_monday():
    # Thu 28 Mar 2024 -> Tue 2 Apr 2024: Fri 29 (Good Friday) and Mon 1 Apr (Easter Monday) are holidays.
    assert working_days_between(date(2024, 3, 28), date(2024, 4, 2)) == 1


def test_one_off_holidays_of_2022_and_2023_are_not_working_days():
    for day in (date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)):
        assert day in bank_holidays()
        assert not is_working_day(day)
    # Wed 1 Jun 2022 -> Mon 6 Jun 2022: the Jubilee Thursday and Friday are skipped.
    assert working_days_between(date(2022, 6, 1), date(2022, 6, 6)) == 1
    # Fri 16 Sep 2022 -> Tue 20 Sep 2022: the Queen's funeral (Mon 19) is skipped.
    assert working_days_between(date(2022, 9, 16), date(2022, 9, 20)) == 1
    # Fri 5 May 2023 -> Tue 9 May 2023: the coronation holiday (Mon 8) is skipped.
    assert working_days_between(date(2023, 5, 5), date(2023, 5, 9)) == 1


def test_scottish_holidays_are_not_counted():
    # 2 January and St Andrew's Day are Scottish bank holidays, not English ones.
    assert is_working_day(date(2024, 1, 2))
    assert is_working_day(date(2023, 11, 30))


def test_45_working_days_from_an_assessment_start():
    # From Mon 2 Sep 2024 (no bank holidays until Christmas): Tue 3-Fri 6 Sep are days 1-4, each of
    # the next eight full weeks adds 5 (Fri 1 Nov is day 44), so day 45 is Mon 4 Nov 2024.
    assert add_working_days(date(2024, 9, 2), 45) == date(2024, 11, 4)
    assert working_days_between(date(2024, 9, 2), date(2024, 11, 1)) == 44


def test_end_before_start_is_negative():
    assert working_days_between(date(2024, 3, 11), date(2024, 3, 8)) == -1


def test_calendar_index_agrees_with_the_count():
    rows = {d: i for d, _, i in calendar_rows(date(2022, 1, 1), date(2023, 12, 31))}
    for start, end in [(date(2022, 5, 30), date(2022, 6, 10)), (date(2022, 12, 23), date(2023, 1, 3))]:
        assert rows[end] - rows[start] == working_days_between(start, end)


days = st.dates(min_value=date(2012, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=days, n=st.integers(min_value=0, max_value=400))
def test_add_is_the_inverse_of_count(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)
        assert working_days_between(start, end - timedelta(days=1)) == n - 1


@settings(max_examples=200, deadline=None)
@given(a=days, b=days, c=days)
def test_counts_add_up_along_the_way(a, b, c):
    a, b, c = sorted((a, b, c))
    assert working_days_between(a, c) == working_days_between(a, b) + working_days_between(b, c)
