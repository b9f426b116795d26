"""Dates as integer day numbers (days since 1970-01-01) and vectorised working-day arithmetic.

The simulation draws millions of dates; keeping them as ints (numpy or Python) is what makes it fast.
Working days follow cscperf.core.workdays (England and Wales bank holidays, same day = 0)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from cscperf.core.workdays import CALENDAR_END, CALENDAR_START, bank_holidays

EPOCH = date(1970, 1, 1)


def to_day(value: date) -> int:
    return (value - EPOCH).days


def to_date(day: int) -> date:
    return EPOCH + timedelta(days=int(day))


def add_years(value: date, years: int) -> date:
    """Same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


class WorkingDays:
    """Working-day index over the core calendar, for vectorised add/count."""

    def __init__(self) -> None:
        self.first = to_day(CALENDAR_START)
        days = np.arange(self.first, to_day(CALENDAR_END) + 1)
        dates = days.astype("datetime64[D]")
        working = np.is_busday(dates, holidays=np.array(bank_holidays(), dtype="datetime64[D]"))
        self.working = working
        self.index = np.cumsum(working).astype(np.int64)  # wd_index: working days up to and including the day
        self.working_days = days[working]  # the n-th working day (0-based) has index n+1
        self._index = self.index.tolist()
        self._working = self.working.tolist()
        self._days = self.working_days.tolist()

    # Scalar versions for the per-event loops (list indexing is far cheaper than numpy calls).
    def add1(self, start: int, n: int) -> int:
        if n <= 0:
            return start
        return self._days[self._index[start - self.first] + n - 1]

    def count1(self, start: int, end: int) -> int:
        return self._index[end - self.first] - self._index[start - self.first]

    def next1(self, day: int) -> int:
        return day if self._working[day - self.first] else self.add1(day, 1)

    def count(self, start, end):
        """Working days after ``start`` up to and including ``end`` (same day = 0)."""
        return self.index[np.asarray(end) - self.first] - self.index[np.asarray(start) - self.first]

    def add(self, start, n):
        """Earliest day that is ``n`` working days after ``start`` (n >= 0; n = 0 gives ``start``)."""
        start = np.asarray(start)
        n = np.asarray(n)
        target = self.index[start - self.first] + n
        out = self.working_days[np.clip(target - 1, 0, len(self.working_days) - 1)]
        return np.where(n <= 0, start, out)

    def next_working(self, day):
        """The day itself if it is a working day, else the next working day."""
        day = np.asarray(day)
        return np.where(self.working[day - self.first], day, self.add(day, 1))

    def is_working(self, day):
        return self.working[np.asarray(day) - self.first]


@lru_cache(maxsize=1)
def working_days() -> WorkingDays:
    return WorkingDays()


def collection_years(first_day: int, as_at: int) -> list[int]:
    """Collection years (year ending 31 March) that overlap [first_day, as_at] and have ended by as_at."""
    first = to_date(first_day)
    last = to_date(as_at)
    start_year = first.year + 1 if first.month >= 4 else first.year
    years = []
    for year in range(start_year, last.year + 1):
        if date(year, 3, 31) <= last:
            years.append(year)
    return years
