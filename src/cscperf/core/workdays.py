"""Working days in England and Wales.

DfE counts durations in working days: Monday to Friday less the bank holidays of England and Wales
(including the one-off days of 2022 and 2023). The convention here is DfE's banding one: an event
that starts and finishes on the same day took 0 working days; the start day is not counted, the end
day is counted if it is a working day. ``working_days_between(Fri, next Mon) == 1``.

The store keeps a ``calendar`` table built from these functions so SQL definitions can count working
days portably: ``wd_index(end) - wd_index(start)`` where ``wd_index`` is the running count of working
days up to and including a date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache

import holidays
import numpy as np

CALENDAR_START = date(2000, 1, 1)
CALENDAR_END = date(2040, 12, 31)


@lru_cache(maxsize=None)
def bank_holidays(first_year: int = CALENDAR_START.year, last_year: int = CALENDAR_END.year) -> tuple[date, ...]:
    """England and Wales bank holidays (the ``holidays`` package, subdivision ENG)."""
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return tuple(sorted(found))


@lru_cache(maxsize=None)
def _holiday_array() -> np.ndarray:
    return np.array(bank_holidays(), dtype="datetime64[D]")


@lru_cache(maxsize=None)
def _holiday_set() -> frozenset[date]:
    return frozenset(bank_holidays())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holiday_set()


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (same day = 0; negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    # busday_count counts [start, end); shifting both by one day counts (start, end].
    return int(
        np.busday_count(
            np.datetime64(start + timedelta(days=1)),
            np.datetime64(end + timedelta(days=1)),
            holidays=_holiday_array(),
        )
    )


def add_working_days(start: date, days: int) -> date:
    """The earliest date that is ``days`` working days after ``start`` (the inverse of the count)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    if days == 0:
        return start
    first = np.datetime64(start + timedelta(days=1))
    return np.busday_offset(first, days - 1, roll="forward", holidays=_holiday_array()).astype(date)


def calendar_rows(first: date = CALENDAR_START, last: date = CALENDAR_END) -> Iterator[tuple[date, bool, int]]:
    """(date, is_working_day, wd_index) for every day; wd_index counts working days up to and including it."""
    hols = _holiday_set()
    index = 0
    day = first
    one = timedelta(days=1)
    while day <= last:
        working = day.weekday() < 5 and day not in hols
        if working:
            index += 1
        yield day, working, index
        day += one
