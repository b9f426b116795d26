"""Reporting months and the window each period type covers for a month.

Every indicator is reported monthly; its *period type* says which window of days the month's figure
covers. All windows end on the last day of the reported month, so a figure is keyed by its month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from cscperf.core.errors import CscperfError

PERIOD_TYPES = {
    "in_month": "the calendar month",
    "rolling_12_months": "the 12 months to the end of the month",
    "snapshot_month_end": "the position on the last day of the month",
    "financial_ytd": "1 April of the financial year to the end of the month",
    "rolling_3_years": "the 3 years to the end of the month",
    "quarter_to_date": "the calendar quarter containing the month, to the end of the month",
}

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        found = _MONTH.match(str(text).strip())
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise CscperfError(f"month must be YYYY-MM, got {text!r}")
        return cls(int(found.group(1)), int(found.group(2)))

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return self.shift(1).start - timedelta(days=1)

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_range(first: Month, last: Month) -> list[Month]:
    if last < first:
        raise CscperfError(f"--from {first} is after --month {last}")
    out, current = [], first
    while current <= last:
        out.append(current)
        current = current.shift(1)
    return out


def window(period_type: str, month: Month) -> tuple[date, date]:
    """(first day, last day) a month's figure covers for ``period_type``."""
    end = month.end
    if period_type in ("in_month", "snapshot_month_end"):
        return month.start, end
    if period_type == "rolling_12_months":
        return month.shift(-11).start, end
    if period_type == "rolling_3_years":
        return month.shift(-35).start, end
    if period_type == "financial_ytd":
        first_year = month.year if month.month >= 4 else month.year - 1
        return date(first_year, 4, 1), end
    if period_type == "quarter_to_date":
        return date(month.year, 3 * ((month.month - 1) // 3) + 1, 1), end
    raise CscperfError(f"unknown period type {period_type!r} (one of {', '.join(PERIOD_TYPES)})")
